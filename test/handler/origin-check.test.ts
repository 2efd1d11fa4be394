import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * On AWS the authorizers refuse a request that did not come through CloudFront: it lacks the
 * secret header CloudFront adds. The secret is read from SSM (Secrets Manager's reference path),
 * which cannot run here, so SSM is stood in for at the SDK's boundary: an HTTP endpoint that
 * answers GetParameter as SSM's JSON protocol does, and counts the reads.
 */
const SECRET = 'k3Jq9vXz2mNfR7tLwP4sYb8cHd6gE1aUoTiVnQ5xZeKj0rMy';
const PARAMETER = '/aws/reference/secretsmanager/AfterSalesOriginVerify';
let ssm: Server;
const reads: string[] = [];

beforeAll(async () => {
  ssm = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      expect(req.headers['x-amz-target']).toBe('AmazonSSM.GetParameter');
      const { Name, WithDecryption } = JSON.parse(body) as { Name: string; WithDecryption: boolean };
      reads.push(Name);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          Parameter: { Name, Type: 'SecureString', Value: WithDecryption ? SECRET : 'encrypted' },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => ssm.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`,
    TABLE_NAME: 'unused',
    ORIGIN_VERIFY_SECRET_PARAMETER: PARAMETER,
  });
});
afterAll(() => new Promise<void>((resolve) => ssm.close(() => resolve())));

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
    const { handler } = await import('../../functions/origin-authorizer/handler.ts');
    const decide = (headers: Record<string, string>) => handler(event(headers), {} as Context);
    expect(await decide({ 'x-origin-verify': SECRET })).toEqual({ isAuthorized: true });
    expect(await decide({ 'x-origin-verify': `${SECRET.slice(0, -1)}x` })).toEqual({ isAuthorized: false });
    expect(await decide({ 'x-origin-verify': '' })).toEqual({ isAuthorized: false });
    expect(await decide({})).toEqual({ isAuthorized: false });
    expect(reads).toEqual([PARAMETER]);
  });

  it('is the API-key authorizer’s first check too: a request around CloudFront is refused before its key is looked up', async () => {
    const { handler } = await import('../../functions/authorizer/handler.ts');
    // TABLE_NAME names no table: had the key been looked up, DynamoDB would have failed the call.
    const decision = await handler(
      event({ authorization: `Bearer ak_demo_0123456789ab_${'0'.repeat(64)}` }),
      {} as Context,
    );
    expect(decision).toEqual({ isAuthorized: false, context: {} });
  });
});
