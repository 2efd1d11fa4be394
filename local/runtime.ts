import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { timers as realTimers } from '@sinonjs/fake-timers';
import { DAILY_RUN_QUEUE, type FunctionName, STOREFRONT_INBOX_QUEUE } from '#functions/catalog.ts';
import { ensureConsoleBuilt } from '#web/build.ts';
import { substitute } from '#workflows/asl.ts';
import { workflowCatalog } from '#workflows/catalog.ts';
import { settled, tracked, workInFlight } from './activity.ts';
import { type ClockMode, createClock, type LocalClock } from './clock.ts';
import { serveConsole } from './console.ts';
import { controlRoutes, type RuntimeHealth } from './control-routes.ts';
import { type DemoTenant, ensureDemoTenant } from './demo-tenant.ts';
import { ensureTable, type LocalDynamoDb, startDynamoDb } from './dynamodb.ts';
import { FaultRegistry } from './faults.ts';
import { startHttpApi } from './http-api.ts';
import { functionNameFromArn, invokeFunction, localFunctionArn } from './lambda.ts';
import { type LocalScheduler, startLocalScheduler } from './scheduler.ts';
import { startSes } from './ses.ts';
import { type LocalShopify, startShopify } from './shopify.ts';
import { demoShop } from './shopify-demo-shop.ts';
import { type LocalSmtp, startLocalSmtp } from './smtp.ts';
import { type SqsRecord, startLocalQueues } from './sqs.ts';
import { ensureStaffPool } from './staff-pool.ts';
import { LocalStepFunctions } from './stepfunctions/engine.ts';
import { startStepFunctionsServer } from './stepfunctions/http.ts';

export interface RuntimeOptions {
  /** Where data lives (dynalite's LevelDB, executions, the virtual clock, the demo tenant). */
  dataDir: string;
  /** 0 picks a free port (tests); npm start uses 3000, 8000, 8005, 8083, 8090, 8091, 8092, 9229. */
  ports?: {
    http?: number;
    dynamodb?: number;
    ses?: number;
    stepFunctions?: number;
    shopify?: number;
    /** The daily run's queue (local/sqs.ts); a restart in one process passes the previous port. */
    sqs?: number;
    /** The Cognito stand-in (local/cognito.ts): staff sign-in. */
    cognito?: number;
    /** The EventBridge Scheduler stand-in (local/scheduler.ts): one-time schedules, fired on the clock. */
    scheduler?: number;
    /** SES receiving's stand-in (local/smtp.ts): customers' emails to reply addresses. */
    smtp?: number;
    /**
     * The fault proxies the handlers call through (free ports by default). A runtime restarted
     * in the same process passes the previous ones: handlers' SDK clients keep their endpoint.
     */
    handlerSide?: {
      dynamodb: number;
      ses: number;
      stepFunctions: number;
      shopify: number;
      scheduler?: number;
    };
  };
  clock?: ClockMode;
  timeScale?: number;
  /** Virtual clock only, on the first start: where time begins. */
  startAt?: Date;
  /**
   * Definitions to run instead of workflows/ (still with `${Placeholders}`): the parity test
   * runs the definition taken out of the synthesized CloudFormation template.
   */
  definitions?: Partial<Record<keyof typeof workflowCatalog, string>>;
  /** How often the lifecycle reconciler runs, in runtime-clock seconds (AWS: every 300). */
  reconcileEverySeconds?: number;
  /** Virtual clock only: timers due this close together fire side by side (local/clock.ts). */
  timerWindowSeconds?: number;
  /**
   * false: handlers reach the components directly, without the fault proxies (a hop AWS does
   * not have; the simulation's speed). Faults can then not be injected. Default true.
   */
  faultProxies?: boolean;
  /**
   * false (with faultProxies false): the handlers' calls to DynamoDB, SES, Step Functions and
   * Scheduler reach those stand-ins in this process, without a socket (local/in-process-http.ts),
   * DynamoDB's item calls without HTTP at all (local/direct-dynamodb.ts): the simulation's speed.
   * Default true.
   */
  sockets?: boolean;
  /**
   * false: the table, the wake-up schedules, the executions and the virtual clock's time are
   * kept in memory only, not written to the data directory (a bench that never restarts).
   * Default true.
   */
  persist?: boolean;
}

