import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequest } from '#functions/adapters/requests.ts';
import { emailsAbout, repairRequest } from '#local/driver/lifecycle.ts';
import { createOtherTenant, send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let runtime: TestRuntime;
let otherTenantKey: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  otherTenantKey = await createOtherTenant('other-shop', { language: 'en' });
});
afterAll(async () => {
  await runtime.dispose();
});

describe('requests API', () => {
  it('rejects bad input with the field errors and stores nothing', async () => {
    const malformed = await runtime.api('POST', '/v1/requests', '{"kind": "repair",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('MalformedJson');

    const invalid = await runtime.api(
      'POST',
      '/v1/requests',
      repairRequest({ kind: 'teleport', customer: { name: '', email: 'nope' } }),
    );
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.error.fields).sort()).toEqual([
      'customer.email',
      'customer.name',
      'kind',
    ]);

    const listed = await runtime.api('GET', '/v1/requests');
    expect(listed.body.items).toEqual([]);
  });

  it('lists requests by status, oldest first', async () => {
    const first = (await runtime.api('POST', '/v1/requests', repairRequest())).body.requestId;
    await runtime.advance(60);
    const second = (await runtime.api('POST', '/v1/requests', repairRequest())).body.requestId;
    await runtime.api('POST', `/v1/requests/${second}/acknowledge`);

    const received = await runtime.api('GET', '/v1/requests?status=received');
    expect(received.body.items.map((r: { requestId: string }) => r.requestId)).toEqual([first]);
    const open = await runtime.api('GET', '/v1/requests');
    expect(open.body.items.map((r: { requestId: string }) => r.requestId)).toEqual([first, second]);
    expect((await runtime.api('GET', '/v1/requests?status=lost')).status).toBe(422);
  });

  it('answers 404 for every route on another tenant’s request, and changes nothing', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    const asOther = { apiKey: otherTenantKey };
    expect((await runtime.api('GET', `/v1/requests/${requestId}`, undefined, asOther)).status).toBe(404);
    for (const [action, body] of [
      ['acknowledge', undefined],
      ['dispatch', { technicianId: 'tech-wang', mode: 'remote' }],
      [
        'complete',
        {
          workDone: 'x',
          startedAt: '2026-03-02T01:00:00Z',
          endedAt: '2026-03-02T02:00:00Z',
          restoredToNormalUse: true,
        },
      ],
      ['cancel', { reason: 'x' }],
    ] as const) {
      const response = await runtime.api('POST', `/v1/requests/${requestId}/${action}`, body, asOther);
      expect(response.status, action).toBe(404);
    }
    expect((await runtime.api('GET', '/v1/requests', undefined, asOther)).body.items).toEqual([]);
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('received');
  });

  it('writes to the customer in English when the customer asks for it', async () => {
    const { requestId } = (
      await runtime.api(
        'POST',
        '/v1/requests',
        repairRequest({ customer: { name: 'Ann Lee', email: 'ann@customer.example', language: 'en' } }),
      )
    ).body;
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    const [confirmation] = emailsAbout(await runtime.mailbox(), requestId);
    expect(confirmation!.subject).toBe(
      `Demo Electronics Co., Ltd.: your service request ${requestId} is confirmed`,
    );
    expect(confirmation!.body.html).toContain('<html lang="en"><head><meta charset="utf-8">');
    expect(confirmation!.body.text).toContain('Hello Ann Lee');
  });

  it('tells a customer whose need was confirmed that the request is cancelled, and confirms nothing once it is', async () => {
    const subjectsAbout = async (requestId: string) =>
      emailsAbout(await runtime.mailbox(), requestId).map((email) => email.subject.split('：')[1]);
    const told = (await runtime.api('POST', '/v1/requests', repairRequest())).body.requestId;
    await runtime.api('POST', `/v1/requests/${told}/acknowledge`);
    expect((await runtime.api('POST', `/v1/requests/${told}/cancel`, { reason: 'Duplicate' })).status).toBe(
      200,
    );
    await runtime.settled();
    expect(await subjectsAbout(told)).toEqual([`您的服务请求 ${told} 已受理`, `您的服务请求 ${told} 已取消`]);
    const events = (await runtime.api('GET', `/v1/requests/${told}`)).body.timeline.map(
      (event: { type: string }) => event.type,
    );
    expect(events.filter((type: string) => type === 'customer_told_of_cancellation')).toHaveLength(1);

    const untold = (await runtime.api('POST', '/v1/requests', repairRequest())).body.requestId;
    await runtime.api('POST', `/v1/requests/${untold}/cancel`, { reason: 'Entered by mistake' });
    const late = await runtime.api('POST', `/v1/requests/${untold}/acknowledge`);
    expect(late.status).toBe(409);
    await runtime.settled();
    expect(await subjectsAbout(untold)).toEqual([]);
  });

  it('never leaves a customer told “confirmed” about a request cancelled at the same moment', async () => {
    const requestIds: string[] = [];
    for (let i = 0; i < 5; i++)
      requestIds.push((await runtime.api('POST', '/v1/requests', repairRequest())).body.requestId);
    // Sent as a client sends them, side by side: runtime.api() would wait after each for the
    // whole system to go quiet, and a burst that met the confirmation being sent by the
    // acknowledgement retries it a few seconds later (the mailer's claim; it then finds it
    // sent), which a standing virtual clock holds for ever. Time moves on for that retry.
    const post = (path: string, body?: unknown) =>
      send(`${runtime.urls.api}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runtime.demo.apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const answers = await Promise.all(
      requestIds.flatMap((requestId) => [
        post(`/v1/requests/${requestId}/acknowledge`),
        post(`/v1/requests/${requestId}/cancel`, { reason: 'Customer withdrew' }),
      ]),
    );
    // Each pair: both may succeed (the cancel then tells the customer), or the later one is refused.
    expect(answers.every((answer) => [200, 409].includes(answer.status))).toBe(true);
    await runtime.advance(60);
    const mailbox = await runtime.mailbox();
    for (const requestId of requestIds) {
      const subjects = emailsAbout(mailbox, requestId).map((email) => email.subject);
      const confirmed = subjects.filter((subject) => subject.endsWith('已受理')).length;
      const cancelled = subjects.filter((subject) => subject.endsWith('已取消')).length;
      // Each email at most once, and never "confirmed" without "cancelled" after it.
      expect({ requestId, confirmed, cancelled, confirmedOnly: confirmed > cancelled }).toEqual({
        requestId,
        confirmed: Math.min(confirmed, 1),
        cancelled: Math.min(cancelled, 1),
        confirmedOnly: false,
      });
    }
  });

  it('refuses to complete a request that was never acknowledged, and keeps a completed record immutable', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    const report = {
      workDone: 'Fixed',
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      endedAt: new Date(Date.now()).toISOString(),
      restoredToNormalUse: true,
      staffIds: ['tech-wang'],
    };
    expect((await runtime.api('POST', `/v1/requests/${requestId}/complete`, report)).status).toBe(409);
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    const completed = await runtime.api('POST', `/v1/requests/${requestId}/complete`, report);
    expect(completed.status).toBe(200);
    const again = await runtime.api('POST', `/v1/requests/${requestId}/complete`, {
      ...report,
      workDone: 'Something else',
    });
    expect(again.status).toBe(409);
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.serviceRecord.workDone).toBe('Fixed');
  });

  it('refuses a service record that claims work in the future, or that ends before it starts', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    const at = (minutesFromNow: number) => new Date(Date.now() + minutesFromNow * 60_000).toISOString();
    const report = { workDone: 'Fixed', restoredToNormalUse: true, staffIds: ['tech-wang'] };
    const future = await runtime.api('POST', `/v1/requests/${requestId}/complete`, {
      ...report,
      startedAt: at(-30),
      endedAt: at(60),
    });
    expect(future.status).toBe(422);
    expect(future.body.error.fields).toEqual({ endedAt: ['must not be in the future'] });
    const backwards = await runtime.api('POST', `/v1/requests/${requestId}/complete`, {
      ...report,
      startedAt: at(-10),
      endedAt: at(-20),
    });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.fields.endedAt).toEqual(['endedAt must not be before startedAt']);
    // A few minutes of clock skew (a technician's phone) is tolerated.
    const skewed = await runtime.api('POST', `/v1/requests/${requestId}/complete`, {
      ...report,
      startedAt: at(-30),
      endedAt: at(3),
    });
    expect(skewed.status).toBe(200);
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('completed');
  });

  it('keeps a request item bounded however often it changes, and still shows its whole timeline', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    const dispatches = 170;
    for (let i = 0; i < dispatches; i++) {
      const dispatched = await runtime.api('POST', `/v1/requests/${requestId}/dispatch`, {
        technicianId: 'tech-wang',
        mode: i % 2 === 0 ? 'on_site' : 'remote',
      });
      expect(dispatched.status).toBe(200);
    }
    // The item itself (what every conditional write rewrites) holds at most 100 events.
    const stored = await getRequest('demo', requestId);
    expect(stored!.timeline.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(stored).length).toBeLessThan(100_000);
    // The API shows every event once, in order.
    const timeline = (await runtime.api('GET', `/v1/requests/${requestId}`)).body.timeline as {
      type: string;
      details?: { mode?: string };
    }[];
    expect(timeline.map((e) => e.type)).toEqual([
      'received',
      'acknowledged',
      'need_confirmed_with_customer',
      ...Array(dispatches).fill('dispatched'),
    ]);
    expect(timeline.filter((e) => e.type === 'dispatched').map((e) => e.details?.mode)).toEqual(
      Array.from({ length: dispatches }, (_, i) => (i % 2 === 0 ? 'on_site' : 'remote')),
    );
  }, 120_000);

  it('makes one request of a staff entry retried with the same Idempotency-Key, and refuses the key for another', async () => {
    const headers = { 'idempotency-key': `phone-call-${Date.now()}` };
    const body = repairRequest({ description: 'Retried after a timeout' });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => runtime.api('POST', '/v1/requests', body, { headers })),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(answers.map((a) => a.body.requestId));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    const listed = (await runtime.api('GET', '/v1/requests?limit=100')).body.items.filter(
      (r: { description: string }) => r.description === 'Retried after a timeout',
    );
    expect(listed).toHaveLength(1);

    const reused = await runtime.api(
      'POST',
      '/v1/requests',
      repairRequest({ description: 'Something else' }),
      {
        headers,
      },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IdempotencyKeyReused');
    const badKey = await runtime.api('POST', '/v1/requests', body, { headers: { 'idempotency-key': 'a b' } });
    expect(badKey.status).toBe(422);
  });
});

describe('the worklist, served (#37)', () => {
  it('lists open requests soonest deadline first, filters them on the server, pages without loss, and counts the views', async () => {
    const apiKey = await createOtherTenant('worklist-shop');
    const as = { apiKey };
    const create = async (overrides: Record<string, unknown>) => {
      const created = await runtime.api('POST', '/v1/requests', repairRequest(overrides), as);
      expect(created.status).toBe(201);
      return created.body.requestId as string;
    };
    const ids = (answer: { body: { items: { requestId: string }[] } }) =>
      answer.body.items.map((r) => r.requestId);
    const list = (query = '') => runtime.api('GET', `/v1/requests${query}`, undefined, as);

    // A consultation answered (its completion due in 24 h), a repair not yet answered (response in
    // 2 h), a repair answered and dispatched (completion in 72 h), a return by web form not answered.
    const consultation = await create({ kind: 'consultation', orderReference: 'W-77' });
    expect(
      (await runtime.api('POST', `/v1/requests/${consultation}/acknowledge`, undefined, as)).status,
    ).toBe(200);
    const repair = await create({});
    await runtime.advance(60);
    const dispatched = await create({});
    expect((await runtime.api('POST', `/v1/requests/${dispatched}/acknowledge`, undefined, as)).status).toBe(
      200,
    );
    const sent = await runtime.api(
      'POST',
      `/v1/requests/${dispatched}/dispatch`,
      { technicianId: 'tech-wang', mode: 'on_site' },
      as,
    );
    expect(sent.status).toBe(200);
    const webReturn = await create({ kind: 'return', channel: 'web_form' });

    // Soonest deadline first, whatever the status: the promise each waits on decides.
    expect(ids(await list())).toEqual([repair, webReturn, consultation, dispatched]);
    expect(ids(await list('?kind=repair'))).toEqual([repair, dispatched]);
    expect(ids(await list('?channel=web_form'))).toEqual([webReturn]);
    expect(ids(await list('?assignee=tech-wang'))).toEqual([dispatched]);
    expect(ids(await list('?assignee=none'))).toEqual([repair, webReturn, consultation]);
    expect(ids(await list('?q=W-77'))).toEqual([consultation]);
    expect(ids(await list('?status=acknowledged'))).toEqual([consultation]);

    // Three hours on: the two not answered are past their response.
    await runtime.advance(3 * 3600);
    expect(ids(await list('?breached=true'))).toEqual([repair, webReturn]);
    expect(ids(await list('?breached=true&kind=return'))).toEqual([webReturn]);
    const dayAfter = new Date(runtime.clock.now().getTime() + 86_400_000).toISOString();
    expect(ids(await list(`?dueBefore=${encodeURIComponent(dayAfter)}`))).toEqual([
      repair,
      webReturn,
      consultation,
    ]);

    // A page at a time, filtered or not: each request once, in order.
    for (const query of ['', '&assignee=none', '&kind=repair']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await list(`?limit=1${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...ids(page));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(ids(await list(query ? `?${query.slice(1)}` : '')));
    }

    // A request indexed by its receipt, as before this order existed (a deployment upgraded in
    // place): its completion is days away, yet it would read as breached; the daily run's
    // re-index moves it to its deadline's place.
    const { keys, updateIf } = await import('#functions/adapters/table.ts');
    const { reindexOpenRequests } = await import('#functions/adapters/requests.ts');
    const stored = await getRequest('worklist-shop', consultation);
    await updateIf(keys.request('worklist-shop', consultation), {
      UpdateExpression: 'SET gsi1sk = :old',
      ExpressionAttributeValues: { ':old': `${stored!.receivedAt}#${consultation}` },
    });
    expect(ids(await list('?breached=true'))).toContain(consultation);
    expect(await reindexOpenRequests('worklist-shop')).toBe(1);
    expect(ids(await list('?breached=true'))).toEqual([repair, webReturn]);
    expect(await reindexOpenRequests('worklist-shop')).toBe(0);

    const counts = await runtime.api('GET', '/v1/worklist/counts', undefined, as);
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({
      open: 4,
      byStatus: { received: 2, acknowledged: 1, dispatched: 1 },
      breached: 2,
      unassigned: 3,
    });
    // An API key is no one: it has no "mine".
    expect(counts.body.mine).toBeUndefined();
    expect((await list('?status=closed&breached=true')).status).toBe(422);
    expect((await list('?assignee=a%20b')).status).toBe(422);
  });
});

