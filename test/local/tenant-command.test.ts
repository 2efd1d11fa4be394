import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, scanKeys } from '../../functions/adapters/table.ts';
import {
  deleteTenant,
  lifecycleHistory,
  restartLifecycle,
  suspendTenant,
} from '../../infra/operator/tenants.ts';
import { clearFaults, injectFault } from '../faults/support.ts';
import { contractTerms, emailsAbout, recipients, repairRequest } from '../support/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The operator's tenant command (infra/bin/tenant.ts), run as an operator runs it, against the
 * local runtime; the rules of deleting, on the virtual clock.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
});

const run = promisify(execFile);
async function tenantCommand(...args: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'infra/bin/tenant.ts',
      ...args,
      '--local',
      '--dynamodb-endpoint',
      runtime.urls.dynamodb,
    ],
    { env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return stdout;
}

describe('npm run tenant', () => {
  it('creates a tenant with default terms and calendar and its first admin key, shown once, that works', async () => {
    const output = await tenantCommand(
      'create',
      '--id',
      'acme',
      '--name',
      'Acme Appliances Co.',
      '--admin-email',
      'ops@acme.example',
    );
    const apiKey = /admin API key \(shown once, keep it safe\): (ak_acme_\S+)/.exec(output)?.[1];
    expect(apiKey).toBeDefined();
    const settings = await runtime.api('GET', '/v1/settings', undefined, { apiKey });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({
      tenantId: 'acme',
      name: 'Acme Appliances Co.',
      language: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      defaultTerms: { responseHours: 2, feedbackWorkingDays: 5, warrantyMonths: 12 },
      escalationLadder: { levels: [{ recipients: ['ops@acme.example'] }] },
    });
    expect((await runtime.api('POST', '/v1/requests', repairRequest(), { apiKey })).status).toBe(201);
    expect(await tenantCommand('list')).toMatch(/^acme\tAcme Appliances Co\.\tcreated /m);
    // The id is in URLs and keys: a second tenant of that id is refused.
    await expect(
      tenantCommand('create', '--id', 'acme', '--name', 'Again', '--admin-email', 'x@acme.example'),
    ).rejects.toThrow(/exists already/);
  });

  it('suspends a tenant: its keys, links and webhooks stop at once, its data is kept; resume undoes it', async () => {
    const output = await tenantCommand(
      'create',
      '--id',
      'pause-co',
      '--name',
      'Pause Co.',
      '--admin-email',
      'a@pause.example',
    );
    const apiKey = /(ak_pause-co_\S+)/.exec(output)![1]!;
    const created = await runtime.api('POST', '/v1/requests', repairRequest(), { apiKey });
    await runtime.api(
      'PUT',
      '/v1/settings',
      { storefronts: { generic: { secret: 'pause-co-generic-secret-0001' } } },
      { apiKey },
    );

    await tenantCommand('suspend', '--id', 'pause-co');
    expect(await tenantCommand('list')).toMatch(/^pause-co\t.*\tSUSPENDED /m);
    expect(
      (await runtime.api('GET', `/v1/requests/${created.body.requestId}`, undefined, { apiKey })).status,
    ).toBe(403);
    const body = JSON.stringify({
      kind: 'repair',
      customer: { name: 'A', email: 'a@b.example' },
      description: 'x',
    });
    const t = Math.floor(runtime.clock.now().getTime() / 1000);
    const signature = createHmac('sha256', 'pause-co-generic-secret-0001')
      .update(`${t}.k-1.${body}`)
      .digest('hex');
    const delivered = await runtime.api('POST', '/v1/webhooks/pause-co/generic', body, {
      apiKey: null,
      headers: { 'x-signature': `t=${t},v2=${signature}`, 'idempotency-key': 'k-1' },
    });
    expect(delivered.status).toBe(401);

    await tenantCommand('resume', '--id', 'pause-co');
    const again = await runtime.api('GET', `/v1/requests/${created.body.requestId}`, undefined, { apiKey });
    expect(again.status).toBe(200);
    expect(again.body.description).toBe(created.body.description);
  });

  it('deletes a tenant only 30 days after its suspension, and then every item of it', async () => {
    await expect(deleteTenant('acme')).rejects.toThrow(/Suspend acme first/);
    // Suspended on the runtime's (virtual) clock, so that 31 days can pass in a moment.
    await suspendTenant('acme');
    await expect(deleteTenant('acme')).rejects.toThrow(/can be deleted from/);
    await runtime.advance(31 * 86_400);
    const { deletedItems } = await deleteTenant('acme');
    expect(deletedItems).toBeGreaterThan(3);
    expect(await scanKeys(keys.tenant('acme').pk, `${keys.tenant('acme').pk}#`)).toEqual([]);
    expect(await tenantCommand('list')).not.toMatch(/^acme\t/m);
    // The other tenants keep everything.
    expect((await runtime.api('GET', '/v1/settings')).status).toBe(200);
  });

  it('keeps a tenant whose contract’s confidentiality term (12.1) still runs', async () => {
    const output = await tenantCommand(
      'create',
      '--id',
      'kept-co',
      '--name',
      'Kept Co.',
      '--admin-email',
      'a@kept.example',
    );
    const apiKey = /(ak_kept-co_\S+)/.exec(output)![1]!;
    const contract = await runtime.api(
      'POST',
      '/v1/contracts',
      { contractId: 'k-1', terms: contractTerms(2) },
      { apiKey },
    );
    expect(contract.status).toBe(201);
    await suspendTenant('kept-co');
    await runtime.advance(31 * 86_400);
    // Effective 2026-01-01 for a year, kept 3 years after: until 2030-01-01.
    await expect(deleteTenant('kept-co')).rejects.toThrow(/Contract k-1 must be kept until 2030-01-01/);
  });
});

