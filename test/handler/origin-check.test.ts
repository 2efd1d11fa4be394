import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * On AWS the authorizers refuse a request that did not come through CloudFront: it lacks the
 * secret header CloudFront adds. The secret lives in Secrets Manager, which cannot run here, so it
 * is stood in for at the SDK's boundary: an HTTP endpoint that answers GetSecretValue by version
 * stage as Secrets Manager's JSON protocol does, keeps versions and their stages as
 * PutSecretValue moves them, and counts the reads.
 */
const SECRET_ID = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:aftersales/dev/origin-verify-AbCdEf';
let secretsManager: Server;
const reads: string[] = [];
/** Versions, newest last: the last is AWSCURRENT, the one before AWSPREVIOUS. */
const versions: { id: string; value: string }[] = [];

/** What `aws secretsmanager put-secret-value` does: a new current version, the old one previous. */
const putSecretValue = (value: string) => {
  const id = randomUUID();
  versions.push({ id, value });
  return id;
};

beforeAll(async () => {
  putSecretValue('k3Jq9vXz2mNfR7tLwP4sYb8cHd6gE1aUoTiVnQ5xZeKj0rMy');
  secretsManager = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      expect(req.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
      const { SecretId, VersionStage } = JSON.parse(body) as { SecretId: string; VersionStage: string };
      reads.push(VersionStage);
      const version =
        VersionStage === 'AWSCURRENT' ? versions.at(-1) : versions.length > 1 ? versions.at(-2) : undefined;
      res.writeHead(version ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify(
          version
            ? {
                ARN: SecretId,
                VersionId: version.id,
                SecretString: version.value,
                VersionStages: [VersionStage],
              }
            : {
                __type: 'ResourceNotFoundException',
                Message: `Secrets Manager can't find the specified secret value for staging label: ${VersionStage}`,
              },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => secretsManager.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(secretsManager.address() as AddressInfo).port}`,
    TABLE_NAME: 'unused',
    ORIGIN_VERIFY_SECRET_ID: SECRET_ID,
  });
});
afterAll(() => {
  vi.useRealTimers();
  return new Promise<void>((resolve) => secretsManager.close(() => resolve()));
});

const event = (headers: Record<string, string>) =>
  ({
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:111122223333:abc123/$default/POST/v1/webhooks/demo/shopify',
    routeKey: 'POST /v1/webhooks/{tenantId}/{storefront}',
    identitySource: Object.values(headers),
    headers,
  }) as unknown as APIGatewayRequestAuthorizerEventV2;

describe('the origin check of the routes without an API key', () => {
  it('lets through what came through CloudFront, refuses the rest, and reads the secret once', async () => {
    const { handler } = await import('#functions/origin-authorizer/handler.ts');
    const decide = (headers: Record<string, string>) => handler(event(headers), {} as Context);
    const secret = versions[0]!.value;
    expect(await decide({ 'x-origin-verify': secret })).toEqual({ isAuthorized: true });
    expect(await decide({ 'x-origin-verify': `${secret.slice(0, -1)}x` })).toEqual({ isAuthorized: false });
    expect(await decide({ 'x-origin-verify': '' })).toEqual({ isAuthorized: false });
    expect(await decide({})).toEqual({ isAuthorized: false });
    // Current and previous (none yet), read once for all four.
    expect(reads.sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
  });

  it('is the API-key authorizer’s first check too: a request around CloudFront is refused before its key is looked up', async () => {
    const { handler } = await import('#functions/authorizer/handler.ts');
    // TABLE_NAME names no table: had the key been looked up, DynamoDB would have failed the call.
    const decision = await handler(
      event({ authorization: `Bearer ak_demo_0123456789ab_${'0'.repeat(64)}` }),
      {} as Context,
    );
    expect(decision).toEqual({ isAuthorized: false, context: {} });
  });

  it('lets the README’s rotation through without an outage: the old value until CloudFront sends the new, both meanwhile', async () => {
    const { handler } = await import('#functions/origin-authorizer/handler.ts');
    const decide = async (value: string) =>
      (await handler(event({ 'x-origin-verify': value }), {} as Context)).isAuthorized;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const old = versions.at(-1)!.value;
    // 1. `aws secretsmanager put-secret-value`: a new current value; CloudFront still sends the old.
    const fresh = 'Pq7Wm2Xv9Lk4Rt8Ys3Nb6Hd1Gf5Jc0Za';
    putSecretValue(fresh);
    expect(await decide(old)).toBe(true);
    // A request already carrying the new value is let through once the instance has read it again
    // (it reads again at once, at most every 10 s, for a value it does not know).
    vi.advanceTimersByTime(11_000);
    expect(await decide(fresh)).toBe(true);
    // 2. `cdk deploy -c originSecretVersion=…`: CloudFront sends the new one; both still pass while it spreads.
    expect(await decide(old)).toBe(true);
    expect(await decide(fresh)).toBe(true);
    // 3. A later rotation retires the first value for good.
    putSecretValue('Zn5Qa8Wd2Ef7Rg1Th4Yj9Uk3Il6Op0Ax');
    vi.advanceTimersByTime(5 * 60_000);
    expect(await decide(old)).toBe(false);
    expect(await decide(fresh)).toBe(true);
  });
});
