import { parseArgs } from 'node:util';
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
  },
});

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

const runtime = await startLocalRuntime({
  dataDir: values['data-dir']!,
  clock,
  timeScale,
  ports: { http: Number(values.port) },
});

const { urls, demo } = runtime;
console.log(`
After-sales service system: running locally
  HTTP API          ${urls.api}   (GET /health)
  Mailbox (SES)     ${urls.ses}   (every email the system sends)
  DynamoDB          ${urls.dynamodb}   (dynalite, data in ${values['data-dir']}/)
  Step Functions    ${urls.stepFunctions}   (AWS_ENDPOINT_URL_SFN)
  Clock             ${runtime.clock.mode}${timeScale > 1 ? ` ×${timeScale}` : ''}, now ${runtime.clock.now().toISOString()}${
    runtime.clock.mode === 'virtual'
      ? `\n                    POST ${urls.api}/_local/clock/advance {"seconds": 7200}`
      : ''
  }

Demo tenant "${demo.tenantId}" (also in ${values['data-dir']}/demo-tenant.json)
  API key           ${demo.apiKey}
  Managers          ${demo.managers.join(', ')}
  Webhook secrets   shopify ${demo.webhookSecrets.shopify}
                    woocommerce ${demo.webhookSecrets.woocommerce}
                    generic ${demo.webhookSecrets.generic}
  Webhooks          ${urls.api}/v1/webhooks/${demo.tenantId}/{shopify,woocommerce,generic}
  API document      ${urls.api}/v1/openapi.json
  Try               curl -s -H "Authorization: Bearer ${demo.apiKey}" ${urls.api}/v1/requests

Credentials for AWS tools against it: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
Ctrl-C to stop.
`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping (data kept; open lifecycles resume on the next start)…`);
  await runtime.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
