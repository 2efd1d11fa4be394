import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { afterRestart, isAbandoned, nextLookSeconds } from '#domain/watched-subject.ts';
import * as z from '#domain/zod.ts';
import { now } from '../adapters/clock.ts';
import {
  allWatches,
  type BurstFields,
  overdueWatches,
  RECONCILER_FIELDS,
  START_GRACE_SECONDS,
  WATCH_ENTRY_FIELDS,
  type WatchEntry,
  type WatchedKind,
  watchEntry,
} from '../adapters/lifecycle-watch.ts';
import { deleteItem, keys, putNew } from '../adapters/table.ts';
import { listTenantIds } from '../adapters/tenants.ts';
import { startBurst } from '../adapters/workflows.ts';
import { alarmedLogMessages } from '../shared/alarmed-logs.ts';
import { logger } from '../shared/logger.ts';
import { watchedKinds } from '../shared/watched-kinds.ts';
import { generationOf, stillAt, type WatchedSubjectKind } from '../shared/watched-subject.ts';

/**
 * The schedule sends `{}`; an operator (`npm run tenant -- restart-lifecycle`) names one subject,
 * or asks for every abandoned one of a tenant: a burst is started now unless it is parked and on
 * time, whatever the reconciler's patience would say.
 */
const eventSchema = z.looseObject({
  tenantId: z.optional(z.string()),
  restart: z.optional(
    z.union([
      z.object({ kind: z.enum(['request', 'feedback']), id: z.string().check(z.minLength(1)) }),
      z.object({ abandoned: z.literal(true) }),
    ]),
  ),
});

type Outcome = {
  checked: number;
  /** Parked with a wake-up still to come (an operator's restart of a healthy subject). */
  parked: number;
  started: number;
  restarted: number;
  /** Declared abandoned at this run (and still restarted). */
  abandoned: number;
  /** Index entries that were not their subject's own watch: cleared, not acted on. */
  staleEntries: number;
  /** Subjects not restarted: Step Functions refused the start, or the check failed; tried next run. */
  failures: number;
};

const emptyOutcome = (): Outcome => ({
  checked: 0,
  parked: 0,
  started: 0,
  restarted: 0,
  abandoned: 0,
  staleEntries: 0,
  failures: 0,
});

/**
 * An index entry that is not the subject's own watch is never acted on: the index was read
 * behind a write (a GSI is eventually consistent), or a local store written before its item and
 * index writes were made one (local/dynalite-atomic-writes.ts) was cut between them. Acting on it restarted a healthy subject every pass for
 * ever (#34). It is cleared by indexing the subject once more: its watch is written as the entry
 * says, then as it was (DynamoDB moves the index entry both times, dropping the stray one); an
 * entry whose subject is gone is cleared by a placeholder written and deleted.
 */
async function clearStaleEntry(
  tenantId: string,
  subjectKind: WatchedSubjectKind<BurstFields>,
  watch: WatchEntry,
  own: string | undefined,
): Promise<void> {
  const entry = { gsi3pk: keys.watch(tenantId), gsi3sk: watch.entry };
  const marked = await subjectKind.write(tenantId, watch.id, {
    expect: { gsi3sk: own },
    fields: entry,
  });
  if (!marked) return; // moved meanwhile: whatever it holds now is its own
  await subjectKind.write(tenantId, watch.id, {
    expect: { gsi3sk: watch.entry },
    ...(own ? { fields: { gsi3pk: keys.watch(tenantId), gsi3sk: own } } : { remove: WATCH_ENTRY_FIELDS }),
  });
}

/** An entry whose subject was never written (or is gone): a placeholder indexed, then deleted. */
async function clearEntryOfNothing(tenantId: string, watch: WatchEntry): Promise<void> {
  const key =
    watch.kind === 'request' ? keys.request(tenantId, watch.id) : keys.feedbackCase(tenantId, watch.id);
  if (await putNew({ ...key, gsi3pk: keys.watch(tenantId), gsi3sk: watch.entry })) await deleteItem(key);
}

/**
 * One overdue subject (its wake-up was lost, fired late, dead-lettered, or its last burst failed;
 * or its first burst never started): a burst is started for the generation it stands at, so if a
 * late wake-up fires meanwhile only one of the two claims it. Only a start that Step Functions
 * took is a restart: it is then counted, and the next look set by the reconciler's patience
 * (domain/watched-subject.ts), by a write that loses to the burst's own park.
 */
