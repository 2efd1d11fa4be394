import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FunctionName } from '../functions/catalog.ts';
import { substitute } from '../workflows/asl.ts';
import { workflowCatalog } from '../workflows/catalog.ts';
import { settled, tracked } from './activity.ts';
import { type ClockMode, createClock, type LocalClock } from './clock.ts';
import { type DemoTenant, ensureDemoTenant } from './demo-tenant.ts';
import { ensureTable, startDynamoDb } from './dynamodb.ts';
import { type LocalRoute, startHttpApi } from './http-api.ts';
import { functionNameFromArn, invokeFunction, localFunctionArn } from './lambda.ts';
import { startSes } from './ses.ts';
import { LocalStepFunctions } from './stepfunctions/engine.ts';
import { startStepFunctionsServer } from './stepfunctions/http.ts';

export interface RuntimeOptions {
  /** Where data lives (dynalite's LevelDB, executions, the virtual clock, the demo tenant). */
  dataDir: string;
  /** 0 picks a free port (tests); npm start uses 3000, 8000, 8005, 8083. */
  ports?: { http?: number; dynamodb?: number; ses?: number; stepFunctions?: number };
  clock?: ClockMode;
  timeScale?: number;
  /** Virtual clock only, on the first start: where time begins. */
  startAt?: Date;
  /**
   * Definitions to run instead of workflows/ (still with `${Placeholders}`): the parity test
   * runs the definition taken out of the synthesized CloudFormation template.
   */
  definitions?: Partial<Record<keyof typeof workflowCatalog, string>>;
}

export interface LocalRuntime {
  urls: { api: string; dynamodb: string; ses: string; stepFunctions: string };
  clock: LocalClock;
  demo: DemoTenant;
  tableName: string;
  stateMachineArns: Record<keyof typeof workflowCatalog, string>;
  stepFunctions: LocalStepFunctions;
  /** Resolves when every piece of work in flight has finished (for tests on the real clock). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export const TABLE_NAME = 'aftersales';

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

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
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const ports = { http: 3000, dynamodb: 8000, ses: 8005, stepFunctions: 8083, ...options.ports };

  const clockFile = join(dataDir, 'clock.json');
  const savedClock = readJson<{ now: string }>(clockFile);
  const clock = createClock({
    mode: options.clock ?? 'real',
    timeScale: options.timeScale,
    // Only a virtual clock continues from where it stopped; real (or scaled real) time starts now.
    startAt:
      options.clock === 'virtual' && savedClock
        ? new Date(savedClock.now)
        : options.clock === 'virtual'
          ? options.startAt
          : undefined,
  });

  const dynamodb = await startDynamoDb({ port: ports.dynamodb, path: join(dataDir, 'dynamodb') });
  const ses = await startSes({ port: ports.ses });

  const stepFunctions = new LocalStepFunctions(
    (arn, payload) => invokeFunction(functionNameFromArn(arn), payload),
    join(dataDir, 'stepfunctions', 'executions.json'),
  );
  const sfnServer = await startStepFunctionsServer(stepFunctions, ports.stepFunctions);

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
      definition: substitute(definition, values),
    }).stateMachineArn;
  }

  const localRoutes: LocalRoute = async ({ method, path, body }) => {
    if (method === 'GET' && path === '/health') {
      return {
        status: 200,
        body: {
          status: 'ok',
          clock: { mode: clock.mode, now: clock.now().toISOString() },
          components: health,
        },
      };
    }
    if (path === '/_local/clock' && method === 'GET')
      return { status: 200, body: { now: clock.now().toISOString(), mode: clock.mode } };
    if (path === '/_local/clock/advance' && method === 'POST') {
      if (clock.mode !== 'virtual')
        return {
          status: 409,
          body: { error: { code: 'ClockNotVirtual', message: 'Start with --clock=virtual to move time' } },
        };
      let seconds: unknown;
      try {
        seconds = (JSON.parse(body || '{}') as { seconds?: unknown }).seconds;
      } catch {
        return {
          status: 400,
          body: { error: { code: 'MalformedJson', message: 'The request body is not valid JSON' } },
        };
      }
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        return {
          status: 422,
          body: {
            error: {
              code: 'ValidationFailed',
              message: 'seconds must be a non-negative number',
              fields: { seconds: ['a non-negative number'] },
            },
          },
        };
      }
      const at = await clock.advance(seconds);
      writeFileSync(clockFile, JSON.stringify({ now: at.toISOString() }));
      return { status: 200, body: { now: at.toISOString() } };
    }
    return undefined;
  };
  const api = await startHttpApi(ports.http, localRoutes);

  const tableName = TABLE_NAME;
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    AWS_ENDPOINT_URL_SES: ses.endpoint,
    // The SESv2 client ignores AWS_ENDPOINT_URL_SES.
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_SFN: sfnServer.endpoint,
    TABLE_NAME: tableName,
    MAIL_FROM: 'service@demo.example',
    PUBLIC_BASE_URL: api.url,
    LINK_SIGNING_SECRET: persistentSecret(join(dataDir, 'link-signing-secret')),
    ...Object.fromEntries(
      Object.entries(workflowCatalog).map(([key, w]) => [
        w.arnVariable,
        stateMachineArns[key as keyof typeof workflowCatalog],
      ]),
    ),
  });

  await ensureTable(new DynamoDBClient({ endpoint: dynamodb.endpoint }), tableName);
  const demo = await ensureDemoTenant(
    join(dataDir, 'demo-tenant.json'),
    () => ({
      shopify: randomBytes(24).toString('hex'),
      woocommerce: randomBytes(24).toString('hex'),
      generic: randomBytes(24).toString('hex'),
    }),
    clock.now(),
  );
  const health = {
    dynamodb: dynamodb.endpoint,
    ses: ses.endpoint,
    stepFunctions: sfnServer.endpoint,
    api: api.url,
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
      void tracked(() => invokeFunction('campaigns', {}))
        .catch((error: unknown) => console.error('[campaigns]', error))
        .finally(scheduleCampaigns);
    }, nextMidnight - nowMs);
    (campaignTimer as { unref?: () => void }).unref?.();
  };
  scheduleCampaigns();

  return {
    urls: { api: api.url, dynamodb: dynamodb.endpoint, ses: ses.endpoint, stepFunctions: sfnServer.endpoint },
    clock,
    demo,
    tableName,
    stateMachineArns,
    stepFunctions,
    settled,
    async stop() {
      stopped = true;
      clearTimeout(campaignTimer);
      await settled();
      await api.close();
      await stepFunctions.stop();
      await sfnServer.close();
      if (clock.mode === 'virtual')
        writeFileSync(clockFile, JSON.stringify({ now: clock.now().toISOString() }));
      await ses.close();
      await dynamodb.close();
      clock.uninstall();
    },
  };
}
