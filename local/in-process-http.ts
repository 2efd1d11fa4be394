import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * For a bench only (the runtime's `sockets: false`): the AWS SDK's requests to a local server
 * are handed to that server's request listeners in this process, with no socket, no HTTP
 * parsing and no timers. The SDK still builds, signs and reads every request as it would on
 * AWS, and the server still answers it as it would over loopback; only the loopback hop, which
 * AWS replaces by a network, is left out (a fifth of a simulation's CPU went to that hop).
 * Tests keep the sockets: fault injection needs them.
 */

/** What the SDK hands its HTTP handler (@smithy/protocol-http's HttpRequest). */
interface SdkRequest {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** What the SDK expects back (an HttpResponse: status, headers, a readable body). */
interface SdkResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Readable;
}

type RequestListener = (request: unknown, response: unknown) => void;

const RESPONSE_METHODS = [
  'setHeader',
  'getHeader',
  'hasHeader',
  'removeHeader',
  'getHeaders',
  'writeHead',
  'write',
  'end',
] as const;

/** The part of http.ServerResponse the local servers use, collecting the answer in memory. */
class CollectedResponse extends EventEmitter {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  writableEnded = false;
  private readonly headers = new Map<string, string | number | string[]>();
  private readonly chunks: Buffer[] = [];

  constructor(private readonly done: (response: SdkResponse) => void) {
    super();
    // Own properties: express (the local SES) re-prototypes a response to its own, which
    // inherits http.ServerResponse's methods; these must still be the ones that answer.
    for (const method of RESPONSE_METHODS)
      Object.defineProperty(this, method, { value: this[method].bind(this) });
  }

  setHeader(name: string, value: string | number | string[]) {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }
  getHeader(name: string) {
    return this.headers.get(name.toLowerCase());
  }
  hasHeader(name: string) {
    return this.headers.has(name.toLowerCase());
  }
  removeHeader(name: string) {
    this.headers.delete(name.toLowerCase());
  }
  getHeaders() {
    return Object.fromEntries(this.headers);
  }
  writeHead(statusCode: number, reason?: string | Record<string, string | number>, headers?: object) {
    this.statusCode = statusCode;
    const given = typeof reason === 'object' ? reason : headers;
    if (typeof reason === 'string') this.statusMessage = reason;
    for (const [name, value] of Object.entries(given ?? {})) this.setHeader(name, value);
    this.headersSent = true;
    return this;
  }
  write(chunk: string | Uint8Array) {
    this.headersSent = true;
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  end(chunk?: string | Uint8Array | (() => void)) {
    if (this.writableEnded) return this;
    if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk);
    this.headersSent = true;
    this.writableEnded = true;
    this.done({
      statusCode: this.statusCode,
      reason: this.statusMessage,
      headers: Object.fromEntries([...this.headers].map(([name, value]) => [name, String(value)])),
      body: Readable.from([Buffer.concat(this.chunks)]),
    });
    this.emit('finish');
    this.emit('close');
    return this;
  }
}

/** Answers one SDK request by the server's own listeners, as its 'request' event would. */
function dispatch(server: Server, request: SdkRequest): Promise<{ response: SdkResponse }> {
  return new Promise((resolve, reject) => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {}))
      for (const one of [value ?? ''].flat()) query.append(name, one);
    const search = query.size > 0 ? `?${query}` : '';
    // A byte body as its bytes (Buffer.from(object) would call the SDK's string view of them).
    const { body: given } = request;
    const body =
      given === undefined
        ? []
        : [
            typeof given === 'string'
              ? Buffer.from(given)
              : Buffer.from(given.buffer, given.byteOffset, given.byteLength),
          ];
    const incoming = Object.assign(Readable.from(body), {
      method: request.method,
      url: `${request.path}${search}`,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
      ) as IncomingHttpHeaders,
      httpVersion: '1.1',
      socket: { remoteAddress: '127.0.0.1' },
    });
    const response = new CollectedResponse((answer) => resolve({ response: answer }));
    try {
      for (const listener of server.listeners('request') as RequestListener[])
        listener.call(server, incoming, response);
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * From now on, in this process, every AWS SDK v3 client's request to `endpoint` (as
 * `http://host:port`) is answered by `server` in process. The SDK's Node HTTP handler is shared
 * by all its clients: it is patched once, and requests to any other endpoint go out as before.
 */
export function answerInProcess(endpoint: string, server: Server): () => void {
  const { hostname, port } = new URL(endpoint);
  const key = `${hostname}:${port || 80}`;
  servers.set(key, server);
  patchSdkHttpHandler();
  return () => servers.delete(key);
}

/**
 * A call prepared in place of an HTTP request (./direct-dynamodb.ts): the SDK's handler, given
 * one, answers it by `answer()` instead of sending anything.
 */
export interface AnsweredCall {
  answer(): Promise<{ response: unknown }>;
}

/** From now on the SDK's handler answers prepared calls (AnsweredCall) itself. */
export function answerPreparedCalls(): void {
  patchSdkHttpHandler();
}

const servers = new Map<string, Server>();
let patched = false;

function patchSdkHttpHandler(): void {
  if (patched) return;
  patched = true;
  // The handler's class, as the SDK resolves it (it is not one of our dependencies to import).
  const prototype = Object.getPrototypeOf(new DynamoDBClient({ region: 'local' }).config.requestHandler) as {
    handle(request: SdkRequest | AnsweredCall, options?: unknown): Promise<{ response: unknown }>;
  };
  const original = prototype.handle;
  prototype.handle = function handle(request, options) {
    if ('answer' in request) return request.answer();
    const server = servers.get(`${request.hostname}:${request.port ?? 80}`);
    return server ? dispatch(server, request) : original.call(this, request, options);
  };
}