async function reconcile(
  tenantId: string,
  watch: WatchEntry | { kind: WatchedKind; id: string; entry?: undefined },
  outcome: Outcome,
  options: { byOperator?: boolean } = {},
): Promise<void> {
  const subjectKind = watchedKinds[watch.kind] as WatchedSubjectKind<BurstFields>;
  const found = await subjectKind.load(tenantId, watch.id);
  if (watch.entry !== undefined && found?.watch !== watch.entry) {
    outcome.staleEntries += 1;
    logger.warn(alarmedLogMessages.watchEntryStale.message, { tenantId, ...watch, own: found?.watch });
    if (found) await clearStaleEntry(tenantId, subjectKind, watch, found.watch);
    else await clearEntryOfNothing(tenantId, watch);
    return;
  }
  if (!found) return;
  const { subject, tenant } = found;
  const at = now();
  const generation = generationOf(subject);
  const route = subjectKind.route(subject, tenant, at);
  // Ended and cleaned up (a burst parked it as ended): nothing left to watch.
  if (route.phase === 'end' && !subject.wakeUp) {
    await subjectKind.write(tenantId, watch.id, {
      expect: stillAt(generation),
      remove: [...WATCH_ENTRY_FIELDS, ...RECONCILER_FIELDS],
    });
    return;
  }
  const parkedOnTime = subject.wakeUpAt !== undefined && Date.parse(subject.wakeUpAt) > at.getTime();
  if (options.byOperator && parkedOnTime && !subject.lifecycleAbandonedAt) {
    outcome.parked += 1;
    return;
  }
  // A start Step Functions refuses throws here: nothing is counted, the entry stays due.
  await startBurst(
    subjectKind.lifecycleOf(tenantId, watch.id),
    options.byOperator ? 'operator' : 'reconciler',
    generation,
  );
  const neverStarted = generation === 0 && !subject.wakeUp;
  const history = afterRestart({ restarts: subject.reconcilerStarts, since: subject.reconcilerSince }, at);
  const declare = !subject.lifecycleAbandonedAt && isAbandoned(history, at);
  const lookIn = nextLookSeconds(history.restarts, route.waitSeconds, START_GRACE_SECONDS);
  const counted = await subjectKind.write(tenantId, watch.id, {
    // Still as read, or claimed by the burst just started but not parked by it (a park moves the
    // wake-up on: then the subject is healthy, and its park's watch stands).
    expect: { wakeUp: subject.wakeUp, reconcilerStarts: subject.reconcilerStarts },
    expectAtMost: { burstGeneration: generation + 1 },
    fields: {
      ...watchEntry(tenantId, watch.kind, watch.id, new Date(at.getTime() + lookIn * 1000)),
      reconcilerStarts: history.restarts,
      reconcilerSince: history.since,
      ...(declare ? { lifecycleAbandonedAt: at.toISOString() } : {}),
    },
    event: neverStarted
      ? undefined
      : {
          at: at.toISOString(),
          type: declare ? 'lifecycle_abandoned' : 'lifecycle_restarted',
          actor: options.byOperator ? 'operator' : 'system',
          details: {
            generation,
            attempt: history.restarts,
            since: history.since,
            wakeUpAt: subject.wakeUpAt,
          },
        },
  });
  if (neverStarted) {
    outcome.started += 1;
    logger.warn(alarmedLogMessages.lifecycleStartedLate.message, {
      kind: watch.kind,
      tenantId,
      id: watch.id,
    });
    return;
  }
  outcome.restarted += 1;
  const details = { kind: watch.kind, tenantId, id: watch.id, generation, restarts: history.restarts };
  logger.warn(alarmedLogMessages.lifecycleRestarted.message, details);
  if (declare && counted) {
    outcome.abandoned += 1;
    logger.error(alarmedLogMessages.lifecycleAbandoned.message, { ...details, since: history.since });
  }
}

/** The subjects of a tenant the reconciler declared abandoned and that are still watched. */
export async function abandonedLifecycles(tenantId: string) {
  const found = [];
  for (const watch of await allWatches(tenantId)) {
    const loaded = await watchedKinds[watch.kind].load(tenantId, watch.id);
    const subject = loaded?.subject as BurstFields | undefined;
    if (subject?.lifecycleAbandonedAt) found.push({ ...watch, subject });
  }
  return found;
}

/**
 * Every few minutes (EventBridge Scheduler on AWS, the runtime's clock locally): every open
 * request and feedback case whose lifecycle should have acted by now gets a burst. One subject's
 * failure never stops the others.
 */
async function run(event: unknown): Promise<Outcome> {
  const { tenantId, restart } = eventSchema.parse(event ?? {});
  const outcome = emptyOutcome();
  const each = async (id: string, watch: Parameters<typeof reconcile>[1], options = {}) => {
    outcome.checked += 1;
    try {
      await reconcile(id, watch, outcome, options);
    } catch (error) {
      outcome.failures += 1;
      logger.error(alarmedLogMessages.reconcilerItemFailed.message, { tenantId: id, ...watch, error });
    }
  };
  if (restart) {
    if (!tenantId) throw new Error('restart names a subject of a tenant: give tenantId');
    if ('abandoned' in restart) {
      for (const { kind, id } of await abandonedLifecycles(tenantId))
        await each(tenantId, { kind, id }, { byOperator: true });
      return outcome;
    }
    // One subject, named by the operator: its errors are the operator's to see.
    outcome.checked = 1;
    await reconcile(tenantId, restart, outcome, { byOperator: true });
    return outcome;
  }
  for (const id of tenantId ? [tenantId] : await listTenantIds())
    for (const watch of await overdueWatches(id, now())) await each(id, watch);
  return outcome;
}

export const handler = middy<unknown, Outcome>().use(injectLambdaContext(logger)).handler(run);
