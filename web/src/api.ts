import { refresh, signedIn, signOut } from './session.ts';

/**
 * The HTTP API, same origin as the console (CloudFront serves both; so does the local runtime).
 * Every answer's `Date` header is the service's clock: countdowns run from it, so they agree with
 * the deadlines the service keeps (and with the local runtime's virtual clock).
 */
let clockOffsetMs = 0;
export const serviceNow = () => Date.now() + clockOffsetMs;

/** An error as the API words it: its code, message and field errors are shown where they belong. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

/** Called when the sign-in is gone for good: the app goes back to the sign-in page. */
let onSignedOut = () => {};
export const whenSignedOut = (handler: () => void) => {
  onSignedOut = handler;
};

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  retried = false,
): Promise<T> {
  const tokens = signedIn();
  const response = await fetch(path, {
    method,
    headers: {
      ...(tokens ? { authorization: `Bearer ${tokens.idToken}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const date = response.headers.get('date');
  if (date) clockOffsetMs = new Date(date).getTime() - Date.now();
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  // The gateway's own refusal ({"message"}, not our {"error"}): no token, or one the authorizer
  // no longer takes (expired after its hour, or its person disabled). A fresh one, or sign in again.
  const refusedByGateway = (response.status === 401 || response.status === 403) && !parsed?.error;
  if (refusedByGateway) {
    if (!retried && (await refresh())) return api<T>(method, path, body, headers, true);
    signOut();
    onSignedOut();
    throw new ApiError(response.status, 'SignedOut', 'Signed out');
  }
  if (!response.ok) {
    const error = (parsed?.error ?? {}) as {
      code?: string;
      message?: string;
      fields?: Record<string, string[]>;
    };
    throw new ApiError(
      response.status,
      error.code ?? String(response.status),
      error.message ?? parsed?.message ?? response.statusText,
      error.fields,
    );
  }
  return parsed as T;
}

/** Every page of a list (the worklist holds what is open: a few pages at most). */
export async function allPages<T>(path: string, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await api<{ items: T[]; nextCursor?: string }>(
      'GET',
      `${path}${separator}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return items;
}
