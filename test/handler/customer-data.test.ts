import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceItem, type StoredItem } from '#functions/adapters/customer-data.ts';
import { allWatches } from '#functions/adapters/lifecycle-watch.ts';
import { getItems, keys, putItem, updateIf } from '#functions/adapters/table.ts';
import { completionReport, contractTerms, repairRequest, stepFunctionsOf } from '#local/driver/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { everyItem, itemsMentioning } from '../support/table.ts';

/**
 * Clause 12 from outside: a customer's data is exported whole and only theirs, and erased so
 * that no item in the store names them any more, while what the contract's money depends on
 * (breaches, the statement) stays exactly as it was. Time starts Mon 2 March 2026, 09:00 Shanghai.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

const HOUR = 3600;
const sunMei = { name: 'Sun Mei', email: 'Sun.Mei@customer.example', phone: '+86 138 0013 8000' };
const zhangSan = { name: 'Zhang San', email: 'zhang.san@customer.example', phone: '+86 139 1111 2222' };
const personal = [sunMei.name, sunMei.email, sunMei.phone];

async function request(customer: typeof sunMei, overrides: Record<string, unknown> = {}) {
  const created = await runtime.api(
    'POST',
    '/v1/requests',
    repairRequest({ customer, contractId: 'gwh', ...overrides }),
  );
  expect(created.status).toBe(201);
  return created.body.requestId as string;
}

const executionsOf = async (subjectId: string) => {
  const sfn = stepFunctionsOf(runtime);
  const all = await Promise.all(
    Object.values(runtime.stateMachineArns).map((stateMachineArn) =>
      sfn.send(new ListExecutionsCommand({ stateMachineArn })),
    ),
  );
  return all.flatMap((page) => page.executions ?? []).filter((e) => e.name?.includes(subjectId));
};

describe('a customer’s personal data (12)', () => {
  let served: string;
  let open: string;
  let complaint: string;
  let other: string;
  let statementBefore: unknown;

  beforeAll(async () => {
    expect(
      (await runtime.api('POST', '/v1/contracts', { contractId: 'gwh', terms: contractTerms(2) })).status,
    ).toBe(201);
    for (const party of ['provider', 'customer'])
      expect(
        (
          await runtime.api('POST', '/v1/contracts/gwh/versions/1/confirm', {
            party,
            ...(party === 'customer' ? { evidence: 'signed copy' } : {}),
          })
        ).status,
      ).toBe(200);

    // Sun Mei: a request answered late (a breach), then served, its survey answered in her words…
    served = await request(sunMei, { description: `Sun Mei says the fan grinds; call ${sunMei.phone}` });
    await runtime.advance(2 * HOUR + 60);
    await runtime.api('POST', `/v1/requests/${served}/acknowledge`);
    const at = runtime.clock.now();
    expect(
      (
        await runtime.api('POST', `/v1/requests/${served}/complete`, {
          ...completionReport(at, at),
          workDone: 'Replaced the bearing; Sun Mei was shown how to clean the filter',
          staffIds: ['tech-wang'],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await runtime.api('POST', `/v1/requests/${served}/survey`, {
          serviceScore: 2,
          goodsScore: 4,
          recommendScore: 3,
          serviceOpinion: 'The technician was late, my number is +86 138 0013 8000',
        })
      ).status,
    ).toBe(200);
    // …one request still open (its lifecycle waiting for the response), and a complaint.
    open = await request(sunMei, { kind: 'replacement' });
    const feedback = await runtime.api('POST', '/v1/feedback', {
      category: 'complaint',
      customer: sunMei,
      content: 'I am Sun Mei and nobody called me back',
    });
    expect(feedback.status).toBe(201);
    complaint = feedback.body.feedbackId;
    // Zhang San, another customer of the same contract, late too.
    other = await request(zhangSan);
    await runtime.advance(2 * HOUR + 60);
    statementBefore = (await runtime.api('GET', '/v1/contracts/gwh/statement?from=2026-03-01&to=2026-03-31'))
      .body;
  });

  it('exports everything held about the customer, and nothing of anyone else', async () => {
    const exported = await runtime.api('POST', '/v1/customer-data/export', {
      email: 'sun.mei@CUSTOMER.example',
    });
    expect(exported.status).toBe(200);
    const ids = exported.body.requests.map((r: { requestId: string }) => r.requestId);
    expect(ids.sort()).toEqual([served, open].sort());
    const servedExport = exported.body.requests.find((r: { requestId: string }) => r.requestId === served);
    expect(servedExport.customer).toEqual(sunMei);
    expect(servedExport.survey.answer.serviceOpinion).toContain('late');
    expect(servedExport.timeline.map((e: { type: string }) => e.type)).toContain('completed');
    // The complaint, and the low score's own case (7.2.1).
    const cases = exported.body.feedbackCases.map((f: { feedbackId: string }) => f.feedbackId);
    expect(cases).toContain(complaint);
    expect(cases.length).toBe(2);
    const text = JSON.stringify(exported.body).toLowerCase();
    expect(text).not.toContain(zhangSan.email);
    expect(text).not.toContain(other);
    // Nothing of the table's own: keys, the lifecycle's bookkeeping.
    expect(text).not.toContain('"pk"');
    expect(text).not.toContain('burstgeneration');
    expect(text).not.toContain('wakeup');
    expect(text).not.toContain('"burst"');

    const trail = await runtime.api(
      'GET',
      `/v1/access-trail?date=${runtime.clock.now().toISOString().slice(0, 10)}`,
    );
    const entry = trail.body.items.find((e: { operation: string }) => e.operation === 'exportCustomerData');
    expect(entry.subjects).toEqual(expect.arrayContaining([served, open, complaint]));
    // The trail names what was shown, never who it was about.
    expect(itemsMentioning([trail.body], personal)).toEqual([]);
  });

  it('erases the customer: no item names them, their lifecycles end, breaches and the statement stay', async () => {
    expect(itemsMentioning(await everyItem(runtime), personal).length).toBeGreaterThan(0);
    const mailBefore = (await runtime.mailbox()).length;

    const erased = await runtime.api('POST', '/v1/customer-data/erase', {
      email: sunMei.email,
      reason: 'The customer asked by phone (ticket 88)',
    });
    expect(erased.status).toBe(200);
    expect(erased.body.subjects).toEqual(expect.arrayContaining([served, open, complaint]));
    expect(erased.body.lifecyclesEnded).toEqual(expect.arrayContaining([open, complaint]));

    const items = await everyItem(runtime);
    expect(itemsMentioning(items, personal)).toEqual([]);
    expect(itemsMentioning(items, [zhangSan.email]).length).toBeGreaterThan(0);

    // Facts and times stay: the request is there, cancelled with why, its customer nobody.
    const openNow = (await runtime.api('GET', `/v1/requests/${open}`)).body;
    expect(openNow.status).toBe('cancelled');
    expect(openNow.customer.name).toBe('[erased]');
    const servedNow = (await runtime.api('GET', `/v1/requests/${served}`)).body;
    expect(servedNow.receivedAt).toBe('2026-03-02T01:00:00.000Z');
    expect(servedNow.survey.answer.serviceScore).toBe(2);
    expect(servedNow.serviceRecord.workDone).toBe(
      'Replaced the bearing; [erased] was shown how to clean the filter',
    );

    // Every execution of hers has ended; nothing is left waiting.
    await runtime.advance(60);
    for (const id of [open, complaint])
      expect((await executionsOf(id)).map((e) => e.status)).not.toContain('RUNNING');

    const statementAfter = (
      await runtime.api('GET', '/v1/contracts/gwh/statement?from=2026-03-01&to=2026-03-31')
    ).body;
    expect((statementBefore as { lines: unknown[] }).lines.length).toBeGreaterThanOrEqual(2);
    expect(statementAfter).toEqual(statementBefore);

    // Days later: not one more email to her (the complaint would have been answered to her).
    await runtime.advance(7 * 86_400);
    const mailAfter = (await runtime.mailbox()).slice(mailBefore);
    expect(mailAfter.filter((m) => m.destination.to.some((to) => /sun\.mei|erased/i.test(to)))).toEqual([]);
  });

  it('is idempotent: a second erasure finds nothing, the export is empty, both are on the trail', async () => {
    const again = await runtime.api('POST', '/v1/customer-data/erase', {
      email: sunMei.email,
      reason: 'again',
    });
    expect(again.body).toEqual({ subjects: [], lifecyclesEnded: [] });
    const exported = await runtime.api('POST', '/v1/customer-data/export', { email: sunMei.email });
    expect(exported.body.requests).toEqual([]);
    expect(exported.body.feedbackCases).toEqual([]);
    const days = ['2026-03-02', runtime.clock.now().toISOString().slice(0, 10)];
    const operations = (
      await Promise.all(days.map((date) => runtime.api('GET', `/v1/access-trail?date=${date}&limit=200`)))
    ).flatMap((page) => page.body.items.map((e: { operation: string; actor: string }) => e.operation));
    expect(operations.filter((o) => o === 'eraseCustomer')).toHaveLength(2);
  });

  it('is for admins to erase and managers to export; a malformed address is a 422 that changes nothing', async () => {
    const agent = await runtime.api('POST', '/v1/api-keys', { role: 'agent' });
    const manager = await runtime.api('POST', '/v1/api-keys', { role: 'manager' });
    const body = { email: zhangSan.email, reason: 'x' };
    expect(
      (
        await runtime.api(
          'POST',
          '/v1/customer-data/export',
          { email: zhangSan.email },
          { apiKey: agent.body.apiKey },
        )
      ).status,
    ).toBe(403);
    expect(
      (await runtime.api('POST', '/v1/customer-data/erase', body, { apiKey: manager.body.apiKey })).status,
    ).toBe(403);
    const bad = await runtime.api('POST', '/v1/customer-data/erase', {
      email: 'not an address',
      reason: 'x',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.email).toBeDefined();
    expect(itemsMentioning(await everyItem(runtime), [zhangSan.email]).length).toBeGreaterThan(0);
  });
});

describe('anonymizing an item a burst changed meanwhile (#34)', () => {
  it('writes only what anonymizing changed: a park’s removal of the watch, made after the read, stands', async () => {
    const tenantId = runtime.demo.tenantId;
    const key = keys.request(tenantId, 'sr_erasure_race');
    const watch = {
      gsi3pk: keys.watch(tenantId),
      gsi3sk: '2026-03-02T03:00:00.000Z#request#sr_erasure_race',
    };
    await putItem({
      ...key,
      status: 'cancelled',
      customer: sunMei,
      description: 'The heater clicks',
      timeline: [{ type: 'cancelled' }],
      wakeUp: 'w1',
      ...watch,
    });
    const [read] = await getItems<StoredItem>([key]);
    // The cancel's burst parks as ended between the erasure's read and its write: no timeline
    // event, the status unchanged, the wake-up and watch entry removed.
    await updateIf(key, { UpdateExpression: 'REMOVE wakeUp, gsi3pk, gsi3sk' });
    const anonymized = { ...read!, customer: { name: '[erased]', email: 'erased-1@erased.invalid' } };
    delete (anonymized as Record<string, unknown>).description;

    expect(await replaceItem(anonymized, read!)).toBe(true);
    const [after] = await getItems<StoredItem>([key]);
    expect(after).toMatchObject({ status: 'cancelled', customer: { name: '[erased]' } });
    expect(after).not.toHaveProperty('description');
    expect(after).not.toHaveProperty('gsi3sk');
    expect(after).not.toHaveProperty('wakeUp');
    // Nothing left in the due-time index for the reconciler to restart.
    expect((await allWatches(tenantId)).map((w) => w.id)).not.toContain('sr_erasure_race');

    // A step with a timeline event meanwhile: not written (the erasure reads again).
    await updateIf(key, {
      UpdateExpression: 'SET timeline = list_append(timeline, :e)',
      ExpressionAttributeValues: { ':e': [{ type: 'note' }] },
    });
    expect(await replaceItem({ ...after!, customer: { name: 'x', email: 'x@erased.invalid' } }, after!)).toBe(
      false,
    );
  });
});
