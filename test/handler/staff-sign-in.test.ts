import { createSign, generateKeyPairSync } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairRequest } from '#local/driver/lifecycle.ts';
import { clearFaults, injectFault } from '../faults/support.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Staff sign in as themselves (#15): the demo's agent, technician, manager and admin sign in to
 * the Cognito stand-in as the console will (USER_PASSWORD_AUTH), and their ID token is their
 * Bearer token for the API, with their role from the tenant's settings at every call.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  // Real time: nothing here waits on a deadline, and on a standing virtual clock a call that
  // must back off and retry (a busy machine) would wait for time that never moves.
  runtime = await startTestRuntime({ clock: 'real' });
});
afterAll(async () => {
  await runtime.dispose();
});

const cognito = () =>
  new CognitoIdentityProviderClient({
    endpoint: runtime.urls.cognito,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

async function signIn(staffId: string, password?: string): Promise<string> {
  const login = runtime.demo.staffLogins.find((l) => l.staffId === staffId)!;
  const signedIn = await cognito().send(
    new InitiateAuthCommand({
      ClientId: runtime.demo.staffSignIn.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: login.email, PASSWORD: password ?? login.password },
    }),
  );
  return signedIn.AuthenticationResult!.IdToken!;
}

const as = (token: string) => ({ apiKey: token });

describe('staff sign-in', () => {
  it('gives each demo staff member a sign-in whose token the API takes, with the role their settings give', async () => {
    expect(runtime.demo.staffLogins.map((l) => l.role).sort()).toEqual([
      'admin',
      'agent',
      'manager',
      'technician',
    ]);
    const [agent, technician, manager, admin] = await Promise.all(
      ['agent-li', 'tech-wang', 'lead-chen', 'admin-sun'].map((id) => signIn(id)),
    );
    // Agents and technicians work requests; managers also read settings and reports; admins change them.
    for (const token of [agent!, technician!, manager!, admin!])
      expect((await runtime.api('GET', '/v1/requests', undefined, as(token))).status).toBe(200);
    expect((await runtime.api('GET', '/v1/settings', undefined, as(agent!))).status).toBe(403);
    expect((await runtime.api('GET', '/v1/settings', undefined, as(technician!))).status).toBe(403);
    expect((await runtime.api('GET', '/v1/settings', undefined, as(manager!))).status).toBe(200);
    expect(
      (await runtime.api('PUT', '/v1/settings', { name: 'Demo Electronics' }, as(manager!))).status,
    ).toBe(403);
    expect((await runtime.api('PUT', '/v1/settings', { name: 'Demo Electronics' }, as(admin!))).status).toBe(
      200,
    );
  });

  it('records what a signed-in person did under their own staff id', async () => {
    const token = await signIn('agent-li');
    const created = await runtime.api('POST', '/v1/requests', repairRequest(), as(token));
    expect(created.status).toBe(201);
    const acknowledged = await runtime.api(
      'POST',
      `/v1/requests/${created.body.requestId}/acknowledge`,
      undefined,
      as(token),
    );
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.acknowledgedBy).toBe('agent-li');
    const byType = Object.fromEntries(
      acknowledged.body.timeline.map((e: { type: string; actor: string }) => [e.type, e.actor]),
    );
    expect(byType).toMatchObject({ received: 'agent-li', acknowledged: 'agent-li' });
  });

  it('refuses a wrong password, a tampered token, a token of another issuer, and a disabled member’s token', async () => {
    await expect(signIn('agent-li', 'Not-the-password-1')).rejects.toThrow();
    const token = await signIn('tech-wang');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    // Another tenant's name in a token we did not sign.
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, 'custom:tenant': 'other' })).toString(
      'base64url',
    );
    expect(
      (await runtime.api('GET', '/v1/requests', undefined, as(`${header}.${forgedPayload}.${signature}`)))
        .status,
    ).toBe(403);
    // Signed, but by a key that is not the pool's.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signer = createSign('RSA-SHA256').update(`${header}.${payload}`);
    const foreign = `${header}.${payload}.${signer.sign(privateKey).toString('base64url')}`;
    expect((await runtime.api('GET', '/v1/requests', undefined, as(foreign))).status).toBe(403);

    // The admin disables the technician: the token they still hold is refused at once.
    expect((await runtime.api('GET', '/v1/requests', undefined, as(token))).status).toBe(200);
    const settings = (await runtime.api('GET', '/v1/settings')).body;
    const staff = settings.staff.map((s: { staffId: string }) =>
      s.staffId === 'tech-wang' ? { ...s, disabledAt: runtime.clock.now().toISOString() } : s,
    );
    expect((await runtime.api('PUT', '/v1/settings', { staff })).status).toBe(200);
    expect((await runtime.api('GET', '/v1/requests', undefined, as(token))).status).toBe(403);
  });
});

