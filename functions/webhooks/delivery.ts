import type { StoredRequest } from '../adapters/requests.ts';
import { DomainError } from '../shared/errors.ts';
import type { HttpEvent, HttpResult } from '../shared/http.ts';
import { json } from '../shared/http.ts';

/** What every storefront's receiver works with: the authenticated tenant and the raw delivery. */
export interface Delivery {
  event: HttpEvent;
  raw: Buffer;
  header(name: string): string | undefined;
}

/** One answer for every authentication failure: no hint which tenant, secret or clock was wrong. */
export const unauthorized = () =>
  new DomainError(401, 'Unauthorized', 'The delivery could not be authenticated');

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError(400, 'MalformedJson', 'The delivery body is not valid JSON');
  }
}

export const ignored = (reason: string): HttpResult => json(200, { ignored: true, reason });

/** A request opened (201) or found again (200: every copy of a delivery names the same request). */
export const answered = (request: StoredRequest, created: boolean): HttpResult =>
  json(created ? 201 : 200, { requestId: request.requestId, status: request.status, duplicate: !created });
