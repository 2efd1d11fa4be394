import {
  lambdaServiceErrors,
  lambdaTimeoutErrors,
  type Retrier,
  type StateMachineDefinition,
  type TaskState,
} from './asl.ts';

/**
 * One mechanism for everything with deadlines that escalate up a ladder (service requests and
 * feedback cases, #17): a lifecycle is many short Express executions ("bursts") and one stored
 * subject. A burst claims the subject (its generation moves on by one conditional write), routes
 * by the phase the domain computes from stored timestamps, takes the steps that are due (the
 * first within the claim's own invocation: most bursts have one), and parks: its next wake-up
 * becomes an EventBridge Scheduler one-time schedule that starts the next burst.
 * Staff, customers and storefronts start a burst directly; nothing waits inside Step Functions.
 * What differs between subjects (phases, steps, wording) is given by each definition.
 */

/**
 * Throttling, 5xx and refused connections of DynamoDB, SES, Scheduler and Step Functions come out
 * of our handlers as `TransientError`; a step Lambda ended at the function's timeout is
 * `Sandbox.Timedout` (a hung dependency), one the Task ended `States.Timeout`. Every step is
 * idempotent, so all are retried: about 2 minutes in all, inside an Express execution's 5, with
 * jitter so that bursts failing together in an outage do not retry together. Past that the burst
 * fails and the subject's watch entry brings the reconciler (functions/reconciler) to start another.
 */
const retryStep: Retrier[] = [
  {
    ErrorEquals: [...lambdaServiceErrors, ...lambdaTimeoutErrors, 'TransientError', 'States.Timeout'],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  },
];

/** AWS's limit for an Express execution: a burst that runs longer is cut, and the reconciler starts another. */
export const BURST_TIMEOUT_SECONDS = 300;

/** More than the step function's own timeout (functions/catalog.ts): Lambda ends it, not the task. */
export const STEP_TASK_TIMEOUT_SECONDS = 60;

export interface WatchedSubjectWorkflow {
  comment: string;
  /** `${Placeholder}` of the subject's step function. */
  stepsFunction: string;
  /** The subject's id field in the execution input (`requestId`, `feedbackId`). */
  idField: string;
  /** How the subject is named in state names ("request", "case"). */
  noun: string;
  /** Phases that wait for something (staff, a customer, time): the burst parks on them. */
  waitPhases: readonly string[];
  /** Phases that act: phase → state name, step, comment. Each routes again when done. */
  actions: Record<string, { state: string; step: string; comment: string }>;
}

export const PARK_STATE = 'Park until the next wake-up';

export function watchedSubjectDefinition(workflow: WatchedSubjectWorkflow): StateMachineDefinition {
  const ids = { 'tenantId.$': '$.tenantId', [`${workflow.idField}.$`]: `$.${workflow.idField}` };
  const task = (step: string, next: { Next: string } | { End: true }, comment: string, extra = {}) =>
    ({
      Type: 'Task',
      Comment: comment,
      Resource: workflow.stepsFunction,
      Parameters: { step, ...ids, ...extra },
      TimeoutSeconds: STEP_TASK_TIMEOUT_SECONDS,
      Retry: retryStep,
      ...next,
    }) satisfies TaskState;
  // Every later step gets the generation its burst claimed: a step that finds the subject claimed
  // since by a newer burst answers `superseded`, and this burst ends. With it goes the wake-up the
  // claim found, which the park replaces (each step answers it again: a Task's result is the state).
  const claimed = { 'generation.$': '$.generation', 'pendingWakeUp.$': '$.pendingWakeUp' };
  const claimState = `Claim the ${workflow.noun}`;
  return {
    Comment: workflow.comment,
    StartAt: claimState,
    TimeoutSeconds: BURST_TIMEOUT_SECONDS,
    States: {
      [claimState]: task(
        'claim',
        { Next: 'Route by phase' },
        'Takes the next generation with one conditional write (a duplicate or stale start loses and ends), reads where the subject stands and takes the first due step',
        {
          'trigger.$': '$.trigger',
          'expectGeneration.$': '$.expectGeneration',
          'execution.$': '$$.Execution.Name',
          'run.$': '$$.Execution.Id',
        },
      ),
      'Route by phase': {
        Type: 'Choice',
        Choices: [
          ...Object.entries(workflow.actions).map(([phase, action]) => ({
            Variable: '$.phase',
            StringEquals: phase,
            Next: action.state,
          })),
          ...[...workflow.waitPhases, 'end'].map((phase) => ({
            Variable: '$.phase',
            StringEquals: phase,
            Next: PARK_STATE,
          })),
          { Variable: '$.phase', StringEquals: 'superseded', Next: 'Superseded' },
        ],
        Default: 'Unknown phase',
      },
      ...Object.fromEntries(
        Object.values(workflow.actions).map((action) => [
          action.state,
          task(action.step, { Next: 'Route by phase' }, action.comment, claimed),
        ]),
      ),
      [PARK_STATE]: task(
        'park',
        { End: true },
        'Schedules the next wake-up (one-time schedule, created before the one it replaces is deleted) and moves the watch entry; with nothing left to wait for, deletes it',
        { ...claimed, 'phase.$': '$.phase', 'waitSeconds.$': '$.waitSeconds' },
      ),
      Superseded: { Type: 'Succeed', Comment: 'A newer burst has the subject: this one ends without acting' },
      'Unknown phase': {
        Type: 'Fail',
        Error: 'UnknownPhase',
        Cause: 'A step returned a phase this workflow does not know',
      },
    },
  };
}
