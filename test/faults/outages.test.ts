import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleHistory } from '#infra/operator/tenants.ts';
import { repairRequest } from '#local/driver/lifecycle.ts';
import { type SentEmail, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { clearFaults, hasLiveLifecycle, injectFault, liveLifecycles, report } from './support.ts';

/**
 * Outages of hours and days (#32, #34), with the reconciler every 5 minutes as deployed: Step
 * Functions refusing or rejecting every start, Scheduler refusing every park, and a lifecycle
 * whose bursts fail for a cause a restart cannot cure. Nothing is ever given up while a promise
 * is open: every escalation due is sent, at most 5 minutes after its due time or the outage's end,
 * and once; every request is watched again when the outage ends.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ reconcileEverySeconds: 300 });
});
afterAll(async () => {
  await runtime.dispose();
});

const MINUTE = 60;
const HOUR = 3600;
const LEVELS = [
  { name: 'Team lead', dueAfter: 2 * HOUR },
  { name: 'Head of service', dueAfter: 4 * HOUR },
];

const escalationsOf = (mail: SentEmail[], requestId: string, level: string) =>
  mail.filter((e) => e.subject.startsWith(`[升级 ${level}]`) && e.subject.includes(requestId));

const timelineOf = async (requestId: string) =>
  (await lifecycleHistory('demo', 'request', requestId)).timeline as { type: string }[];

/**
 * Requests received just before an outage of `hours`; then the outage, and at least half an hour
 * after it (past the first deadline). Every level of the ladder due by then must have gone out
 * once, at most 5 minutes after the later of its due time and the outage's end; within the hour
 * after it, every request has its lifecycle parked again (a wake-up) or running.
 */
async function throughAnOutage(fault: Record<string, unknown>, hours: number) {
  const requestIds: string[] = [];
  for (let i = 0; i < 2; i++)
    requestIds.push((await runtime.api('POST', '/v1/requests', repairRequest())).body.requestId);
  const received = runtime.clock.now().getTime();
  await runtime.advance(MINUTE);
  await injectFault(runtime.urls.api, { ...fault, seconds: hours * HOUR });
  await runtime.advance(hours * HOUR);
  await clearFaults(runtime.urls.api);
  const ended = runtime.clock.now().getTime();
  const observedUntil = Math.max(ended, received + LEVELS[0]!.dueAfter * 1000) + 30 * MINUTE * 1000;
  await runtime.advance((observedUntil - ended) / 1000);
  const mail = await runtime.mailbox();
  // Nothing is due meanwhile that it would miss: a lifecycle that backed off is looked at again
  // before its next deadline, and within the hour.
  await runtime.advance(HOUR);
  const live = await liveLifecycles(runtime.urls, runtime.stateMachineArns.serviceRequest);
  let due = 0;
  let missing = 0;
  let late = 0;
  let duplicates = 0;
  for (const requestId of requestIds) {
    for (const level of LEVELS) {
      const dueAt = received + level.dueAfter * 1000;
      if (dueAt > observedUntil - 10 * MINUTE * 1000) continue;
      due += 1;
      const sent = escalationsOf(mail, requestId, level.name);
      if (sent.length === 0) missing += 1;
      duplicates += Math.max(0, sent.length - 1);
      if (sent[0] && sent[0].at - Math.max(dueAt, ended) > 5 * MINUTE * 1000) late += 1;
    }
  }
  const watched = requestIds.every((id) => hasLiveLifecycle(live, id));
  const abandoned = (await Promise.all(requestIds.map(timelineOf))).some((t) =>
    t.some((e) => e.type === 'lifecycle_abandoned'),
  );
  report({
    fault: `${fault.component} ${fault.mode} for ${hours} h`,
    survived: missing === 0 && late === 0 && duplicates === 0 && watched,
    emailsDue: due,
    emailsLost: missing,
    emailsLate: late,
    duplicates,
    notes: abandoned ? 'declared abandoned (alarmed), still restarted' : undefined,
  });
  for (const requestId of requestIds)
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'outage test done' });
  await runtime.advance(10 * MINUTE);
  return { due, missing, late, duplicates, watched };
}

describe('a Step Functions outage', () => {
  it('of 3 hours rejecting every start: every request is watched again and escalated within minutes of the end', async () => {
    const outcome = await throughAnOutage({ component: 'stepFunctions', mode: 'reject' }, 3);
    // Level 1 of both requests fell due inside it (level 2 after it, on time).
    expect(outcome).toEqual({ due: 2, missing: 0, late: 0, duplicates: 0, watched: true });
  });

  for (const hours of [1, 6, 24])
    it(`of ${hours} h refusing connections: nothing given up, every escalation sent within minutes of the end`, async () => {
      const outcome = await throughAnOutage({ component: 'stepFunctions', mode: 'refuse' }, hours);
      expect(outcome).toMatchObject({ missing: 0, late: 0, duplicates: 0, watched: true });
      expect(outcome.due).toBeGreaterThan(0);
    });
});

describe('a Scheduler outage', () => {
  for (const hours of [1, 6, 24])
    it(`of ${hours} h refusing connections: bursts that cannot park still run at every deadline, and park once it is back`, async () => {
      const outcome = await throughAnOutage({ component: 'scheduler', mode: 'refuse' }, hours);
      expect(outcome).toMatchObject({ missing: 0, late: 0, duplicates: 0, watched: true });
      expect(outcome.due).toBeGreaterThan(0);
    });
});

