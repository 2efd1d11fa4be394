/**
 * `npm run bench`: prints tables of what the local runtime measures on this machine —
 * intake throughput, lifecycle throughput, storefront deliveries' answer time, bundle size and init time per function, the
 * working calendar's computations, the staff console's JavaScript, and a cost model per 1,000 requests on AWS built from the
 * measured transition and call counts.
 * Numbers, not assertions: nothing here fails a build.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { parseHolidayNotice } from '#domain/holiday-notice.ts';
import { satisfactionReport } from '#domain/satisfaction-report.ts';
import {
  addWorkingDays,
  calendarDays,
  type WorkingCalendar,
  workingTimeBetween,
} from '#domain/working-calendar.ts';
import { mintApiKey } from '#functions/adapters/api-keys.ts';
import { scheduleCustomer } from '#functions/adapters/customers.ts';
import { capacityConsumed, keys, putItem, query } from '#functions/adapters/table.ts';
import { createApiKey, createTenant } from '#functions/adapters/tenants.ts';
import { type FunctionName, functionCatalog } from '#functions/catalog.ts';
import { demoSettings } from '#local/demo-tenant.ts';
import { completionReport, lifecycleHistory, repairRequest } from '#local/driver/lifecycle.ts';
import { type DrivenRuntime, send, startDrivenRuntime } from '#local/driver/runtime.ts';
import { invocationStats, invokeFunction } from '#local/lambda.ts';
import { consoleDist, ensureConsoleBuilt } from '#web/build.ts';
import { consoleBench } from './console.ts';
import { type Consumption, fixedMonthlyCosts, printCostModel } from './cost-model.ts';
import { inboundMailBench } from './inbound-mail.ts';
import { interceptLogLines } from './log-lines.ts';
import { pool, quantile } from './measure.ts';
import { simulate, simulateShard } from './simulation.ts';
import { webhookBench } from './webhooks.ts';

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function intakeAndLifecycle(runtime: DrivenRuntime) {
  const intake: Record<string, string>[] = [];
  for (const concurrency of [1, 16]) {
    const count = 200;
    const started = performance.now();
    const latencies = await pool(count, concurrency, async () => {
      const t = performance.now();
      // Raw HTTP, not runtime.api(): that one waits for the whole system to go quiet after each call.
      const response = await send(`${runtime.urls.api}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runtime.demo.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(repairRequest()),
      });
      if (response.status !== 201) throw new Error(`intake failed: ${response.status}`);
      return performance.now() - t;
    });
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    await runtime.settled();
    intake.push({
      concurrency: String(concurrency),
      requests: String(count),
      'requests/s': (count / seconds).toFixed(0),
      p50: ms(quantile(latencies, 0.5)),
      p95: ms(quantile(latencies, 0.95)),
    });
  }
  console.log('\nIntake: POST /v1/requests (store + start the lifecycle), local runtime, one process');
  console.table(intake);

  const lifecycles = 50;
  // What the lifecycles consume, measured: DynamoDB's reported capacity, Lambda invocations and
  // their time, the log bytes our functions write, the emails sent.
  const capacityBefore = capacityConsumed();
  const invocationsBefore = invocationStats();
  const mailBefore = (await runtime.mailbox()).length;
  const burstsBefore = runtime.stepFunctions.executionsStarted();
  const burstSecondsBefore = runtime.stepFunctions.executionBusySeconds();
  const firedBefore = runtime.scheduler.fired();
  // The functions' log lines, as CloudWatch would bill them.
  let logBytes = 0;
  const stopCountingLogLines = interceptLogLines((_line, bytes) => {
    logBytes += bytes;
  });
  const started = performance.now();
  const ids = await pool(lifecycles, 8, async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    await runtime.api('POST', `/v1/requests/${requestId}/dispatch`, {
      technicianId: 'tech-wang',
      mode: 'on_site',
    });
    const now = new Date(Date.now());
    await runtime.api('POST', `/v1/requests/${requestId}/complete`, completionReport(now, now));
    await runtime.api('POST', `/v1/requests/${requestId}/survey`, {
      serviceScore: 5,
      goodsScore: 5,
      recommendScore: 10,
    });
    return requestId as string;
  });
  const seconds = (performance.now() - started) / 1000;
  await runtime.settled();
  stopCountingLogLines();
  const capacityAfter = capacityConsumed();
  const invocationsAfter = invocationStats();
  const histories = await Promise.all(ids.slice(0, 5).map((id) => lifecycleHistory(runtime, id)));
  // What a lifecycle leaves in the table: its partition's items, and its list-index projection
  // (its item less the timeline). Sizes as JSON: about DynamoDB's (names and values).
  const storedBytes = await Promise.all(
    ids.slice(0, 5).map(async (id) => {
      const { items } = await query<Record<string, unknown>>({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.request('demo', id).pk },
      });
      const size = (item: object) => Buffer.byteLength(JSON.stringify(item));
      const main = items.find((item) => item.sk === 'REQUEST') ?? {};
      const { timeline: _timeline, ...listed } = main;
      return items.reduce((sum, item) => sum + size(item), 0) + size(listed);
    }),
  );
  const transitions = histories.map((bursts) => bursts.reduce((sum, b) => sum + b.states.length, 0));
  const per = (n: number) => n / lifecycles;
  let invocations = 0;
  let milliseconds = 0;
  for (const [name, after] of invocationsAfter) {
    const before = invocationsBefore.get(name) ?? { count: 0, milliseconds: 0 };
    invocations += after.count - before.count;
    milliseconds += after.milliseconds - before.milliseconds;
  }
  const indexWrites = Object.fromEntries(
    Object.entries(capacityAfter.indexWriteUnits).map(([index, units]) => [
      index,
      per(units - (capacityBefore.indexWriteUnits[index] ?? 0)),
    ]),
  );
  const bursts = runtime.stepFunctions.executionsStarted() - burstsBefore;
  const measured: Consumption = {
    bursts: per(bursts),
    burstSeconds: (runtime.stepFunctions.executionBusySeconds() - burstSecondsBefore) / bursts,
    schedulesFired: per(runtime.scheduler.fired() - firedBefore),
    transitions: Math.max(...transitions),
    lambdaInvocations: per(invocations),
    lambdaMilliseconds: per(milliseconds),
    dynamoDbCalls: per(capacityAfter.calls - capacityBefore.calls),
    tableWriteUnits: per(capacityAfter.tableWriteUnits - capacityBefore.tableWriteUnits),
    indexWriteUnits: indexWrites,
    readUnits: per(capacityAfter.readUnits - capacityBefore.readUnits),
    emails: per((await runtime.mailbox()).length - mailBefore),
    apiCalls: 5,
    // Our functions' log lines, the state machine's (level ALL: each history event), and one
    // API access-log line per call.
    logBytes:
      per(logBytes) +
      histories.reduce((sum, bursts) => sum + bursts.reduce((bytes, b) => bytes + b.logBytes, 0), 0) /
        histories.length +
      5 * 220,
    storedBytes: storedBytes.reduce((a, b) => a + b, 0) / storedBytes.length,
  };
  const memory = process.memoryUsage();
  console.log(
    '\nLifecycle: receive → acknowledge → dispatch → complete → record + survey emailed → answered → closed (8 concurrent)',
  );
  console.table([
    {
      lifecycles: String(lifecycles),
      'lifecycles/s': (lifecycles / seconds).toFixed(1),
      'bursts each': measured.bursts.toFixed(1),
      'ms per burst': (measured.burstSeconds * 1000).toFixed(0),
      'transitions each': String(Math.max(...transitions)),
      'RSS after': `${(memory.rss / 2 ** 20).toFixed(0)} MiB`,
      'heap used after': `${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
    },
  ]);
  return measured;
}

/**
 * The daily run (functions/campaigns) is one sequential pass over every tenant: how long a
 * tenant with nothing due costs, and how long each periodic survey sent costs, bound how many
 * fit in one invocation (its timeout is 900 s). Runs against the runtime already started:
 * the adapters and invokeFunction are bound to it.
 */