describe('staff administration', () => {
  const newcomer = {
    staffId: 'agent-qian',
    name: 'Qian Hui',
    email: 'qian.hui@demo.example',
    roles: ['agent'],
  };

  it('invites a new member by email; they choose their password at the first sign-in and work at once', async () => {
    const invited = await runtime.api('POST', '/v1/staff', newcomer);
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ ...newcomer, skills: [] });
    expect((await runtime.api('POST', '/v1/staff', newcomer)).status).toBe(409);

    const invitation = (await runtime.mailbox()).filter((m) => m.destination.to.includes(newcomer.email));
    expect(invitation).toHaveLength(1);
    expect(invitation[0]!.body.text).toContain('/console/');
    const temporary = /(?:临时密码|Temporary password)\W+(\S+)/.exec(invitation[0]!.body.text ?? '')![1]!;

    const first = await cognito().send(
      new InitiateAuthCommand({
        ClientId: runtime.demo.staffSignIn.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: newcomer.email, PASSWORD: temporary },
      }),
    );
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const chosen = await cognito().send(
      new RespondToAuthChallengeCommand({
        ClientId: runtime.demo.staffSignIn.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: first.Session,
        ChallengeResponses: { USERNAME: newcomer.email, NEW_PASSWORD: 'Their-own-Passw0rd' },
      }),
    );
    const token = chosen.AuthenticationResult!.IdToken!;
    expect((await runtime.api('GET', '/v1/requests', undefined, as(token))).status).toBe(200);
    expect((await runtime.api('POST', '/v1/staff', { ...newcomer, staffId: 'x' }, as(token))).status).toBe(
      403,
    );

    // Invited again (a lost email): a new temporary password, in a second email.
    expect((await runtime.api('POST', `/v1/staff/${newcomer.staffId}/invitation`)).status).toBe(200);
    expect((await runtime.mailbox()).filter((m) => m.destination.to.includes(newcomer.email))).toHaveLength(
      2,
    );
  });

  it('goes on with an invitation whose email failed when the admin tries again, instead of answering 409', async () => {
    const newcomer2 = {
      staffId: 'agent-zhou',
      name: 'Zhou Yi',
      email: 'zhou.yi@demo.example',
      roles: ['agent'],
    };
    // SES answers 503 to every try of the mailer (its SDK retries three times): the call fails
    // after the member is on the list.
    await injectFault(runtime.urls.api, {
      component: 'ses',
      mode: 'unavailable',
      requests: 3,
      match: newcomer2.email,
    });
    const failed = await runtime.api('POST', '/v1/staff', newcomer2);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('5');
    const listed = (await runtime.api('GET', '/v1/settings')).body.staff.find(
      (s: { staffId: string }) => s.staffId === newcomer2.staffId,
    );
    expect(listed.invitedAt).toBeUndefined();
    await clearFaults(runtime.urls.api);

    const retried = await runtime.api('POST', '/v1/staff', newcomer2);
    expect(retried.status).toBe(201);
    expect(retried.body.invitedAt).toBeDefined();
    const invitations = (await runtime.mailbox()).filter((m) => m.destination.to.includes(newcomer2.email));
    expect(invitations).toHaveLength(1);
    // Once it went out, the same POST is a conflict again.
    expect((await runtime.api('POST', '/v1/staff', newcomer2)).status).toBe(409);
  });

  it('disables a member (their token is refused, their sign-in disabled) and enables them again', async () => {
    const token = await signIn('lead-chen');
    const disabled = await runtime.api('POST', '/v1/staff/lead-chen/disable');
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toBeDefined();
    expect((await runtime.api('GET', '/v1/requests', undefined, as(token))).status).toBe(403);
    // Their sign-in is disabled in the pool (Cognito then refuses it; cognito-local does not check).
    const enabled = async () =>
      (
        await cognito().send(
          new AdminGetUserCommand({
            UserPoolId: runtime.demo.staffSignIn.userPoolId,
            Username: 'team-lead@demo.example',
          }),
        )
      ).Enabled;
    expect(await enabled()).toBe(false);

    expect((await runtime.api('POST', '/v1/staff/lead-chen/enable')).status).toBe(200);
    expect(await enabled()).toBe(true);
    expect((await runtime.api('GET', '/v1/requests', undefined, as(await signIn('lead-chen')))).status).toBe(
      200,
    );
    expect((await runtime.api('POST', '/v1/staff/nobody/disable')).status).toBe(404);
  });
});

