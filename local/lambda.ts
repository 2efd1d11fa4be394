import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, functionCatalog } from '#functions/catalog.ts';
import { BusyTime } from './busy-time.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './stepfunctions/engine.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const repositoryRoot = resolve(import.meta.dirname, '..');
const loaded = new Map<FunctionName, Promise<Handler>>();

export const localFunctionArn = (name: FunctionName) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

function load(name: FunctionName): Promise<Handler> {
  let handler = loaded.get(name);
  if (!handler) {
    const url = pathToFileURL(resolve(repositoryRoot, functionCatalog[name].entry)).href;
    handler = import(url).then((module: { handler: Handler }) => module.handler);
    loaded.set(name, handler);
  }
  return handler;
}

function lambdaContext(name: FunctionName): Context {
  const deadline = Date.now() + functionCatalog[name].timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(name),
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** A Lambda error as Step Functions sees it: the error name is the function's errorType. */
export class LambdaFunctionError extends Error {}

/**
 * What Step Functions reports when Lambda ends an invocation at the function's timeout
 * (`Sandbox.Timedout`; older runtimes reported `Lambda.Unknown`): the workflows retry both.
 */
export class LambdaTimeoutError extends Error {
  override readonly name = 'Sandbox.Timedout';
  constructor(seconds: number) {
    super(`Task timed out after ${seconds.toFixed(2)} seconds`);
  }
}

/**
 * Invokes one of our functions in-process as Lambda would: a JSON event in, a JSON result
 * out (serialised both ways, so nothing passes by reference that could not on AWS), ended at the
 * function's own timeout (on the runtime's clock) as Lambda ends it. In-process work cannot be
 * killed: a timed-out handler's promise runs on, unheard, where Lambda would freeze its sandbox.
 * `hang` stands for a function that never answers (a fault: local/faults.ts, component `lambda`).
 */
export async function invokeFunction(
  name: FunctionName,
  event: unknown,
  options: { hang?: boolean } = {},
): Promise<unknown> {
  const handler = await load(name);
  const payload = JSON.parse(JSON.stringify(event ?? null));
  const stats = invocations.get(name) ?? { count: 0, busy: new BusyTime() };
  invocations.set(name, stats);
  const seconds = functionCatalog[name].timeoutSeconds;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LambdaTimeoutError(seconds)), seconds * 1000);
  });
  stats.busy.start();
  try {
    const running = options.hang ? new Promise<never>(() => {}) : handler(payload, lambdaContext(name));
    const result = await Promise.race([running, timedOut]);
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  } finally {
    clearTimeout(timer);
    stats.count += 1;
    stats.busy.end();
  }
}

/**
 * Invocations per function and the real time they took in this process, side by side ones
 * counted once (local/busy-time.ts): for the bench's cost model.
 */
const invocations = new Map<FunctionName, { count: number; busy: BusyTime }>();
export const invocationStats = (): Map<FunctionName, { count: number; milliseconds: number }> =>
  new Map(
    [...invocations].map(([name, stats]) => [
      name,
      { count: stats.count, milliseconds: stats.busy.milliseconds() },
    ]),
  );

export function functionNameFromArn(arn: string): FunctionName {
  const name = arn.split(':function:')[1]?.split(':')[0];
  if (!name || !(name in functionCatalog)) throw new Error(`No local function for ${arn}`);
  return name as FunctionName;
}
