import { keys, query } from './table.ts';

/**
 * The outbox of lifecycles: every open request and feedback case carries, in the sparse byDue
 * index, the time by which its lifecycle must next have shown signs of life (started, or acted
 * on the timer it set). The reconciler (functions/reconciler) looks only at entries past that
 * time, so a lifecycle that never started (Step Functions down at intake, a local crash) or
 * whose execution failed is found and started again; a healthy one never shows up.
 */

/** A new subject's lifecycle must have started and set its own timer within this. */
export const START_GRACE_SECONDS = 2 * 60;

/** Past its timer, a lifecycle has this long to act (a step's retries take several minutes). */
export const TIMER_GRACE_SECONDS = 15 * 60;

export type WatchedKind = 'request' | 'feedback';

/** The index entry: the tenant's partition, sorted by when to look. */
export function watchEntry(tenantId: string, kind: WatchedKind, id: string, lookAt: Date) {
  return { gsi3pk: keys.watch(tenantId), gsi3sk: `${lookAt.toISOString()}#${kind}#${id}` };
}

/** Removed once the subject is closed or cancelled: nothing left to watch. */
export const WATCH_ENTRY_FIELDS = ['gsi3pk', 'gsi3sk'] as const;

/** The entry after a lifecycle set a timer of `waitSeconds` at `at`. */
export const watchAfterTimer = (
  tenantId: string,
  kind: WatchedKind,
  id: string,
  at: Date,
  waitSeconds: number,
) => watchEntry(tenantId, kind, id, new Date(at.getTime() + (waitSeconds + TIMER_GRACE_SECONDS) * 1000));

/** Subjects whose lifecycle should have acted by now, oldest first (one page: the run comes again). */
export async function overdueWatches(
  tenantId: string,
  at: Date,
  limit = 200,
): Promise<{ kind: WatchedKind; id: string; lookAt: string }[]> {
  const { items } = await query<{ gsi3sk: string }>({
    IndexName: 'byDue',
    KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :now',
    ExpressionAttributeValues: { ':pk': keys.watch(tenantId), ':now': at.toISOString() },
    Limit: limit,
  });
  return items.map(({ gsi3sk }) => {
    const [lookAt, kind, id] = gsi3sk.split('#') as [string, WatchedKind, string];
    return { kind, id, lookAt };
  });
}
