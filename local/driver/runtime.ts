import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantSettings } from '#domain/tenant.ts';
import { mintApiKey } from '#functions/adapters/api-keys.ts';
import { createApiKey, createTenant } from '#functions/adapters/tenants.ts';
import { demoSettings } from '../demo-tenant.ts';
import { type LocalRuntime, type RuntimeOptions, startLocalRuntime } from '../runtime.ts';

/**
 * The local runtime driven as a client drives it: started on free ports with a fresh data
 * directory, called through its HTTP API as the demo tenant, its mailbox read. What tests
 * (test/support/runtime.ts adds a check of every response) and benchmarks share.
 */

export interface SentEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Headers the sender added (threading: `In-Reply-To`, `References`). */
  headers?: { name: string; value: string }[];
  at: number;
}

export interface DrivenRuntime extends LocalRuntime {
  dataDir: string;
  /** Calls the HTTP API as the demo tenant's admin key (or another key / none). */
  api(
    method: string,
    path: string,
    body?: unknown,
    options?: { apiKey?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, string | string[] | undefined> }>;
  /** Every email the local SES received, oldest first. */
  mailbox(): Promise<SentEmail[]>;
  advance(seconds: number): Promise<Date>;
  /** Stops and deletes the data directory (unless `keepData`). */
  dispose(options?: { keepData?: boolean }): Promise<void>;
}

/** Who sees every answer `send` receives (a test's check against the served document). */
type ResponseObserver = (
  request: { method: string; url: string },
  answer: { status: number; contentType: string | undefined; text: string },
) => void;
const observers: ResponseObserver[] = [];
export const observeResponses = (observer: ResponseObserver) => observers.push(observer);

/** A runtime on free ports with a fresh data directory; virtual clock unless told otherwise. */
export async function startDrivenRuntime(options: Partial<RuntimeOptions> = {}): Promise<DrivenRuntime> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'aftersales-driven-'));
  const runtime = await startLocalRuntime({
    clock: 'virtual',
    startAt: new Date('2026-03-02T01:00:00.000Z'),
    // Every 5 minutes (as on AWS) costs a Lambda run per 5 virtual minutes: a test moving half a
    // year would spend minutes on it. Nothing fails here unless a test makes it fail, and tests
    // of the reconciler (test/faults) run it every 5 minutes, as deployed.
    reconcileEverySeconds: 86_400,
    ...options,
    dataDir,
    ports: {
      http: 0,
      dynamodb: 0,
      ses: 0,
      stepFunctions: 0,
      shopify: 0,
      sqs: 0,
      cognito: 0,
      scheduler: 0,
      smtp: 0,
      ...options.ports,
    },
  });
  return Object.assign(runtime, {
    dataDir,
    async api(
      method: string,
      path: string,
      body?: unknown,
      opts: { apiKey?: string | null; headers?: Record<string, string> } = {},
    ) {
      const apiKey = opts.apiKey === undefined ? runtime.demo.apiKey : opts.apiKey;
      const response = await send(`${runtime.urls.api}${path}`, {
        method,
        headers: {
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = response.text;
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      await runtime.settled();
      return { status: response.status, body: parsed as any, headers: response.headers };
    },
    async mailbox() {
      const response = await send(`${runtime.urls.ses}/store`, { method: 'GET', headers: {} });
      const store = JSON.parse(response.text) as { emails: SentEmail[] };
      return store.emails;
    },
    advance: (seconds: number) => runtime.clock.advance(seconds),
    async dispose(disposeOptions: { keepData?: boolean } = {}) {
      await runtime.stop();
      if (!disposeOptions.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * A second tenant next to the demo one (the demo's settings unless overridden), made through
 * the product's own adapters, and an admin API key for it.
 */
export async function createOtherTenant(
  tenantId: string,
  overrides: Partial<TenantSettings> = {},
): Promise<string> {
  await createTenant({ tenantId, createdAt: new Date().toISOString(), ...demoSettings, ...overrides });
  const { apiKey, stored } = mintApiKey(tenantId, 'admin', new Date());
  await createApiKey(stored);
  return apiKey;
}

/**
 * HTTP to the in-process runtime. Not `fetch`: undici times requests out with the
 * global setTimeout, which the virtual clock owns, so a request in flight while the clock
 * jumps 2 hours would time out. node:http uses Node's internal timers. Its keep-alive agent
 * matters: a request sent beside an advance of the clock is on the server before the clock
 * moves, as a new connection's would not be (the local servers keep idle connections longer
 * than the agent does, so a kept one is never reset).
 */
export function send(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method, headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer = {
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        };
        try {
          for (const observe of observers)
            observe(
              { method: init.method, url },
              { status: answer.status, contentType: res.headers['content-type'], text: answer.text },
            );
        } catch (error) {
          reject(error);
          return;
        }
        resolve(answer);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
