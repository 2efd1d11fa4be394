import { randomBytes } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { BurstTrigger } from '#domain/watched-subject.ts';
import { config } from './config.ts';

/** A hung connection becomes an error a step retries, well inside a step's time. */
const sfn = new SFNClient({ requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 } });

/** The two lifecycles, and the ids their bursts are started with. */
export type Lifecycle =
  | { workflow: 'serviceRequest'; tenantId: string; requestId: string }
  | { workflow: 'feedbackCase'; tenantId: string; feedbackId: string };

const subjectIdOf = (lifecycle: Lifecycle) =>
  lifecycle.workflow === 'serviceRequest' ? lifecycle.requestId : lifecycle.feedbackId;

/** What a burst's execution is started with: a StartExecution request (ours, or a wake-up's target). */
export interface StartBurstRequest {
  stateMachineArn: string;
  name: string;
  input: string;
}

/**
 * A burst of a lifecycle (workflows/watched-subject.ts). Its name starts with the subject id and
 * says what started it, so a subject's executions are found by prefix and read in the timeline;
 * Express does not deduplicate names, the claim does. `expectGeneration`: the generation the
 * trigger saw (a wake-up, the reconciler, intake), whose burst loses if another claimed since;
 * null for staff and customers, whose change must be acted on whatever runs.
 */
export function burstRequest(
  lifecycle: Lifecycle,
  trigger: BurstTrigger,
  expectGeneration: number | null,
): StartBurstRequest {
  const ids =
    lifecycle.workflow === 'serviceRequest'
      ? { tenantId: lifecycle.tenantId, requestId: lifecycle.requestId }
      : { tenantId: lifecycle.tenantId, feedbackId: lifecycle.feedbackId };
  const generation = expectGeneration === null ? '' : `-g${expectGeneration}`;
  return {
    stateMachineArn:
      lifecycle.workflow === 'serviceRequest'
        ? config().SERVICE_REQUEST_STATE_MACHINE_ARN
        : config().FEEDBACK_CASE_STATE_MACHINE_ARN,
    name: `${subjectIdOf(lifecycle)}--${trigger}${generation}-${randomBytes(4).toString('hex')}`,
    input: JSON.stringify({ ...ids, trigger, expectGeneration }),
  };
}

/** Starts a burst now. */
export async function startBurst(
  lifecycle: Lifecycle,
  trigger: BurstTrigger,
  expectGeneration: number | null = null,
): Promise<void> {
  const request = burstRequest(lifecycle, trigger, expectGeneration);
  await sfn.send(new StartExecutionCommand(request));
}
