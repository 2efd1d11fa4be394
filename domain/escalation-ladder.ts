import { z } from 'zod';
import { secondsUntil } from './deadlines.ts';

/**
 * A tenant's escalation ladder (6.1.2): who hears about a missed deadline, and when. Level 1
 * is told at the deadline (delay 0), level 2 after its delay, and so on up to the top.
 */
export const escalationLadderSchema = z.object({
  levels: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(80),
        recipients: z.array(z.string().trim().email()).min(1).max(20),
        delayMinutes: z
          .number()
          .int()
          .min(0)
          .max(60 * 24 * 30),
      }),
    )
    .min(1)
    .max(10)
    .refine(
      (levels) => levels.every((level, i) => i === 0 || level.delayMinutes > levels[i - 1]!.delayMinutes),
      {
        message: 'each level must come strictly later than the one below it',
      },
    ),
  /** Warn the assignee when this fraction of the window has passed (e.g. 0.75); omit for none. */
  approachingWarningFraction: z.number().gt(0).lt(1).optional(),
});
export type EscalationLadder = z.infer<typeof escalationLadderSchema>;

/** A deadline being watched: the promise, when its window opened, when it falls due. */
export interface WatchedDeadline {
  promise: 'response' | 'completion' | 'feedback';
  windowStart: Date;
  deadline: Date;
}

/** One step of the ladder for one deadline: level 0 is the "approaching" warning. */
export interface EscalationStep {
  /** Stable identity, e.g. `response#1`: the key that makes each step happen once. */
  key: string;
  level: number;
  at: Date;
}

export function escalationSchedule(
  watched: WatchedDeadline,
  ladder: EscalationLadder,
  options: { hasAssignee: boolean },
): EscalationStep[] {
  const steps: EscalationStep[] = [];
  const fraction = ladder.approachingWarningFraction;
  if (fraction !== undefined && options.hasAssignee) {
    const window = watched.deadline.getTime() - watched.windowStart.getTime();
    steps.push({
      key: `${watched.promise}#0`,
      level: 0,
      at: new Date(watched.windowStart.getTime() + window * fraction),
    });
  }
  ladder.levels.forEach((level, i) => {
    steps.push({
      key: `${watched.promise}#${i + 1}`,
      level: i + 1,
      at: new Date(watched.deadline.getTime() + level.delayMinutes * 60_000),
    });
  });
  return steps;
}

/** The earliest step that is due and not yet taken, if any. */
export function dueEscalation(schedule: EscalationStep[], taken: ReadonlySet<string>, now: Date) {
  return schedule.find((step) => !taken.has(step.key) && step.at.getTime() <= now.getTime());
}

/** When the next untaken step falls due (undefined once the top of the ladder was reached). */
function nextEscalationAt(schedule: EscalationStep[], taken: ReadonlySet<string>): Date | undefined {
  return schedule.find((step) => !taken.has(step.key))?.at;
}

/**
 * Once the top of the ladder was told, the workflow waits for staff with no further emails,
 * looking again once a week (three state transitions: cheap, and it keeps every timer far
 * below the 24.8-day limit of Node's setTimeout that the local interpreter runs on).
 */
export const WAIT_WITHOUT_ESCALATION_SECONDS = 7 * 24 * 3600;

/**
 * What a workflow waiting on a watched deadline does next: escalate now, or wait until the
 * next untaken step of the ladder (never less than a second).
 */
export function nextEscalationTimer(
  watched: WatchedDeadline,
  ladder: EscalationLadder,
  state: { assigneeId?: string; escalationsTaken: readonly string[] },
  now: Date,
): { escalateNow: true } | { escalateNow: false; waitSeconds: number } {
  const schedule = escalationSchedule(watched, ladder, { hasAssignee: state.assigneeId !== undefined });
  const taken = new Set(state.escalationsTaken);
  if (dueEscalation(schedule, taken, now)) return { escalateNow: true };
  const next = nextEscalationAt(schedule, taken);
  const waitSeconds = next ? secondsUntil(next, now) : WAIT_WITHOUT_ESCALATION_SECONDS;
  return { escalateNow: false, waitSeconds };
}
