import { type BurstTrigger, burstTriggers, mayClaim, wakeUpAt } from '../../domain/watched-subject.ts';
import * as z from '../../domain/zod.ts';
import { now } from '../adapters/clock.ts';
import {
  type BurstFields,
  TIMER_GRACE_SECONDS,
  WATCH_ENTRY_FIELDS,
  type WatchedKind,
  watchEntry,
} from '../adapters/lifecycle-watch.ts';
import type { StepUpdate } from '../adapters/table.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { cancelWakeUp, scheduleWakeUp, wakeUpName } from '../adapters/wake-ups.ts';
import { burstRequest, type Lifecycle, startBurst } from '../adapters/workflows.ts';
import { NotFoundError } from './errors.ts';
import { logger } from './logger.ts';

/**
 * The watched-subject mechanism (#17, workflows/watched-subject.ts), written once: claim, the
 * superseded check, park, and starting a burst. A subject kind (a service request, a feedback
 * case) gives it this small interface; its phases, steps and wording stay its own.
 */

export interface WatchedSubjectKind<S extends BurstFields> {
  kind: WatchedKind;
  lifecycleOf(tenantId: string, id: string): Lifecycle;
  load(tenantId: string, id: string): Promise<{ subject: S; tenant: StoredTenant } | undefined>;
  route(subject: S, tenant: StoredTenant, at: Date): { phase: string; waitSeconds: number };
  /** One conditional write of the subject (functions/adapters/table.ts `applyStep`). */
  write(
    tenantId: string,
    id: string,
    update: Pick<StepUpdate, 'expect' | 'fields' | 'remove' | 'event'>,
  ): Promise<S | undefined>;
}

export type Routed = { phase: string; waitSeconds: number; generation: number };

export const SUPERSEDED = { phase: 'superseded', waitSeconds: 0, generation: -1 } as const;

const generationOf = (subject: BurstFields) => subject.burstGeneration ?? 0;

/** The write's condition that the generation is still `generation` (absent = 0). */
const stillAt = (generation: number) => ({ burstGeneration: generation === 0 ? undefined : generation });

async function loaded<S extends BurstFields>(kind: WatchedSubjectKind<S>, tenantId: string, id: string) {
  const found = await kind.load(tenantId, id);
  if (!found) throw new NotFoundError(`${kind.kind} ${tenantId}/${id}`);
  return found;
}

/**
 * A burst's first step: takes the next generation with one conditional write that also leaves
 * the burst's timeline entry, then says where the subject stands. A trigger that named a
 * generation loses if another burst claimed since; one that named none tries again on a race.
 */
export async function claim<S extends BurstFields>(
  kind: WatchedSubjectKind<S>,
  input: {
    tenantId: string;
    id: string;
    trigger: BurstTrigger;
    expectGeneration: number | null;
    execution: string;
  },
): Promise<Routed> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { subject, tenant } = await loaded(kind, input.tenantId, input.id);
    const stored = generationOf(subject);
    if (!mayClaim(stored, input.expectGeneration)) return SUPERSEDED;
    const generation = stored + 1;
    const at = now();
    const claimed = await kind.write(input.tenantId, input.id, {
      expect: stillAt(stored),
      fields: { burstGeneration: generation },
      event: {
        at: at.toISOString(),
        type: 'burst',
        actor: 'system',
        details: { trigger: input.trigger, generation, execution: input.execution },
      },
    });
    if (claimed) return { ...kind.route(claimed, tenant, at), generation };
    if (input.expectGeneration !== null) return SUPERSEDED;
  }
  throw new Error(`${kind.kind} ${input.tenantId}/${input.id}: could not claim after 5 races`);
}

/**
 * Every later step first loads the subject: if a newer burst claimed it, this one ends there
 * (`undefined`); the step's own effects are idempotent, so one that ran meanwhile did no harm.
 */
export async function current<S extends BurstFields>(
  kind: WatchedSubjectKind<S>,
  input: { tenantId: string; id: string; generation: number },
): Promise<{ subject: S; tenant: StoredTenant } | undefined> {
  const found = await loaded(kind, input.tenantId, input.id);
  return generationOf(found.subject) === input.generation ? found : undefined;
}

/**
 * A burst's last step. Waiting: the next wake-up is created, recorded with the watch entry (a
 * conditional write: still this burst's generation), and only then the one it replaces deleted,
 * so a crash between leaves two wake-ups (the stale one loses its claim), never none. Nothing
 * left to wait for: the wake-up and the watch entry go.
 */
