import { randomBytes } from 'node:crypto';
import { now } from './clock.ts';
import { putItem, queryPage } from './table.ts';

/**
 * Clause 12: every answer that showed staff a customer's personal data is recorded (who, when,
 * which operation, which requests, cases or surveys), a day's entries in one partition. The
 * trail holds no personal data itself: ids, the staff member or key, the operation.
 */
export interface AccessEntry {
  at: string;
  /** The staff member acting through the key, or the key itself. */
  actor: string;
  role: string;
  operation: string;
  /** The requests, feedback cases and surveys shown (at most 200 per entry). */
  subjects: string[];
}

/** Kept two years: long enough for a data subject's complaint, short of keeping it forever. */
const TRAIL_RETENTION_SECONDS = 2 * 366 * 86_400;

/**
 * The trail's partitions begin with their own prefix, not the tenant's: functions that only read
 * the table may write these and nothing else, which IAM checks (`dynamodb:LeadingKeys`,
 * infra/constructs/service-function.ts), so a bug in one cannot overwrite a tenant's data.
 */
export const ACCESS_TRAIL_KEY_PREFIX = 'TRAIL#';
const partition = (tenantId: string, date: string) => `${ACCESS_TRAIL_KEY_PREFIX}${tenantId}#${date}`;

/** Orders an instance's entries within a millisecond; the random part keeps instances apart. */
let sequence = 0;
const instance = randomBytes(4).toString('hex');

export async function recordAccess(tenantId: string, entry: Omit<AccessEntry, 'at'>): Promise<void> {
  const at = now();
  const iso = at.toISOString();
  await putItem({
    pk: partition(tenantId, iso.slice(0, 10)),
    // Unique within the millisecond (two reads at once are two entries), in the order they were made.
    sk: `${iso}#${String(sequence++ % 1e6).padStart(6, '0')}#${instance}`,
    at: iso,
    ...entry,
    subjects: entry.subjects.slice(0, 200),
    expiresAt: Math.floor(at.getTime() / 1000) + TRAIL_RETENTION_SECONDS,
  });
}

/** A UTC day's entries, oldest first, a page at a time. */
export async function accessTrailPage(
  tenantId: string,
  date: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: AccessEntry[]; nextCursor?: string }> {
  const pk = partition(tenantId, date);
  const { items, nextCursor } = await queryPage<AccessEntry & { pk: string; sk: string; expiresAt: number }>(
    { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } },
    { ...page, partition: { attribute: 'pk', value: pk } },
  );
  return {
    items: items.map(({ at, actor, role, operation, subjects }) => ({
      at,
      actor,
      role,
      operation,
      subjects,
    })),
    nextCursor,
  };
}

/** The ids of requests, feedback cases and surveys an answer shows: its own, or its items'. */
export function subjectsShown(body: unknown, params: Record<string, string>): string[] {
  const ids = new Set<string>();
  const take = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    // `subjectId`: a conversation's, or held mail's (either a request or a feedback case).
    for (const key of ['requestId', 'feedbackId', 'surveyId', 'subjectId'] as const) {
      const id = (value as Record<string, unknown>)[key];
      if (typeof id === 'string') ids.add(id);
    }
  };
  take(body);
  const items = (body as { items?: unknown } | null)?.items;
  if (Array.isArray(items)) items.forEach(take);
  for (const key of ['requestId', 'feedbackId', 'surveyId']) if (params[key]) ids.add(params[key]);
  return [...ids];
}
