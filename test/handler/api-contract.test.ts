import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSlaTerms } from '#domain/contract.ts';
import { type Role, routeKey, routes } from '#functions/routes.ts';
import { repairRequest } from '#local/driver/lifecycle.ts';
import { createOtherTenant, send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The API as its route table declares it (functions/routes.ts), from outside: who may call
 * what, what it answers to what it does not serve, bounds on ids, types and numbers, security
 * headers, pages of lists, and the served document as OpenAPI linters read it. Every response
 * here, as everywhere in the suite, is also checked against the served document.
 */
let runtime: TestRuntime;
const keys = {} as Record<Role, string>;
let otherTenantKey: string;
const bin = (name: string) => resolve(import.meta.dirname, '../../node_modules/.bin', name);

beforeAll(async () => {
  runtime = await startTestRuntime();
  for (const role of ['agent', 'manager', 'admin'] as const)
    keys[role] = (await runtime.api('POST', '/v1/api-keys', { role })).body.apiKey;
  otherTenantKey = await createOtherTenant('other-shop');
});
afterAll(async () => {
  await runtime.dispose();
});

/** A value of each path parameter's form that names nothing. */
const placeholders: Record<string, string> = {
  requestId: 'sr_nothing',
  feedbackId: 'fb_nothing',
  surveyId: 'ps_nothing',
  keyId: '000000000000',
  contractId: 'no-such-contract',
  version: '1',
  dataRequestId: 'shopify-0',
  staffId: 'nobody',
  tenantId: 'no-such-tenant',
  token: 'not.valid',
  heldId: `msg_in${'0'.repeat(20)}`,
  email: 'nobody@customer.example',
};
const pathOf = (path: string, values: Record<string, string> = placeholders) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!);

describe('roles', () => {
  const apiKeyRoutes = routes.filter((route) => route.auth === 'apiKey');

  it('declares roles for every API-key route, and the matrix the README states', () => {
    for (const route of apiKeyRoutes) expect(route.roles?.length, routeKey(route)).toBeGreaterThan(0);
    const allowed = (key: string) => routes.find((r) => routeKey(r) === key)!.roles;
    expect(allowed('POST /v1/requests/{requestId}/acknowledge')).toEqual(['agent', 'manager', 'admin']);
    expect(allowed('POST /v1/feedback/{feedbackId}/resolve')).toEqual(['manager', 'admin']);
    expect(allowed('GET /v1/reports/satisfaction')).toEqual(['manager', 'admin']);
    expect(allowed('PUT /v1/settings')).toEqual(['admin']);
    expect(allowed('POST /v1/api-keys')).toEqual(['admin']);
    expect(allowed('POST /v1/contracts/{contractId}/terminate')).toEqual(['admin']);
  });

  for (const role of ['agent', 'manager', 'admin'] as const) {
    it(`lets a ${role} key call exactly the routes that allow it, refusing the rest with 403 before anything runs`, async () => {
      for (const route of apiKeyRoutes) {
        const response = await runtime.api(route.method, pathOf(route.path), route.body ? {} : undefined, {
          apiKey: keys[role],
        });
        const where = `${role} ${routeKey(route)}`;
        if (route.roles!.includes(role)) {
          expect(response.status, where).not.toBe(403);
        } else {
          expect(response.status, where).toBe(403);
          expect(response.body.error.code, where).toBe('Forbidden');
        }
      }
    });
  }
});

