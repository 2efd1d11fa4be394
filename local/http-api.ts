import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { API_KEY_DECISION_CACHE_SECONDS, matchRoute, type RouteSpec, routeKey } from '#functions/routes.ts';
import { errorBody } from '#functions/shared/http.ts';
import { listenOnLoopback, stampResponsesWithClockDate, tracked } from './activity.ts';
import { invokeFunction } from './lambda.ts';

/** Routes only the local runtime serves (health, the virtual clock): handled outside Lambda. */
export type LocalRoute = (request: {
  method: string;
  path: string;
  body: string;
}) => Promise<{ status: number; body: unknown } | undefined>;

/** API Gateway's payload limit; a larger body never reaches a function. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

/** Turns an HTTP request into the API Gateway HTTP API (payload 2.0) event Lambda receives. */
function toApiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  spec: Pick<RouteSpec, 'method' | 'path'> | undefined,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const key = spec ? routeKey(spec) : '$default';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const queryStringParameters = url.searchParams.size > 0 ? Object.fromEntries(url.searchParams) : undefined;
  const contentType = headers['content-type'] ?? '';
  // A text body is passed as text only if it is valid UTF-8; bytes that are not (a signed body
  // with a stray byte) are passed base64, untouched, so a signature over them still matches.
  const isText =
    body.length === 0 || (/json|text|x-www-form-urlencoded|xml/.test(contentType) && isUtf8(body));
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
  };
}

/** A Lambda proxy result as API Gateway turns it into an HTTP response. */
function respond(response: ServerResponse, raw: unknown): void {
  const result = raw as APIGatewayProxyStructuredResultV2 | string | null;
  if (typeof result === 'string' || result === null || !('statusCode' in result)) {
    send(response, 200, result);
    return;
  }
  const responseBody = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64')
    : (result.body ?? '');
  response.writeHead(result.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(result.headers as Record<string, string>),
  });
  response.end(responseBody);
}

export interface LocalHttpApi {
  url: string;
  close(): Promise<void>;
}

/** Files served beside the API (the staff console): true when it answered. */
export type StaticFiles = (path: string, response: ServerResponse) => boolean;

export async function startHttpApi(
  port: number,
  localRoute: LocalRoute,
  staticFiles?: StaticFiles,
): Promise<LocalHttpApi> {
  const serveFunctionRoute = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    method: string,
    body: Buffer,
  ) => {
    const matched = matchRoute(method, url.pathname);
    // As API Gateway decodes path parameters; a malformed escape is the client's mistake.
    const pathParameters: Record<string, string> = {};
    try {
      for (const [name, raw] of Object.entries(matched.rawParameters))
        pathParameters[name] = decodeURIComponent(raw);
    } catch {
      return send(response, 400, {
        error: { code: 'MalformedPath', message: 'The path has a malformed percent-encoding' },
      });
    }
    // What no route matches goes to the `$default` route, as on API Gateway (404, or 405 with Allow).
    const event = toApiGatewayEvent(request, url, body, matched.route, pathParameters);
    if (!matched.route) return respond(response, await invokeFunction('documents', event));

    if (matched.route.auth === 'apiKey') {
      // As API Gateway does: no identity source ⇒ 401 without calling the authorizer; denied ⇒ 403.
      if (!event.headers.authorization) return send(response, 401, { message: 'Unauthorized' });
      const decision = await decisionFor(event);
      if (!decision?.isAuthorized) return send(response, 403, { message: 'Forbidden' });
      (event.requestContext as unknown as { authorizer: unknown }).authorizer = { lambda: decision.context };
    }

    respond(response, await invokeFunction(matched.route.function, event));
  };

  // As API Gateway does: one decision per identity source, kept for the authorizer's cache TTL.
  type Decision = APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>;
  const decisions = new Map<string, { decision: Decision; until: number }>();
  const decisionFor = async (event: ReturnType<typeof toApiGatewayEvent>): Promise<Decision> => {
    const identity = event.headers.authorization!;
    const kept = decisions.get(identity);
    if (kept && kept.until > Date.now()) return kept.decision;
    const decision = (await invokeFunction('authorizer', {
      ...event,
      type: 'REQUEST',
      identitySource: [identity],
    })) as Decision;
    if (decisions.size >= 10_000) decisions.clear();
    decisions.set(identity, { decision, until: Date.now() + API_KEY_DECISION_CACHE_SECONDS * 1000 });
    return decision;
  };

  const server = createServer((request, response) => {
    void (async () => {
      try {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const method = request.method ?? 'GET';
        if ((method === 'GET' || method === 'HEAD') && staticFiles?.(url.pathname, response)) return;
        const body = await readBody(request);
        if (body === undefined) return send(response, 413, { message: 'Request Entity Too Large' });
        // Local routes are not tracked: advancing the clock waits for tracked work to finish.
        const local = await localRoute({ method, path: url.pathname, body: body.toString('utf8') });
        if (local) return send(response, local.status, local.body);
        await tracked(() => serveFunctionRoute(request, response, url, method, body), `API ${method}`);
      } catch (error) {
        // What API Gateway answers when the function itself fails.
        console.error('[http-api] function error', error);
        if (!response.headersSent) send(response, 500, { message: 'Internal Server Error' });
      }
    })();
  });
  answerMalformedRequestsInOurShape(server);
  stampResponsesWithClockDate(server);
  const listening = await listenOnLoopback(server, port);
  return { url: listening.url, close: listening.close };
}

/**
 * A request Node's parser refuses (a control character in a header, a broken request line) is
 * answered in the API's error shape, not Node's bare `400 Bad Request`: a client reading
 * `error.message` learns what was wrong. (On AWS, CloudFront refuses such requests before us.)
 */
function answerMalformedRequestsInOurShape(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const [status, reason, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'The request headers are too large']
        : error.code === 'HPE_INVALID_HEADER_TOKEN' || error.code === 'HPE_INVALID_HEADER_VALUE'
          ? [
              400,
              'Bad Request',
              'A request header has a character headers may not hold (a control character?)',
            ]
          : [400, 'Bad Request', 'The request is not well-formed HTTP'];
    const body = JSON.stringify(errorBody('MalformedRequest', message));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
