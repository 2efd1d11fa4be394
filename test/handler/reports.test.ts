import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRequest } from '#local/driver/lifecycle.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

async function completedWithAnswer(kind: string, answer?: Record<string, unknown>) {
  const requestId = await completedRequest(runtime, { kind });
  if (answer)
    expect((await runtime.api('POST', `/v1/requests/${requestId}/survey`, answer)).status).toBe(200);
  return requestId;
}

describe('satisfaction report', () => {
  it('reports CSAT, NPS, response rate and feedback handled on time, late or overdue, as JSON and CSV', async () => {
    await completedWithAnswer('repair', { serviceScore: 5, goodsScore: 5, recommendScore: 10 });
    await completedWithAnswer('repair', { serviceScore: 4, goodsScore: 3, recommendScore: 8 });
    const returnId = await completedWithAnswer('return');
    const onTime = (
      await runtime.api('POST', '/v1/feedback', {
        category: 'suggestion',
        customer: { name: 'A', email: 'a@customer.example' },
        content: 'Weekend visits',
      })
    ).body;
    await runtime.api('POST', `/v1/feedback/${onTime.feedbackId}/resolve`, {
      result: 'Done',
      changes: 'Saturday visits from April',
    });
    await runtime.api('POST', '/v1/feedback', {
      category: 'opinion',
      customer: { name: 'B', email: 'b@customer.example' },
      content: 'Slow',
      requestId: returnId,
    });
    await runtime.advance(10 * 86_400);

    const report = await runtime.api('GET', '/v1/reports/satisfaction?from=2026-03-01&to=2026-03-31');
    expect(report.status).toBe(200);
    expect(report.body.rows.find((r: { kind: string }) => r.kind === 'all')).toMatchObject({
      period: '2026-03',
      surveysSent: 3,
      answered: 2,
      responseRate: 66.7,
      csatService: 4.5,
      nps: 50,
      feedbackOpened: 2,
      feedbackOnTime: 1,
      feedbackLate: 0,
      feedbackOverdue: 1,
    });
    // Feedback about a request counts under its kind too; the suggestion about none only under `all`.
    expect(report.body.rows.find((r: { kind: string }) => r.kind === 'return')).toMatchObject({
      surveysSent: 1,
      answered: 0,
      feedbackOpened: 1,
      feedbackOverdue: 1,
    });
    expect(report.body.rows.find((r: { kind: string }) => r.kind === 'repair')).toMatchObject({
      feedbackOpened: 0,
    });
    expect(report.body.changes).toMatchObject([
      { feedbackId: onTime.feedbackId, changes: 'Saturday visits from April' },
    ]);

    const csv = await send(
      `${runtime.urls.api}/v1/reports/satisfaction?from=2026-03-01&to=2026-03-31&format=csv`,
      {
        method: 'GET',
        headers: { authorization: `Bearer ${runtime.demo.apiKey}` },
      },
    );
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toMatch(/^period,kind,surveysSent/);
    expect(csv.text).toContain('2026-03,repair,2,2,100');

    // The promises by month, as JSON and as their own CSV: every request here was answered on
    // time (the helpers acknowledge at once); the late feedback case is a recorded breach.
    const march = report.body.promises.find((p: { period: string }) => p.period === '2026-03');
    expect(march.responseOnTimePercent).toBe(100);
    const promises = await send(
      `${runtime.urls.api}/v1/reports/satisfaction?from=2026-03-01&to=2026-03-31&format=csv&table=promises`,
      { method: 'GET', headers: { authorization: `Bearer ${runtime.demo.apiKey}` } },
    );
    expect(promises.headers['content-type']).toContain('text/csv');
    expect(promises.headers['content-disposition']).toContain('promises-2026-03-01-2026-03-31.csv');
    const [header, row] = promises.text.split('\r\n');
    expect(header).toMatch(/^period,requestsReceived,responseOnTime,/);
    expect(row).toMatch(new RegExp(`^2026-03,${march.requestsReceived},${march.responseOnTime},`));
  });

  it('refuses agents, and reversed or malformed dates', async () => {
    const agent = (await runtime.api('POST', '/v1/api-keys', { role: 'agent' })).body.apiKey;
    expect(
      (
        await runtime.api('GET', '/v1/reports/satisfaction?from=2026-03-01&to=2026-03-31', undefined, {
          apiKey: agent,
        })
      ).status,
    ).toBe(403);
    expect((await runtime.api('GET', '/v1/reports/satisfaction?from=2026-04-01&to=2026-03-01')).status).toBe(
      422,
    );
    expect((await runtime.api('GET', '/v1/reports/satisfaction?from=March')).status).toBe(422);
  });
});
