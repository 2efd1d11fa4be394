import { lambdaServiceErrors, type Retrier, type TaskState } from './asl.ts';

/**
 * The pieces both our workflows are made of (../shared/DESIGN.md): a step Lambda that is
 * re-entrant, and a callback wait that times out at the next step of the escalation ladder.
 */

/** Throttling and 5xx of DynamoDB/SES come out of our handlers as `TransientError`. */
const retryTransient: Retrier[] = [
  {
    ErrorEquals: [...lambdaServiceErrors, 'TransientError'],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
  },
];

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
    TimeoutSeconds: 30,
    Retry: retryTransient,
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
    Retry: retryTransient,
    Catch: [
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: targets.escalate },
      ...(targets.cancelled
        ? [{ ErrorEquals: ['RequestCancelled'], ResultPath: '$.cancelled', Next: targets.cancelled }]
        : []),
    ],
    Next: targets.route,
  };
}