describe('what the console reads and does as a signed-in person', () => {
  it('tells who is calling: role, name, language, the tenant’s time zone, and colleagues with their skills', async () => {
    const me = await runtime.api('GET', '/v1/me', undefined, as(await signIn('agent-li')));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      tenantId: 'demo',
      role: 'agent',
      staffId: 'agent-li',
      name: 'Li Na',
      timeZone: 'Asia/Shanghai',
      // The skill each kind needs: the default where the tenant set none (6.2.1a).
      requiredSkills: { repair: 'repair', return: 'returns' },
    });
    expect(me.body.colleagues.find((c: { staffId: string }) => c.staffId === 'tech-wang')).toMatchObject({
      name: 'Wang Wei',
      roles: ['technician'],
      skills: ['repair', 'replacement', 'technical_support'],
    });
    // Colleagues' addresses are not shown to everyone.
    expect(JSON.stringify(me.body.colleagues)).not.toContain('@');
  });

  it('takes a request over for the signed-in person, and refuses a key that names nobody or an ended request', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    const manager = await signIn('lead-chen');
    const taken = await runtime.api('POST', `/v1/requests/${requestId}/take-over`, undefined, as(manager));
    expect(taken.status).toBe(200);
    expect(taken.body.assigneeId).toBe('lead-chen');
    expect(taken.body.timeline.at(-1)).toMatchObject({
      type: 'taken_over',
      actor: 'lead-chen',
      details: { via: 'console' },
    });
    // An agent takes it on from the manager: the timeline says from whom.
    const agent = await runtime.api(
      'POST',
      `/v1/requests/${requestId}/take-over`,
      undefined,
      as(await signIn('agent-li')),
    );
    expect(agent.body.assigneeId).toBe('agent-li');
    expect(agent.body.timeline.at(-1).details).toEqual({ via: 'console', from: 'lead-chen' });

    const key = await runtime.api('POST', '/v1/api-keys', { role: 'agent' });
    const keyTake = await runtime.api('POST', `/v1/requests/${requestId}/take-over`, undefined, {
      apiKey: key.body.apiKey,
    });
    expect(keyTake.status).toBe(403);
    expect(keyTake.body.error.code).toBe('NotStaff');

    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'Customer withdrew' });
    const ended = await runtime.api('POST', `/v1/requests/${requestId}/take-over`, undefined, as(manager));
    expect(ended.status).toBe(409);
    expect(ended.body.error.message).toContain('cancelled');
  });

  it('lets a ladder level name staff by id, and refuses an id on no staff list', async () => {
    const ladder = (recipients: string[]) => ({
      escalationLadder: {
        levels: [
          { name: 'Team lead', recipients, delayMinutes: 0 },
          { name: 'Head of service', recipients: ['head-of-service@demo.example'], delayMinutes: 120 },
        ],
      },
    });
    const refused = await runtime.api('PUT', '/v1/settings', ladder(['lead-chen', 'nobody-here']));
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual({
      'escalationLadder.levels.0.recipients.1': ['no staff member has the id nobody-here'],
    });
    const notAnAddress = await runtime.api('PUT', '/v1/settings', ladder(['not an address']));
    expect(notAnAddress.body.error.fields['escalationLadder.levels.0.recipients.0']).toEqual([
      'an email address or a staff id',
    ]);
    const saved = await runtime.api('PUT', '/v1/settings', ladder(['lead-chen', 'boss@demo.example']));
    expect(saved.status).toBe(200);
    expect(saved.body.escalationLadder.levels[0].recipients).toEqual(['lead-chen', 'boss@demo.example']);
  });
});

