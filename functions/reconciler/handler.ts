import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from '../../domain/zod.ts';
import { LIFECYCLE_ENDED_STATUSES } from '../../workflows/catalog.ts';
import { now } from '../adapters/clock.ts';
import { getFeedbackCase, recordFeedbackStep } from '../adapters/feedback-cases.ts';
import {
  overdueWatches,
  START_GRACE_SECONDS,
  WATCH_ENTRY_FIELDS,
  type WatchedKind,
  watchEntry,
} from '../adapters/lifecycle-watch.ts';
import { getRequest, recordStep } from '../adapters/requests.ts';
import { listTenantIds } from '../adapters/tenants.ts';
import { type Lifecycle, lifecycleExecutionState, startLifecycle } from '../adapters/workflows.ts';
import { alarmedLogMessages } from '../shared/alarmed-logs.ts';
import { logger } from '../shared/logger.ts';

/** EventBridge's "Step Functions Execution Status Change" event, the parts we read. */
const statusChangeSchema = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    name: z.string(),
    status: z.enum(LIFECYCLE_ENDED_STATUSES),
    error: z.nullish(z.string()),
  }),
});

/** `<tenantId>--<subject id>[--g<generation>]` (functions/adapters/workflows.ts `executionName`). */
function subjectOfExecution(name: string) {
  const match = /^(.+?)--((?:sr|fb)_[A-Za-z0-9_]+)(?:--g(\d+))?$/.exec(name);
  if (!match) return undefined;
  return {
    tenantId: match[1]!,
    kind: (match[2]!.startsWith('sr_') ? 'request' : 'feedback') as WatchedKind,
    id: match[2]!,
    generation: Number(match[3] ?? 0),
  };
}

/**
 * The schedule sends `{}`; an operator (`npm run tenant -- restart-lifecycle`) names one subject:
 * its lifecycle is restarted now unless it is running, past the generation limit if need be.
 */
const eventSchema = z.looseObject({
  tenantId: z.optional(z.string()),
  restart: z.optional(
    z.object({ kind: z.enum(['request', 'feedback']), id: z.string().check(z.minLength(1)) }),
  ),
});

/**
 * A lifecycle that fails again and again is given up after this many generations and left to
 * the operators (alarmed): something is wrong that a restart does not cure.
 */
const MAX_GENERATIONS = 5;
/** An abandoned subject is looked at again (and alarmed on again) once a day. */
const ABANDONED_LOOK_AGAIN_SECONDS = 24 * 3600;

type Outcome = {
  checked: number;
  running: number;
  started: number;
  restarted: number;
  abandoned: number;
  failures: number;
};

/** A watched subject as the reconciler needs it, whichever kind it is. */
interface Watched {
  lifecycle: Lifecycle;
  open: boolean;
  generation: number;
  /** One conditional write: the generation moves on (or the entry moves) only if no one else moved it. */
  update(change: Change): Promise<boolean>;
}

async function load(tenantId: string, kind: WatchedKind, id: string): Promise<Watched | undefined> {
  if (kind === 'request') {
    const request = await getRequest(tenantId, id);
    if (!request) return undefined;
    const generation = request.lifecycleGeneration ?? 0;
    return {
      lifecycle: { workflow: 'serviceRequest', tenantId, requestId: id },
      open: !['closed', 'cancelled'].includes(request.status),
      generation,
      update: async (change) =>
        (await recordStep(tenantId, id, updateOf(tenantId, kind, id, generation, change))) !== undefined,
    };
  }
  const feedback = await getFeedbackCase(tenantId, id);
  if (!feedback) return undefined;
  const generation = feedback.lifecycleGeneration ?? 0;
  return {
    lifecycle: { workflow: 'feedbackCase', tenantId, feedbackId: id },
    open: feedback.status !== 'closed',
    generation,
    update: async (change) =>
      (await recordFeedbackStep(tenantId, id, updateOf(tenantId, kind, id, generation, change))) !==
      undefined,
  };
}

type Change = {
  generation?: number;
  lookAt?: Date;
  unwatch?: boolean;
  /** What the subject's timeline says of it. */
  event?: { type: string; details: Record<string, unknown> };
};

