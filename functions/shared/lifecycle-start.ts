import { type Lifecycle, startBurst } from '../adapters/workflows.ts';
import { logger } from './logger.ts';

/**
 * Starts a stored subject's first burst. If Step Functions cannot be reached, the subject is
 * still stored and watched (its byDue entry): the reconciler starts it within minutes, so intake
 * answers as usual and a client's retry never makes a second subject. The burst expects
 * generation 0: a retried webhook's second start, or the reconciler's, loses its claim.
 */
export async function startLifecycleOrLeaveToReconciler(lifecycle: Lifecycle): Promise<void> {
  try {
    await startBurst(lifecycle, 'intake', 0);
  } catch (error) {
    logger.warn('Lifecycle start left to the reconciler', { ...lifecycle, error });
  }
}