describe('assignment (#37)', () => {
  it('gives a request to a colleague who can do it, asks why when it is taken from someone, and tells each once', async () => {
    const requestId = (await runtime.api('POST', '/v1/requests', repairRequest())).body.requestId as string;
    const assign = (body: Record<string, unknown>) =>
      runtime.api('POST', `/v1/requests/${requestId}/assign`, body);
    const mailTo = async (address: string) =>
      emailsAbout(await runtime.mailbox(), requestId).filter((e) => e.destination.to.includes(address));

    // A technician without the skill a repair needs: refused, with why.
    const unskilled = await assign({ staffId: 'tech-zhao' });
    expect(unskilled.status).toBe(422);
    expect(unskilled.body.error.fields.staffId[0]).toMatch(/lacks required skill "repair"/);
    expect((await assign({ staffId: 'nobody' })).status).toBe(422);

    const toWang = await assign({ staffId: 'tech-wang' });
    expect(toWang.status).toBe(200);
    expect(toWang.body.assigneeId).toBe('tech-wang');
    expect((await mailTo('wang.wei@demo.example')).map((e) => e.subject)).toEqual([
      expect.stringContaining(`分配给了您`),
    ]);
    // The same assignment again: nothing new, no second email.
    expect((await assign({ staffId: 'tech-wang' })).status).toBe(200);
    expect(await mailTo('wang.wei@demo.example')).toHaveLength(1);

    // Taken from the colleague who holds it: only with a reason, which is kept and sent.
    const noReason = await assign({ staffId: 'lead-chen' });
    expect(noReason.status).toBe(422);
    expect(Object.keys(noReason.body.error.fields)).toEqual(['reason']);
    const toChen = await assign({ staffId: 'lead-chen', reason: 'Wang is on leave this week' });
    expect(toChen.status).toBe(200);
    const event = toChen.body.timeline.findLast((e: { type: string }) => e.type === 'assigned');
    expect(event.details).toEqual({
      to: 'lead-chen',
      from: 'tech-wang',
      reason: 'Wang is on leave this week',
    });
    const toLead = await mailTo('team-lead@demo.example');
    expect(toLead.filter((e) => e.body.text?.includes('Wang is on leave this week'))).toHaveLength(1);

    // Dispatched: the technician is told the appointment and the customer, once.
    expect((await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`)).status).toBe(200);
    const dispatched = await runtime.api('POST', `/v1/requests/${requestId}/dispatch`, {
      technicianId: 'tech-wang',
      mode: 'on_site',
      scheduledFor: '2026-03-03T02:00:00.000Z',
    });
    expect(dispatched.status).toBe(200);
    const told = (await mailTo('wang.wei@demo.example')).filter((e) => e.subject.startsWith('派工'));
    expect(told).toHaveLength(1);
    expect(told[0]!.body.text).toContain('上门');
    expect(told[0]!.body.text).toContain('10:00');
    expect(told[0]!.body.text).toContain('Zhang San');

    // Not open any more: nothing to assign.
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'Customer withdrew' });
    expect((await assign({ staffId: 'tech-wang' })).status).toBe(409);
  });
});

describe('a customer’s history (#37)', () => {
  it('shows every request and case of one customer, open and ended, newest first, and no one else’s', async () => {
    const customer = { name: 'Lin Yu', email: 'Lin.Yu@customer.example', phone: '+86 135 0000 0001' };
    const first = (await runtime.api('POST', '/v1/requests', repairRequest({ customer }))).body.requestId;
    await runtime.api('POST', `/v1/requests/${first}/cancel`, { reason: 'Solved by phone' });
    await runtime.advance(60);
    const second = (await runtime.api('POST', '/v1/requests', repairRequest({ customer, kind: 'return' })))
      .body.requestId;
    const complaint = await runtime.api('POST', '/v1/feedback', {
      category: 'complaint',
      customer,
      content: 'Nobody called back.',
      requestId: second,
    });
    expect(complaint.status).toBe(201);
    await runtime.api(
      'POST',
      '/v1/requests',
      repairRequest({ customer: { name: 'Other', email: 'other@customer.example' } }),
    );

    const history = await runtime.api(
      'GET',
      `/v1/customers/${encodeURIComponent('lin.yu@customer.example')}`,
    );
    expect(history.status).toBe(200);
    expect(history.body.customer).toMatchObject({ name: 'Lin Yu', phone: '+86 135 0000 0001' });
    expect(
      history.body.requests.map((r: { requestId: string; status: string }) => [r.requestId, r.status]),
    ).toEqual([
      [second, 'received'],
      [first, 'cancelled'],
    ]);
    expect(history.body.feedbackCases.map((f: { feedbackId: string }) => f.feedbackId)).toEqual([
      complaint.body.feedbackId,
    ]);
    // Nothing held about an address: no such customer.
    expect((await runtime.api('GET', '/v1/customers/nobody%40customer.example')).status).toBe(404);
    // Not an address: no such customer (path parameters that do not fit are not found).
    expect((await runtime.api('GET', '/v1/customers/not-an-address')).status).toBe(404);
  });
});