describe('the pool as deployed, and who a token may act as (#32)', () => {
  it('lets no one sign themselves up, keeps ID tokens an hour, and holds passwords to the pool’s policy', async () => {
    await expect(
      cognito().send(
        new SignUpCommand({
          ClientId: runtime.demo.staffSignIn.clientId,
          Username: 'intruder@evil.example',
          Password: 'Intruder-Pass-1',
          UserAttributes: [
            { Name: 'email', Value: 'intruder@evil.example' },
            { Name: 'custom:tenant', Value: 'demo' },
            { Name: 'custom:staff', Value: 'admin-sun' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const token = await signIn('agent-li');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims.exp - claims.iat).toBe(3600);
    const login = runtime.demo.staffLogins.find((l) => l.staffId === 'agent-li')!;
    await expect(
      cognito().send(
        new AdminSetUserPasswordCommand({
          UserPoolId: runtime.demo.staffSignIn.userPoolId,
          Username: login.email,
          Password: 'short1!',
          Permanent: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPasswordException' });
  });

  it('refuses a token whose user is not the one the staff entry names, even if it claims that entry', async () => {
    // An operator's mistake (or a pool that allowed sign-up): a user claiming the admin's entry.
    await cognito().send(
      new AdminCreateUserCommand({
        UserPoolId: runtime.demo.staffSignIn.userPoolId,
        Username: 'impostor@evil.example',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'impostor@evil.example' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:tenant', Value: 'demo' },
          { Name: 'custom:staff', Value: 'admin-sun' },
        ],
      }),
    );
    await cognito().send(
      new AdminSetUserPasswordCommand({
        UserPoolId: runtime.demo.staffSignIn.userPoolId,
        Username: 'impostor@evil.example',
        Password: 'Impostor-Pass-1',
        Permanent: true,
      }),
    );
    const signedIn = await cognito().send(
      new InitiateAuthCommand({
        ClientId: runtime.demo.staffSignIn.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'impostor@evil.example', PASSWORD: 'Impostor-Pass-1' },
      }),
    );
    const impostor = signedIn.AuthenticationResult!.IdToken!;
    expect((await runtime.api('GET', '/v1/settings', undefined, as(impostor))).status).toBe(403);
  });

  it('stops a disabled member’s sign-in at Cognito, and an API key that acts for them', async () => {
    // (Disabled by an earlier test through the settings: enabled again first.)
    expect((await runtime.api('POST', '/v1/staff/tech-wang/enable')).status).toBe(200);
    const key = (await runtime.api('POST', '/v1/api-keys', { role: 'agent', staffId: 'tech-wang' })).body
      .apiKey;
    expect((await runtime.api('GET', '/v1/requests', undefined, { apiKey: key })).status).toBe(200);
    expect((await runtime.api('POST', '/v1/staff/tech-wang/disable')).status).toBe(200);
    expect((await runtime.api('GET', '/v1/requests', undefined, { apiKey: key })).status).toBe(403);
    await expect(signIn('tech-wang')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    // A key that names nobody acts as the key, whoever is disabled.
    expect((await runtime.api('GET', '/v1/requests')).status).toBe(200);
    expect((await runtime.api('POST', '/v1/staff/tech-wang/enable')).status).toBe(200);
  });
});
