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
 * virtual hour, and on average) times a burst's duration on AWS (its time here, side by side
 * bursts counted once, plus a round trip per DynamoDB call: bench/cost-model.ts).
 *
 * The lifecycles are shared out over one runtime per core (each its own process, tenant and
 * table, as AWS shares load over hosts), planned from one seeded draw so the mix does not depend
 * on how many: each shard returns its raw totals and this process adds them up.
 */

import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { completionDeadline, responseDeadline } from '#domain/deadlines.ts';
import { getRequest, requestTimeline } from '#functions/adapters/requests.ts';
import { capacityConsumed } from '#functions/adapters/table.ts';
import { alarmedLogMessages } from '#functions/shared/alarmed-logs.ts';
import { lifecycleHistory } from '#infra/operator/tenants.ts';
import { completionReport, repairRequest } from '#local/driver/lifecycle.ts';
import { send, startDrivenRuntime } from '#local/driver/runtime.ts';
import { invocationStats, invokeFunction } from '#local/lambda.ts';
import { awsBurstSeconds, type Consumption, costTotals, printCostModel } from './cost-model.ts';
import { interceptLogLines } from './log-lines.ts';

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
const END = 30 * DAY;
const HOURS = END / HOUR;
/**
 * Timers due within this many seconds fire together, and staff actions planned this close run
 * together: a month runs at the machine's speed, not one timer's latency at a time. Every
 * wake-up still fires at most this late, well inside Scheduler's own minute (and the 60 s the
 * check below allows).
 */
const WINDOW = 30;

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

/** A quantity over (virtual) time: its peak and its mean. */
interface Stats {
  peak: number;
  mean: number;
}

interface Planned {
  at: number; // seconds from the start
  act: () => Promise<void>;
}

/**
 * What one shard measured: totals (not per lifecycle, as in Consumption), which add up over
 * shards.
 */
export interface ShardResult
  extends Pick<
    Consumption,
    | 'bursts'
    | 'burstSeconds'
    | 'transitions'
    | 'lambdaMilliseconds'
    | 'dynamoDbCalls'
    | 'tableWriteUnits'
    | 'indexWriteUnits'
    | 'readUnits'
    | 'emails'
    | 'apiCalls'
    | 'logBytes'
  > {
  lifecycles: number;
  fired: number;
  created: number;
  deleted: number;
  invocations: number;
  reconcilerPasses: number;
  idlePassReadUnits: number;
  expected: number;
  late: number;
  missed: number;
  /** Bursts started in each virtual hour (the busiest one sizes the concurrency). */
  burstsByHour: number[];
  /** Live wake-up schedules at the end of each virtual hour. */
  wakeUpsByHour: number[];
  /** The shard's resident memory at the end of the month (its runtime and all it holds). */
  rssBytes: number;
  /** The heap still in use after a full collection: what the run keeps, not what V8 has not yet freed. */
  liveHeapBytes: number;
  /** Bursts that failed or timed out (the reconciler starts another), and the first errors. */
  burstsUnsuccessful: number;
  burstErrors: string[];
  /** Log lines an operator's alarm counts (functions/shared/alarmed-logs.ts), by message, and the first few. */
  alarms: Record<string, number>;
  alarmLines: string[];
  /** Times the clock moved on while work was in flight, and the virtual seconds it moved (local/clock.ts). */
  stalls: number;
  stalledSeconds: number;
  /** What was in flight at the first few, by what it is. */
  stalledWith: Record<string, number>[];
  /** Histories of the first subjects that went wrong, for the report. */
  diagnoses: string[];
}

export interface ShardProgress {
  elapsed: number;
  done: number;
  planned: number;
}