export interface LocalRuntime {
  urls: {
    api: string;
    dynamodb: string;
    ses: string;
    stepFunctions: string;
    /** The local Shopify Admin API (local/shopify.ts). */
    shopify: string;
    /** The daily run's queue (local/sqs.ts). */
    sqs: string;
    /** The Cognito stand-in: staff sign in here (local/cognito.ts). */
    cognito: string;
    /** The staff console (web/), beside the API as CloudFront serves it on AWS. */
    console: string;
    /** EventBridge Scheduler's one-time schedules (local/scheduler.ts). */
    scheduler: string;
    /** Inbound mail (local/smtp.ts): `smtp://127.0.0.1:<port>`. */
    smtp: string;
    /** Where the handlers reach the components: through the fault proxies. */
    handlerSide: { dynamodb: string; ses: string; stepFunctions: string; shopify: string; scheduler: string };
  };
  /** Daily-run messages that failed every try (the deployed dead-letter queue, alarmed on). */
  dailyRunDeadLetters(): readonly SqsRecord[];
  /** Storefront deliveries that failed every try (the deployed dead-letter queue, alarmed on). */
  storefrontInboxDeadLetters(): readonly SqsRecord[];
  /** The demo shop and any other the tests add orders to. */
  shopify: LocalShopify;
  /** EventBridge Scheduler's stand-in: its live schedules, fired count and dead letters. */
  scheduler: LocalScheduler;
  /** SES receiving's stand-in: what each email sent to it became. */
  smtp: LocalSmtp;
  /** dynalite, as the handlers reach it (through its fault proxy). */
  dynamodb: LocalDynamoDb;
  clock: LocalClock;
  demo: DemoTenant;
  tableName: string;
  stateMachineArns: Record<keyof typeof workflowCatalog, string>;
  stepFunctions: LocalStepFunctions;
  /** The faults in force between the handlers and the components (`/_local/faults`). */
  faults: FaultRegistry;
  /** Resolves when every piece of work in flight has finished (for tests on the real clock). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export const TABLE_NAME = 'aftersales';
/** Our own sending address locally: its domain is a verified SES identity from the start. */
export const MAIL_FROM = 'service@demo.example';

const realSetTimeout = realTimers.setTimeout as (callback: () => void, ms: number) => unknown;

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Written aside, then renamed over: a crash never leaves half a file. */
function writeJsonAtomically(path: string, value: unknown): void {
  writeFileSync(`${path}.partial`, JSON.stringify(value));
  renameSync(`${path}.partial`, path);
}

/** How long a stop waits for work in flight (a hung call must not keep the ports forever). */
const STOP_GRACE_MS = 5_000;

/** A secret that must stay the same across restarts (signed links in sent emails keep working). */
function persistentSecret(path: string): string {
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

/**
 * Starts the whole system in this process: dynalite, local SES, the Step Functions endpoint
 * running our ASL, and the HTTP API calling the same handlers Lambda runs. Handlers find the
 * local servers through the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
export async function startLocalRuntime(options: RuntimeOptions): Promise<LocalRuntime> {
  // Refused before anything starts (the virtual clock takes the global timers as it starts).
  if (options.sockets === false && options.faultProxies !== false)
    throw new Error('sockets: false needs faultProxies: false (faults are injected on the sockets)');
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // Before the virtual clock takes the timers: Vite's build runs on the real ones.
  await ensureConsoleBuilt();
  const ports = {
    http: 3000,
    dynamodb: 8000,
    ses: 8005,
    stepFunctions: 8083,
    shopify: 8090,
    sqs: 8091,
    cognito: 9229,
    scheduler: 8092,
    smtp: 2525,
    ...options.ports,
  };

  const clockFile = join(dataDir, 'clock.json');
  const savedClock = readJson<{ now: string }>(clockFile);
  const saved = savedClock ? new Date(savedClock.now) : undefined;
  const latest = (...dates: (Date | undefined)[]) =>
    dates.reduce<Date | undefined>((a, b) => (!b ? a : !a || b > a ? b : a), undefined);
  const clock = createClock({
    mode: options.clock ?? 'real',
    timeScale: options.timeScale,
    timerWindowMs: (options.timerWindowSeconds ?? 0) * 1000,
    // Written as it moves, ahead of it: a crash resumes at or after anything the data saw.
    onMove:
      options.persist === false
        ? undefined
        : (at) => writeJsonAtomically(clockFile, { now: at.toISOString() }),
    // Never earlier than where the data was left (#34), whatever the flags: a virtual clock
    // continues from there; real or scaled time from now, or from there if it is ahead of now.
    startAt: options.clock === 'virtual' ? (saved ?? options.startAt) : latest(new Date(), saved),
  });

  // Until everything is up, /health says so (and nothing else is served).
  let health: RuntimeHealth = { status: 'starting' };

  const dynamodb = await startDynamoDb({
    port: ports.dynamodb,
    path: options.persist === false ? undefined : join(dataDir, 'dynamodb'),
    inProcess: options.sockets === false,
  });
  const ses = await startSes({
    port: ports.ses,
    mailboxPath: join(dataDir, 'mailbox.jsonl'),
    identitiesPath: join(dataDir, 'ses-identities.json'),
    ourDomain: MAIL_FROM.split('@')[1]!,
    inProcess: options.sockets === false,
  });

  // Faults between the handlers and the components (local/faults.ts), our functions' own included.
  const faults = new FaultRegistry();
  const stepFunctions = new LocalStepFunctions(
    (arn, payload) => {
      const name = functionNameFromArn(arn);
      const hang = faults.take('lambda', `${name} ${JSON.stringify(payload)}`) !== undefined;
      return invokeFunction(name, payload, { hang });
    },
    options.persist === false ? undefined : join(dataDir, 'stepfunctions', 'executions.json'),
  );
  const sfnServer = await startStepFunctionsServer(stepFunctions, ports.stepFunctions, {
    inProcess: options.sockets === false,
  });
  const shopifyAdminToken = `shpat_${persistentSecret(join(dataDir, 'shopify-admin-token'))}`;
  const shopify = await startShopify({ port: ports.shopify, shops: [demoShop(shopifyAdminToken)] });

  // The queues, delivering to their functions as Lambda's event source does: the daily run's
  // per-tenant queue, and the storefront inbox.
  const sqs = await startLocalQueues({
    port: ports.sqs,
    directory: options.persist === false ? undefined : join(dataDir, 'queues'),
    queues: [
      { name: 'daily-run', ...DAILY_RUN_QUEUE, consume: (event) => invokeFunction('campaigns', event) },
      {
        name: 'storefront-inbox',
        ...STOREFRONT_INBOX_QUEUE,
        consume: (event) => invokeFunction('storefrontInbox', event),
      },
    ],
  });
  const dailyRunQueue = sqs.queues['daily-run']!;
  const storefrontInbox = sqs.queues['storefront-inbox']!;

  // Staff sign-in: cognito-local, its pool made on the first start (infra/constructs/staff-pool.ts on AWS).
  // It depends on the AWS SDK v2, whose end-of-support notice would only be noise here.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const { startLocalCognito } = await import('./cognito.ts');
  const cognito = await startLocalCognito({ dataDir, port: ports.cognito });
  const staffPool = await ensureStaffPool(cognito.url, join(dataDir, 'staff-pool.json'));

  // Handlers reach each component through a proxy that can inject faults (local/faults.ts).
  const handlerEndpoints =
    options.faultProxies === false
      ? {
          dynamodb: dynamodb.endpoint,
          ses: ses.endpoint,
          stepFunctions: sfnServer.endpoint,
          shopify: shopify.endpoint,
        }
      : {
          dynamodb: await faults.proxy('dynamodb', dynamodb.endpoint, ports.handlerSide?.dynamodb),
          ses: await faults.proxy('ses', ses.endpoint, ports.handlerSide?.ses),
          stepFunctions: await faults.proxy(
            'stepFunctions',
            sfnServer.endpoint,
            ports.handlerSide?.stepFunctions,
          ),
          shopify: await faults.proxy('shopify', shopify.endpoint, ports.handlerSide?.shopify),
        };

  const stateMachineArns = {} as Record<keyof typeof workflowCatalog, string>;
  for (const [key, workflow] of Object.entries(workflowCatalog) as [
    keyof typeof workflowCatalog,
    (typeof workflowCatalog)[keyof typeof workflowCatalog],
  ][]) {
    const values = Object.fromEntries(
      Object.entries(workflow.functions).map(([placeholder, fn]) => [
        placeholder,
        localFunctionArn(fn as FunctionName),
      ]),
    );
    const definition = options.definitions?.[key] ?? JSON.stringify(workflow.definition);
    stateMachineArns[key] = stepFunctions.createStateMachine({
      name: workflow.stateMachineName,
      type: workflow.type,
      definition: substitute(definition, values),
    }).stateMachineArn;
  }
  // Lifecycles' wake-ups (EventBridge Scheduler on AWS), fired on the runtime's clock into Step
  // Functions: started once the state machines exist, as it fires what came due while stopped.
  const scheduler = await startLocalScheduler({
    port: ports.scheduler,
    file: options.persist === false ? undefined : join(dataDir, 'schedules.json'),
    startExecution: (request) => stepFunctions.startExecution(request),
    inProcess: options.sockets === false,
  });
  // Parks reach Scheduler through a fault proxy too (Scheduler refusing for hours: #34).
  const schedulerEndpoint =
    options.faultProxies === false
      ? scheduler.endpoint
      : await faults.proxy('scheduler', scheduler.endpoint, ports.handlerSide?.scheduler);

  // The runtime's own routes (/health, the virtual clock, faults, SES and Shopify stand-ins' data).
  const localRoutes = controlRoutes({
    health: () => health,
    clock,
    faults,
    faultProxies: options.faultProxies !== false,
    ses,
    shopify,
    // The SMTP stand-in starts after the API; these routes answer only once all is up (health).
    inboundMail: () => smtp.received,
  });
  const consoleConfig = { cognitoEndpoint: `${cognito.url}/`, clientId: staffPool.clientId };
  const api = await startHttpApi(ports.http, localRoutes, (path, response) =>
    serveConsole(path, response, consoleConfig),
  );

  const tableName = TABLE_NAME;
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: handlerEndpoints.dynamodb,
    AWS_ENDPOINT_URL_SES: handlerEndpoints.ses,
    // The SESv2 client ignores AWS_ENDPOINT_URL_SES.
    AWS_ENDPOINT_URL_SESV2: handlerEndpoints.ses,
    AWS_ENDPOINT_URL_SFN: handlerEndpoints.stepFunctions,
    AWS_ENDPOINT_URL_SCHEDULER: schedulerEndpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    DAILY_RUN_QUEUE_URL: dailyRunQueue.queueUrl,
    STOREFRONT_INBOX_QUEUE_URL: storefrontInbox.queueUrl,
    TABLE_NAME: tableName,
    MAIL_FROM,
    // Customers' answers reach the local SMTP server at the same domain (reply+<token>@…).
    INBOUND_MAIL_DOMAIN: MAIL_FROM.split('@')[1]!,
    PUBLIC_BASE_URL: api.url,
    LINK_SIGNING_SECRET: persistentSecret(join(dataDir, 'link-signing-secret')),
    STOREFRONT_SECRETS_KEY: persistentSecret(join(dataDir, 'storefront-secrets-key')),
    // Shopify Admin API calls go to the local stand-in, through its fault proxy.
    SHOPIFY_ADMIN_ORIGIN: handlerEndpoints.shopify,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
    STAFF_USER_POOL_ID: staffPool.userPoolId,
    STAFF_POOL_CLIENT_ID: staffPool.clientId,
    STAFF_TOKEN_ISSUER: `${cognito.url}/${staffPool.userPoolId}`,
    ...Object.fromEntries(
      Object.entries(workflowCatalog).map(([key, w]) => [
        w.arnVariable,
        stateMachineArns[key as keyof typeof workflowCatalog],
      ]),
    ),
  });

  // Where the operator's command (`npm run tenant -- … --local`, infra/bin/tenant.ts) finds this
  // runtime: the components themselves, not the handlers' fault proxies (an operator works on).
  writeFileSync(
    join(dataDir, 'operator-environment.json'),
    JSON.stringify({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_SFN: sfnServer.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
      STAFF_USER_POOL_ID: staffPool.userPoolId,
      TABLE_NAME: tableName,
      ...Object.fromEntries(
        Object.entries(workflowCatalog).map(([key, w]) => [
          w.arnVariable,
          stateMachineArns[key as keyof typeof workflowCatalog],
        ]),
      ),
    }),
  );
  await ensureTable(new DynamoDBClient({ endpoint: dynamodb.endpoint }), tableName);
  // Customers' emails: taken in by the inbound-mail Lambda's own code, once the table is there.
  const smtp = await startLocalSmtp({
    port: ports.smtp,
    directory: options.persist === false ? undefined : join(dataDir, 'inbound'),
    now: () => clock.now(),
    // Imported once the environment is set, as Lambda's handlers are (local/lambda.ts).
    takeIn: async (raw, envelope) =>
      (await import('#functions/inbound-mail/take-in.ts')).takeInMail(raw, envelope),
  });
  const demo = await ensureDemoTenant(
    join(dataDir, 'demo-tenant.json'),
    () => ({
      shopify: randomBytes(24).toString('hex'),
      woocommerce: randomBytes(24).toString('hex'),
      generic: randomBytes(24).toString('hex'),
    }),
    shopifyAdminToken,
    clock.now(),
    { endpoint: cognito.url, ...staffPool },
  );
  health = {
    status: 'ok',
    components: {
      dynamodb: dynamodb.endpoint,
      ses: ses.endpoint,
      stepFunctions: sfnServer.endpoint,
      shopify: shopify.endpoint,
      sqs: sqs.endpoint,
      cognito: cognito.url,
      api: api.url,
    },
  };
  stepFunctions.resumeRunningExecutions();

  // The daily schedule (EventBridge Scheduler on AWS), on the runtime's clock: virtual time
  // moving past midnight UTC runs it, like real time does.
  let campaignTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const scheduleCampaigns = () => {
    if (stopped) return;
    const nowMs = clock.now().getTime();
    const nextMidnight = Math.floor(nowMs / 86_400_000 + 1) * 86_400_000;
    campaignTimer = setTimeout(() => {
      void tracked(() => invokeFunction('campaigns', {}), 'Lambda campaigns')
        .catch((error: unknown) => console.error('[campaigns]', error))
        .finally(scheduleCampaigns);
    }, nextMidnight - nowMs);
    (campaignTimer as { unref?: () => void }).unref?.();
  };
  scheduleCampaigns();

  // The reconciler (EventBridge Scheduler every 5 minutes on AWS), on the runtime's clock too.
  const reconcileEveryMs = (options.reconcileEverySeconds ?? 300) * 1000;
  let reconcileTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleReconciler = () => {
    if (stopped) return;
    reconcileTimer = setTimeout(() => {
      void tracked(() => invokeFunction('reconciler', {}), 'Lambda reconciler')
        .catch((error: unknown) => console.error('[reconciler]', error))
        .finally(scheduleReconciler);
    }, reconcileEveryMs);
    (reconcileTimer as { unref?: () => void }).unref?.();
  };
  scheduleReconciler();

  return {
    dailyRunDeadLetters: () => dailyRunQueue.deadLetters,
    storefrontInboxDeadLetters: () => storefrontInbox.deadLetters,
    scheduler,
    smtp,
    dynamodb,
    urls: {
      api: api.url,
      sqs: sqs.endpoint,
      dynamodb: dynamodb.endpoint,
      ses: ses.endpoint,
      stepFunctions: sfnServer.endpoint,
      shopify: shopify.endpoint,
      cognito: cognito.url,
      console: `${api.url}/console/`,
      scheduler: scheduler.endpoint,
      smtp: `smtp://127.0.0.1:${smtp.port}`,
      handlerSide: { ...handlerEndpoints, scheduler: schedulerEndpoint },
    },
    shopify,
    clock,
    demo,
    tableName,
    stateMachineArns,
    stepFunctions,
    faults,
    settled: async () => {
      await settled();
    },
    async stop() {
      stopped = true;
      clearTimeout(campaignTimer);
      clearTimeout(reconcileTimer);
      // Faults lifted first, so that hung calls fail fast; then a bounded wait for the rest.
      await faults.clear();
      const quiet = await Promise.race([
        settled().then(() => true),
        new Promise<boolean>((resolve) => realSetTimeout(() => resolve(false), STOP_GRACE_MS)),
      ]);
      if (!quiet) console.error(`[runtime] stopping with ${workInFlight()} calls still in flight`);
      await api.close();
      await smtp.close();
      await scheduler.close();
      await stepFunctions.stop();
      await sfnServer.close();
      // Stopped cleanly: the exact time, not the one persisted ahead of it.
      if (options.persist !== false) writeJsonAtomically(clockFile, { now: clock.now().toISOString() });
      await faults.close();
      await ses.close();
      await shopify.close();
      await sqs.close();
      await cognito.close();
      await dynamodb.close();
      clock.uninstall();
    },
  };
}
