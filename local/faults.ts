import { randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import * as z from 'zod';
import { listenOnLoopback } from './activity.ts';

/**
 * Faults the local runtime can inject between our handlers and its real components (local
 * only: nothing here is deployed). Every handler reaches DynamoDB, SES and Step Functions
 * through a proxy of this module, so a fault is what a real network and a real service do:
 *
 * - `refuse`: nothing listens (ECONNREFUSED) — time-bound only;
 * - `reset`: the connection is reset as the request arrives (ECONNRESET, "socket hang up");
 * - `unavailable`: HTTP 503, as a service under maintenance answers;
 * - `hang`: the request is accepted and never answered, until the fault ends;
 * - `reject`: the service refuses the request for good (SES `MessageRejected`, an
 *   `AccessDeniedException` elsewhere, Shopify's 401);
 * - `throttle`: the service asks the caller to slow down (DynamoDB and SES throttling errors,
 *   Shopify's 429 with `Retry-After: retryAfterSeconds`).
 *
 * A fault lasts `seconds` of the runtime's clock (virtual or real), or `requests` requests, or
 * until cleared; `match` limits it to requests whose body contains that text (one address).
 */
export const faultComponents = [
  'ses',
  'dynamodb',
  'stepFunctions',
  'scheduler',
  'shopify',
  'lambda',
] as const;
export type FaultComponent = (typeof faultComponents)[number];
/** Components reached over a socket, through a proxy; `lambda` is our functions, invoked in process. */
type ProxiedComponent = Exclude<FaultComponent, 'lambda'>;

export const faultSchema = z
  .object({
    component: z.enum(faultComponents),
    mode: z.enum(['refuse', 'reset', 'unavailable', 'hang', 'reject', 'throttle']),
    /** For `throttle`: what Shopify's `Retry-After` says (seconds). */
    retryAfterSeconds: z.number().int().positive().max(3600).optional(),
    seconds: z
      .number()
      .positive()
      .max(366 * 86_400)
      .optional(),
    requests: z.number().int().positive().max(1_000_000).optional(),
    match: z.string().min(1).max(500).optional(),
  })
  .strict()
  .refine((f) => f.mode !== 'refuse' || (f.requests === undefined && f.match === undefined), {
    message: 'a refused connection carries no request to count or match: give seconds, or clear it',
    path: ['mode'],
  })
  // One of our functions that never answers (a loop, a dependency without a timeout): Lambda
  // ends it at its timeout. `match` is tried on the function's name and its event.
  .refine((f) => f.component !== 'lambda' || f.mode === 'hang', {
    message: 'a function can only be made to hang',
    path: ['mode'],
  });
export type FaultSpec = z.infer<typeof faultSchema>;

export interface ActiveFault extends FaultSpec {
  id: string;
  /** Runtime-clock time (ms) the fault ends, when given in seconds. */
  until?: number;
  /** Requests it has affected so far. */
  hits: number;
}

/** What each service answers when it refuses a request for good (its own error shape). */
const REJECTIONS: Record<ProxiedComponent, { type: string; message: string }> = {
  ses: { type: 'MessageRejected', message: 'Email address is not verified.' },
  dynamodb: { type: 'AccessDeniedException', message: 'Injected fault: access denied' },
  stepFunctions: { type: 'AccessDeniedException', message: 'Injected fault: access denied' },
  scheduler: { type: 'AccessDeniedException', message: 'Injected fault: access denied' },
  shopify: {
    type: 'Unauthorized',
    message: '[API] Invalid API key or access token (unrecognized login or wrong password)',
  },
};

/** What each service answers when it throttles (its own error code). */
const THROTTLES: Record<Exclude<ProxiedComponent, 'shopify'>, { type: string; message: string }> = {
  ses: { type: 'Throttling', message: 'Maximum sending rate exceeded.' },
  dynamodb: { type: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  stepFunctions: { type: 'ThrottlingException', message: 'Rate exceeded' },
  scheduler: { type: 'ThrottlingException', message: 'Rate exceeded' },
};

/** Shopify answers in its own shape: `{"errors": "..."}`, JSON. */
/**
 * A fault's answer is dated by the runtime's clock, as every service stand-in's is
 * (local/activity.ts stampResponsesWithClockDate). Node's own Date header is the machine's time:
 * on a virtual clock the AWS SDK took that for clock skew, retried with a back-off timed on the
 * standing virtual clock, and the call never answered (a 503 that never came).
 */
const clockDate = () => new Date().toUTCString();

function shopifyResponse(
  response: ServerResponse,
  status: number,
  errors: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({ errors });
  response.writeHead(status, {
    date: clockDate(),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

function errorResponse(response: ServerResponse, status: number, type: string, message: string) {
  const body = JSON.stringify({ __type: type, message, Message: message });
  response.writeHead(status, {
    date: clockDate(),
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-errortype': type,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** The proxy in front of one component: forwards everything unless a fault says otherwise. */
class FaultProxy {
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<Socket>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private listening?: { url: string; close(): Promise<void> };
  private refusing = false;

  constructor(
    readonly component: ProxiedComponent,
    private readonly target: URL,
    private readonly faults: FaultRegistry,
    private port = 0,
  ) {}

  private readonly server = createServer((request, response) => void this.handle(request, response));

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.hung.delete(socket);
      });
    });
    this.listening = await listenOnLoopback(this.server, this.port);
    this.port = Number(new URL(this.listening.url).port);
  }

  /** Stops listening (refuse) or listens again on the same port. */
  async setRefusing(refusing: boolean): Promise<void> {
    if (refusing === this.refusing) return;
    this.refusing = refusing;
    if (refusing) {
      for (const socket of this.sockets) socket.destroy();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    } else {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(this.port, '127.0.0.1', () => resolve());
      });
    }
  }

  /** A hang ends when its fault does: the held connections are then reset. */
  releaseHung(): void {
    for (const socket of this.hung) socket.destroy();
    this.hung.clear();
  }

  async close(): Promise<void> {
    this.agent.destroy();
    for (const socket of this.sockets) socket.destroy();
    if (!this.refusing) await this.listening?.close();
  }

  /** The last requests through this proxy (bodies), for tests that check what was sent. */
  readonly recent: string[] = [];

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    this.recent.push(body.toString('utf8'));
    if (this.recent.length > 100) this.recent.shift();
    const fault = this.faults.take(this.component, body.toString('utf8'));
    if (fault) {
      switch (fault.mode) {
        case 'reset':
          request.socket.destroy();
          return;
        case 'hang':
          this.hung.add(request.socket);
          return;
        case 'unavailable':
          if (this.component === 'shopify') return shopifyResponse(response, 503, 'Service Unavailable');
          return errorResponse(response, 503, 'ServiceUnavailable', 'Injected fault: service unavailable');
        case 'reject': {
          const { type, message } = REJECTIONS[this.component];
          if (this.component === 'shopify') return shopifyResponse(response, 401, message);
          return errorResponse(response, 400, type, message);
        }
        case 'throttle': {
          if (this.component === 'shopify')
            return shopifyResponse(
              response,
              429,
              'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
              {
                'retry-after': String(fault.retryAfterSeconds ?? 2),
              },
            );
          const { type, message } = THROTTLES[this.component];
          return errorResponse(response, 400, type, message);
        }
        case 'refuse':
          request.socket.destroy();
          return;
      }
    }
    const forwarded = httpRequest(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent: this.agent,
      },
      (upstream) => {
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(response);
      },
    );
    forwarded.on('error', () => request.socket.destroy());
    forwarded.end(body);
  }
}

