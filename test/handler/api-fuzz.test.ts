import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRequest } from '#local/driver/lifecycle.ts';
import { nearMiss, valid, validOrNot } from '../support/json-schema-arbitrary.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * A property-based run of every operation of the served OpenAPI document, with bodies, queries
 * and headers generated from the document's own schemas, valid and not: never a 5xx, only the
 * statuses and shapes the document states (the suite's response check), and nothing stored
 * when the answer is a 4xx.
 */
const RUNS_PER_OPERATION = 25;

let runtime: TestRuntime;
let fuzzKey: string;
let document: any;
const existing: Record<string, string> = {};
const casesRun: Record<string, number> = {};

beforeAll(async () => {
  runtime = await startTestRuntime();
  document = (await runtime.api('GET', '/v1/openapi.json', undefined, { apiKey: null })).body;
  // Its own admin key, so that revoking "an existing key" never revokes the one the run uses.
  fuzzKey = (await runtime.api('POST', '/v1/api-keys', { role: 'admin' })).body.apiKey;
  existing.keyId = (await runtime.api('POST', '/v1/api-keys', { role: 'agent' })).body.keyId;
  existing.requestId = await completedRequest(runtime);
  existing.feedbackId = (
    await runtime.api('POST', '/v1/feedback', {
      category: 'opinion',
      customer: { name: 'F', email: 'f@customer.example' },
      content: 'Fuzz me',
    })
  ).body.feedbackId;
  existing.tenantId = 'demo';
  existing.contractId = 'fuzz-contract';
  existing.version = '1';
  existing.surveyId = 'ps_0000000000000000000000';
  existing.token = 'eyJ0ZW5hbnRJZCI6ImRlbW8ifQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
});
afterAll(async () => {
  await runtime.dispose();
});

async function storedItems(): Promise<number> {
  const dynamodb = new DynamoDBClient({
    endpoint: runtime.urls.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let count = 0;
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: runtime.tableName, Select: 'COUNT', ExclusiveStartKey }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

const stringify = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

describe('every operation, from its own schemas', () => {
  it('never answers 5xx, answers only what the document states, and stores nothing on a 4xx', async () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    for (const { path, method, operation } of operations) {
      const parameters = (operation.parameters ?? []) as {
        name: string;
        in: string;
        schema: any;
        required: boolean;
      }[];
      const pathParameters = parameters.filter((p) => p.in === 'path');
      const queryParameters = parameters.filter((p) => p.in === 'query');
      const headerParameters = parameters.filter((p) => p.in === 'header');
      const bodyMedia = Object.keys(operation.requestBody?.content ?? {})[0];
      const bodySchema = bodyMedia ? operation.requestBody.content[bodyMedia].schema : undefined;

      const input = fc.record({
        params: fc.record(
          Object.fromEntries(
            pathParameters.map((p) => [
              p.name,
              fc.oneof(
                fc.constant(existing[p.name] ?? 'x'),
                valid(p.schema) as fc.Arbitrary<string>,
                fc.string({ minLength: 1, maxLength: 20 }),
              ),
            ]),
          ),
        ),
        query: fc.record(
          Object.fromEntries(
            queryParameters.map((p) => [p.name, fc.option(validOrNot(p.schema), { nil: undefined })]),
          ),
        ),
        headers: fc.record(
          Object.fromEntries(
            headerParameters.map((p) => [p.name, fc.option(validOrNot(p.schema), { nil: undefined })]),
          ),
        ),
        body: bodySchema
          ? fc.option(validOrNot(bodySchema), { nil: undefined, freq: 8 })
          : fc.constant(undefined),
      });

      await fc.assert(
        fc.asyncProperty(input, async ({ params, query, headers, body }) => {
          const url = new URL(
            `${runtime.urls.api}${path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])))}`,
          );
          for (const [name, value] of Object.entries(query))
            if (value !== undefined) url.searchParams.set(name, stringify(value));
          const requestHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(headers))
            if (value !== undefined)
              requestHeaders[name.toLowerCase()] = stringify(value).replace(/[^\x20-\x7e]/g, '');
          if (operation.security?.length) requestHeaders.authorization = `Bearer ${fuzzKey}`;
          let payload: string | undefined;
          if (body !== undefined) {
            if (bodyMedia === 'application/x-www-form-urlencoded' && body && typeof body === 'object') {
              requestHeaders['content-type'] = bodyMedia;
              payload = new URLSearchParams(
                Object.entries(body as Record<string, unknown>).map(([k, v]): [string, string] => [
                  k,
                  stringify(v),
                ]),
              ).toString();
            } else {
              requestHeaders['content-type'] = 'application/json';
              payload = JSON.stringify(body);
            }
          }
          const before = await storedItems();
          // The suite's check rejects any status or shape the document does not state.
          const response = await send(url.toString(), {
            method: method.toUpperCase(),
            headers: requestHeaders,
            body: payload,
          });
          await runtime.settled();
          casesRun[operation.operationId] = (casesRun[operation.operationId] ?? 0) + 1;
          expect(response.status, `${method} ${url.pathname}: ${response.text.slice(0, 300)}`).toBeLessThan(
            500,
          );
          if (response.status >= 400)
            expect(await storedItems(), `${method} ${url} → ${response.status}`).toBe(before);
        }),
        { numRuns: RUNS_PER_OPERATION, seed: 20261125, endOnFailure: true },
      );
    }
    const total = Object.values(casesRun).reduce((a, b) => a + b, 0);
    console.log(`API property test: ${total} cases over ${Object.keys(casesRun).length} operations`);
    expect(Object.keys(casesRun)).toHaveLength(operations.length);
  }, 600_000);

  it('refuses the near-misses of each JSON body (a dropped field, a wrong type, an unknown field)', async () => {
    // The same generator as above, near-misses only, on the bodies of staff entry: every one a 4xx.
    const schema = document.paths['/v1/requests'].post.requestBody.content['application/json'].schema;
    await fc.assert(
      fc.asyncProperty(nearMiss(schema), async (body) => {
        const response = await runtime.api('POST', '/v1/requests', body);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
