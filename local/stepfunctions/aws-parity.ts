/**
 * Where aws-local-stepfunctions differs from AWS Step Functions, the local runtime adapts the
 * definition it hands the interpreter; the workflow itself stays exactly as deployed
 * (../shared/LOCAL-RUNTIME-FACTS.md).
 */

/** The interpreter gives one static context per execution; a per-task token replaces this. */
export const TASK_TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
/** Carries a TimeoutSecondsPath value read from the state input into the handler's input. */
export const LOCAL_TIMEOUT_FIELD = '__localTimeoutSeconds';
/**
 * AWS's default Task timeout is 99,999,999 s and the interpreter's is 60 s; the interpreter
 * also runs timeouts on setTimeout, which fires at once for anything above 2^31-1 ms. So the
 * local runtime uses the longest timeout setTimeout can hold (24.8 days) where AWS would
 * use its default.
 */
const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

type Json = Record<string, unknown>;

export function adaptDefinitionForInterpreter<T>(definition: T): T {
  const copy = structuredClone(definition) as Json;
  adaptStates(copy.States as Record<string, Json>);
  return copy as T;
}

function adaptStates(states: Record<string, Json>): void {
  for (const state of Object.values(states)) {
    if (state.Type === 'Task') adaptTask(state);
    if (state.Type === 'Parallel') {
      for (const branch of state.Branches as Json[]) adaptStates(branch.States as Record<string, Json>);
    }
    if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? state.Iterator) as Json | undefined;
      if (processor) adaptStates(processor.States as Record<string, Json>);
    }
  }
}

function adaptTask(state: Json): void {
  // AWS reads TimeoutSecondsPath from the state input; the interpreter reads it from the
  // input after Parameters. Copy the value through Parameters so both read the same number.
  if (
    typeof state.TimeoutSecondsPath === 'string' &&
    state.Parameters &&
    typeof state.Parameters === 'object'
  ) {
    state.Parameters = {
      ...(state.Parameters as Json),
      [`${LOCAL_TIMEOUT_FIELD}.$`]: state.TimeoutSecondsPath,
    };
    state.TimeoutSecondsPath = `$.${LOCAL_TIMEOUT_FIELD}`;
  }
  if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
    state.TimeoutSeconds = AWS_DEFAULT_TASK_TIMEOUT_SECONDS;
  }
  if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > AWS_DEFAULT_TASK_TIMEOUT_SECONDS) {
    state.TimeoutSeconds = AWS_DEFAULT_TASK_TIMEOUT_SECONDS;
  }
}

/** Walks a definition and yields every Task state with its name (for per-state handlers). */
export function* taskStates(definition: { States: Record<string, unknown> }): Generator<[string, Json]> {
  for (const [name, state] of Object.entries(definition.States as Record<string, Json>)) {
    if (state.Type === 'Task') yield [name, state];
    if (state.Type === 'Parallel') {
      for (const branch of state.Branches as { States: Record<string, unknown> }[]) yield* taskStates(branch);
    }
    if (state.Type === 'Map') {
      const processor = (state.ItemProcessor ?? state.Iterator) as
        | { States: Record<string, unknown> }
        | undefined;
      if (processor) yield* taskStates(processor);
    }
  }
}

export function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaceDeep(item, from, to));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceDeep(item, from, to)]));
  }
  return value;
}
