/**
 * `npm run bench -- simulation [lifecycles]`: a month of after-sales work on the local runtime's
 * virtual clock, as #17 asks to measure. Requests arrive over 20 days in a realistic mix (on time;
 * answered late; never answered; survey never answered; a feedback case), staff act when the mix
 * says, and the clock runs 30 days. It prints what an operator sizes AWS by: open executions and
 * live wake-up schedules (peak and mean, scaled to 100M requests a month), bursts, state
 * transitions, emails, the cost model from what was consumed (bench/cost-model.ts), and every
 * escalation that came late (> 60 s after it was due) or never. Numbers, not assertions: it
 * measures the design as it is.
 *
 * Open executions: bursts last well under a second of real time and no virtual time, so they are
 * counted as AWS would see them, by Little's law: bursts started per second (in the busiest
 * virtual hour, and on average) times the real seconds a burst took here.
 */

import { capacityConsumed } from '../functions/adapters/table.ts';
import { invocationStats, invokeFunction } from '../local/lambda.ts';
import { completionReport, repairRequest } from '../test/support/lifecycle.ts';
import { send, startTestRuntime } from '../test/support/runtime.ts';
import { type Consumption, costTotals, printCostModel } from './cost-model.ts';
import { type Stats, TimedStats } from './simulation-stats.ts';

type Scenario = 'onTime' | 'lateResponse' | 'neverAnswered' | 'surveyUnanswered' | 'feedback';
const MIX: [Scenario, number][] = [
  ['onTime', 0.6],
  ['lateResponse', 0.15],
  ['neverAnswered', 0.05],
  ['surveyUnanswered', 0.15],
  ['feedback', 0.05],
];

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** A small seeded generator: the same mix on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The scenario a draw in [0, 1) falls in, by the mix's shares. */
function pick(draw: number): Scenario {
  let upTo = 0;
  for (const [scenario, share] of MIX) {
    upTo += share;
    if (draw < upTo) return scenario;
  }
  return 'onTime';
}

interface Planned {
  at: number; // seconds from the start
  act: () => Promise<void>;
}

