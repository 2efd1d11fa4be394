import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, scanKeys } from '#functions/adapters/table.ts';
import { deleteTenant, suspendTenant } from '#infra/operator/tenants.ts';
import { contractTerms, repairRequest } from '#local/driver/lifecycle.ts';
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
let acmeAdminKey: string;
/** The command as an operator runs it, on this runtime (`--local` reads its data directory). */
async function tenantCommand(...args: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'infra/bin/tenant.ts', ...args, '--local', '--local-dir', runtime.dataDir],
    { env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return stdout;
}

/** What a run that failed printed and how it exited. */
async function refused(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await tenantCommand(...args);
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
  throw new Error(`npm run tenant -- ${args.join(' ')} succeeded`);
}

describe('npm run tenant, as an operator expects a command to behave', () => {
  it('says how each command is used (--help exits 0), and refuses bad input in one line with exit 2', async () => {
    expect(await tenantCommand('--help')).toMatch(/restart-lifecycle\t/);
    expect(await tenantCommand('create', '--help')).toMatch(/--admin-email <value>/);
    const badEmail = await refused('create', '--id', 'x-co', '--name', 'X', '--admin-email', 'not-an-email');
    expect(badEmail).toEqual({ code: 2, stderr: '--admin-email is not an email address\n' });
    const unknownOption = await refused('list', '--colour');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr.trim().split('\n')).toHaveLength(1);
    expect((await refused('frobnicate')).code).toBe(2);
    expect(
      (
        await refused(
          'create',
          '--id',
          'x-co',
          '--name',
          'X',
          '--admin-email',
          'a@x.example',
          '--time-zone',
          'Mars/Base',
        )
      ).stderr,
    ).toMatch(/--time-zone is not an IANA time zone/);
  });

  it('exits 1 with one line for a request that is not there', async () => {
    const missing = await refused('restart-lifecycle', '--id', 'demo', '--request', 'sr_nothing');
    expect(missing).toEqual({ code: 1, stderr: 'No request sr_nothing in tenant demo\n' });
    expect((await refused('lifecycles', '--id', 'no-such-tenant')).stderr).toBe('No tenant no-such-tenant\n');
  });
});

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
    acmeAdminKey = apiKey!;
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

  it('deletes a tenant only 30 days after its suspension, and then every item of it, its wake-ups, staff sign-ins and sending domain', async () => {
    const acmeKey = acmeAdminKey;
    const invited = await runtime.api(
      'POST',
      '/v1/staff',
      { staffId: 'li', name: 'Li Lei', email: 'li@acme.example', roles: ['agent'], skills: [] },
      { apiKey: acmeKey },
    );
    expect(invited.status).toBe(201);
    const domain = await runtime.api(
      'PUT',
      '/v1/settings/sending-domain',
      { domain: 'mail.acme.example' },
      { apiKey: acmeKey },
    );
    expect(domain.status).toBeLessThan(300);
    const parkedWakeUps = () =>
      runtime.scheduler
        .schedules()
        .filter((schedule) =>
          String(JSON.parse(schedule.Target.Input ?? '{}').Input).includes('"tenantId":"acme"'),
        );

    await expect(deleteTenant('acme')).rejects.toThrow(/Suspend acme first/);
    // Suspended on the runtime's (virtual) clock, so that 31 days can pass in a moment.
    await suspendTenant('acme');
    await expect(deleteTenant('acme')).rejects.toThrow(/can be deleted from/);
    await runtime.advance(31 * 86_400);
    // Its open request is still watched: a wake-up is parked for it.
    const pending = parkedWakeUps().length;
    expect(pending).toBeGreaterThan(0);
    const deleted = await tenantCommand('delete', '--id', 'acme', '--confirm', 'acme');
    expect(deleted).toMatch(
      new RegExp(
        `^Tenant acme deleted: \\d+ items, ${pending} pending wake-ups, 1 staff sign-ins, its sending domain\\.$`,
        'm',
      ),
    );
    expect(await scanKeys([keys.tenant('acme').pk, 'TRAIL#acme'])).toEqual([]);
    expect(parkedWakeUps()).toEqual([]);
    await expect(
      new SESv2Client({}).send(new GetEmailIdentityCommand({ EmailIdentity: 'mail.acme.example' })),
    ).rejects.toThrow(/not/i);
    // One attempt: the SDK's retry would wait on the virtual clock.
    const lookup = new CognitoIdentityProviderClient({ maxAttempts: 1 })
      .send(
        new AdminGetUserCommand({ UserPoolId: process.env.STAFF_USER_POOL_ID, Username: 'li@acme.example' }),
      )
      .catch((e) => e);
    expect(await lookup).toMatchObject({ name: 'UserNotFoundException' });
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
