import { lambdaServiceErrors, type Retrier, type TaskState } from './asl.ts';

/**
 * The pieces both our workflows are made of (../shared/DESIGN.md): a step Lambda that is
 * re-entrant, and a callback wait that times out at the next step of the escalation ladder.
 */

/**
 * Throttling, 5xx and refused connections of DynamoDB, SES and Step Functions come out of our
 * handlers as `TransientError`; a step that ran out of time is `States.Timeout`. Every step is
 * idempotent, so both are retried: about 8 minutes in all, with jitter so that executions failing
 * together in an outage do not retry together. Past that the execution fails and the reconciler
 * starts its next generation (functions/reconciler).
 */
const retrying = (errors: string[]): Retrier[] => [
  {
    ErrorEquals: errors,
    IntervalSeconds: 2,
    MaxAttempts: 10,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];
const retryStep = retrying([...lambdaServiceErrors, 'TransientError', 'States.Timeout']);
/** A callback wait's timeout is the escalation itself (its Catch): never retried. */
const retryCallbackStart = retrying([...lambdaServiceErrors, 'TransientError']);

/**
 * The longest a lifecycle's execution may run: AWS's limit for a Standard execution (a year).
 * Requests stay open for weeks; one that outlives this times out, is alarmed, and the reconciler
 * starts its next generation where it stands.
 */
export const EXECUTION_TIMEOUT_SECONDS = 365 * 86_400;

/** More than the step function's own timeout (functions/catalog.ts): Lambda ends it, not the task. */
export const STEP_TASK_TIMEOUT_SECONDS = 60;

export function stepState(
  functionArn: string,
  ids: Record<string, string>,
  step: string,
  next: { Next: string } | { End: true },
  comment: string,
): TaskState {
  return {
    Type: 'Task',
    Comment: comment,
    Resource: functionArn,
    Parameters: { step, ...ids },
    TimeoutSeconds: STEP_TASK_TIMEOUT_SECONDS,
    Retry: retryStep,
    ...next,
  };
}

/**
 * Waits for staff. Any change staff make answers the task token with the subject's new route,
 * so the workflow goes straight back to "Route by phase"; the wait times out at `$.waitSeconds`
 * into the escalation state.
 */
export function awaitCallbackState(
  functionArn: string,
  ids: Record<string, string>,
  awaiting: string,
  targets: { route: string; escalate: string; cancelled?: string },
  comment: string,
): TaskState {
  return {
    Type: 'Task',
    Comment: comment,
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: functionArn,
      // The wait is passed on so the step can record when the lifecycle must next act (its watch).
      Payload: {
        step: 'awaitCallback',
        awaiting,
        ...ids,
        'waitSeconds.$': '$.waitSeconds',
        'taskToken.$': '$$.Task.Token',
      },
    },
    TimeoutSecondsPath: '$.waitSeconds',
    Retry: retryCallbackStart,
    Catch: [
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: targets.escalate },
      ...(targets.cancelled
        ? [{ ErrorEquals: ['RequestCancelled'], ResultPath: '$.cancelled', Next: targets.cancelled }]
        : []),
    ],
    Next: targets.route,
  };
}