function updateOf(tenantId: string, kind: WatchedKind, id: string, generation: number, change: Change) {
  return {
    expect: { lifecycleGeneration: generation === 0 ? undefined : generation },
    fields: {
      ...(change.generation !== undefined ? { lifecycleGeneration: change.generation } : {}),
      ...(change.lookAt ? watchEntry(tenantId, kind, id, change.lookAt) : {}),
    },
    remove: change.unwatch ? WATCH_ENTRY_FIELDS : undefined,
    event: change.event ? { at: now().toISOString(), actor: 'system', ...change.event } : undefined,
  };
}

/** One overdue entry: its lifecycle is running (nothing to do), missing (start it) or over (restart it). */
async function reconcile(
  tenantId: string,
  kind: WatchedKind,
  id: string,
  outcome: Outcome,
  options: { byOperator?: boolean; ended?: { status: string; error?: string | null } } = {},
): Promise<void> {
  const at = now();
  const watched = await load(tenantId, kind, id);
  if (!watched) return;
  const { lifecycle, generation } = watched;
  if (!watched.open) {
    await watched.update({ unwatch: true });
    return;
  }
  const state = await lifecycleExecutionState(lifecycle, generation);
  if (state === 'RUNNING') {
    outcome.running += 1;
    return;
  }
  if (state === 'MISSING') {
    // Never started (Step Functions was down at intake, or a crash came between the two).
    await startLifecycle(lifecycle, generation);
    await watched.update({ lookAt: new Date(at.getTime() + START_GRACE_SECONDS * 1000) });
    outcome.started += 1;
    logger.warn(alarmedLogMessages.lifecycleStartedLate.message, { ...lifecycle, generation });
    return;
  }
  if (generation + 1 >= MAX_GENERATIONS && !options.byOperator) {
    await watched.update({
      lookAt: new Date(at.getTime() + ABANDONED_LOOK_AGAIN_SECONDS * 1000),
      // Said on the timeline when it happens (the daily look again says nothing new).
      event: options.ended
        ? { type: 'lifecycle_abandoned', details: { generation, ...options.ended } }
        : undefined,
    });
    outcome.abandoned += 1;
    logger.error(alarmedLogMessages.lifecycleAbandoned.message, { ...lifecycle, generation, state });
    return;
  }
  // It ended (failed, timed out, aborted) with its subject still open: the next generation resumes it.
  const next = generation + 1;
  if (
    !(await watched.update({
      generation: next,
      lookAt: new Date(at.getTime() + START_GRACE_SECONDS * 1000),
      event: {
        type: 'lifecycle_restarted',
        details: {
          generation: next,
          previous: state,
          ...(options.ended?.error ? { error: options.ended.error } : {}),
        },
      },
    }))
  )
    return; // another run moved it first
  await startLifecycle(lifecycle, next);
  outcome.restarted += 1;
  logger.warn(alarmedLogMessages.lifecycleRestarted.message, {
    ...lifecycle,
    generation: next,
    previous: state,
  });
}

/**
 * Every few minutes (EventBridge Scheduler on AWS, the runtime's clock locally): every open
 * request and feedback case whose lifecycle should have acted by now, and is not running, is
 * started or restarted. One subject's failure never stops the others.
 */
async function run(event: unknown): Promise<Outcome> {
  const statusChange = statusChangeSchema.safeParse(event);
  if (statusChange.success) return lifecycleEnded(statusChange.data.detail);
  const { tenantId, restart } = eventSchema.parse(event ?? {});
  const outcome: Outcome = { checked: 0, running: 0, started: 0, restarted: 0, abandoned: 0, failures: 0 };
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

/**
 * A lifecycle's execution ended without finishing its subject (EventBridge, within seconds): the
 * next generation starts now, not at the reconciler's next pass, and the timeline says why.
 */
async function lifecycleEnded(detail: z.infer<typeof statusChangeSchema>['detail']): Promise<Outcome> {
  const outcome: Outcome = { checked: 1, running: 0, started: 0, restarted: 0, abandoned: 0, failures: 0 };
  const subject = subjectOfExecution(detail.name);
  if (!subject) return outcome; // not one of ours
  const watched = await load(subject.tenantId, subject.kind, subject.id);
  // An older generation's end, or a subject gone: nothing to do.
  if (!watched || watched.generation !== subject.generation) return outcome;
  await reconcile(subject.tenantId, subject.kind, subject.id, outcome, {
    ended: { status: detail.status, error: detail.error },
  });
  return outcome;
}

export const handler = middy<unknown, Outcome>().use(injectLambdaContext(logger)).handler(run);
