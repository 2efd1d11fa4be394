/**
 * `npm run bench -- simulation [lifecycles]`: a month of after-sales work on the local runtime's
 * virtual clock, as #17 asks to measure. Requests arrive over 20 days in a realistic mix (on time;
 * answered late; never answered; survey never answered; a feedback case), staff act when the mix
 * says, and the clock runs 30 days. It prints what an operator sizes AWS by: peak and mean open
 * executions (scaled to 100M requests a month), live schedules, executions started, state
 * transitions, emails, and every escalation that came late (> 60 s after it was due) or never.
 * Numbers, not assertions: it measures the design as it is.
 */

import { capacityConsumed } from '../functions/adapters/table.ts';
import { invocationStats } from '../local/lambda.ts';
import { completionReport, repairRequest } from '../test/support/lifecycle.ts';
import { send, startTestRuntime } from '../test/support/runtime.ts';
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
  const call = async (method: string, path: string, body?: unknown) => {
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
  const open = new TimedStats();
  const schedules = new TimedStats();
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
    open.sample(elapsed, runtime.stepFunctions.runningExecutions());
    schedules.sample(elapsed, runtime.scheduler.schedules().length);
    progress();
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  await runtime.settled();
  process.stdout.write = write;
  const capacityAfter = capacityConsumed();
  let invocations = 0;
  for (const [name, after] of invocationStats())
    invocations += after.count - (invocationsBefore.get(name)?.count ?? 0);
  const indexWrites = Object.entries(capacityAfter.indexWriteUnits).reduce(
    (sum, [index, units]) => sum + units - (capacityBefore.indexWriteUnits[index] ?? 0),
    0,
  );

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
    peak: String(stats.peak),
    mean: stats.mean.toFixed(1),
    'peak at 100M/month': Math.round(stats.peak * scale).toLocaleString('en'),
  });
  console.log(
    `\nSimulation: ${lifecycles} lifecycles arriving over 20 days, 30 virtual days, in ${seconds.toFixed(0)} s (${MIX.map(([s, p]) => `${s} ${p * 100}%`).join(', ')})`,
  );
  console.table([statsRow('open executions', open.stats()), statsRow('live schedules', schedules.stats())]);
  const per = (n: number) => (n / lifecycles).toFixed(1);
  const transitions = runtime.stepFunctions.stateTransitions();
  console.table(
    Object.entries({
      'executions started': String(runtime.stepFunctions.executionsStarted()),
      'state transitions (per lifecycle)': `${transitions} (${per(transitions)})`,
      'Lambda invocations per lifecycle': per(invocations),
      'DynamoDB write units per lifecycle (table + indexes)': per(
        capacityAfter.tableWriteUnits - capacityBefore.tableWriteUnits + indexWrites,
      ),
      'DynamoDB read units per lifecycle': per(capacityAfter.readUnits - capacityBefore.readUnits),
      'log bytes per lifecycle': per(logBytes),
      'emails per lifecycle': per((await runtime.mailbox()).length - mailBefore),
      'escalation steps due': String(expected),
      'of them late (> 60 s)': String(late),
      'of them missed': String(missed),
    }).map(([measure, value]) => ({ measure, value })),
  );
  await runtime.dispose();
}