async function dailyRun(runtime: DrivenRuntime) {
  const tenants = 300;
  await pool(tenants, 16, async (i) =>
    createTenant({ tenantId: `bench-${i}`, createdAt: new Date().toISOString(), ...demoSettings }),
  );
  // The schedule's invocation queues one message per tenant; the queue then runs each tenant in
  // its own invocation (local/sqs.ts delivers them as the event source mapping would, at once).
  let started = performance.now();
  const { tenantsQueued } = (await invokeFunction('campaigns', {})) as { tenantsQueued: number };
  const queueMs = performance.now() - started;
  await runtime.settled();
  const idleMs = performance.now() - started;

  const customers = 200;
  await createTenant({
    tenantId: 'bench-surveys',
    createdAt: new Date().toISOString(),
    ...demoSettings,
    periodicSurveyEveryDays: 30,
  });
  const servedAt = new Date(Date.now() - 31 * 86_400_000);
  await pool(customers, 16, (i) =>
    scheduleCustomer(
      'bench-surveys',
      'periodicSurvey',
      { name: `C${i}`, email: `c${i}@bench.example` },
      servedAt,
      30,
    ),
  );
  started = performance.now();
  const busy = (await invokeFunction('campaigns', { tenantId: 'bench-surveys' })) as { surveysSent: number };
  const busyMs = performance.now() - started;
  // The reconciler looks at every tenant's overdue watches every 5 minutes: its cost per tenant
  // when nothing is overdue (the healthy case) bounds how many tenants one run can cover.
  started = performance.now();
  const reconciled = (await invokeFunction('reconciler', {})) as { checked: number };
  const reconcilerMs = performance.now() - started;
  console.log(
    '\nDaily run (campaigns) on the local runtime: queued by one invocation, one invocation per tenant',
  );
  console.table([
    {
      run: `${tenantsQueued} tenants queued by the schedule's invocation`,
      total: ms(queueMs),
      each: `${(queueMs / tenantsQueued).toFixed(2)} ms per tenant`,
      'fits in 900 s': `${Math.floor((900_000 / queueMs) * tenantsQueued)} tenants`,
    },
    {
      run: `${tenantsQueued} tenants run from the queue, nothing due`,
      total: ms(idleMs),
      each: `${(idleMs / tenantsQueued).toFixed(1)} ms per tenant (with the queueing)`,
      'fits in 900 s': 'each tenant has its own 900 s',
    },
    {
      run: `1 tenant, ${busy.surveysSent} periodic surveys due`,
      total: ms(busyMs),
      each: `${(busyMs / busy.surveysSent).toFixed(1)} ms per survey`,
      'fits in 900 s': `${Math.floor((900_000 / busyMs) * busy.surveysSent)} surveys`,
    },
  ]);
  console.log('\nReconciler, one invocation on the local runtime (every 5 minutes on AWS)');
  console.table([
    {
      run: `${tenantsQueued + 1} tenants, ${reconciled.checked} watches overdue`,
      total: ms(reconcilerMs),
      each: `${(reconcilerMs / (tenantsQueued + 1)).toFixed(1)} ms per tenant`,
      'fits in its 300 s': `${Math.floor((300_000 / reconcilerMs) * (tenantsQueued + 1))} tenants`,
    },
  ]);
}

