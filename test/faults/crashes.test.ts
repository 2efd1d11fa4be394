import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestIdForDelivery } from '#functions/shared/intake.ts';
import { signGeneric } from '#functions/storefronts/signatures.ts';
import { repairRequest } from '#local/driver/lifecycle.ts';
import { type ChildRuntime, startChildRuntime } from '../support/child-runtime.ts';
import { send } from '../support/runtime.ts';
import { hasLiveLifecycle, injectFault, levelOneEscalations, liveLifecycles, report } from './support.ts';

/**
 * The runtime itself killed mid-work (`kill -9`, as a crash or an OOM kill would) and started
 * again on the same data directory, from outside: every due escalation in the mailbox at least
 * once, every breach once, no request without a running lifecycle.
 */
const START = '2026-03-02T01:00:00.000Z';
const HOUR = 3600;
let dataDir: string;
let current: ChildRuntime | undefined;

afterEach(async () => {
  current?.process.kill('SIGKILL');
  await current?.exited;
  current = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

const fresh = () => {
  dataDir = mkdtempSync(join(tmpdir(), 'aftersales-crash-'));
};

async function start(): Promise<ChildRuntime> {
  current = await startChildRuntime({ dataDir, startAt: START, reconcileEverySeconds: 300 });
  return current;
}

async function crash(runtime: ChildRuntime): Promise<void> {
  runtime.process.kill('SIGKILL');
  await runtime.exited;
  current = undefined;
}

/** The Step Functions and Scheduler endpoints and the state machine ARN of a child runtime (banner, naming). */
function lifecyclesOf(runtime: ChildRuntime) {
  const endpoint = (name: string) => new RegExp(`${name}\\s+(http:\\/\\/\\S+)`).exec(runtime.output())![1]!;
  return {
    urls: { stepFunctions: endpoint('Step Functions'), scheduler: endpoint('Scheduler') },
    arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:service-request',
  };
}

async function checkRequests(runtime: ChildRuntime, requestIds: string[]) {
  const mail = await runtime.mailbox();
  const { urls, arn } = lifecyclesOf(runtime);
  const running = await liveLifecycles(urls, arn);
  let lost = 0;
  let duplicates = 0;
  let breachesWrong = 0;
  let unwatched = 0;
  for (const requestId of requestIds) {
    const copies = levelOneEscalations(mail, requestId);
    if (copies === 0) lost += 1;
    duplicates += Math.max(0, copies - 1);
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    if (request.breaches?.filter((b: { promise: string }) => b.promise === 'response').length !== 1)
      breachesWrong += 1;
    if (!hasLiveLifecycle(running, requestId)) unwatched += 1;
  }
  return { lost, duplicates, breachesWrong, unwatched };
}

describe('kill -9', () => {
  it('during a wave of 60 escalations: after a restart every level-1 email goes out, each breach once', async () => {
    fresh();
    let runtime = await start();
    const requestIds: string[] = [];
    for (let i = 0; i < 60; i++) {
      const created = await runtime.api('POST', '/v1/requests', repairRequest({ description: `Wave ${i}` }));
      requestIds.push(created.body.requestId);
    }
    await runtime.advance(2 * HOUR - 5);
    // The deadline passes for all 60 at once; the runtime dies in the middle of the wave.
    const wave = runtime.advance(10).catch(() => undefined);
    let sentBeforeCrash = 0;
    for (let i = 0; i < 400 && sentBeforeCrash < 15; i++) {
      await new Promise((r) => setTimeout(r, 10));
      sentBeforeCrash = (await runtime.mailbox()).length;
    }
    await crash(runtime);
    await wave;
    expect(sentBeforeCrash).toBeGreaterThan(0);
    expect(sentBeforeCrash).toBeLessThan(60);

    runtime = await start();
    await runtime.advance(15 * 60);
    const result = await checkRequests(runtime, requestIds);
    report({
      fault: 'kill -9 in the middle of a wave of 60 escalations',
      survived: result.lost === 0 && result.breachesWrong === 0 && result.unwatched === 0,
      emailsDue: 60,
      emailsLost: result.lost,
      duplicates: result.duplicates,
      notes: `${sentBeforeCrash} sent before the crash`,
    });
    expect(result).toEqual({ lost: 0, duplicates: result.duplicates, breachesWrong: 0, unwatched: 0 });
  });

  it('during a burst of 50 webhooks: every delivery answered 202 becomes a watched request, and the storefront’s redelivery makes the rest', async () => {
    fresh();
    let runtime = await start();
    let answered = 0;
    const secret = /generic ([0-9a-f]+)/.exec(runtime.output())![1]!;
    /** Signed when sent, as a storefront does (the runtime's clock, which a restart keeps). */
    let signedAt = new Date(START);
    const deliver = (i: number) => {
      const body = JSON.stringify({
        kind: 'technical_support',
        customer: { name: `Burst ${i}`, email: `burst.${i}@customer.example` },
        description: `Burst delivery ${i}`,
      });
      const target = runtime;
      return send(`${target.urls.api}/v1/webhooks/demo/generic`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-signature': signGeneric(body, `burst-${i}`, secret, signedAt),
          'idempotency-key': `burst-${i}`,
        },
        body,
      }).then(
        (r) => {
          if (r.status === 202) answered += 1;
          return { i, status: r.status };
        },
        () => ({ i, status: 0 }),
      );
    };
    // The request each delivery makes is named by its Idempotency-Key.
    const requestOf = (i: number) => requestIdForDelivery('demo', 'generic', `burst-${i}`);
    const burst = Promise.all(Array.from({ length: 50 }, (_, i) => deliver(i)));
    // Killed when some have been answered and others are still in flight.
    for (let i = 0; i < 1000 && answered < 10; i++) await new Promise((r) => setTimeout(r, 5));
    await crash(runtime);
    const answers = await burst;
    const kept = answers.filter((a) => a.status === 202).map((a) => requestOf(a.i));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(50);

    // A 202 means kept: after the restart (and the inbox's visibility timeout), each is a request.
    runtime = await start();
    await runtime.advance(10 * 60);
    const { urls, arn } = lifecyclesOf(runtime);
    let running = await liveLifecycles(urls, arn);
    const keptButUnwatched = kept.filter((id) => !hasLiveLifecycle(running, id));

    // The storefront delivers again what was not answered (as Shopify and WooCommerce do): every
    // delivery ends as exactly one request, each with a running lifecycle.
    const clock = await send(`${runtime.urls.api}/_local/clock`, { method: 'GET', headers: {} });
    signedAt = new Date((JSON.parse(clock.text) as { now: string }).now);
    const redelivered = await Promise.all(Array.from({ length: 50 }, (_, i) => deliver(i)));
    await runtime.advance(60);
    running = await liveLifecycles(urls, arn);
    const requestIds = Array.from({ length: 50 }, (_, i) => requestOf(i));
    const unwatched = requestIds.filter((id) => !hasLiveLifecycle(running, id));
    const listed = (await runtime.api('GET', '/v1/requests?limit=200')).body.items as {
      customer?: { name: string };
    }[];
    const burstRequests = listed.filter((r) => r.customer?.name.startsWith('Burst ')).length;
    report({
      fault: 'kill -9 during a burst of 50 webhooks',
      survived:
        keptButUnwatched.length === 0 &&
        redelivered.every((a) => a.status === 202) &&
        burstRequests === 50 &&
        unwatched.length === 0,
      emailsDue: 0,
      emailsLost: 0,
      duplicates: Math.max(0, burstRequests - 50),
      notes: `${kept.length} answered 202 before the crash, all made and watched after it; redelivered: 50 requests, each watched`,
    });
    expect(keptButUnwatched).toEqual([]);
    expect(redelivered.filter((a) => a.status !== 202)).toEqual([]);
    // Delivered twice (or three times): one request each, not a second one.
    expect(burstRequests).toBe(50);
    expect(unwatched).toEqual([]);
  });

  it('while SES hangs on a due escalation: the interrupted send is made after the restart', async () => {
    fresh();
    let runtime = await start();
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await injectFault(runtime.urls.api, { component: 'ses', mode: 'hang' });
    await runtime.advance(2 * HOUR + 1).catch(() => undefined);
    await crash(runtime);

    runtime = await start();
    await runtime.advance(15 * 60);
    const result = await checkRequests(runtime, [requestId]);
    const timeline = (await runtime.api('GET', `/v1/requests/${requestId}`)).body.timeline.map(
      (e: { type: string }) => e.type,
    );
    report({
      fault: 'ses hang, then kill -9, then restart',
      survived: result.lost === 0 && result.unwatched === 0,
      emailsDue: 1,
      emailsLost: result.lost,
      duplicates: result.duplicates,
      notes: 'the claim left "sending" is sent again after its lease',
    });
    expect(result.lost).toBe(0);
    expect(timeline.filter((t: string) => t === 'escalated')).toHaveLength(1);
  });

  it('with its wake-ups file cut short: it starts, says it is healthy, and every open request is watched again', async () => {
    fresh();
    let runtime = await start();
    const requestIds: string[] = [];
    for (let i = 0; i < 5; i++)
      requestIds.push((await runtime.api('POST', '/v1/requests', repairRequest())).body.requestId);
    await runtime.advance(60);
    // The local Scheduler saves its file 100 ms (real time) after a change: the wake-ups are in it.
    const file = join(dataDir, 'schedules.json');
    for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
    await crash(runtime);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));

    runtime = await start();
    const health = await send(`${runtime.urls.api}/health`, { method: 'GET', headers: {} });
    expect(health.status).toBe(200);
    await runtime.advance(2 * HOUR + 15 * 60);
    const result = await checkRequests(runtime, requestIds);
    report({
      fault: 'wake-ups file cut in half',
      survived: result.lost === 0 && result.unwatched === 0 && result.breachesWrong === 0,
      emailsDue: requestIds.length,
      emailsLost: result.lost,
      duplicates: result.duplicates,
      notes: 'set aside; the reconciler started a burst for every overdue lifecycle',
    });
    expect(result).toEqual({ lost: 0, duplicates: 0, breachesWrong: 0, unwatched: 0 });
  });
});