export async function simulate(lifecycles: number): Promise<void> {
  const runtime = await startTestRuntime({ reconcileEverySeconds: 300 });
  const start = runtime.clock.now().getTime() / 1000;
  const next = random(2026);
  const apiKey = runtime.demo.apiKey;
  let apiCalls = 0;
  const call = async (method: string, path: string, body?: unknown) => {
    apiCalls += 1;
    const answer = await send(`${runtime.urls.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return JSON.parse(answer.text || '{}') as Record<string, any>;
  };

  // The plan: each lifecycle's arrival and what staff and customers do, at seconds from the start.
  const plan: Planned[] = [];
  const watched: { requestId?: string; scenario: Scenario }[] = [];
  for (let i = 0; i < lifecycles; i++) {
    const scenario = pick(next());
    const arrival = Math.floor(next() * 20 * DAY);
    const subject: (typeof watched)[number] = { scenario };
    watched.push(subject);
    if (scenario === 'feedback') {
      plan.push({
        at: arrival,
        act: async () => {
          const opened = await call('POST', '/v1/feedback', {
            category: 'complaint',
            customer: { name: 'Li Lei', email: `li.lei.${i}@customer.example` },
            content: 'The technician came late',
          });
          subject.requestId = opened.feedbackId;
        },
      });
      plan.push({
        at: arrival + Math.floor((1 + next() * 3) * DAY),
        act: async () => {
          await call('POST', `/v1/feedback/${subject.requestId}/resolve`, {
            result: 'We apologised and trained the team',
          });
        },
      });
      continue;
    }
    plan.push({
      at: arrival,
      act: async () => {
        const created = await call('POST', '/v1/requests', {
          ...repairRequest(),
          customer: { name: 'Zhang San', email: `zhang.san.${i}@customer.example` },
        });
        subject.requestId = created.requestId;
      },
    });
    if (scenario === 'neverAnswered') continue;
    const acknowledgeAfter =
      scenario === 'lateResponse'
        ? 2 * HOUR + Math.floor(next() * 4 * HOUR)
        : Math.floor((10 + next() * 90) * MINUTE);
    plan.push({
      at: arrival + acknowledgeAfter,
      act: async () => void (await call('POST', `/v1/requests/${subject.requestId}/acknowledge`)),
    });
    const completeAfter = acknowledgeAfter + Math.floor((4 + next() * 44) * HOUR);
    plan.push({
      at: arrival + completeAfter,
      act: async () => {
        const now = runtime.clock.now();
        await call('POST', `/v1/requests/${subject.requestId}/complete`, {
          ...completionReport(new Date(now.getTime() - HOUR * 1000), now),
          staffIds: ['tech-wang'],
        });
      },
    });
    if (scenario === 'surveyUnanswered') continue;
    plan.push({
      at: arrival + completeAfter + Math.floor((2 + next() * 70) * HOUR),
      act: async () =>
        void (await call('POST', `/v1/requests/${subject.requestId}/survey`, {
          serviceScore: 5,
          goodsScore: 4,
          recommendScore: 9,
        })),
    });
  }
  plan.sort((a, b) => a.at - b.at);

  // The run: the clock moves to each planned moment (at least every hour), actions run, and the
  // open executions are counted.
  const schedules = new TimedStats();
  // Bursts started in each virtual hour (the busiest one sizes the concurrency).
  const burstsByHour = new Map<number, number>();
  let burstsSeen = runtime.stepFunctions.executionsStarted();
  const burstsBefore = burstsSeen;
  const burstSecondsBefore = runtime.stepFunctions.executionRealSeconds();
  const expressLogBytesBefore = runtime.stepFunctions.expressLogBytes();
  const transitionsBefore = runtime.stepFunctions.stateTransitions();
  const firedBefore = runtime.scheduler.fired();
  const scheduleCallsBefore = runtime.scheduler.calls();
  const mailBefore = (await runtime.mailbox()).length;
  const capacityBefore = capacityConsumed();
  const invocationsBefore = invocationStats();
  // Our functions' log lines are counted (CloudWatch bills their bytes), not shown.
  let logBytes = 0;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    logBytes += Buffer.byteLength(chunk);
    return true;
  }) as typeof process.stdout.write;
  const started = performance.now();
  let done = 0;
  let elapsed = 0;
  const end = 30 * DAY;
  let shown = -1;
  const progress = () => {
    const percent = Math.floor((100 * elapsed) / end);
    // A terminal gets a bar redrawn in place; a log, a line every 10%.
    if (percent === shown || (!process.stderr.isTTY && percent % 10 !== 0)) return;
    shown = percent;
    const bar = '█'.repeat(Math.round(percent * 0.3)).padEnd(30, '░');
    const line = `  ${bar} day ${(elapsed / DAY).toFixed(1).padStart(4)} · ${done}/${plan.length} actions · ${((performance.now() - started) / 1000).toFixed(0)} s`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
  while (elapsed < end) {
    const target = Math.min(plan[done]?.at ?? end, elapsed + HOUR, end);
    if (target > elapsed) {
      await runtime.advance(target - elapsed);
      elapsed = target;
    }
    const due: Planned[] = [];
    while (done < plan.length && plan[done]!.at <= elapsed) due.push(plan[done++]!);
    for (let i = 0; i < due.length; i += 16) await Promise.all(due.slice(i, i + 16).map((p) => p.act()));
    await runtime.settled();
    const startedNow = runtime.stepFunctions.executionsStarted();
    const hour = Math.floor(Math.max(0, elapsed - 1) / HOUR);
    burstsByHour.set(hour, (burstsByHour.get(hour) ?? 0) + startedNow - burstsSeen);
    burstsSeen = startedNow;
    schedules.sample(elapsed, runtime.scheduler.schedules().length);
    progress();
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  await runtime.settled();
  const capacityAfter = capacityConsumed();
  // The reconciler's pass every 5 minutes is a fixed cost of the deployment (8,640 a month at any
  // volume), not of a lifecycle: its invocations are left out, and so are the reads of an idle
  // pass (measured now, on the quiet system) times the passes made. What it did for overdue
  // subjects stays in (there should be none).
  let invocations = 0;
  let lambdaMilliseconds = 0;
  let reconcilerPasses = 0;
  for (const [name, after] of invocationStats()) {
    const count = after.count - (invocationsBefore.get(name)?.count ?? 0);
    if (name === 'reconciler') {
      reconcilerPasses = count;
      continue;
    }
    invocations += count;
    lambdaMilliseconds += after.milliseconds - (invocationsBefore.get(name)?.milliseconds ?? 0);
  }
  const beforeIdlePass = capacityConsumed().readUnits;
  await invokeFunction('reconciler', {});
  const idlePassReadUnits = capacityConsumed().readUnits - beforeIdlePass;
  process.stdout.write = write;
  const indexWrites = Object.fromEntries(
    Object.entries(capacityAfter.indexWriteUnits).map(([index, units]) => [
      index,
      (units - (capacityBefore.indexWriteUnits[index] ?? 0)) / lifecycles,
    ]),
  );
  const bursts = runtime.stepFunctions.executionsStarted() - burstsBefore;
  const burstSeconds =
    (runtime.stepFunctions.executionRealSeconds() - burstSecondsBefore) / Math.max(1, bursts);
  const transitions = runtime.stepFunctions.stateTransitions() - transitionsBefore;
  const scheduleCalls = runtime.scheduler.calls();

  // Escalations as due: every response or completion promise still unmet at a level's time
  // must have that level's step within a minute of it (demo ladder: level 1 at once, level 2 at +2 h).
  let late = 0;
  let missed = 0;
  let expected = 0;
  for (const subject of watched) {
    if (!subject.requestId?.startsWith('sr_')) continue;
    const request = await call('GET', `/v1/requests/${subject.requestId}`);
    const kept = { response: request.acknowledgedAt, completion: request.completedAt } as Record<
      string,
      string
    >;
    for (const promise of ['response', 'completion'] as const) {
      const deadline = Date.parse(request.deadlines[promise]) / 1000;
      for (const [level, delay] of [
        [1, 0],
        [2, 2 * HOUR],
      ] as const) {
        const dueAt = deadline + delay + 1;
        const keptAt = kept[promise] ? Date.parse(kept[promise]) / 1000 : Number.POSITIVE_INFINITY;
        if (keptAt <= dueAt || dueAt > start + end) continue;
        expected += 1;
        const step = (
          request.timeline as { at: string; type: string; details?: Record<string, unknown> }[]
        ).find((e) => e.type === 'escalated' && e.details?.promise === promise && e.details?.level === level);
        if (!step) missed += 1;
        else if (Date.parse(step.at) / 1000 - dueAt > 60) late += 1;
      }
    }
  }

  const perMonth = (lifecycles * 30) / 20;
  const scale = 100_000_000 / perMonth;
  const statsRow = (name: string, stats: Stats) => ({
    measure: name,
    peak: String(Number(stats.peak.toPrecision(3))),
    mean: String(Number(stats.mean.toPrecision(3))),
    'peak at 100M/month': Math.round(stats.peak * scale).toLocaleString('en'),
    'mean at 100M/month': Math.round(stats.mean * scale).toLocaleString('en'),
  });
  const busiestHour = Math.max(0, ...burstsByHour.values());
  const open: Stats = {
    peak: (busiestHour / HOUR) * burstSeconds,
    mean: (bursts / end) * burstSeconds,
  };
  console.log(
    `\nSimulation: ${lifecycles} lifecycles arriving over 20 days, 30 virtual days, in ${seconds.toFixed(0)} s (${MIX.map(([s, p]) => `${s} ${p * 100}%`).join(', ')})`,
  );
  console.table([
    statsRow("open executions (bursts × their seconds, Little's law)", open),
    statsRow('live wake-up schedules', schedules.stats()),
  ]);
  const per = (n: number) => (n / lifecycles).toFixed(1);
  const consumption: Consumption = {
    bursts: bursts / lifecycles,
    burstSeconds,
    transitions: transitions / lifecycles,
    schedulesFired: (runtime.scheduler.fired() - firedBefore) / lifecycles,
    lambdaInvocations: invocations / lifecycles,
    lambdaMilliseconds: lambdaMilliseconds / lifecycles,
    tableWriteUnits: (capacityAfter.tableWriteUnits - capacityBefore.tableWriteUnits) / lifecycles,
    indexWriteUnits: indexWrites,
    readUnits:
      (capacityAfter.readUnits - capacityBefore.readUnits - reconcilerPasses * idlePassReadUnits) /
      lifecycles,
    emails: ((await runtime.mailbox()).length - mailBefore) / lifecycles,
    apiCalls: apiCalls / lifecycles,
    logBytes: (logBytes + runtime.stepFunctions.expressLogBytes() - expressLogBytesBefore) / lifecycles,
  };
  console.table(
    Object.entries({
      'bursts started (per lifecycle)': `${bursts} (${per(bursts)})`,
      'real ms per burst': (burstSeconds * 1000).toFixed(0),
      'state transitions (per lifecycle)': `${transitions} (${per(transitions)})`,
      'wake-ups created / deleted / fired (per lifecycle)': `${per(scheduleCalls.created - scheduleCallsBefore.created)} / ${per(scheduleCalls.deleted - scheduleCallsBefore.deleted)} / ${consumption.schedulesFired.toFixed(1)}`,
      'Lambda invocations per lifecycle': consumption.lambdaInvocations.toFixed(1),
      'reconciler passes (fixed: every 5 minutes, whatever the volume)': `${reconcilerPasses}, ${idlePassReadUnits.toFixed(1)} read units each when idle`,
      'DynamoDB write units per lifecycle (table + indexes)': (
        consumption.tableWriteUnits + Object.values(indexWrites).reduce((a, b) => a + b, 0)
      ).toFixed(1),
      'DynamoDB read units per lifecycle': consumption.readUnits.toFixed(1),
      'log bytes per lifecycle': consumption.logBytes.toFixed(0),
      'emails per lifecycle': consumption.emails.toFixed(1),
      'escalation steps due': String(expected),
      'of them late (> 60 s)': String(late),
      'of them missed': String(missed),
    }).map(([measure, value]) => ({ measure, value })),
  );
  printCostModel(
    `Cost per 1,000 lifecycles of this mix on AWS (${costTotals(consumption).withoutEmails.toFixed(4)} USD without the contract's emails; goal ≤ 0.10)`,
    consumption,
  );
  await runtime.dispose();
}
