/**
 * Just enough typing of the Amazon States Language (JSONPath flavour) to write our workflows
 * as TypeScript. JSONata is not used: the local interpreter cannot run it.
 */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  /** FULL spreads retries of many executions that failed together (an outage) over the interval. */
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

type Transition = { Next: string; End?: never } | { End: true; Next?: never };

export type TaskState = {
  Type: 'Task';
  Comment?: string;
  Resource: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  OutputPath?: string;
  /** Every Task states its timeout: AWS's default is a year, the local interpreter's a minute. */
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
} & Transition;

export interface ChoiceState {
  Type: 'Choice';
  Comment?: string;
  Choices: (
    | { Variable: string; StringEquals: string; Next: string }
    | { Variable: string; IsPresent: boolean; Next: string }
  )[];
  Default?: string;
}

export type WaitState = {
  Type: 'Wait';
  Comment?: string;
  Seconds?: number;
  TimestampPath?: string;
  SecondsPath?: string;
} & Transition;

export type PassState = {
  Type: 'Pass';
  Comment?: string;
  Result?: unknown;
  ResultPath?: string | null;
  Parameters?: Record<string, unknown>;
} & Transition;

export interface SucceedState {
  Type: 'Succeed';
  Comment?: string;
}

export interface FailState {
  Type: 'Fail';
  Comment?: string;
  Error?: string;
  Cause?: string;
}

export type State = TaskState | ChoiceState | WaitState | PassState | SucceedState | FailState;

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  /** In the definition itself: CDK drops its `timeout` for a definition given as a string. */
  TimeoutSeconds?: number;
  States: Record<string, State>;
}

/** Lambda's own transient failures, retried as AWS recommends for every Lambda task. */
export const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/**
 * What Step Functions reports when Lambda ends an invocation at the function's timeout:
 * `Sandbox.Timedout` today, `Lambda.Unknown` from older runtimes (and a crashed sandbox). Not
 * `States.Timeout`: that is the Task's own timeout, set longer than the function's (#32).
 */
export const lambdaTimeoutErrors = ['Sandbox.Timedout', 'Lambda.Unknown'];

/** `${Name}` placeholders are filled by CDK's definitionSubstitutions and by the local runtime. */
export function substitute(definition: string, values: Record<string, string>): string {
  return definition.replace(/\$\{(\w+)\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for ${placeholder}`);
    return value;
  });
}
