import { createHash } from 'node:crypto';
import type { BurstTrigger } from '#domain/watched-subject.ts';
import { now } from '../adapters/clock.ts';
import { type BurstFields, type WatchedKind, watchEntry } from '../adapters/lifecycle-watch.ts';
import type { StepUpdate } from '../adapters/table.ts';
import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { type Lifecycle, startBurst } from '../adapters/workflows.ts';
import { NotFoundError } from './errors.ts';
import { logger } from './logger.ts';

/**
 * The watched-subject mechanism (#17, workflows/watched-subject.ts), written once: starting a
 * burst, the claim and the superseded check (parking, and the step runner that uses them all,
 * are in ./burst-steps.ts: only the step functions create and delete wake-ups). A subject kind
 * (a service request, a feedback case) gives it this small interface; its phases, steps and
 * wording stay its own.
 */

export interface WatchedSubjectKind<S extends BurstFields> {
  kind: WatchedKind;
  lifecycleOf(tenantId: string, id: string): Lifecycle;
  /**
   * The subject with its tenant (routing needs both), and the subject's own watch entry (its
   * byDue sort key, absent when nothing is watched) for the reconciler to compare an entry with.
   */
  load(
    tenantId: string,
    id: string,
  ): Promise<{ subject: S; tenant: StoredTenant; watch?: string } | undefined>;
  route(subject: S, tenant: StoredTenant, at: Date): { phase: string; waitSeconds: number };
  /** One conditional write of the subject (functions/adapters/table.ts `applyStep`). */
  write(
    tenantId: string,
    id: string,
    update: Pick<StepUpdate, 'expect' | 'expectAtMost' | 'fields' | 'remove' | 'event'>,
  ): Promise<S | undefined>;
}

export type Routed = { phase: string; waitSeconds: number; generation: number };

/**
 * The wake-up a subject was parked with, as its burst's claim found it: carried through the
 * burst's state to its park, which replaces it. Only a park writes it, and only while its burst
 * holds the subject, so it cannot change under a burst that still holds the subject.
 */
export type PendingWakeUp = { name: string; at: string } | null;

export const pendingWakeUpOf = (subject: BurstFields): PendingWakeUp =>
  subject.wakeUp && subject.wakeUpAt ? { name: subject.wakeUp, at: subject.wakeUpAt } : null;

export const SUPERSEDED = { phase: 'superseded', waitSeconds: 0, generation: -1 } as const;

export const generationOf = (subject: BurstFields) => subject.burstGeneration ?? 0;

/** The write's condition that the generation is still `generation` (absent = 0). */
export const stillAt = (generation: number) => ({
  burstGeneration: generation === 0 ? undefined : generation,
});

async function loaded<S extends BurstFields>(kind: WatchedSubjectKind<S>, tenantId: string, id: string) {
  const found = await kind.load(tenantId, id);
  if (!found) throw new NotFoundError(`${kind.kind} ${tenantId}/${id}`);
  return found;
}

/** What a claim answers: where the subject stands, and the subject itself once this burst holds it. */
export type Claimed<S> = Routed & {
  pendingWakeUp: PendingWakeUp;
  loaded?: { subject: S; tenant: StoredTenant };
};

/** A run of an execution, short enough to store on every subject: Express runs at least once, each run has its own id. */
export const burstRunOf = (executionId: string) =>
  createHash('sha256').update(executionId).digest('base64url').slice(0, 16);

/**
 * A burst's first step: takes the next generation with one conditional write that also leaves
 * the burst's timeline entry, then says where the subject stands. A trigger that named the
 * generation it saw (a wake-up, the reconciler, intake) loses once another burst claimed since:
 * that is how a schedule firing twice, a late one, or a duplicate Express start changes nothing.
 * It writes without reading the subject first, the write's condition being the check. Staff and
 * customers name none: their change is newer than whatever runs, so they always win (reading the
 * generation to take, and trying again on a race), and the burst they supersede ends at its next
 * step. The write also names the run (`burstRun`, from the execution's id, which differs between
 * two runs of one execution name): a retry of this step in the same run finds the claim its own
 * and goes on, so a step that fails after the claim (the first action runs in it) is retried, not
 * left to the reconciler.
 */
export async function claim<S extends BurstFields>(
  kind: WatchedSubjectKind<S>,
  input: {
    tenantId: string;
    id: string;
    trigger: BurstTrigger;
    expectGeneration: number | null;
    execution: string;
    run?: string;
  },
): Promise<Claimed<S>> {
  const lost = { ...SUPERSEDED, pendingWakeUp: null };
  const run = input.run === undefined ? undefined : burstRunOf(input.run);
  const take = (stored: number, at: Date) =>
    kind.write(input.tenantId, input.id, {
      expect: stillAt(stored),
      fields: { burstGeneration: stored + 1, ...(run ? { burstRun: run } : {}) },
      event: {
        at: at.toISOString(),
        type: 'burst',
        actor: 'system',
        details: { trigger: input.trigger, generation: stored + 1, execution: input.execution },
      },
    });
  const routed = (claimed: S, tenant: StoredTenant, at: Date): Claimed<S> => ({
    ...kind.route(claimed, tenant, at),
    generation: generationOf(claimed),
    pendingWakeUp: pendingWakeUpOf(claimed),
    loaded: { subject: claimed, tenant },
  });
  if (input.expectGeneration !== null) {
    const tenant = await getTenant(input.tenantId);
    if (!tenant) throw new NotFoundError(`tenant ${input.tenantId}`);
    const at = now();
    const claimed = await take(input.expectGeneration, at);
    if (claimed) return routed(claimed, tenant, at);
    // Lost, unless this run made the claim at an earlier attempt of this step (an unnamed run cannot tell).
    if (run === undefined) return lost;
    const { subject } = await loaded(kind, input.tenantId, input.id);
    const ours = subject.burstRun === run && generationOf(subject) === input.expectGeneration + 1;
    return ours ? routed(subject, tenant, now()) : lost;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const { subject, tenant } = await loaded(kind, input.tenantId, input.id);
    if (run !== undefined && subject.burstRun === run) return routed(subject, tenant, now());
    const at = now();
    const claimed = await take(generationOf(subject), at);
    if (claimed) return routed(claimed, tenant, at);
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
 * A burst acts on a subject now: a new one at intake (expecting generation 0, so a repeat loses
 * its claim), or one staff, a customer, a storefront or the daily run just changed. If Step
 * Functions cannot be reached the change is kept and the watch entry is made due, so the
 * reconciler starts the burst at its next pass (a parked wake-up would too, later).
 */
export async function wake<S extends BurstFields>(
  kind: WatchedSubjectKind<S>,
  tenantId: string,
  id: string,
  trigger: BurstTrigger,
  expectGeneration: number | null = null,
): Promise<void> {
  try {
    await startBurst(kind.lifecycleOf(tenantId, id), trigger, expectGeneration);
  } catch (error) {
    logger.warn('Burst start left to the reconciler', { kind: kind.kind, tenantId, id, trigger, error });
    await kind
      .write(tenantId, id, { fields: watchEntry(tenantId, kind.kind, id, now()) })
      .catch(() => undefined);
  }
}