const run = promisify(execFile);
async function tenantCommand(...args: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'infra/bin/tenant.ts', ...args, '--local', '--local-dir', runtime.dataDir],
    { env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return stdout;
}

describe('a lifecycle whose bursts fail for a cause a restart cannot cure', () => {
  it('is restarted while its promise is open, declared abandoned (once) after hours, listed for the operator, and recovers by itself once the cause is fixed', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    // Every burst's claim is refused (as a broken deploy or a lost permission would).
    await injectFault(runtime.urls.api, { component: 'dynamodb', mode: 'reject', match: '{"S":"burst"}' });
    await runtime.advance(2 * HOUR + 4 * HOUR);
    const timeline = await timelineOf(requestId);
    expect(timeline.filter((e) => e.type === 'lifecycle_abandoned')).toHaveLength(1);
    // Restarted every pass while its escalation is due: giving up is never final.
    expect(timeline.filter((e) => e.type === 'lifecycle_restarted').length).toBeGreaterThan(20);
    expect(await tenantCommand('lifecycles', '--id', 'demo', '--abandoned')).toMatch(
      new RegExp(`^request\t${requestId}\treceived\t.*\tABANDONED `, 'm'),
    );

    await clearFaults(runtime.urls.api);
    const fixedAt = runtime.clock.now().getTime();
    await runtime.advance(10 * MINUTE);
    const sent = escalationsOf(await runtime.mailbox(), requestId, 'Team lead');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.at - fixedAt).toBeLessThanOrEqual(5 * MINUTE * 1000 + 30_000);
    // It parked: healthy again, and no longer listed.
    expect(await tenantCommand('lifecycles', '--id', 'demo', '--abandoned')).toBe('0 lifecycle(s).\n');
    // The operator's view: every burst with its trigger and generation, the restarts, the next wake-up.
    const history = await tenantCommand('lifecycle-history', '--id', 'demo', '--request', requestId);
    expect(history).toMatch(
      new RegExp(`\tburst\tsystem {"trigger":"intake","generation":1,"execution":"${requestId}--intake-g0-`),
    );
    expect(history).toMatch(/\tlifecycle_restarted\tsystem \{"generation":1,"attempt":1,/);
    expect(history).toMatch(/\tlifecycle_abandoned\tsystem /);
    const parked = (await lifecycleHistory('demo', 'request', requestId)).nextWakeUp!;
    expect(history.trim().split('\n').at(-1)).toMatch(
      new RegExp(
        `^received, generation \\d+; next wake-up: ${parked.at} \\(${parked.schedule}\\); \\d+ restart\\(s\\) by the reconciler since `,
      ),
    );
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'outage test done' });
  });

  it('are restarted all at once by the operator once the cause is fixed', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await injectFault(runtime.urls.api, { component: 'dynamodb', mode: 'reject', match: '{"S":"burst"}' });
    await runtime.advance(2 * HOUR + 4 * HOUR);
    await clearFaults(runtime.urls.api);
    expect(await tenantCommand('restart-lifecycle', '--id', 'demo', '--all-abandoned')).toBe(
      'Restarted: 1 lifecycle(s).\n',
    );
    await runtime.advance(10);
    expect(escalationsOf(await runtime.mailbox(), requestId, 'Team lead')).toHaveLength(1);
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'outage test done' });
  });
});

describe('a due-time entry that is not its subject’s own watch', () => {
  const watchEntriesOf = async (subjectId: string) => {
    const client = new DynamoDBClient({ endpoint: runtime.urls.dynamodb });
    const { Items } = await client.send(
      new QueryCommand({
        TableName: runtime.tableName,
        IndexName: 'byDue',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'TENANT#demo#WATCH' } },
      }),
    );
    return (Items ?? []).map((i) => i.gsi3sk!.S!).filter((sk) => sk.endsWith(`#${subjectId}`));
  };

  it('(left by a crash of the local store) is cleared, counted and alarmed, and never restarts a healthy subject', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.advance(MINUTE);
    const [own] = await watchEntriesOf(requestId);
    expect(own).toBeDefined();
    // What a kill -9 between dynalite's index write and its item write leaves: an overdue entry.
    const stray = `${new Date(runtime.clock.now().getTime() - HOUR * 1000).toISOString()}#request#${requestId}`;
    const ghost = `${new Date(runtime.clock.now().getTime() - HOUR * 1000).toISOString()}#request#sr_neverwritten`;
    for (const [id, entry] of [
      [requestId, stray],
      ['sr_neverwritten', ghost],
    ] as const)
      await runtime.dynamodb.writeIndexEntryOnly(runtime.tableName, 'byDue', {
        pk: { S: `TENANT#demo#REQUEST#${id}` },
        sk: { S: 'REQUEST' },
        gsi3pk: { S: 'TENANT#demo#WATCH' },
        gsi3sk: { S: entry },
      });
    expect(await watchEntriesOf(requestId)).toEqual(expect.arrayContaining([own, stray]));

    await runtime.advance(10 * MINUTE);
    expect(await watchEntriesOf(requestId)).toEqual([own]);
    expect(await watchEntriesOf('sr_neverwritten')).toEqual([]);
    expect((await timelineOf(requestId)).map((e) => e.type)).not.toContain('lifecycle_restarted');
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'outage test done' });
  });
});
