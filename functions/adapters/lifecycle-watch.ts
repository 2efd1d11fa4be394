import { keys, query } from './table.ts';

/**
 * The safety net of lifecycles (#17): every open request and feedback case carries, in the sparse
 * byDue index, the time by which its lifecycle must next have shown signs of life (its first
 * burst parked, or the burst its wake-up started did). The reconciler (functions/reconciler) looks
 * only at entries past that time, so a lifecycle whose burst never started (Step Functions down
 * at intake, a crash), failed, or whose wake-up was lost or dead-lettered gets a burst; a healthy
 * one never shows up. With it, a wake-up firing a minute late or twice changes nothing.
 */

/** A new subject's lifecycle must have started and set its own timer within this. */
export const START_GRACE_SECONDS = 2 * 60;

/**
 * Past its wake-up, a lifecycle has this long to have acted: Scheduler fires within about a
 * minute, and a burst is an Express execution, over in 5 minutes at most (retries included).
 */
export const TIMER_GRACE_SECONDS = 6 * 60;

export type WatchedKind = 'request' | 'feedback';

/** What the watched-subject mechanism (functions/shared/watched-subject.ts) keeps on every subject. */
export interface BurstFields {
  /** Moves on by one with every burst's claim; absent before the first. */
  burstGeneration?: number;
  /** Which run of which burst made the last claim (a digest of its execution's id): a retry of that claim finds it its own. */
  burstRun?: string;
  /** The parked wake-up's schedule name, and when it fires. */
  wakeUp?: string;
  wakeUpAt?: string;
  /**
   * Bursts the reconciler started in its current window of a day, and when the window began
   * (domain/watched-subject.ts `afterRestart`): kept when the subject parks, so a subject that
   * keeps needing restarts is seen as one.
   */
  reconcilerStarts?: number;
  reconcilerSince?: string;
  /** When its restarts, spread over hours, made it one for the operators (cleared when it parks). */
  lifecycleAbandonedAt?: string;
}

/** The reconciler's bookkeeping on a subject: nothing of it is about the customer. */
export const RECONCILER_FIELDS = ['reconcilerStarts', 'reconcilerSince', 'lifecycleAbandonedAt'] as const;

/** A timeline as staff read it: the bursts' entries left out unless asked for. */
export const withoutBursts = <E extends { type: string }>(events: E[], options: { bursts?: boolean }): E[] =>
  options.bursts ? events : events.filter((event) => event.type !== 'burst');

/** The index entry: the tenant's partition, sorted by when to look. */
export function watchEntry(tenantId: string, kind: WatchedKind, id: string, lookAt: Date) {
  return { gsi3pk: keys.watch(tenantId), gsi3sk: `${lookAt.toISOString()}#${kind}#${id}` };
}

/** Removed once the subject is closed or cancelled: nothing left to watch. */
export const WATCH_ENTRY_FIELDS = ['gsi3pk', 'gsi3sk'] as const;

export interface WatchEntry {
  kind: WatchedKind;
  id: string;
  lookAt: string;
  /** The index entry's sort key as read: the subject's own `gsi3sk`, unless the entry is stale. */
  entry: string;
}

const watchFromEntry = (gsi3sk: string): WatchEntry => {
  const [lookAt, kind, id] = gsi3sk.split('#') as [string, WatchedKind, string];
  return { kind, id, lookAt, entry: gsi3sk };
};

/** Subjects whose lifecycle should have acted by now, oldest first (one page: the run comes again). */
export async function overdueWatches(tenantId: string, at: Date, limit = 200): Promise<WatchEntry[]> {
  const { items } = await query<{ gsi3sk: string }>({
    IndexName: 'byDue',
    KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :now',
    ExpressionAttributeValues: { ':pk': keys.watch(tenantId), ':now': at.toISOString() },
    Limit: limit,
  });
  return items.map(({ gsi3sk }) => watchFromEntry(gsi3sk));
}

/** Every subject a tenant's lifecycles watch (operators' listing: one entry per open subject). */
export async function allWatches(tenantId: string): Promise<WatchEntry[]> {
  const found: WatchEntry[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await query<{ gsi3sk: string }>({
      IndexName: 'byDue',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.watch(tenantId) },
      ExclusiveStartKey: cursor,
    });
    found.push(...page.items.map(({ gsi3sk }) => watchFromEntry(gsi3sk)));
    cursor = page.cursor;
  } while (cursor);
  return found;
}