describe('what the API does not serve', () => {
  it('answers 405 with Allow to a method a known path does not serve, 404 to an unknown path', async () => {
    for (const [method, path, allow] of [
      ['TRACE', '/v1/requests', 'POST, GET'],
      ['DELETE', '/v1/requests', 'POST, GET'],
      ['PATCH', '/v1/settings', 'GET, PUT'],
      ['PUT', '/v1/requests/sr_abc', 'GET'],
    ] as const) {
      const response = await send(`${runtime.urls.api}${path}`, { method, headers: {} });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.allow, `${method} ${path}`).toBe(allow);
      expect(JSON.parse(response.text).error.code).toBe('MethodNotAllowed');
    }
    const unknown = await send(`${runtime.urls.api}/v1/nothing-here`, { method: 'GET', headers: {} });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error.code).toBe('NotFound');
  });

  it('answers 404 to an id too long to be one, and 400 to a malformed escape, on every route with an id', async () => {
    const long = 'x'.repeat(3000);
    for (const route of routes.filter((r) => /\{\w+\}/.test(r.path))) {
      const values = Object.fromEntries(Object.keys(placeholders).map((name) => [name, `sr_${long}`]));
      const tooLong = await runtime.api(
        route.method,
        pathOf(route.path, values),
        route.body ? {} : undefined,
      );
      expect([401, 404], routeKey(route)).toContain(tooLong.status);
      const malformed = await send(
        `${runtime.urls.api}${pathOf(route.path, { ...placeholders, ...Object.fromEntries(Object.keys(placeholders).map((n) => [n, '%E0%A4%A'])) })}`,
        {
          method: route.method,
          headers: { authorization: `Bearer ${runtime.demo.apiKey}` },
        },
      );
      expect(malformed.status, routeKey(route)).toBe(400);
    }
  });

  it('answers a header holding a control character with a 400 in its own error shape', async () => {
    // fetch refuses to send such a header; a raw socket sends what a fuzzer sends.
    const { hostname, port } = new URL(runtime.urls.api);
    const answer = await new Promise<string>((resolvePromise, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write(`GET /v1/requests HTTP/1.1\r\nHost: x\r\nX-Note: a\u0001b\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('end', () => resolvePromise(text));
      socket.on('error', reject);
    });
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(body!).error).toMatchObject({
      code: 'MalformedRequest',
      message: expect.stringMatching(/header/),
    });
  });
});

describe('types and numbers', () => {
  it('takes a score as a number and nothing else: true, "5" and null are refused, and nothing is stored', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    const refused = await runtime.api('POST', `/v1/requests/${requestId}/survey`, {
      serviceScore: true,
      goodsScore: '5',
      recommendScore: null,
    });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.error.fields).sort()).toEqual([
      'goodsScore',
      'recommendScore',
      'serviceScore',
    ]);
    const unknownField = await runtime.api('POST', '/v1/requests', { ...repairRequest(), urgency: 'high' });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.error.fields).toEqual({ urgency: ['not a field here'] });
    // Fields named like what every JavaScript object has are fields like any other (once a 500).
    const inherited = await runtime.api(
      'POST',
      '/v1/requests',
      `{"kind":"repair","valueOf":false,"constructor":1,"__proto__":{"x":1},"customer":{"name":"A","email":"a@b.example"},"description":"d"}`,
    );
    expect(inherited.status).toBe(422);
    expect(Object.keys(inherited.body.error.fields).sort()).toEqual(['__proto__', 'constructor', 'valueOf']);
  });

  it('refuses numbers DynamoDB cannot store or the contract cannot mean, with a 422', async () => {
    const terms = {
      contractNumber: 'HT-1',
      provider: { companyName: 'P', address: 'A', contact: 'C' },
      customer: { companyName: 'Q', address: 'B', contact: 'D' },
      effectiveDate: '2026-01-01',
      termYears: 1,
      totalAmount: 100_000,
      sla: defaultSlaTerms,
      liquidatedDamagesRatePercent: 5,
      lateFeeRatePercent: 0.05,
      confidentialityYears: 3,
    };
    for (const [field, value, change] of [
      ['terms.totalAmount', 1e16, { totalAmount: 1e16 }],
      ['terms.totalAmount', 0.001, { totalAmount: 0.001 }],
      ['terms.sla.responseHours', 1e-200, { sla: { ...defaultSlaTerms, responseHours: 1e-200 } }],
      ['terms.liquidatedDamagesRatePercent', 1e-9, { liquidatedDamagesRatePercent: 1e-9 }],
    ] as const) {
      const response = await runtime.api('POST', '/v1/contracts', {
        contractId: `bounds-${field.length}-${String(value).length}`,
        terms: { ...terms, ...change },
      });
      expect(response.status, `${field} = ${value}`).toBe(422);
      expect(Object.keys(response.body.error.fields), `${field} = ${value}`).toContain(field);
    }
    const ok = await runtime.api('POST', '/v1/contracts', { contractId: 'bounds-ok', terms });
    expect(ok.status).toBe(201);
  });
});

describe('security headers', () => {
  it('sends nosniff with JSON, and a content security policy and no referrer with pages', async () => {
    const json = await send(`${runtime.urls.api}/v1/openapi.json`, { method: 'GET', headers: {} });
    expect(json.headers['x-content-type-options']).toBe('nosniff');
    const error = await runtime.api('GET', '/v1/requests/sr_nothing');
    expect(error.headers['x-content-type-options']).toBe('nosniff');
    const staff = { authorization: `Bearer ${runtime.demo.apiKey}` };
    for (const [path, headers, type] of [
      ['/v1/attachments/survey-form', staff, /^text\/html/],
      ['/v1/attachments/service-flow-chart.svg', staff, /^image\/svg\+xml/],
      ['/s/not.valid', {}, /^text\/html/],
      ['/a/not.valid', {}, /^text\/html/],
    ] as const) {
      const page = await send(`${runtime.urls.api}${path}`, { method: 'GET', headers });
      expect(page.headers['content-type'], path).toMatch(type);
      expect(page.headers['content-security-policy'], path).toContain("default-src 'none'");
      expect(page.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(page.headers['x-content-type-options'], path).toBe('nosniff');
      expect(page.headers['referrer-policy'], path).toBe('no-referrer');
    }
  });
});

describe('lists', () => {
  it('pages through every open request with limit and nextCursor, each once, oldest first', async () => {
    for (let i = 0; i < 7; i++)
      await runtime.api('POST', '/v1/requests', repairRequest({ description: `Paged ${i}` }));
    const seen: { requestId: string; receivedAt: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await runtime.api('GET', `/v1/requests?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    const all = (await runtime.api('GET', '/v1/requests?limit=200')).body.items;
    expect(seen.map((r) => r.requestId)).toEqual(all.map((r: { requestId: string }) => r.requestId));
    expect(new Set(seen.map((r) => r.requestId)).size).toBe(seen.length);
    expect(seen.map((r) => r.receivedAt)).toEqual([...seen.map((r) => r.receivedAt)].sort());
    // At least the 7 made here, over at least 3 pages of 3.
    expect(seen.length).toBeGreaterThanOrEqual(7);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('lists closed and cancelled requests newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
      await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'test' });
      ids.push(requestId);
      await runtime.advance(60);
    }
    const listed = (await runtime.api('GET', '/v1/requests?status=cancelled&limit=3')).body.items;
    expect(listed.map((r: { requestId: string }) => r.requestId)).toEqual([...ids].reverse());
  });

  it('refuses a cursor it did not give, and one of another tenant’s list', async () => {
    const tampered = await runtime.api('GET', '/v1/feedback?cursor=bm90LWEtY3Vyc29y');
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.code).toBe('InvalidCursor');
    for (let i = 0; i < 3; i++) await runtime.api('POST', '/v1/api-keys', { role: 'agent' });
    const mine = await runtime.api('GET', '/v1/api-keys?limit=2');
    expect(mine.body.nextCursor).toBeDefined();
    const theirs = await runtime.api(
      'GET',
      `/v1/api-keys?limit=2&cursor=${mine.body.nextCursor}`,
      undefined,
      {
        apiKey: otherTenantKey,
      },
    );
    expect(theirs.status).toBe(400);
    expect((await runtime.api('GET', '/v1/requests?limit=201')).status).toBe(422);
  });
});

