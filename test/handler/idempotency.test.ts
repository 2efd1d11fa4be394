import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItem, keys } from '#functions/adapters/table.ts';
import { contractTerms } from '#local/driver/lifecycle.ts';
import { clearFaults, injectFault } from '../faults/support.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Every create route honours `Idempotency-Key` as `POST /v1/requests` does (#34): a client that
 * retries after a timeout or a 5xx gets the first answer again, not a second object; the same key
 * with another body is refused. In the outside runs a complaint retried after a 5xx opened a case
 * each time (one complaint counted six times, 1,700 extra escalation emails).
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
});

const keyed = (key: string) => ({ headers: { 'idempotency-key': key } });

const complaint = (content: string) => ({
  category: 'complaint',
  customer: { name: 'Li Lei', email: 'li.lei@customer.example' },
  content,
});

describe('a create retried with its Idempotency-Key', () => {
  const creates = [
    ['POST /v1/feedback', '/v1/feedback', complaint('The technician came a day late')],
    [
      'POST /v1/staff',
      '/v1/staff',
      { staffId: 'agent-once', name: 'Once', email: 'once@demo.example', roles: ['agent'], skills: [] },
    ],
    ['POST /v1/contracts', '/v1/contracts', { contractId: 'idem-1', terms: contractTerms(2) }],
    ['POST /v1/api-keys', '/v1/api-keys', { role: 'agent' }],
  ] as const;

  for (const [name, path, body] of creates)
    it(`${name}: answers the first call’s answer again, marked replayed, and makes one`, async () => {
      const first = await runtime.api('POST', path, body, keyed(`k-${path}`));
      expect(first.status).toBe(201);
      const again = await runtime.api('POST', path, body, keyed(`k-${path}`));
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
    });

  it('refuses the same key with another body (422), and changes nothing', async () => {
    const first = await runtime.api('POST', '/v1/feedback', complaint('First words'), keyed('k-reused'));
    expect(first.status).toBe(201);
    const reused = await runtime.api('POST', '/v1/feedback', complaint('Other words'), keyed('k-reused'));
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IdempotencyKeyReused');
    const listed = (await runtime.api('GET', '/v1/feedback?limit=200')).body.items as { content: string }[];
    expect(listed.filter((c) => c.content === 'Other words')).toEqual([]);
  });

  it('opens one case when the first call was cut short after the case was written (a 5xx) and retried', async () => {
    // The answer's own record cannot be written: the case is, the client hears 503.
    await injectFault(runtime.urls.api, {
      component: 'dynamodb',
      mode: 'unavailable',
      match: 'IDEMPOTENCY#createFeedback',
    });
    const [cut] = await Promise.all([
      runtime.api('POST', '/v1/feedback', complaint('Retried after a 503'), keyed('k-cut')),
      runtime.advance(30),
    ]);
    expect(cut.status).toBe(503);
    await clearFaults(runtime.urls.api);
    const retried = await runtime.api(
      'POST',
      '/v1/feedback',
      complaint('Retried after a 503'),
      keyed('k-cut'),
    );
    expect(retried.status).toBe(201);
    const listed = (await runtime.api('GET', '/v1/feedback?limit=200')).body.items as {
      feedbackId: string;
      content: string;
    }[];
    expect(listed.filter((c) => c.content === 'Retried after a 503').map((c) => c.feedbackId)).toEqual([
      retried.body.feedbackId,
    ]);
  });

  it('keeps a new API key’s secret sealed at rest, and shows it again only to the same call', async () => {
    const first = await runtime.api('POST', '/v1/api-keys', { role: 'manager' }, keyed('k-secret'));
    const again = await runtime.api('POST', '/v1/api-keys', { role: 'manager' }, keyed('k-secret'));
    expect(again.body.apiKey).toBe(first.body.apiKey);
    const stored = JSON.stringify(await getItem(keys.idempotency('demo', 'createApiKey', 'k-secret')));
    expect(stored).not.toContain(first.body.apiKey.split('_').at(-1));
    expect(stored).toContain('sealed:v1:');
  });
});