/** The faults in force, and the proxies they act through. */
export class FaultRegistry {
  private readonly active = new Map<string, ActiveFault>();
  private readonly proxies = new Map<ProxiedComponent, FaultProxy>();
  private readonly expiries = new Map<string, ReturnType<typeof setTimeout>>();

  /** Puts a proxy in front of a component; returns the endpoint handlers should use. */
  async proxy(component: ProxiedComponent, target: string, port = 0): Promise<string> {
    const proxy = new FaultProxy(component, new URL(target), this, port);
    await proxy.start();
    this.proxies.set(component, proxy);
    return proxy.endpoint;
  }

  /** The bodies of the last requests sent to a component (what our handlers sent it). */
  recentRequests(component: ProxiedComponent): readonly string[] {
    return this.proxies.get(component)?.recent ?? [];
  }

  list(): ActiveFault[] {
    return [...this.active.values()];
  }

  async add(spec: FaultSpec, nowMs: number): Promise<ActiveFault> {
    const fault: ActiveFault = {
      ...spec,
      id: randomUUID(),
      hits: 0,
      until: spec.seconds !== undefined ? nowMs + spec.seconds * 1000 : undefined,
    };
    this.active.set(fault.id, fault);
    if (spec.seconds !== undefined) {
      // On the runtime's clock: virtual time moving past the end lifts the fault.
      this.expiries.set(
        fault.id,
        setTimeout(() => void this.remove(fault.id), spec.seconds * 1000),
      );
    }
    if (fault.mode === 'refuse' && fault.component !== 'lambda')
      await this.proxies.get(fault.component)?.setRefusing(true);
    return fault;
  }

  async remove(id: string): Promise<void> {
    const fault = this.active.get(id);
    if (!fault) return;
    this.active.delete(id);
    clearTimeout(this.expiries.get(id));
    this.expiries.delete(id);
    await this.settle(fault.component);
  }

  async clear(): Promise<void> {
    for (const id of [...this.active.keys()]) await this.remove(id);
  }

  /** The fault that applies to a request now, if any (counted against its `requests`). */
  take(component: FaultComponent, body: string): ActiveFault | undefined {
    const now = Date.now();
    for (const fault of this.active.values()) {
      if (fault.component !== component) continue;
      if (fault.until !== undefined && now >= fault.until) continue;
      if (fault.match !== undefined && !body.includes(fault.match)) continue;
      fault.hits += 1;
      if (fault.requests !== undefined && fault.hits >= fault.requests) void this.remove(fault.id);
      return fault;
    }
    return undefined;
  }

  async close(): Promise<void> {
    for (const timer of this.expiries.values()) clearTimeout(timer);
    this.expiries.clear();
    this.active.clear();
    for (const proxy of this.proxies.values()) await proxy.close();
  }

  /** After a fault ends: listen again if nothing refuses any more, and let hung requests go. */
  private async settle(component: FaultComponent): Promise<void> {
    if (component === 'lambda') return; // a hung invocation is ended by its own timeout
    const proxy = this.proxies.get(component);
    if (!proxy) return;
    const remaining = this.list().filter((f) => f.component === component);
    if (!remaining.some((f) => f.mode === 'refuse')) await proxy.setRefusing(false);
    if (!remaining.some((f) => f.mode === 'hang')) proxy.releaseHung();
  }
}