describe('the served OpenAPI document', () => {
  it('gives every operation an id, a tag, a summary and a schema for every JSON answer', async () => {
    const document = (await runtime.api('GET', '/v1/openapi.json', undefined, { apiKey: null })).body;
    const operations = Object.values(document.paths as Record<string, Record<string, any>>).flatMap(
      (methods) => Object.values(methods),
    );
    expect(operations).toHaveLength(routes.length);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(routes.length);
    for (const operation of operations) {
      expect(operation.tags, operation.operationId).toHaveLength(1);
      expect(operation.summary, operation.operationId).toBeTruthy();
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
        const json = response.content?.['application/json'];
        if (json) expect(json.schema, `${operation.operationId} ${status}`).toBeTruthy();
        // 204 No Content has none; every other answer says what it is.
        else if (status === '204') expect(response.content, operation.operationId).toBeUndefined();
        else expect(response.content, `${operation.operationId} ${status}`).toBeDefined();
      }
    }
  });

  it('passes Redocly’s recommended rules and Spectral’s spectral:oas with no warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const served = await send(`${runtime.urls.api}/v1/openapi.json`, { method: 'GET', headers: {} });
      writeFileSync(join(dir, 'openapi.json'), served.text);
      writeFileSync(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');
      const redocly = spawnSync(
        bin('redocly'),
        ['lint', 'openapi.json', '--extends=recommended', '--format=json'],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      const redoclyProblems = JSON.parse(redocly.stdout).problems as { ruleId: string; message: string }[];
      expect(redoclyProblems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      spawnSync(
        bin('spectral'),
        ['lint', 'openapi.json', '--ruleset', '.spectral.yaml', '-f', 'json', '-o', 'spectral.json'],
        { cwd: dir, encoding: 'utf8' },
      );
      const spectralProblems = JSON.parse(readFileSync(join(dir, 'spectral.json'), 'utf8')) as {
        code: string;
        message: string;
      }[];
      expect(spectralProblems.map((p) => `${p.code}: ${p.message}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
