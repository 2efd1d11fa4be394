import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachesOfContract } from '#functions/adapters/breaches.ts';
import { contractTerms, repairRequest } from '#local/driver/lifecycle.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Clause 10.1.1 from outside: breaches the lifecycle recorded become a statement of what the
 * customer may claim, priced by the version in force when each request came in, and a closed
 * month's statement stays as it was whatever happens later. Time starts Mon 2 March 2026, 09:00
 * in Shanghai; the contract's total is 500,000.00 CNY.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

const HOUR = 3600;
const confirm = async (version: number) => {
  for (const party of ['provider', 'customer'])
    expect(
      (
        await runtime.api('POST', `/v1/contracts/gwh/versions/${version}/confirm`, {
          party,
          ...(party === 'customer' ? { evidence: `signed copy, version ${version}` } : {}),
        })
      ).status,
    ).toBe(200);
};
const lateRequest = async () => {
  const created = await runtime.api('POST', '/v1/requests', repairRequest({ contractId: 'gwh' }));
  expect(created.status).toBe(201);
  await runtime.advance(2 * HOUR + 60); // the 2-hour response promise is missed by a minute
  return created.body.requestId as string;
};
const statement = (query: string) => runtime.api('GET', `/v1/contracts/gwh/statement?${query}`);

describe('the damages statement of a contract (10.1.1)', () => {
  it('prices each breach by the version in force at receipt, with its evidence, and never changes once the month is over', async () => {
    const created = await runtime.api('POST', '/v1/contracts', {
      contractId: 'gwh',
      terms: { ...contractTerms(2), liquidatedDamagesRatePercent: 0.5 },
    });
    expect(created.status).toBe(201);
    await confirm(1);
    // 10.1.2: half the total due on 10 March, paid three days late (0.05 % per late payment).
    const schedule = await runtime.api('PUT', '/v1/contracts/gwh/payment-schedule', {
      installments: [
        { dueDate: '2026-03-10', amount: '250000.00', label: '首期款' },
        { dueDate: '2026-09-10', amount: '250000.00', label: '尾款' },
      ],
    });
    expect(schedule.status).toBe(200);
    const payment = { paidOn: '2026-03-13', amount: '250000.00', reference: 'BANK-0313-001' };
    expect((await runtime.api('POST', '/v1/contracts/gwh/payments', payment)).status).toBe(201);
    // Recorded again (a retry, a double click): the same payment, once.
    expect((await runtime.api('POST', '/v1/contracts/gwh/payments', payment)).status).toBe(200);
    expect(
      (await runtime.api('POST', '/v1/contracts/gwh/payments', { ...payment, amount: '1.00' })).status,
    ).toBe(409);
    expect(
      (
        await runtime.api('POST', '/v1/contracts/gwh/payments', {
          ...payment,
          reference: 'X',
          amount: '1.001',
        })
      ).status,
    ).toBe(422);

    const first = await lateRequest();
    expect((await runtime.api('POST', `/v1/requests/${first}/acknowledge`)).status).toBe(200);
    // An amendment raises the rate to 0.8 %; requests received from now on are judged by it.
    await runtime.api('POST', '/v1/contracts/gwh/versions', {
      terms: { ...contractTerms(2), liquidatedDamagesRatePercent: 0.8 },
    });
    await confirm(2);
    const second = await lateRequest();

    // Into April: the March statement is settled a day after the month ends.
    await runtime.advance((Date.parse('2026-04-02T00:00:00.000Z') - Date.now()) / 1000);
    const march = await statement('from=2026-03-01&to=2026-03-31');
    expect(march.status).toBe(200);
    expect(march.body).toMatchObject({
      contractNumber: 'HT-2026-018',
      currency: 'CNY',
      counting: 'per_breach',
      final: true,
      // Each request missed its response and, never completed, its 72-hour completion:
      // 2 × 500,000.00 × 0.5 % + 2 × 500,000.00 × 0.8 %.
      damagesTotal: '13000.00',
    });
    expect(
      march.body.lines.map((l: Record<string, unknown>) => [
        l.subjectId,
        l.promise,
        l.contractVersion,
        l.damages,
      ]),
    ).toEqual([
      [first, 'response', 1, '2500.00'],
      [second, 'response', 2, '4000.00'],
      [first, 'completion', 1, '2500.00'],
      [second, 'completion', 2, '4000.00'],
    ]);
    expect(march.body.payments).toMatchObject({
      counting: 'per_payment',
      installments: [
        {
          dueDate: '2026-03-10',
          label: '首期款',
          paid: '250000.00',
          paidInFullOn: '2026-03-13',
          daysLate: 3,
          lateFee: '125.00',
        },
      ],
      totals: { due: '250000.00', paid: '250000.00', overdue: '0.00', lateFees: '125.00' },
    });
    // Each breach carries the version its request was received under: the statement needs no
    // request to price it.
    const ledger = await breachesOfContract(runtime.demo.tenantId, 'gwh', '2026-04-01T00:00:00.000Z');
    expect(
      ledger.map((b) => [b.requestId === first ? 'first' : 'second', b.promise, b.contractVersion]).sort(),
    ).toEqual([
      ['first', 'completion', 1],
      ['first', 'response', 1],
      ['second', 'completion', 2],
      ['second', 'response', 2],
    ]);
    const [kept, open] = march.body.lines;
    expect(kept.metAt).toBeDefined();
    expect(kept.minutesLate).toBeGreaterThanOrEqual(1);
    expect(open.metAt).toBeUndefined();

    // April: the second request is acknowledged at last, and a new breach happens.
    expect((await runtime.api('POST', `/v1/requests/${second}/acknowledge`)).status).toBe(200);
    await lateRequest();
    expect((await statement('from=2026-03-01&to=2026-03-31')).body).toEqual(march.body);
    const april = (await statement('from=2026-04-01&to=2026-04-30')).body;
    expect(april).toMatchObject({ final: false, damagesTotal: '4000.00', claimedBefore: '13000.00' });

    const printed = await send(
      `${runtime.urls.api}/v1/contracts/gwh/statement?from=2026-03-01&to=2026-03-31&format=html`,
      { method: 'GET', headers: { authorization: `Bearer ${runtime.demo.apiKey}` } },
    );
    expect(printed.headers['content-type']).toMatch(/^text\/html/);
    expect(printed.text).toContain('<html lang="zh-CN"');
    expect(printed.text).toContain('本期违约金合计：<strong>13000.00 CNY</strong>');
    expect(printed.text).toContain('滞纳金合计 <strong>125.00 CNY</strong>');
    expect(printed.text).toContain('已结算，金额不再变动');

    const csv = await send(
      `${runtime.urls.api}/v1/contracts/gwh/statement?from=2026-03-01&to=2026-03-31&format=csv`,
      {
        method: 'GET',
        headers: { authorization: `Bearer ${runtime.demo.apiKey}` },
      },
    );
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    // Two RFC 4180 tables (CRLF), a blank line between.
    const [breaches, payments] = csv.text
      .trimEnd()
      .split('\r\n\r\n')
      .map((table) => table.split('\r\n'));
    expect(breaches![0]).toBe(
      'subject,promise,deadline,met_at,minutes_late,contract_version,rate_percent,damages,currency,note',
    );
    expect(breaches).toHaveLength(1 + 4 + 1);
    expect(breaches!.at(-1)).toBe('total,,,,,,,13000.00,CNY,final');
    expect(payments).toEqual([
      'due_date,label,amount,paid,outstanding,paid_in_full_on,days_late,late_fee,currency',
      '2026-03-10,首期款,250000.00,250000.00,0.00,2026-03-13,3,125.00,CNY',
      'total,,250000.00,250000.00,0.00,,,125.00,CNY',
    ]);
  });

  // Half a year on the virtual clock, with the first test's breached requests reminding the top
  // of the ladder every working morning: ~20 s alone, more on a busy 2-core CI.
  it('reminds the customer three working days before a payment falls due, and once it is late', {
    timeout: 90_000,
  }, async () => {
    const toCustomer = async (dueDate = '2026-09-10') =>
      (await runtime.mailbox())
        .filter((e) => e.destination.to.includes('procurement@gwh.example') && e.subject.includes(dueDate))
        .map((e) => e.subject);
    // The first half, due 10 March, was paid on the 13th: reminded before, and told it was late.
    expect(await toCustomer('2026-03-10')).toEqual([
      '【合同 HT-2026-018】付款提醒：250000.00 CNY 将于 2026-03-10 到期',
      '【合同 HT-2026-018】付款逾期：250000.00 CNY 已于 2026-03-10 到期',
    ]);
    const advanceTo = (instant: string) => runtime.advance((Date.parse(instant) - Date.now()) / 1000);
    // The second half is due Thu 10 September; Mon 7, Tue 8 and Wed 9 are the working days before.
    await advanceTo('2026-09-06T12:00:00.000Z');
    expect(await toCustomer()).toEqual([]);
    await advanceTo('2026-09-07T12:00:00.000Z');
    expect(await toCustomer()).toEqual(['【合同 HT-2026-018】付款提醒：250000.00 CNY 将于 2026-09-10 到期']);
    // Overdue from Friday 11th, once, with the fee so far; then paid, nothing more.
    await advanceTo('2026-09-12T12:00:00.000Z');
    const subjects = await toCustomer();
    expect(subjects).toHaveLength(2);
    expect(subjects[1]).toBe('【合同 HT-2026-018】付款逾期：250000.00 CNY 已于 2026-09-10 到期');
    const overdue = (await runtime.mailbox()).find((e) => e.subject === subjects[1])!;
    expect(overdue.body.text).toContain('截至今日滞纳金: 125.00 CNY');
    await runtime.api('POST', '/v1/contracts/gwh/payments', {
      paidOn: '2026-09-14',
      amount: '250000.00',
      reference: 'BANK-0914-007',
    });
    await advanceTo('2026-09-20T12:00:00.000Z');
    expect(await toCustomer()).toHaveLength(2);
  });

  it('answers 404 for a contract never in force, and 422 for a period it cannot be', async () => {
    expect(
      (await runtime.api('GET', '/v1/contracts/nope/statement?from=2026-03-01&to=2026-03-31')).status,
    ).toBe(404);
    expect((await statement('from=2026-03-31&to=2026-03-01')).status).toBe(422);
  });
});
