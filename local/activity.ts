import { performance } from 'node:perf_hooks';
import { timers as realTimers } from '@sinonjs/fake-timers';

/**
 * Counts work in flight in the local runtime (HTTP requests, Lambda invocations), so the
 * virtual clock can wait for the system to go quiet before it fires the next timer. Without
 * this, advancing time by 6 hours would fire the level-2 escalation timer before the level-1
 * step had finished writing, and timers scheduled by that step would be skipped.
 */
let inFlight = 0;
/**
 * Of those, requests a local component (DynamoDB, SES) is serving: it works on them (a disk
 * write on a busy machine can take a while) and waits on no timer, so the clock does not move
 * on while one is served (`settled`), however quiet the process looks.
 */
let serving = 0;
/** What is in flight, by what it is ("DynamoDB UpdateItem", "Lambda reconciler"…): a stall's report. */
const inFlightByWhat = new Map<string, number>();
/** Moves whenever work starts or ends: how the clock tells slow work from work that is stuck. */
let activity = 0;
/** Who waits for the next start or end of work (settled(), instead of polling). */
let waiters: (() => void)[] = [];

function moved(): void {
  activity += 1;
  if (waiters.length === 0) return;
  const woken = waiters;
  waiters = [];
  for (const wake of woken) wake();
}

/**
 * Runs `work` as work in flight, named by `what` ("DynamoDB UpdateItem"…) for a stall's report;
 * `serving` when it is a component serving a request (see `serving`).
 */
export async function tracked<T>(
  work: () => Promise<T>,
  what: string,
  options: { serving?: boolean } = {},
): Promise<T> {
  const counted = options.serving ? 1 : 0;
  serving += counted;
  inFlight += 1;
  inFlightByWhat.set(what, (inFlightByWhat.get(what) ?? 0) + 1);
  moved();
  try {
    return await work();
  } finally {
    serving -= counted;
    inFlight -= 1;
    const left = inFlightByWhat.get(what)! - 1;
    if (left === 0) inFlightByWhat.delete(what);
    else inFlightByWhat.set(what, left);
    moved();
  }
}

/** What is in flight now, by what it is. */
export const workInFlightByWhat = (): Record<string, number> => Object.fromEntries(inFlightByWhat);

const realSetTimeout = realTimers.setTimeout as (callback: () => void, ms: number) => unknown;
const realClearTimeout = realTimers.clearTimeout as (timer: unknown) => void;
const realSetImmediate = realTimers.setImmediate as (callback: () => void) => unknown;

/**
 * Resolves once nothing has been in flight for a few turns of the real event loop: 'settled'.
 * With `stallMs`, also resolves 'stalled' when work is in flight but none has started or ended
 * for that long of real time with the event loop mostly idle: it waits on something only time
 * can bring (an SDK retry's backoff, a request timeout, a hung connection), which on a virtual
 * clock means the clock must move on, or nothing will.
 */
export async function settled(options: { stallMs?: number } = {}): Promise<'settled' | 'stalled'> {
  let quietTurns = 0;
  let seen = activity;
  let since = performance.now();
  let loopSince = performance.eventLoopUtilization();
  let ioChecked = false;
  const movedOn = () => {
    since = performance.now();
    loopSince = performance.eventLoopUtilization();
    ioChecked = false;
  };
  while (quietTurns < 3) {
    if (inFlight === 0) {
      quietTurns += 1;
      await new Promise<void>((resolve) => realSetImmediate(resolve));
    } else {
      quietTurns = 0;
      if (activity !== seen) {
        seen = activity;
        movedOn();
      } else if (options.stallMs !== undefined && performance.now() - since >= stallAfter(options.stallMs)) {
        // Work that kept the event loop busy is computing, not waiting: a thousand calls moving
        // through their stages together finish none for a while. Stuck work leaves it idle.
        if (performance.eventLoopUtilization(loopSince).utilization > 0.5) {
          movedOn();
          continue;
        }
        // A busy event loop runs timers before the I/O that waited behind them: give that I/O
        // one turn before calling the work stuck.
        if (ioChecked) return 'stalled';
        ioChecked = true;
        await new Promise<void>((resolve) => realSetImmediate(resolve));
        continue;
      }
      // Woken when work starts or ends, or (to notice a stall) when the stall time is up.
      await new Promise<void>((resolve) => {
        const stall =
          options.stallMs === undefined
            ? undefined
            : realSetTimeout(resolve, Math.max(1, stallAfter(options.stallMs) - (performance.now() - since)));
        waiters.push(() => {
          if (stall !== undefined) realClearTimeout(stall);
          resolve();
        });
      });
    }
  }
  return 'settled';
}

/**
 * While a component serves a request, quiet is slowness (a busy machine's disk), not a wait on a
 * timer: the clock moving on would fire a request's timeout that on AWS would never fire. Only a
 * component silent this long is stuck.
 */
const SERVING_STALL_MS = 15_000;
const stallAfter = (stallMs: number) => (serving > 0 ? Math.max(stallMs, SERVING_STALL_MS) : stallMs);

/** A request to a local server, as a stall's report names it: AWS's JSON protocols name the operation in a header. */
function requestName(server: string, request: import('node:http').IncomingMessage): string {
  const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
  return `${server} ${operation ?? `${request.method} ${request.url?.split('?')[0]}`}`;
}

/**
 * Counts each request a server answers as work in flight until its response is done: a step
 * making many DynamoDB calls shows it is moving, and the clock waits for its writes.
 */
export function trackRequestsOf(server: import('node:http').Server, name: string): void {
  server.prependListener(
    'request',
    (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => {
      void tracked(
        () =>
          new Promise<void>((resolve) => {
            // 'close' also comes when the client gives up before the answer is finished.
            response.once('finish', resolve);
            response.once('close', resolve);
          }),
        requestName(name, request),
        { serving: true },
      );
    },
  );
}

/** Work in flight now (for a bounded shutdown's report). */
export const workInFlight = () => inFlight;

/**
 * Makes a server's `Date` response header follow the (possibly virtual) global clock. Node
 * stamps responses with the real time; the AWS SDK compares that with its own clock and,
 * on any error response, treats a skew of more than a few minutes as a clock problem and
 * retries after a delay that the virtual clock would never let pass.
 */
export function stampResponsesWithClockDate(server: import('node:http').Server): void {
  const listeners = server.listeners('request') as ((
    req: unknown,
    res: import('node:http').ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request, response: import('node:http').ServerResponse) => {
    response.setHeader('date', new Date().toUTCString());
    for (const listener of listeners) listener.call(server, request, response);
  });
}

/**
 * Keeps an idle keep-alive connection open far longer than a client keeps it (Node's agents and
 * the AWS SDK's reuse idle sockets): with Node's default 5 s on both sides, a busy machine lets a
 * client send on a socket the server has just closed, an `ECONNRESET` no AWS endpoint would cause.
 */
export function keepIdleConnections(server: import('node:http').Server): void {
  server.keepAliveTimeout = 10 * 60_000;
}

/** Starts an HTTP server on loopback (port 0: any free port) and gives its URL and a clean close. */
export async function listenOnLoopback(server: import('node:http').Server, port: number) {
  keepIdleConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: boundPort } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