/**
 * GET /v1/reports/satisfaction over two busy years (the longest range it takes): 10,000 surveys
 * after requests, 2,000 periodic surveys, 2,000 feedback cases, written straight into the table
 * as the product writes them. Lambda answers at most 6 MB and API Gateway waits at most 30 s.
 */
async function reportOverTwoYears(runtime: DrivenRuntime) {
  const tenantId = 'bench-report';
  await createTenant({ tenantId, createdAt: new Date().toISOString(), ...demoSettings });
  const start = Date.parse('2024-01-01T00:00:00Z');
  const at = (i: number, spread: number) => new Date(start + (i / spread) * 730 * 86_400_000).toISOString();
  const answer = (i: number) =>
    i % 2 === 0
      ? {
          serviceScore: 1 + (i % 5),
          goodsScore: 1 + ((i * 7) % 5),
          recommendScore: i % 11,
          serviceOpinion: 'ok',
        }
      : undefined;
  const surveys = 10_000;
  const periodic = 2_000;
  const feedback = 2_000;
  const seeded = performance.now();
  await pool(surveys, 32, (i) =>
    putItem({
      pk: `TENANT#${tenantId}#REQUEST#sr_bench${i}`,
      sk: 'REQUEST',
      gsi2pk: `TENANT#${tenantId}#SURVEYS`,
      gsi2sk: `${at(i, surveys)}#sr_bench${i}`,
      kind: ['repair', 'return', 'replacement'][i % 3],
      survey: { invitedAt: at(i, surveys), language: 'zh-CN', ...(answer(i) ? { answer: answer(i) } : {}) },
      timeline: Array.from({ length: 8 }, (_, j) => ({
        at: at(i, surveys),
        type: `event-${j}`,
        actor: 'system',
      })),
    }),
  );
  await pool(periodic, 32, (i) =>
    putItem({
      pk: `TENANT#${tenantId}#SURVEY#ps_bench${i}`,
      sk: 'SURVEY',
      gsi2pk: `TENANT#${tenantId}#PERIODIC-SURVEYS`,
      gsi2sk: `${at(i, periodic)}#ps_bench${i}`,
      tenantId,
      surveyId: `ps_bench${i}`,
      customer: { name: `C${i}`, email: `c${i}@bench.example` },
      language: 'zh-CN',
      invitedAt: at(i, periodic),
      reminderAt: at(i, periodic),
      expiresAt: at(i, periodic),
      ...(answer(i) ? { answer: answer(i), answeredAt: at(i, periodic) } : {}),
    }),
  );
  await pool(feedback, 32, (i) =>
    putItem({
      pk: `TENANT#${tenantId}#FEEDBACK#fb_bench${i}`,
      sk: 'FEEDBACK',
      gsi2pk: `TENANT#${tenantId}#FEEDBACK`,
      gsi2sk: `${at(i, feedback)}#fb_bench${i}`,
      feedbackId: `fb_bench${i}`,
      requestKind: 'repair',
      receivedAt: at(i, feedback),
      dueAt: new Date(Date.parse(at(i, feedback)) + 7 * 86_400_000).toISOString(),
      ...(i % 3 === 0
        ? {
            resolution: {
              result: 'done',
              changes: `Change ${i}`,
              resolvedAt: at(i + 1, feedback),
              resolvedBy: 'x',
            },
          }
        : {}),
    }),
  );
  const seedSeconds = (performance.now() - seeded) / 1000;
  const { apiKey, stored } = mintApiKey(tenantId, 'manager', new Date());
  await createApiKey(stored);
  const rows: Record<string, string>[] = [];
  for (const format of ['json', 'csv']) {
    const t = performance.now();
    const response = await send(
      `${runtime.urls.api}/v1/reports/satisfaction?from=2024-01-01&to=2025-12-30&format=${format}`,
      { method: 'GET', headers: { authorization: `Bearer ${apiKey}` } },
    );
    rows.push({
      format,
      status: String(response.status),
      time: ms(performance.now() - t),
      'answer size': `${(Buffer.byteLength(response.text) / 1024).toFixed(0)} KiB`,
      limits: '30 s, 6 MB',
    });
  }
  console.log(
    `\nSatisfaction report over two years (${surveys} request surveys, ${periodic} periodic, ${feedback} feedback cases; seeded in ${seedSeconds.toFixed(0)} s)`,
  );
  console.table(rows);
}