describe('a lifecycle whose bursts keep failing', () => {
  it('is started again by the reconciler up to five times, then given up; an operator restarts it and reads its history', {
    timeout: 60_000,
  }, async () => {
    const created = await runtime.api('POST', '/v1/requests', repairRequest());
    const { requestId } = created.body;
    const timeline = async () =>
      (await lifecycleHistory('demo', 'request', requestId)).timeline as {
        type: string;
        details?: Record<string, unknown>;
      }[];
    // Every burst's claim is refused (as a broken deploy or a lost permission would): the wake-up
    // at the response deadline starts one that fails, and nothing parks the request again.
    await injectFault(runtime.urls.api, { component: 'dynamodb', mode: 'reject', match: '{"S":"burst"}' });
    const DAY = 86_400;
    // The test runtime's reconciler passes once a day: each finds the request overdue and starts a burst.
    for (let pass = 1; pass <= 5; pass++) await runtime.advance(DAY);
    const restarts = (await timeline()).filter((e) => e.type === 'lifecycle_restarted');
    expect(restarts.map((e) => e.details)).toEqual(
      [1, 2, 3, 4, 5].map((attempt) => expect.objectContaining({ attempt, generation: 1 })),
    );
    // The sixth pass gives up (alarmed) and says so, once; the passes after say nothing new.
    await runtime.advance(DAY);
    await runtime.advance(DAY);
    expect((await timeline()).filter((e) => e.type === 'lifecycle_abandoned')).toHaveLength(1);
    expect((await timeline()).filter((e) => e.type === 'lifecycle_restarted')).toHaveLength(5);
    expect(emailsAbout(await runtime.mailbox(), requestId)).toEqual([]);

    // Once the cause is fixed, the operator's restart runs a burst at once: the missed steps of
    // the ladder go out, and the request is parked until its next one.
    await clearFaults(runtime.urls.api);
    expect(await restartLifecycle('demo', 'request', requestId)).toMatchObject({ restarted: 1 });
    await runtime.settled();
    expect(recipients(emailsAbout(await runtime.mailbox(), requestId))).toContain('team-lead@demo.example');
    expect(await restartLifecycle('demo', 'request', requestId)).toMatchObject({ parked: 1, restarted: 0 });

    // The operator's view: every burst with its trigger and generation, and the next wake-up.
    const history = await tenantCommand('lifecycle-history', '--id', 'demo', '--request', requestId);
    expect(history).toMatch(
      new RegExp(`\tburst\tsystem {"trigger":"intake","generation":1,"execution":"${requestId}--intake-g0-`),
    );
    expect(history).toMatch(/\tburst\tsystem \{"trigger":"operator","generation":2,/);
    expect(history).toMatch(/\tlifecycle_abandoned\tsystem /);
    const parked = (await lifecycleHistory('demo', 'request', requestId)).nextWakeUp!;
    expect(history.trim().split('\n').at(-1)).toBe(
      `received, generation 2; next wake-up: ${parked.at} (${parked.schedule})`,
    );
  });
});