export async function park<S extends BurstFields>(
  kind: WatchedSubjectKind<S>,
  input: { tenantId: string; id: string; generation: number; phase: string; waitSeconds: number },
): Promise<Routed> {
  const found = await current(kind, input);
  if (!found) return SUPERSEDED;
  const { subject } = found;
  // The wake-up this one replaces, if it is still to come: one whose time has passed has fired
  // (Scheduler deletes it then) or is being retried into a claim that will lose.
  const previous =
    subject.wakeUp && subject.wakeUpAt && Date.parse(subject.wakeUpAt) > now().getTime()
      ? subject.wakeUp
      : undefined;
  if (input.phase === 'end') {
    const ended = await kind.write(input.tenantId, input.id, {
      expect: stillAt(input.generation),
      remove: ['wakeUp', 'wakeUpAt', 'reconcilerStarts', ...WATCH_ENTRY_FIELDS],
    });
    if (ended) await cancelWakeUp(previous);
    return { phase: 'end', waitSeconds: 0, generation: input.generation };
  }
  const at = wakeUpAt(now(), input.waitSeconds);
  const name = wakeUpName(input.tenantId, input.id, input.generation);
  await scheduleWakeUp(
    name,
    at,
    burstRequest(kind.lifecycleOf(input.tenantId, input.id), 'timer', input.generation),
  );
  const parked = await kind.write(input.tenantId, input.id, {
    expect: stillAt(input.generation),
    fields: {
      wakeUp: name,
      wakeUpAt: at.toISOString(),
      ...watchEntry(input.tenantId, kind.kind, input.id, new Date(at.getTime() + TIMER_GRACE_SECONDS * 1000)),
    },
    remove: ['reconcilerStarts'],
  });
  if (!parked) {
    await cancelWakeUp(name);
    return SUPERSEDED;
  }
  if (previous && previous !== name) await cancelWakeUp(previous);
  return { phase: input.phase, waitSeconds: input.waitSeconds, generation: input.generation };
}

/**
 * After staff or a customer changed a subject: a burst acts on it now. If Step Functions cannot
 * be reached the change is kept and the watch entry is made due, so the reconciler starts the
 * burst at its next pass (the parked wake-up would too, later).
 */
export async function wake<S extends BurstFields>(
  kind: WatchedSubjectKind<S>,
  tenantId: string,
  id: string,
  trigger: BurstTrigger,
): Promise<void> {
  try {
    await startBurst(kind.lifecycleOf(tenantId, id), trigger);
  } catch (error) {
    logger.warn('Burst start left to the reconciler', { kind: kind.kind, tenantId, id, trigger, error });
    await kind
      .write(tenantId, id, { fields: watchEntry(tenantId, kind.kind, id, now()) })
      .catch(() => undefined);
  }
}

type Loaded<S> = { subject: S; tenant: StoredTenant };

/** The inputs the Task states of workflows/watched-subject.ts pass, the subject's id as `id`. */
const ids = { tenantId: z.string(), id: z.string() };
const claimInput = z.object({
  ...ids,
  trigger: z.enum(burstTriggers),
  expectGeneration: z.nullable(z.number()),
  execution: z.string(),
});
const parkInput = z.object({
  ...ids,
  generation: z.number(),
  phase: z.string(),
  waitSeconds: z.number().check(z.nonnegative()),
});

/**
 * A subject kind's step function: claim and park are the mechanism's; every other step is the
 * kind's own action, run only while its burst still holds the subject. Answers what the
 * workflow's "Route by phase" reads: the ids, the burst's generation and the route.
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
  });
  return async (event: unknown): Promise<Record<string, unknown> & Routed> => {
    const raw = (event ?? {}) as Record<string, unknown>;
    const given = { ...raw, id: raw[idField] };
    const answer = (routed: Routed) => ({ tenantId: raw.tenantId, [idField]: raw[idField], ...routed });
    if (raw.step === 'claim') return answer(await claim(kind, claimInput.parse(given)));
    if (raw.step === 'park') return answer(await park(kind, parkInput.parse(given)));
    const input = actionInput.parse(given);
    const loaded = await current(kind, input);
    if (!loaded) return answer(SUPERSEDED);
    return answer({ ...(await actions[input.step](loaded)), generation: input.generation });
  };
}