const IMPORT_RUNS = 7;

/**
 * Import times of a bundle and of its bare handler, each by a fresh Node process, taken in turns
 * (after one warm-up of each) so that both see the same file cache and the same load on the
 * machine: the medians, and the median of the pairs' ratios (steadier than a ratio of medians).
 */
function importTimes(dir: string, name: string, bundle: string, bare: string) {
  const probe = (label: string, file: string) => {
    const path = join(dir, `${name}-${label}-probe.mjs`);
    writeFileSync(
      path,
      `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`,
    );
    return () =>
      Number(execFileSync(process.execPath, [path], { env: { ...process.env, TABLE_NAME: 'x' } }).toString());
  };
  const [ours, theirs] = [probe('bundle', bundle), probe('bare', bare)];
  ours();
  theirs();
  const pairs = Array.from({ length: IMPORT_RUNS }, () => [ours(), theirs()] as const);
  const median = (values: number[]) =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  return {
    bundle: median(pairs.map(([b]) => b)),
    bare: median(pairs.map(([, b]) => b)),
    ratio: median(pairs.map(([b, bare]) => b / bare)),
  };
}

const BUNDLE_GOAL_KIB = 150;
const IMPORT_GOAL_RATIO = 1.5;

async function bundles() {
  // Inside the project, so the bundles' `import '@aws-sdk/…'` resolves from node_modules as on Lambda.
  const dir = resolve('node_modules/.cache/aftersales-bench');
  mkdirSync(dir, { recursive: true });
  const rows: Record<string, string>[] = [];
  for (const name of Object.keys(functionCatalog) as FunctionName[]) {
    const outfile = join(dir, `${name}.mjs`);
    const result = await build({
      entryPoints: [resolve(import.meta.dirname, '..', functionCatalog[name].entry)],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      external: ['@aws-sdk/*'],
      // As infra/constructs/service-function.ts bundles them.
      mainFields: ['module', 'main'],
      charset: 'utf8',
      outfile,
      metafile: true,
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const output = Object.values(result.metafile.outputs)[0]!;
    // The bare handler: the same AWS SDK clients (the runtime provides them; every implementation
    // pays for them) and nothing of ours. The ratio is what our code and its libraries add.
    const sdkImports = [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))];
    const bare = join(dir, `${name}-bare.mjs`);
    writeFileSync(
      bare,
      `${sdkImports.map((path) => `import ${JSON.stringify(path)};`).join('\n')}\nexport const handler = async () => ({});\n`,
    );
    const times = importTimes(dir, name, outfile, bare);
    const kib = output.bytes / 1024;
    rows.push({
      function: name,
      'bundle (minified)': `${kib.toFixed(0)} KiB${kib > BUNDLE_GOAL_KIB ? ' (over goal)' : ''}`,
      [`import (median of ${IMPORT_RUNS})`]: ms(times.bundle),
      'bare handler, same SDK clients': ms(times.bare),
      ratio: `${times.ratio.toFixed(2)}×${times.ratio > IMPORT_GOAL_RATIO ? ' (over goal)' : ''}`,
    });
  }
  console.log(
    `\nFunctions: bundle size (AWS SDK external; goal ≤ ${BUNDLE_GOAL_KIB} KiB) and import time in a fresh process (goal ≤ ${IMPORT_GOAL_RATIO}× the bare handler)`,
  );
  console.table(rows);
}

