import { randomBytes } from 'node:crypto';
import { tracked } from './activity.ts';
import type { LocalClock } from './clock.ts';
import { type FaultRegistry, faultSchema } from './faults.ts';
import type { LocalRoute } from './http-api.ts';
import { invokeFunction } from './lambda.ts';
import type { LocalSes } from './ses.ts';
import { demoOrderSchema, type LocalShopify } from './shopify.ts';
import { DEMO_SHOP_DOMAIN } from './shopify-demo-shop.ts';
import type { LocalSmtp } from './smtp.ts';

/** What `/health` reports: starting until every component is up, then each component's state. */
export type RuntimeHealth = { status: 'starting' | 'ok'; components?: Record<string, string> };

type Answer = { status: number; body: unknown };

const localError = (
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string[]>,
): Answer => ({
  status,
  body: { error: { code, message, ...(fields ? { fields } : {}) } },
});

const parseBody = (body: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(body || '{}') };
  } catch {
    return { ok: false };
  }
};

const malformedJson = () => localError(400, 'MalformedJson', 'The request body is not valid JSON');

/**
 * The local runtime's own routes, beside the API's (local/http-api.ts): `/health`, and under
 * `/_local/` the virtual clock, injected faults, and the data of the SES and Shopify stand-ins
 * that on AWS would come from outside (a bounce, a verified domain, a shop's orders). Not routed
 * on AWS; served before the runtime's health is ok only for `/health`.
 */
