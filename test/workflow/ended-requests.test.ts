import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSED_LISTED_DAYS } from '#functions/adapters/requests.ts';
import { capacityConsumed, query } from '#functions/adapters/table.ts';
import { repairRequest } from '#local/driver/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The by-status index holds the open work and the recent past: a request that ended more than
 * CLOSED_LISTED_DAYS ago leaves it (the daily run takes it out), and stays readable by its id.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

const DAY = 86_400;

async function cancelledRequest(reason: string): Promise<string> {
  const created = await runtime.api('POST', '/v1/requests', repairRequest());
  expect(created.status).toBe(201);
  const cancelled = await runtime.api('POST', `/v1/requests/${created.body.requestId}/cancel`, { reason });
  expect(cancelled.body.status).toBe('cancelled');
  return created.body.requestId;
}

const listedCancelled = async () =>
  ((await runtime.api('GET', '/v1/requests?status=cancelled')).body.items as { requestId: string }[]).map(
    (r) => r.requestId,
  );

const indexEntries = async () =>
  (
    await query({
      IndexName: 'byStatus',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `TENANT#${runtime.demo.tenantId}#STATUS#cancelled` },
    })
  ).items.length;

describe('requests that ended long ago', () => {
  it('leave the by-status list after 90 days and stay readable by id', async () => {
    const old = await cancelledRequest('Customer fixed it himself');
    await runtime.advance(60 * DAY);
    const recent = await cancelledRequest('Ordered by mistake');
    expect(await listedCancelled()).toEqual([recent, old]);
    expect(await indexEntries()).toBe(2);

    // Past the old one's 90 days: the next daily run takes it out of the index.
    await runtime.advance((CLOSED_LISTED_DAYS - 60) * DAY + DAY);
    expect(await listedCancelled()).toEqual([recent]);
    expect(await indexEntries()).toBe(1);
    const read = await runtime.api('GET', `/v1/requests/${old}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'cancelled', cancelReason: 'Customer fixed it himself' });

    // Later runs leave the index as it is: nothing more to take out yet.
    const before = capacityConsumed().indexWriteUnits.byStatus ?? 0;
    await runtime.advance(DAY);
    expect(capacityConsumed().indexWriteUnits.byStatus ?? 0).toBe(before);
    expect(await listedCancelled()).toEqual([recent]);
  });
});