/**
 * The domain's heavier pure computations: the working calendar on instants spread over
 * 2025–2027 (2027 is estimated), and the satisfaction report over a busy tenant's two years.
 */
function domainComputations() {
  const calendar: WorkingCalendar = {
    timeZone: 'Asia/Shanghai',
    weekendDays: [0, 6],
    chinaPublicHolidays: true,
    closures: ['2026-03-03'],
    extraWorkingDays: [],
  };
  const start = Date.parse('2025-01-01T00:00:00Z');
  const span = 3 * 365 * 86_400_000 - 120 * 86_400_000;
  const instant = (i: number) => new Date(start + ((i * 7_919_993_117) % span));
  const notice = readFileSync(
    resolve(import.meta.dirname, '../local/samples/holiday-notices/2026.txt'),
    'utf8',
  );
  const invitedAt = (i: number) => new Date(start + i * 6_300_000).toISOString();
  const surveys = Array.from({ length: 10_000 }, (_, i) => ({
    kind: ['repair', 'return', 'replacement'][i % 3]!,
    invitedAt: invitedAt(i),
    answer:
      i % 2 === 0
        ? {
            serviceScore: 1 + (i % 5),
            goodsScore: 4,
            recommendScore: i % 11,
            serviceOpinion: undefined,
            goodsOpinion: undefined,
          }
        : undefined,
  }));
  const feedback = Array.from({ length: 2000 }, (_, i) => ({
    feedbackId: `fb_${i}`,
    kind: 'repair',
    receivedAt: invitedAt(i * 5),
    dueAt: new Date(Date.parse(invitedAt(i * 5)) + 7 * 86_400_000).toISOString(),
  }));
  const cases: [string, (i: number) => unknown, number][] = [
    ['addWorkingDays, 5 days (7.2.1)', (i) => addWorkingDays(calendar, instant(i), 5), 2000],
    [
      'addWorkingDays, 60 days (the most a contract allows)',
      (i) => addWorkingDays(calendar, instant(i), 60),
      2000,
    ],
    [
      'workingTimeBetween, 30 days apart',
      (i) => workingTimeBetween(calendar, instant(i), new Date(instant(i).getTime() + 30 * 86_400_000)),
      2000,
    ],
    [
      'calendarDays, one year (GET /v1/calendar)',
      () => calendarDays(calendar, '2026-06-01', '2027-05-31'),
      2000,
    ],
    ['parseHolidayNotice, the 2026 notice', () => parseHolidayNotice(notice), 2000],
    [
      'satisfactionReport, 10,000 surveys + 2,000 feedback cases',
      () => satisfactionReport(surveys, feedback, 'Asia/Shanghai', new Date()),
      20,
    ],
  ];
  const rows = cases.map(([name, run, calls]) => {
    for (let i = 0; i < Math.min(calls, 200); i++) run(i); // warm up (formatters, statutory-year cache)
    const t = performance.now();
    for (let i = 0; i < calls; i++) run(i);
    const perCall = (performance.now() - t) / calls;
    return {
      computation: name,
      'per call': perCall >= 1 ? ms(perCall) : `${(perCall * 1000).toFixed(1)} µs`,
      'calls/s': (1000 / perCall).toFixed(0),
    };
  });
  console.log('\nDomain computations (pure functions, one core)');
  console.table(rows);
}