export function controlRoutes(runtime: {
  health: () => RuntimeHealth;
  clock: LocalClock;
  faults: FaultRegistry;
  /** False when the runtime was started without fault proxies: faults cannot be injected. */
  faultProxies: boolean;
  ses: LocalSes;
  shopify: LocalShopify;
  /** What the inbound-mail stand-in received, and what each email became (local/smtp.ts). */
  inboundMail: () => LocalSmtp['received'];
}): LocalRoute {
  const { clock, faults, ses, shopify } = runtime;

  async function advanceClock(body: string): Promise<Answer> {
    if (clock.mode !== 'virtual')
      return localError(409, 'ClockNotVirtual', 'Start with --clock=virtual to move time');
    const parsed = parseBody(body);
    if (!parsed.ok) return malformedJson();
    const seconds = (parsed.value as { seconds?: unknown }).seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      return localError(422, 'ValidationFailed', 'seconds must be a non-negative number', {
        seconds: ['a non-negative number'],
      });
    }
    // A long advance goes a day at a time, saying how far it got (45 days are many minutes).
    const days = Math.ceil(seconds / 86_400);
    let at = clock.now();
    for (let day = 1, left = seconds; left > 0; day++, left -= 86_400) {
      at = await clock.advance(Math.min(86_400, left));
      if (days > 1) console.log(`[clock] ${at.toISOString()}: day ${day} of ${days}`);
    }
    return { status: 200, body: { now: at.toISOString() } };
  }

  async function faultsRoute(method: string, body: string): Promise<Answer> {
    if (method === 'GET') return { status: 200, body: { faults: faults.list() } };
    if (method === 'DELETE') {
      await faults.clear();
      return { status: 200, body: { faults: [] } };
    }
    if (method !== 'POST') return localError(405, 'MethodNotAllowed', 'GET, POST or DELETE');
    if (!runtime.faultProxies)
      return localError(409, 'FaultProxiesOff', 'This runtime was started without fault proxies');
    const parsed = parseBody(body);
    if (!parsed.ok) return malformedJson();
    const spec = faultSchema.safeParse(parsed.value);
    if (!spec.success) {
      const fields: Record<string, string[]> = Object.create(null);
      for (const issue of spec.error.issues) {
        const key = issue.path.join('.') || '(body)';
        fields[key] = [...(Object.hasOwn(fields, key) ? fields[key]! : []), issue.message];
      }
      return localError(422, 'ValidationFailed', 'The fault is invalid', fields);
    }
    return { status: 201, body: await faults.add(spec.data, clock.now().getTime()) };
  }

  /**
   * SES bounces and complaints, as the configuration set publishes them through SNS: the local
   * SES cannot bounce, so a demo or a test posts the SES event record and this delivers it as SNS would.
   */
  async function sesEvent(body: string): Promise<Answer> {
    const parsed = parseBody(body);
    if (!parsed.ok) return malformedJson();
    await tracked(
      () =>
        invokeFunction('emailEvents', {
          Records: [
            {
              EventSource: 'aws:sns',
              EventVersion: '1.0',
              EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:ses-events:local',
              Sns: {
                Type: 'Notification',
                MessageId: randomBytes(16).toString('hex'),
                TopicArn: 'arn:aws:sns:us-east-1:000000000000:ses-events',
                Message: JSON.stringify(parsed.value),
                Timestamp: clock.now().toISOString(),
              },
            },
          ],
        }),
      'Lambda emailEvents',
    );
    return { status: 202, body: { delivered: true } };
  }

  /** The local Shopify's data, for demos and tests: add an order (with its returns). */
  function addShopifyOrder(body: string): Answer {
    const parsed = parseBody(body);
    if (!parsed.ok) return malformedJson();
    const given = parsed.value as { shopDomain?: unknown; order?: unknown };
    const order = demoOrderSchema.safeParse(given.order);
    if (!order.success) return localError(422, 'ValidationFailed', order.error.message);
    shopify.addOrder(String(given.shopDomain ?? DEMO_SHOP_DOMAIN), order.data);
    return { status: 201, body: { order: order.data } };
  }

  /** …or change a shop's access token (an app reinstalled). */
  function setShopifyAccessToken(body: string): Answer {
    const parsed = parseBody(body);
    if (!parsed.ok) return malformedJson();
    const given = parsed.value as { shopDomain?: unknown; accessToken?: unknown };
    if (typeof given.accessToken !== 'string' || given.accessToken.length < 16)
      return localError(422, 'ValidationFailed', 'accessToken: at least 16 characters');
    shopify.setAccessToken(String(given.shopDomain ?? DEMO_SHOP_DOMAIN), given.accessToken);
    return { status: 200, body: { shopDomain: given.shopDomain ?? DEMO_SHOP_DOMAIN } };
  }

  return async ({ method, path, body }) => {
    const health = runtime.health();
    if (method === 'GET' && path === '/health') {
      return {
        status: health.status === 'ok' ? 200 : 503,
        body: { ...health, clock: { mode: clock.mode, now: clock.now().toISOString() } },
      };
    }
    if (health.status !== 'ok')
      return localError(503, 'Starting', 'The local runtime is starting; try again in a moment');
    if (path === '/_local/clock' && method === 'GET')
      return { status: 200, body: { now: clock.now().toISOString(), mode: clock.mode } };
    if (path === '/_local/clock/advance' && method === 'POST') return advanceClock(body);
    if (path === '/_local/faults') return faultsRoute(method, body);
    if (path === '/_local/ses/events' && method === 'POST') return sesEvent(body);
    // The inbound side of the mailbox (#36): each customer's email, and what it became (put on
    // its request, held and why, or failed), newest first.
    if (path === '/_local/inbound-mail' && method === 'GET')
      return { status: 200, body: { received: [...runtime.inboundMail()].reverse() } };
    // A tenant's sending domain: as if its owner published the DKIM records and SES found them.
    const dkim = /^\/_local\/ses\/identities\/([^/]+)\/dkim-records-published$/.exec(path);
    if (dkim && method === 'POST') {
      if (!ses.publishDkimRecords(decodeURIComponent(dkim[1]!)))
        return localError(404, 'NotFound', 'No SES identity names this domain');
      return { status: 200, body: { verified: true } };
    }
    if (path === '/_local/shopify/orders' && method === 'POST') return addShopifyOrder(body);
    if (path === '/_local/shopify/access-token' && method === 'PUT') return setShopifyAccessToken(body);
    return undefined;
  };
}
