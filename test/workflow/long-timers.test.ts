import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestKinds } from '#domain/service-request.ts';
import { demoSettings } from '#local/demo-tenant.ts';
import { emailsAbout, lifecycleTransitions, recipients, repairRequest } from '#local/driver/lifecycle.ts';
import { createOtherTenant, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The terms at the schema's maxima: a 720-hour response, 8,760-hour completion, 60 working days
 * for feedback, a ladder whose top waits 30 days. Every wait is longer than Node's timer limit
 * (24.8 days), which once made a lifecycle loop 3,003 times in one virtual second.
 */
let runtime: TestRuntime;
let apiKey: string;
const DAY = 86_400;

beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
  apiKey = await createOtherTenant('slow-shop', {
    defaultTerms: {
      responseHours: 720,
      completionHours: Object.fromEntries(requestKinds.map((kind) => [kind, 8760])) as never,
      feedbackWorkingDays: 60,
      warrantyMonths: 120,
    },
    escalationLadder: {
      levels: [
        { name: 'Team lead', recipients: ['lead@slow.example'], delayMinutes: 0 },
        { name: 'Director', recipients: ['director@slow.example'], delayMinutes: 60 * 24 * 30 },
      ],
    },
    staff: demoSettings.staff.filter((s) => s.roles.includes('technician')),
  });
});
afterAll(async () => {
  await runtime.dispose();
});

const transitions = (workflow: 'serviceRequest' | 'feedbackCase', id: string) =>
  lifecycleTransitions(runtime, id, workflow);

describe('deadlines longer than a timer can hold', () => {
  it('escalates a 720-hour response the second it passes, and the 30-day level 30 days later, without looping', async () => {
    const created = await runtime.api('POST', '/v1/requests', repairRequest(), { apiKey });
    expect(created.status).toBe(201);
    const { requestId } = created.body;
    await runtime.advance(1);
    // Claim, route, park: nothing fired early.
    expect(await transitions('serviceRequest', requestId)).toBe(3);

    await runtime.advance(720 * 3600 - 1);
    expect(emailsAbout(await runtime.mailbox(), requestId)).toEqual([]);
    await runtime.advance(1);
    expect(recipients(emailsAbout(await runtime.mailbox(), requestId))).toEqual(['lead@slow.example']);

    await runtime.advance(30 * DAY);
    expect(recipients(emailsAbout(await runtime.mailbox(), requestId))).toEqual([
      'lead@slow.example',
      'director@slow.example',
    ]);
    // 60 days: a wake-up each week at most (3 transitions each), one escalation step each.
    expect(await transitions('serviceRequest', requestId)).toBeLessThan(60);
  });

  it('escalates feedback due in 60 working days on its day, not at once', async () => {
    const created = await runtime.api(
      'POST',
      '/v1/feedback',
      {
        category: 'complaint',
        customer: { name: 'Ma Lin', email: 'ma.lin@customer.example' },
        content: 'The repair took months',
      },
      { apiKey },
    );
    expect(created.status).toBe(201);
    const { feedbackId, dueAt } = created.body;
    expect((Date.parse(dueAt) - Date.now()) / 1000).toBeGreaterThan(80 * DAY);
    await runtime.advance((Date.parse(dueAt) - Date.now()) / 1000);
    expect(emailsAbout(await runtime.mailbox(), feedbackId)).toEqual([]);
    await runtime.advance(1);
    expect(recipients(emailsAbout(await runtime.mailbox(), feedbackId))).toEqual(['lead@slow.example']);
    expect(await transitions('feedbackCase', feedbackId)).toBeLessThan(60);
  });
});
