import { parseArgs } from 'node:util';
import { timers as realTimers } from '@sinonjs/fake-timers';
import { startLocalRuntime } from './runtime.ts';

/**
 * `npm start`: the whole system on this machine, in the foreground. Ctrl-C stops it cleanly;
 * the next start resumes every open lifecycle where it was.
 */
const { values } = parseArgs({
  options: {
    clock: { type: 'string', default: 'real' },
    'time-scale': { type: 'string', default: '1' },
    'data-dir': { type: 'string', default: '.local' },
    port: { type: 'string', default: '3000' },
    // 0 picks a free port (tests start runtimes side by side); the banner shows what was taken.
    'dynamodb-port': { type: 'string', default: '8000' },
    'ses-port': { type: 'string', default: '8005' },
    'sfn-port': { type: 'string', default: '8083' },
    'shopify-port': { type: 'string', default: '8090' },
    'sqs-port': { type: 'string', default: '8091' },
    'cognito-port': { type: 'string', default: '9229' },
    'scheduler-port': { type: 'string', default: '8092' },
    'smtp-port': { type: 'string', default: '2525' },
    /** Virtual clock only, on the first start: where time begins (ISO 8601). */
    'start-at': { type: 'string' },
    /** How often the lifecycle reconciler runs, in seconds of the runtime's clock (AWS: 300). */
    'reconcile-every': { type: 'string', default: '300' },
  },
});

const port = (name: keyof typeof values) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`--${name} must be a port number (0 for any free port)`);
    process.exit(2);
  }
  return value;
};
const startAt = values['start-at'] === undefined ? undefined : new Date(values['start-at']);
if (startAt && Number.isNaN(startAt.getTime())) {
  console.error('--start-at must be an ISO 8601 instant, e.g. 2026-03-02T01:00:00Z');
  process.exit(2);
}

const clock = values.clock === 'virtual' ? 'virtual' : 'real';
if (values.clock !== 'real' && values.clock !== 'virtual') {
  console.error(`--clock must be real or virtual (got ${values.clock})`);
  process.exit(2);
}
const timeScale = Number(values['time-scale']);
if (!Number.isFinite(timeScale) || timeScale < 1) {
  console.error('--time-scale must be a number ≥ 1');
  process.exit(2);
}

const reconcileEverySeconds = Number(values['reconcile-every']);
if (!Number.isFinite(reconcileEverySeconds) || reconcileEverySeconds < 1) {
  console.error('--reconcile-every must be a number of seconds ≥ 1');
  process.exit(2);
}

const runtime = await startLocalRuntime({
  dataDir: values['data-dir']!,
  clock,
  timeScale,
  startAt,
  reconcileEverySeconds,
  ports: {
    http: port('port'),
    dynamodb: port('dynamodb-port'),
    ses: port('ses-port'),
    stepFunctions: port('sfn-port'),
    shopify: port('shopify-port'),
    sqs: port('sqs-port'),
    cognito: port('cognito-port'),
    scheduler: port('scheduler-port'),
    smtp: port('smtp-port'),
  },
});

const { urls, demo } = runtime;
console.log(`
After-sales service system: running locally
  Staff console     ${urls.console}   (sign in as one of the staff below)
  HTTP API          ${urls.api}   (GET /health)
  Mailbox (SES)     ${urls.ses}   (every email the system sends)
  Inbound mail      ${urls.smtp}   (SES receiving stand-in: answer an email, e.g. swaks --server 127.0.0.1:${runtime.smtp.port} --to reply+…@example.com)
  Inbound received  ${urls.api}/_local/inbound-mail   (each email received, and what it became: on its request, held and why)
  DynamoDB          ${urls.dynamodb}   (dynalite, data in ${values['data-dir']}/)
  Step Functions    ${urls.stepFunctions}   (AWS_ENDPOINT_URL_SFN)
  Shopify Admin API ${urls.shopify}   (stand-in: shop ${demo.shopDomain}, token ${demo.shopifyAdminToken})
  Daily-run queue   ${urls.sqs}   (SQS stand-in: one tenant a run)
  Scheduler         ${urls.scheduler}   (EventBridge Scheduler stand-in: one-time schedules)
  Staff sign-in     ${urls.cognito}   (Cognito stand-in: pool ${demo.staffSignIn.userPoolId}, app client ${demo.staffSignIn.clientId})
  Clock             ${runtime.clock.mode}${timeScale > 1 ? ` ×${timeScale}` : ''}, now ${runtime.clock.now().toISOString()}${
    runtime.clock.mode === 'virtual'
      ? `\n                    POST ${urls.api}/_local/clock/advance {"seconds": 7200}`
      : ''
  }

Demo tenant "${demo.tenantId}" (also in ${values['data-dir']}/demo-tenant.json)
  API key           ${demo.apiKey}
  Staff sign-ins    ${demo.staffLogins.map((l) => `${l.role.padEnd(10)} ${l.name.padEnd(10)} ${l.email}  password ${l.password}`).join('\n                    ')}
                    (an ID token from the pool is a Bearer token for the API: see README, "Staff sign-in")
  Managers          ${demo.managers.join(', ')}
  Webhook secrets   shopify ${demo.webhookSecrets.shopify}
                    woocommerce ${demo.webhookSecrets.woocommerce}
                    generic ${demo.webhookSecrets.generic}
  Webhooks          ${urls.api}/v1/webhooks/${demo.tenantId}/{shopify,woocommerce,generic}
  Try a delivery    npm run deliver -- shopify-return   (Shopify's published returns/request sample, signed)
  API document      ${urls.api}/v1/openapi.json
  Try               curl -s -H "Authorization: Bearer ${demo.apiKey}" ${urls.api}/v1/requests

Credentials for AWS tools against it: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
Ctrl-C to stop.
`);

/**
 * Ctrl-C, `kill` (SIGTERM) or a closed terminal (SIGHUP) stop the whole runtime: `npm start`
 * execs node (package.json), so npm's signal reaches this process and not only a shell. A stop
 * that cannot finish (a hung call) still ends the process, and a second signal ends it at once.
 */
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`\n${signal}: stopping (data kept; open lifecycles resume on the next start)…`);
  // A real timer: the global one may be the virtual clock's, which does not move by itself.
  const force = realTimers.setTimeout(() => {
    console.error('Stop took too long; exiting anyway (data is on disk)');
    process.exit(1);
  }, 15_000) as unknown as NodeJS.Timeout;
  force.unref?.();
  await runtime.stop();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => void shutdown(signal));
