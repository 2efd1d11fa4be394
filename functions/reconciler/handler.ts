import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from '../../domain/zod.ts';
import { now } from '../adapters/clock.ts';
import {
  type BurstFields,
  overdueWatches,
  START_GRACE_SECONDS,
  WATCH_ENTRY_FIELDS,
  type WatchedKind,
  watchEntry,
} from '../adapters/lifecycle-watch.ts';
import { listTenantIds } from '../adapters/tenants.ts';
import { startBurst } from '../adapters/workflows.ts';
import { alarmedLogMessages } from '../shared/alarmed-logs.ts';
import { logger } from '../shared/logger.ts';
import { watchedKinds } from '../shared/watched-kinds.ts';
import { generationOf, stillAt, type WatchedSubjectKind } from '../shared/watched-subject.ts';

/**
 * The schedule sends `{}`; an operator (`npm run tenant -- restart-lifecycle`) names one subject:
 * a burst is started for it now unless it is parked and on time, past the give-up count if need be.
 */
const eventSchema = z.looseObject({
  tenantId: z.optional(z.string()),
  restart: z.optional(
    z.object({ kind: z.enum(['request', 'feedback']), id: z.string().check(z.minLength(1)) }),
  ),
});

/**
 * A subject whose bursts fail again and again is given up after this many starts without it
 * parking, and left to the operators (alarmed): something is wrong that a restart does not cure.
 */
const MAX_RECONCILER_STARTS = 5;
/** An abandoned subject is looked at again (and alarmed on again) once a day. */
const ABANDONED_LOOK_AGAIN_SECONDS = 24 * 3600;

type Outcome = {
  checked: number;
  /** Parked with a wake-up still to come (an operator's restart of a healthy subject). */
  parked: number;
  started: number;
  restarted: number;
  abandoned: number;
  failures: number;
};

/**
 * One overdue subject (its wake-up was lost, fired late, dead-lettered, or its last burst failed;
 * or its first burst never started): a burst is started for the generation it stands at, so if a
 * late wake-up fires meanwhile only one of the two claims it. The watch entry moves on first, by a
 * conditional write, so two reconciler runs never both start one.
 */
async function reconcile(
  tenantId: string,
  kind: WatchedKind,
  id: string,
  outcome: Outcome,
  options: { byOperator?: boolean } = {},
): Promise<void> {
  const subjectKind = watchedKinds[kind] as WatchedSubjectKind<BurstFields>;
  const found = await subjectKind.load(tenantId, id);
  if (!found) return;
  const { subject, tenant } = found;
  const at = now();
  const generation = generationOf(subject);
  const starts = subject.reconcilerStarts ?? 0;
  // Still where this run read it: no burst claimed it, and no other run moved it on.
  const expect = { ...stillAt(generation), reconcilerStarts: starts === 0 ? undefined : starts };
  // Ended and cleaned up (a burst parked it as ended): nothing left to watch.
  if (subjectKind.route(subject, tenant, at).phase === 'end' && !subject.wakeUp) {
    await subjectKind.write(tenantId, id, { expect, remove: WATCH_ENTRY_FIELDS });
    return;
  }
  if (options.byOperator && !starts && subject.wakeUpAt && Date.parse(subject.wakeUpAt) > at.getTime()) {
    outcome.parked += 1;
    return;
  }
  if (starts >= MAX_RECONCILER_STARTS && !options.byOperator) {
    await subjectKind.write(tenantId, id, {
      expect,
      fields: {
        ...watchEntry(tenantId, kind, id, new Date(at.getTime() + ABANDONED_LOOK_AGAIN_SECONDS * 1000)),
        reconcilerStarts: starts + 1,
      },
      // Said on the timeline when it happens (the daily look again says nothing new).
      event:
        starts === MAX_RECONCILER_STARTS
          ? {
              at: at.toISOString(),
              type: 'lifecycle_abandoned',
              actor: 'system',
              details: { generation, starts },
            }
          : undefined,
    });
    outcome.abandoned += 1;
    logger.error(alarmedLogMessages.lifecycleAbandoned.message, { kind, tenantId, id, generation, starts });
    return;
  }
  const neverStarted = generation === 0 && !subject.wakeUp;
  const moved = await subjectKind.write(tenantId, id, {
    expect,
    fields: {
      ...watchEntry(tenantId, kind, id, new Date(at.getTime() + START_GRACE_SECONDS * 1000)),
      reconcilerStarts: starts + 1,
    },
    event: neverStarted
      ? undefined
      : {
          at: at.toISOString(),
          type: 'lifecycle_restarted',
          actor: options.byOperator ? 'operator' : 'system',
          details: { generation, attempt: starts + 1, wakeUpAt: subject.wakeUpAt },
        },
  });
  if (!moved) return; // a burst claimed it meanwhile, or another run moved it first
  await startBurst(
    subjectKind.lifecycleOf(tenantId, id),
    options.byOperator ? 'operator' : 'reconciler',
    generation,
  );
  if (neverStarted) {
    outcome.started += 1;
    logger.warn(alarmedLogMessages.lifecycleStartedLate.message, { kind, tenantId, id });
  } else {
    outcome.restarted += 1;
    logger.warn(alarmedLogMessages.lifecycleRestarted.message, { kind, tenantId, id, generation });
  }
}

/**
 * Every few minutes (EventBridge Scheduler on AWS, the runtime's clock locally): every open
 * request and feedback case whose lifecycle should have acted by now gets a burst. One subject's
 * failure never stops the others.
 */
async function run(event: unknown): Promise<Outcome> {
  const { tenantId, restart } = eventSchema.parse(event ?? {});
  const outcome: Outcome = { checked: 0, parked: 0, started: 0, restarted: 0, abandoned: 0, failures: 0 };
  if (restart) {
    if (!tenantId) throw new Error('restart names a subject of a tenant: give tenantId');
    outcome.checked = 1;
    await reconcile(tenantId, restart.kind, restart.id, outcome, { byOperator: true });
    return outcome;
  }
  for (const id of tenantId ? [tenantId] : await listTenantIds()) {
    for (const watch of await overdueWatches(id, now())) {
      outcome.checked += 1;
      try {
        await reconcile(id, watch.kind, watch.id, outcome);
      } catch (error) {
        outcome.failures += 1;
        logger.error(alarmedLogMessages.reconcilerItemFailed.message, { tenantId: id, ...watch, error });
      }
    }
  }
  return outcome;
}

export const handler = middy<unknown, Outcome>().use(injectLambdaContext(logger)).handler(run);