/**
 * The staff console's JavaScript as a browser downloads it (#15: the first page ≤ 200 KB gzipped):
 * what index.html loads at once, and each chunk loaded later with its page.
 */
async function consoleBundle() {
  await ensureConsoleBuilt();
  const index = readFileSync(join(consoleDist, 'index.html'), 'utf8');
  const initial = new Set(
    [...index.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!),
  );
  const assets = readdirSync(join(consoleDist, 'assets')).map((name) => `assets/${name}`);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const rows = assets
    .map((asset) => {
      const bytes = readFileSync(join(consoleDist, asset));
      return {
        file: asset,
        loaded: initial.has(asset) ? 'first page' : 'with its page',
        bytes: bytes.length,
        gzipped: gzipSync(bytes, { level: 9 }).length,
      };
    })
    .sort((a, b) => a.loaded.localeCompare(b.loaded) || b.gzipped - a.gzipped);
  const firstJs = rows
    .filter((r) => r.loaded === 'first page' && r.file.endsWith('.js'))
    .reduce((sum, r) => sum + r.gzipped, 0);
  console.log(`\nStaff console (web/dist): first page's JavaScript ${kib(firstJs)} gzipped (budget 200 KiB)`);
  console.table(rows.map((r) => ({ ...r, bytes: kib(r.bytes), gzipped: kib(r.gzipped) })));
}

// `npm run bench -- simulation [lifecycles] [shards]`: a month of mixed lifecycles (bench/simulation.ts).
if (process.argv[2] === 'simulation') {
  await simulate(Number(process.argv[3] ?? 10_000), process.argv[4] ? Number(process.argv[4]) : undefined);
  process.exit(0);
}
if (process.argv[2] === 'simulation-shard') {
  const [lifecycles, shard, shards] = process.argv.slice(3).map(Number) as [number, number, number];
  await simulateShard(lifecycles, shard, shards);
  process.exit(0);
}

// `npm run bench -- bundles` prints only the functions' and the console's tables (seconds, not minutes).
if (process.argv[2] === 'inbound') {
  await inboundMailBench();
  process.exit(0);
}

// `npm run bench -- console [open requests]`: the staff console in Chromium with a big queue.
if (process.argv[2] === 'console') {
  await consoleBench(process.argv[3] ? Number(process.argv[3]) : undefined);
  process.exit(0);
}

// `npm run bench -- webhooks`: storefront deliveries' answer time with the inbox in the path.
if (process.argv[2] === 'webhooks') {
  const runtime = await startDrivenRuntime();
  await webhookBench(runtime);
  await runtime.dispose();
  process.exit(0);
}

if (process.argv[2] === 'bundles') {
  await bundles();
  await consoleBundle();
  process.exit(0);
}
const runtime = await startDrivenRuntime();
const consumption = await intakeAndLifecycle(runtime);
const costTitle =
  'Cost per 1,000 on-time requests on AWS, from what one lifecycle consumed (measured; CloudFront and WAF add about $1.60 per million API calls, not a lifecycle cost)';
/** What the stack costs a month whatever its volume (53 alarms: the synthesized stack's count). */
function printFixedCosts(): void {
  const rows = fixedMonthlyCosts(53);
  console.log('\nFixed costs a month, whatever the volume');
  console.table([
    ...rows.map((row) => ({
      item: row.item,
      quantity: row.quantity,
      'USD a month': row.usdPer1000.toFixed(2),
    })),
    { item: 'total', quantity: '', 'USD a month': rows.reduce((sum, r) => sum + r.usdPer1000, 0).toFixed(2) },
  ]);
}

// `npm run bench -- lifecycle`: intake, the lifecycle and the cost model only.
if (process.argv[2] === 'lifecycle') {
  await runtime.dispose();
  printCostModel(costTitle, consumption);
  printFixedCosts();
  process.exit(0);
}
// A tenant's daily run logs a line: 300 of them would bury the tables (Powertools resets a
// logger's level at each invocation, so the lines are held back here instead).
const showLogLines = interceptLogLines(() => undefined);
await webhookBench(runtime);
await dailyRun(runtime);
showLogLines();
await reportOverTwoYears(runtime);
await runtime.dispose();
domainComputations();
await inboundMailBench();
await bundles();
await consoleBundle();
printCostModel(costTitle, consumption);
printFixedCosts();
process.exit(0);
