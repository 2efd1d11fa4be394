import { type DrivenRuntime, observeResponses, send, startDrivenRuntime } from '#local/driver/runtime.ts';
import type { RuntimeOptions } from '#local/runtime.ts';
import { ResponseChecker } from './openapi.ts';

export { createOtherTenant, type SentEmail, send } from '#local/driver/runtime.ts';
export type TestRuntime = DrivenRuntime;

/**
 * Every response from an API this process talks to is checked against the OpenAPI document
 * that API serves (test/support/openapi.ts): registered by origin when a runtime starts.
 */
const checkers = new Map<string, ResponseChecker>();
observeResponses(({ method, url }, { status, contentType, text }) =>
  checkers.get(new URL(url).origin)?.check(method, url, status, contentType, text),
);

export async function checkResponsesOf(apiUrl: string): Promise<void> {
  const origin = new URL(apiUrl).origin;
  checkers.delete(origin);
  const served = await send(`${apiUrl}/v1/openapi.json`, { method: 'GET', headers: {} });
  checkers.set(origin, new ResponseChecker(JSON.parse(served.text)));
}

/** A runtime on free ports with a fresh data directory, virtual clock unless told otherwise, every answer checked. */
export async function startTestRuntime(options: Partial<RuntimeOptions> = {}): Promise<TestRuntime> {
  const runtime = await startDrivenRuntime(options);
  await checkResponsesOf(runtime.urls.api);
  return runtime;
}
