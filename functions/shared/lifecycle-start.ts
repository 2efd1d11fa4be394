import { type Lifecycle, startLifecycle } from '../adapters/workflows.ts';
import { logger } from './logger.ts';

/**
 * Starts a stored subject's lifecycle. If Step Functions cannot be reached, the subject is
 * still stored and watched (its byDue entry): the reconciler starts the lifecycle within
 * minutes, so intake answers as usual and a client's retry never makes a second subject.
 */
export async function startLifecycleOrLeaveToReconciler(lifecycle: Lifecycle): Promise<void> {
  try {
    await startLifecycle(lifecycle);
  } catch (error) {
    logger.warn('Lifecycle start left to the reconciler', { ...lifecycle, error });
  }
}