/** Runs the lifecycles numbered `shard` modulo `shards` on a runtime of its own. */
export async function runShard(
  lifecycles: number,
  shard: number,
  shards: number,
  onProgress: (progress: ShardProgress) => void,
): Promise<ShardResult> {
  const runtime = await startDrivenRuntime({
    reconcileEverySeconds: 300,
    timerWindowSeconds: WINDOW,
    faultProxies: false,
    persist: false,
    sockets: false,
  });
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
  // Every shard draws the whole plan (the same numbers in the same order) and keeps its share.
  const plan: Planned[] = [];
  const watched: { requestId?: string; scenario: Scenario }[] = [];
  for (let i = 0; i < lifecycles; i++) {
    const ours = i % shards === shard;
    const push = (planned: Planned) => void (ours && plan.push(planned));
    const scenario = pick(next());
    const arrival = Math.floor(next() * 20 * DAY);
    const subject: (typeof watched)[number] = { scenario };
    if (ours) watched.push(subject);
    if (scenario === 'feedback') {
      push({
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
      push({
        at: arrival + Math.floor((1 + next() * 3) * DAY),
        act: async () => {
          await call('POST', `/v1/feedback/${subject.requestId}/resolve`, {
            result: 'We apologised and trained the team',
          });
        },
      });
      continue;
    }
    push({
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
    push({
      at: arrival + acknowledgeAfter,
      act: async () => void (await call('POST', `/v1/requests/${subject.requestId}/acknowledge`)),
    });
    const completeAfter = acknowledgeAfter + Math.floor((4 + next() * 44) * HOUR);
    push({
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
    push({
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
  // bursts and live wake-ups are counted by the hour.
  const burstsByHour = new Array<number>(HOURS).fill(0);
  const wakeUpsByHour = new Array<number>(HOURS).fill(0);
  let burstsSeen = runtime.stepFunctions.executionsStarted();
  const burstsBefore = burstsSeen;
  const burstSecondsBefore = runtime.stepFunctions.executionBusySeconds();
  const expressLogBytesBefore = runtime.stepFunctions.expressLogBytes();
  const transitionsBefore = runtime.stepFunctions.stateTransitions();
  const firedBefore = runtime.scheduler.fired();
  const scheduleCallsBefore = runtime.scheduler.calls();
  const mailBefore = (await runtime.mailbox()).length;
  const capacityBefore = capacityConsumed();
  const invocationsBefore = invocationStats();
  // Our functions' log lines (Powertools writes warnings and errors to stderr, the rest to stdout)
  // are counted (CloudWatch bills their bytes), not shown; the ones an operator is alarmed on are
  // counted by message, and the first few kept for the report. Anything else shows.
  let logBytes = 0;
  const alarms: Record<string, number> = {};
  const alarmLines: string[] = [];
  const alarmed = Object.values(alarmedLogMessages).map(({ message }) => message);
  const stopCountingLogLines = interceptLogLines((line, bytes) => {
    logBytes += bytes;
    for (const message of alarmed) {
      if (!line.includes(`"message":"${message}"`)) continue;
      alarms[message] = (alarms[message] ?? 0) + 1;
      if (alarmLines.length < 10) alarmLines.push(line.trim());
    }
  });
  let done = 0;
  let elapsed = 0;
  while (elapsed < END) {
    const target = Math.min(plan[done]?.at ?? END, elapsed + HOUR, END);
    if (target > elapsed) {
      await runtime.advance(target - elapsed);
      elapsed = target;
    }
    const due: Planned[] = [];
    while (done < plan.length && plan[done]!.at <= elapsed + WINDOW) due.push(plan[done++]!);
    for (let i = 0; i < due.length; i += 16) await Promise.all(due.slice(i, i + 16).map((p) => p.act()));
    // Not settled(): work waiting on a virtual timer (an SDK retry's backoff, a request timeout)
    // would wait for ever; advancing by nothing gives up on it after a stall, and the next
    // advance fires its timer.
    await runtime.advance(0);
    const startedNow = runtime.stepFunctions.executionsStarted();
    const hour = Math.min(HOURS - 1, Math.floor(Math.max(0, elapsed - 1) / HOUR));
    burstsByHour[hour]! += startedNow - burstsSeen;
    burstsSeen = startedNow;
    wakeUpsByHour[hour] = runtime.scheduler.schedules().length;
    onProgress({ elapsed, done, planned: plan.length });
  }
  await runtime.advance(0);
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
  const beforeIdlePass = capacityConsumed();
  await invokeFunction('reconciler', {});
  const idlePassReadUnits = capacityConsumed().readUnits - beforeIdlePass.readUnits;
  const idlePassCalls = capacityConsumed().calls - beforeIdlePass.calls;
  stopCountingLogLines();
  const scheduleCalls = runtime.scheduler.calls();

  // Escalations as due: every response or completion promise still unmet at a level's time
  // must have that level's step within a minute of it (demo ladder: level 1 at once, level 2 at +2 h).
  // Read from the table (not through the API, which would cost a fifth of a lifecycle per check).
  let late = 0;
  let missed = 0;
  let expected = 0;
  const lateOrMissed: string[] = [];
  const check = async (requestId: string) => {
    const request = (await getRequest(runtime.demo.tenantId, requestId))!;
    const timeline = await requestTimeline(request);
    const receivedAt = new Date(request.receivedAt);
    const deadlines = {
      response: responseDeadline(receivedAt, request.terms),
      completion: completionDeadline(receivedAt, request.terms),
    };
    const kept = { response: request.acknowledgedAt, completion: request.completedAt };
    for (const promise of ['response', 'completion'] as const) {
      const deadline = deadlines[promise].getTime() / 1000;
      for (const [level, delay] of [
        [1, 0],
        [2, 2 * HOUR],
      ] as const) {
        const dueAt = deadline + delay + 1;
        const keptAt = kept[promise] ? Date.parse(kept[promise]) / 1000 : Number.POSITIVE_INFINITY;
        if (keptAt <= dueAt || dueAt > start + END) continue;
        expected += 1;
        const step = timeline.find(
          (e) => e.type === 'escalated' && e.details?.promise === promise && e.details?.level === level,
        );
        if (!step) missed += 1;
        else if (Date.parse(step.at) / 1000 - dueAt > 60) late += 1;
        else continue;
        lateOrMissed.push(requestId);
      }
    }
  };
  const requestIds = watched.flatMap((w) => (w.requestId?.startsWith('sr_') ? [w.requestId] : []));
  for (let i = 0; i < requestIds.length; i += 16) await Promise.all(requestIds.slice(i, i + 16).map(check));

  // What an operator would read first: the whole history of the first subject restarted by the
  // reconciler and of the first request with a late or missed escalation.
  const diagnoses: string[] = [];
  const restarted = alarmLines.find((line) => line.includes(alarmedLogMessages.lifecycleRestarted.message));
  const firstRestarted = (() => {
    try {
      return restarted
        ? (JSON.parse(restarted.split('\n')[0]!) as { kind: 'request' | 'feedback'; id: string })
        : undefined;
    } catch {
      return undefined; // not one whole line: the report still shows the line itself
    }
  })();
  for (const [why, subject] of [
    ['restarted by the reconciler', firstRestarted],
    [
      'an escalation late or missed',
      lateOrMissed[0] ? { kind: 'request' as const, id: lateOrMissed[0] } : undefined,
    ],
  ] as const) {
    if (!subject) continue;
    const history = await lifecycleHistory(runtime.demo.tenantId, subject.kind, subject.id).catch(
      (error: Error) => ({ error: error.message }),
    );
    const lines =
      'error' in history
        ? [history.error]
        : [
            `status ${history.status}, generation ${history.generation}, next wake-up ${history.nextWakeUp?.at ?? 'none'}`,
            ...history.timeline.map(
              (event) => `${event.at} ${event.type} ${event.details ? JSON.stringify(event.details) : ''}`,
            ),
          ];
    diagnoses.push(
      [`${subject.kind} ${subject.id} (${why}):`, ...lines.map((line) => `    ${line}`)].join('\n'),
    );
  }
  const unsuccessful = runtime.stepFunctions.executionsUnsuccessful();
  const stalls = runtime.clock.stalls();
  const result: ShardResult = {
    lifecycles: watched.length,
    bursts: runtime.stepFunctions.executionsStarted() - burstsBefore,
    burstSeconds: runtime.stepFunctions.executionBusySeconds() - burstSecondsBefore,
    transitions: runtime.stepFunctions.stateTransitions() - transitionsBefore,
    fired: runtime.scheduler.fired() - firedBefore,
    created: scheduleCalls.created - scheduleCallsBefore.created,
    deleted: scheduleCalls.deleted - scheduleCallsBefore.deleted,
    invocations,
    lambdaMilliseconds,
    dynamoDbCalls: capacityAfter.calls - capacityBefore.calls - reconcilerPasses * idlePassCalls,
    reconcilerPasses,
    idlePassReadUnits,
    tableWriteUnits: capacityAfter.tableWriteUnits - capacityBefore.tableWriteUnits,
    indexWriteUnits: Object.fromEntries(
      Object.entries(capacityAfter.indexWriteUnits).map(([index, units]) => [
        index,
        units - (capacityBefore.indexWriteUnits[index] ?? 0),
      ]),
    ),
    readUnits: capacityAfter.readUnits - capacityBefore.readUnits - reconcilerPasses * idlePassReadUnits,
    emails: (await runtime.mailbox()).length - mailBefore,
    apiCalls,
    logBytes: logBytes + runtime.stepFunctions.expressLogBytes() - expressLogBytesBefore,
    expected,
    late,
    missed,
    burstsByHour,
    wakeUpsByHour,
    rssBytes: process.memoryUsage().rss,
    liveHeapBytes: liveHeapBytes(),
    burstsUnsuccessful: unsuccessful.FAILED + unsuccessful.TIMED_OUT + unsuccessful.ABORTED,
    burstErrors: unsuccessful.firstErrors,
    alarms,
    alarmLines,
    stalls: stalls.count,
    stalledSeconds: stalls.virtualSeconds,
    stalledWith: stalls.inFlight,
    diagnoses,
  };
  await runtime.dispose();
  return result;
}

/** The totals of all shards (hour by hour for what is sampled by the hour). */
function addUp(results: ShardResult[]): ShardResult {
  const total = structuredClone(results[0]!);
  for (const result of results.slice(1)) {
    for (const [key, value] of Object.entries(result) as [keyof ShardResult, unknown][]) {
      if (typeof value === 'number') (total[key] as number) += value;
    }
    for (const [index, units] of Object.entries(result.indexWriteUnits))
      total.indexWriteUnits[index] = (total.indexWriteUnits[index] ?? 0) + units;
    for (const [message, count] of Object.entries(result.alarms))
      total.alarms[message] = (total.alarms[message] ?? 0) + count;
    total.burstErrors.push(...result.burstErrors);
    total.diagnoses.push(...result.diagnoses);
    total.alarmLines.push(...result.alarmLines);
    total.stalledWith.push(...result.stalledWith);
    result.burstsByHour.forEach((n, hour) => {
      total.burstsByHour[hour]! += n;
    });
    result.wakeUpsByHour.forEach((n, hour) => {
      total.wakeUpsByHour[hour]! += n;
    });
  }
  // Each shard passes on its own clock: a deployment has one reconciler.
  total.reconcilerPasses = results[0]!.reconcilerPasses;
  total.idlePassReadUnits = results[0]!.idlePassReadUnits;
  total.rssBytes = Math.max(...results.map((result) => result.rssBytes));
  total.liveHeapBytes = Math.max(...results.map((result) => result.liveHeapBytes));
  return total;
}

/**
 * `npm run bench -- simulation [lifecycles] [shards]`: the shards (one per core by default) run
 * as child processes of this one, which draws their progress as one bar and prints the tables.
 */
export async function simulate(lifecycles: number, shards = availableParallelism()): Promise<void> {
  const started = performance.now();
  const progress = new Map<number, ShardProgress>();
  let shown = -1;
  const draw = () => {
    const elapsed = Math.min(...[...progress.values()].map((p) => p.elapsed));
    const done = [...progress.values()].reduce((sum, p) => sum + p.done, 0);
    const planned = [...progress.values()].reduce((sum, p) => sum + p.planned, 0);
    const percent = Math.floor((100 * elapsed) / END);
    // A terminal gets a bar redrawn in place; a log, a line every 10%.
    if (percent === shown || (!process.stderr.isTTY && percent % 10 !== 0)) return;
    shown = percent;
    const bar = '█'.repeat(Math.round(percent * 0.3)).padEnd(30, '░');
    const line = `  ${bar} day ${(elapsed / DAY).toFixed(1).padStart(4)} · ${done}/${planned} actions · ${((performance.now() - started) / 1000).toFixed(0)} s`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
  const results = await Promise.all(
    Array.from({ length: shards }, (_, shard) => {
      progress.set(shard, { elapsed: 0, done: 0, planned: 0 });
      return new Promise<ShardResult>((resolve, reject) => {
        const child = fork(
          new URL('./run.ts', import.meta.url),
          ['simulation-shard', String(lifecycles), String(shard), String(shards)],
          // --expose-gc: the shard reports the heap it keeps after a full collection.
          { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
        );
        child.on('message', (message: { progress?: ShardProgress; result?: ShardResult }) => {
          if (message.progress) {
            progress.set(shard, message.progress);
            draw();
          }
          if (message.result) resolve(message.result);
        });
        child.on('exit', (code) => reject(new Error(`simulation shard ${shard} exited with ${code}`)));
        child.on('error', reject);
      });
    }),
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;
  report(addUp(results), lifecycles, shards, seconds);
}

/** The heap in use after a full collection, where the process allows one (--expose-gc). */
function liveHeapBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** In a shard's process: runs it and sends its progress and totals to the parent. */
export async function simulateShard(lifecycles: number, shard: number, shards: number): Promise<void> {
  const result = await runShard(lifecycles, shard, shards, (progress) => process.send?.({ progress }));
  await new Promise<void>((resolve) => process.send?.({ result }, () => resolve()));
}

function report(total: ShardResult, lifecycles: number, shards: number, seconds: number): void {
  const perMonth = (lifecycles * 30) / 20;
  const scale = 100_000_000 / perMonth;
  const statsRow = (name: string, stats: Stats) => ({
    measure: name,
    peak: String(Number(stats.peak.toPrecision(3))),
    mean: String(Number(stats.mean.toPrecision(3))),
    'peak at 100M/month': Math.round(stats.peak * scale).toLocaleString('en'),
    'mean at 100M/month': Math.round(stats.mean * scale).toLocaleString('en'),
  });
  const burstSeconds = total.burstSeconds / Math.max(1, total.bursts);
  const wakeUps: Stats = {
    peak: Math.max(...total.wakeUpsByHour),
    mean: total.wakeUpsByHour.reduce((a, b) => a + b, 0) / HOURS,
  };
  const consumption: Consumption = {
    bursts: total.bursts / lifecycles,
    burstSeconds,
    transitions: total.transitions / lifecycles,
    schedulesFired: total.fired / lifecycles,
    lambdaInvocations: total.invocations / lifecycles,
    lambdaMilliseconds: total.lambdaMilliseconds / lifecycles,
    dynamoDbCalls: total.dynamoDbCalls / lifecycles,
    tableWriteUnits: total.tableWriteUnits / lifecycles,
    indexWriteUnits: Object.fromEntries(
      Object.entries(total.indexWriteUnits).map(([index, units]) => [index, units / lifecycles]),
    ),
    readUnits: total.readUnits / lifecycles,
    emails: total.emails / lifecycles,
    apiCalls: total.apiCalls / lifecycles,
    logBytes: total.logBytes / lifecycles,
  };
  const onAws = awsBurstSeconds(consumption);
  const open: Stats = {
    peak: (Math.max(...total.burstsByHour) / HOUR) * onAws,
    mean: (total.bursts / END) * onAws,
  };
  console.log(
    `\nSimulation: ${lifecycles} lifecycles arriving over 20 days, 30 virtual days, in ${seconds.toFixed(0)} s on ${shards} runtime${shards === 1 ? '' : 's'} (${MIX.map(([s, p]) => `${s} ${p * 100}%`).join(', ')})`,
  );
  console.table([
    statsRow("open executions (bursts × their seconds, Little's law)", open),
    statsRow('live wake-up schedules (at the end of each hour)', wakeUps),
  ]);
  const per = (n: number) => (n / lifecycles).toFixed(1);
  console.table(
    Object.entries({
      'bursts started (per lifecycle)': `${total.bursts} (${per(total.bursts)})`,
      'ms per burst: here (one at a time) / on AWS (+ DynamoDB round trips)': `${(burstSeconds * 1000).toFixed(0)} / ${(onAws * 1000).toFixed(0)}`,
      'DynamoDB calls per lifecycle': consumption.dynamoDbCalls.toFixed(1),
      'state transitions (per lifecycle)': `${total.transitions} (${per(total.transitions)})`,
      'wake-ups created / deleted / fired (per lifecycle)': `${per(total.created)} / ${per(total.deleted)} / ${per(total.fired)}`,
      'Lambda invocations per lifecycle': consumption.lambdaInvocations.toFixed(1),
      'reconciler passes (fixed: every 5 minutes, whatever the volume)': `${total.reconcilerPasses}, ${total.idlePassReadUnits.toFixed(1)} read units each when idle`,
      'DynamoDB write units per lifecycle (table + indexes)': (
        consumption.tableWriteUnits + Object.values(consumption.indexWriteUnits).reduce((a, b) => a + b, 0)
      ).toFixed(1),
      'DynamoDB read units per lifecycle': consumption.readUnits.toFixed(1),
      'log bytes per lifecycle': consumption.logBytes.toFixed(0),
      'emails per lifecycle': consumption.emails.toFixed(1),
      'memory of the largest runtime at the end (RSS; heap live after a full GC)': `${(total.rssBytes / 2 ** 20).toFixed(0)} MiB; ${(total.liveHeapBytes / 2 ** 20).toFixed(0)} MiB`,
      'escalation steps due': String(total.expected),
      'of them late (> 60 s)': String(total.late),
      'of them missed': String(total.missed),
      'bursts failed or timed out (the reconciler starts another)': String(total.burstsUnsuccessful),
      'clock moved on past work in flight (times, virtual seconds)': `${total.stalls}, ${total.stalledSeconds.toFixed(0)} s`,
      'alarmed log lines (functions/shared/alarmed-logs.ts)':
        Object.entries(total.alarms)
          .map(([message, count]) => `${message}: ${count}`)
          .join('; ') || 'none',
    }).map(([measure, value]) => ({ measure, value })),
  );
  // What an operator would look into first: the bursts' errors and the alarmed lines themselves.
  for (const line of [...total.burstErrors, ...total.alarmLines].slice(0, 10))
    console.log(`  ${line.slice(0, 400)}`);
  for (const diagnosis of total.diagnoses.slice(0, 4)) console.log(`  ${diagnosis}`);
  for (const inFlight of total.stalledWith.slice(0, 3)) {
    const what = Object.entries(inFlight).map(([name, count]) => `${name} ×${count}`);
    console.log(`  in flight when the clock moved on: ${what.join(', ') || 'nothing tracked'}`);
  }
  printCostModel(
    `Cost per 1,000 lifecycles of this mix on AWS (${costTotals(consumption).withoutEmails.toFixed(4)} USD without the contract's emails; goal ≤ 0.10)`,
    consumption,
  );
}
