import { burstTriggers, wakeUpAt } from '#domain/watched-subject.ts';
import * as z from '#domain/zod.ts';
import { now } from '../adapters/clock.ts';
import {
  type BurstFields,
  RECONCILER_FIELDS,
  TIMER_GRACE_SECONDS,
  WATCH_ENTRY_FIELDS,
  watchEntry,
} from '../adapters/lifecycle-watch.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { cancelWakeUp, scheduleWakeUp, wakeUpName } from '../adapters/wake-ups.ts';
import { burstRequest } from '../adapters/workflows.ts';
import {
  claim,
  current,
  type PendingWakeUp,
  type Routed,
  SUPERSEDED,
  stillAt,
  type WatchedSubjectKind,
} from './watched-subject.ts';

/**
 * The steps of a burst that only the step functions run (workflows/watched-subject.ts): parking
 * its next wake-up, and the runner that gives claim, park and a kind's own actions their inputs.
 */

/**
 * A burst's last step. Waiting: the next wake-up is created, the one it replaces (as the claim
 * found it) deleted, and only then both recorded with the watch entry, by a conditional write:
 * still this burst's generation. A crash or a retry anywhere in between leaves the next wake-up
 * made and the old one gone or going, never none: a retry makes the same wake-up (the same name),
 * deletes again (already gone is success), and records. A burst superseded meanwhile finds out
 * at that write and deletes the wake-up it made (the one it deleted was older than the newer
 * burst's, which would delete it too). Nothing left to wait for: the pending wake-up is deleted,
 * then the subject's wake-up and watch entry removed.
 */
export async function park<S extends BurstFields>(
  kind: WatchedSubjectKind<S>,
  input: {
    tenantId: string;
    id: string;
    generation: number;
    phase: string;
    waitSeconds: number;
    pendingWakeUp: PendingWakeUp;
  },
): Promise<Routed> {
  // The wake-up this one replaces, if it is still to come: one whose time has passed has fired
  // (Scheduler deletes it then) or is being retried into a claim that will lose.
  const pending = input.pendingWakeUp;
  const previous = pending && Date.parse(pending.at) > now().getTime() ? pending.name : undefined;
  if (input.phase === 'end') {
    await cancelWakeUp(previous);
    const ended = await kind.write(input.tenantId, input.id, {
      expect: stillAt(input.generation),
      remove: ['wakeUp', 'wakeUpAt', ...RECONCILER_FIELDS, ...WATCH_ENTRY_FIELDS],
    });
    return ended ? { phase: 'end', waitSeconds: 0, generation: input.generation } : SUPERSEDED;
  }
  const at = wakeUpAt(now(), input.waitSeconds);
  const name = wakeUpName(input.tenantId, input.id, input.generation);
  await scheduleWakeUp(
    name,
    at,
    burstRequest(kind.lifecycleOf(input.tenantId, input.id), 'timer', input.generation),
  );
  if (previous && previous !== name) await cancelWakeUp(previous);
  const parked = await kind.write(input.tenantId, input.id, {
    expect: stillAt(input.generation),
    fields: {
      wakeUp: name,
      wakeUpAt: at.toISOString(),
      ...watchEntry(input.tenantId, kind.kind, input.id, new Date(at.getTime() + TIMER_GRACE_SECONDS * 1000)),
    },
    // Parked: healthy again (the restarts stay counted for the day: ../reconciler).
    remove: ['lifecycleAbandonedAt'],
  });
  if (!parked) {
    // A newer burst has the subject and makes its own wake-up.
    await cancelWakeUp(name);
    return SUPERSEDED;
  }
  return { phase: input.phase, waitSeconds: input.waitSeconds, generation: input.generation };
}

type Loaded<S> = { subject: S; tenant: StoredTenant };

/** The inputs the Task states of workflows/watched-subject.ts pass, the subject's id as `id`. */
const ids = { tenantId: z.string(), id: z.string() };
const pendingWakeUp = z.nullable(z.object({ name: z.string(), at: z.string() }));
const claimInput = z.object({
  ...ids,
  trigger: z.enum(burstTriggers),
  expectGeneration: z.nullable(z.number()),
  execution: z.string(),
  // Absent from a burst that a state machine deployed before it started: such a claim is never
  // found its own on a retry (the reconciler then takes over, as before).
  run: z.optional(z.string()),
});
const parkInput = z.object({
  ...ids,
  generation: z.number(),
  phase: z.string(),
  waitSeconds: z.number().check(z.nonnegative()),
  pendingWakeUp,
});

/**
 * A subject kind's step function: claim and park are the mechanism's; every other step is the
 * kind's own action, run only while its burst still holds the subject. The claim takes the first
 * due action itself, with the subject its write answered (no second read, no second invocation);
 * later actions are Tasks of their own, each reading the subject again. Answers what the
 * workflow's "Route by phase" reads: the ids, the burst's generation and the route, the wake-up
 * the claim found (for the park) and, from the claim, the action it took.
 */
export function burstSteps<S extends BurstFields, A extends string>(
  kind: WatchedSubjectKind<S>,
  idField: 'requestId' | 'feedbackId',
  actions: Record<A, (loaded: Loaded<S>) => Promise<{ phase: string; waitSeconds: number }>>,
) {
  const actionInput = z.object({
    ...ids,
    step: z.enum(Object.keys(actions) as [A, ...A[]]),
    generation: z.number(),
    pendingWakeUp,
  });
  const isAction = (phase: string): phase is A => Object.hasOwn(actions, phase);
  return async (event: unknown): Promise<Record<string, unknown> & Routed> => {
    const raw = (event ?? {}) as Record<string, unknown>;
    const given = { ...raw, id: raw[idField] };
    const answer = (routed: Routed, pending: PendingWakeUp = null, took?: A) => ({
      tenantId: raw.tenantId,
      [idField]: raw[idField],
      ...routed,
      pendingWakeUp: pending,
      ...(took ? { took } : {}),
    });
    if (raw.step === 'claim') {
      const { pendingWakeUp: found, loaded, ...routed } = await claim(kind, claimInput.parse(given));
      if (!loaded || !isAction(routed.phase)) return answer(routed, found);
      const acted = await actions[routed.phase](loaded);
      return answer({ ...acted, generation: routed.generation }, found, routed.phase);
    }
    if (raw.step === 'park') return answer(await park(kind, parkInput.parse(given)));
    const input = actionInput.parse(given);
    const loaded = await current(kind, input);
    if (!loaded) return answer(SUPERSEDED);
    return answer(
      { ...(await actions[input.step](loaded)), generation: input.generation },
      input.pendingWakeUp,
    );
  };
}
