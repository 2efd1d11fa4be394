import { lateFrom } from './breach.ts';
import { secondsUntil } from './deadlines.ts';
import {
  lastWorkingMorning,
  localDate,
  nextWorkingMoment,
  nextWorkingMorning,
  type WorkingCalendar,
} from './working-calendar.ts';
import * as z from './zod.ts';

/**
 * A tenant's escalation ladder (6.1.2): who hears about a missed deadline, and when. Level 1
 * is told as soon as the deadline has passed (delay 0), level 2 after its delay, and so on up
 * to the top, which is then reminded every working morning until someone acts.
 */
const STAFF_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The addresses a ladder level's recipients stand for: an address as written, a staff member by
 * their address now (a disabled or removed one is skipped: the level's others still hear).
 */
export function recipientAddresses(
  recipients: readonly string[],
  staff: readonly { staffId: string; email: string; disabledAt?: string }[],
): string[] {
  return recipients.flatMap((recipient) => {
    if (recipient.includes('@')) return [recipient];
    const member = staff.find((s) => s.staffId === recipient && !s.disabledAt);
    return member ? [member.email] : [];
  });
}

/** Recipients naming no one on the staff list (settings refuse them: field errors by path). */
export function unknownLadderStaff(
  ladder: { levels: readonly { recipients: readonly string[] }[] },
  staff: readonly { staffId: string }[],
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const [i, level] of ladder.levels.entries())
    for (const [j, recipient] of level.recipients.entries())
      if (!recipient.includes('@') && !staff.some((s) => s.staffId === recipient))
        fields[`escalationLadder.levels.${i}.recipients.${j}`] = [`no staff member has the id ${recipient}`];
  return fields;
}

export const escalationLadderSchema = z.strictObject({
  levels: z
    .array(
      z.strictObject({
        name: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
        /** Each an email address, or a staff member by staff id (their address, kept current). */
        recipients: z
          .array(
            // A union, not a refinement, so the API document states both forms.
            z.union(
              [
                z.email({ message: 'an email address or a staff id' }).check(z.maxLength(254)),
                z.string().check(z.regex(STAFF_ID, { message: 'an email address or a staff id' })),
              ],
              { message: 'an email address or a staff id' },
            ),
          )
          .check(z.minLength(1), z.maxLength(20)),
        delayMinutes: z
          .number()
          .check(z.int())
          .check(z.minimum(0), z.maximum(60 * 24 * 30)),
      }),
    )
    .check(
      z.minLength(1),
      z.maxLength(10),
      z.refine(
        (levels) => levels.every((level, i) => i === 0 || level.delayMinutes > levels[i - 1]!.delayMinutes),
        {
          message: 'each level must come strictly later than the one below it',
        },
      ),
    ),
  /** Warn the assignee when this fraction of the window has passed (e.g. 0.75); omit for none. */
  approachingWarningFraction: z.optional(
    z.number().check(z.minimum(0.05), z.maximum(0.95), z.multipleOf(0.01)),
  ),
});
export type EscalationLadder = z.infer<typeof escalationLadderSchema>;

/** A deadline being watched: the promise, when its window opened, when it falls due. */
export interface WatchedDeadline {
  promise: 'response' | 'completion' | 'feedback';
  windowStart: Date;
  deadline: Date;
}

/** What decides when a tenant's people hear about a deadline: its ladder and its working calendar. */
export interface EscalationPolicy {
  ladder: EscalationLadder;
  calendar: WorkingCalendar;
}

/**
 * One step of the ladder for one deadline:
 * - `warning`: the assignee hears the deadline is near (level 0);
 * - `breach`: the deadline has passed; the breach is recorded (no email of its own);
 * - `level`: the ladder's level is emailed;
 * - `reminder`: the top level is reminded, each working morning while the promise stays broken.
 */
export interface EscalationStep {
  /** Stable identity, e.g. `response#1`: the key that makes each step happen once. */
  key: string;
  kind: 'warning' | 'breach' | 'level' | 'reminder';
  /** 0 for the warning and the breach; the ladder's level (1…) otherwise. */
  level: number;
  at: Date;
  watched: WatchedDeadline;
}

/**
 * However far the next step is, a workflow looks again at least this often: an AWS execution
 * may not outlive a year, and Node's timers (the local engine) cannot wait past 24.8 days.
 */
export const LOOK_AGAIN_SECONDS = 7 * 24 * 3600;

/**
 * The warning goes out in working hours: at the fraction of the window if that is in working
 * hours, else at the next start of working hours, unless that is already past the deadline
 * (a 2-hour window at night is warned at night: there is no better time).
 */
function warningTime(watched: WatchedDeadline, fraction: number, calendar: WorkingCalendar): Date {
  const window = watched.deadline.getTime() - watched.windowStart.getTime();
  const planned = new Date(watched.windowStart.getTime() + window * fraction);
  const inHours = nextWorkingMoment(calendar, planned);
  return inHours < watched.deadline ? inHours : planned;
}

/** The finite steps of one deadline, in time order: warning (with an assignee), breach, the levels. */
export function escalationSchedule(
  watched: WatchedDeadline,
  policy: EscalationPolicy,
  options: { hasAssignee: boolean },
): EscalationStep[] {
  const steps: EscalationStep[] = [];
  const fraction = policy.ladder.approachingWarningFraction;
  if (fraction !== undefined && options.hasAssignee) {
    steps.push({
      key: `${watched.promise}#0`,
      kind: 'warning',
      level: 0,
      at: warningTime(watched, fraction, policy.calendar),
      watched,
    });
  }
  // On time means on or before the deadline: the promise is broken only from the next instant.
  const late = lateFrom(watched.deadline);
  steps.push({ key: `${watched.promise}#breach`, kind: 'breach', level: 0, at: late, watched });
  policy.ladder.levels.forEach((level, i) => {
    steps.push({
      key: `${watched.promise}#${i + 1}`,
      kind: 'level',
      level: i + 1,
      at: new Date(late.getTime() + level.delayMinutes * 60_000),
      watched,
    });
  });
  return steps;
}

/** The key of the top level's reminder on a working day (one per subject and day). */
const REMINDER_PREFIX = 'reminder#';
export const reminderKey = (isoDate: string) => `${REMINDER_PREFIX}${isoDate}`;

/** The ladder's top step of a deadline: once taken, reminders follow. */
export const topLevelKey = (watched: WatchedDeadline, ladder: EscalationLadder) =>
  `${watched.promise}#${ladder.levels.length}`;

/**
 * What is due now for a subject watching these deadlines, in time order: every untaken step
 * whose time has come, and the top level's reminder of this working morning once any promise
 * has reached the top of the ladder. Several deadlines run at once (a request nobody answers
 * misses its response and, later, its completion deadline): each is recorded and escalated
 * once, whatever the order in which staff act.
 */
export function dueEscalations(
  watched: readonly WatchedDeadline[],
  policy: EscalationPolicy,
  state: { assigneeId?: string; escalationsTaken: readonly string[] },
  now: Date,
): EscalationStep[] {
  const taken = new Set(state.escalationsTaken);
  const due = watched
    .flatMap((w) => escalationSchedule(w, policy, { hasAssignee: state.assigneeId !== undefined }))
    .filter((step) => !taken.has(step.key) && step.at <= now)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const reminder = dueReminder(watched, policy, taken, now);
  return reminder ? [...due, reminder] : due;
}

/** The promise the top level is reminded of: the earliest deadline that reached the top. */
function atTopOfLadder(watched: readonly WatchedDeadline[], policy: EscalationPolicy, taken: Set<string>) {
  return [...watched]
    .sort((a, b) => a.deadline.getTime() - b.deadline.getTime())
    .find((w) => taken.has(topLevelKey(w, policy.ladder)));
}

function dueReminder(
  watched: readonly WatchedDeadline[],
  policy: EscalationPolicy,
  taken: Set<string>,
  now: Date,
): EscalationStep | undefined {
  const top = atTopOfLadder(watched, policy, taken);
  if (!top) return undefined;
  // Only the latest morning's reminder, and only after the last one (or the day the top level
  // heard): after an outage the top level hears once, not once per missed day.
  const morning = lastWorkingMorning(policy.calendar, now);
  const lastReminded = [...taken]
    .filter((key) => key.startsWith(REMINDER_PREFIX))
    .map((key) => key.slice(REMINDER_PREFIX.length))
    .sort()
    .at(-1);
  if (!morning || (lastReminded !== undefined && morning.date <= lastReminded)) return undefined;
  return {
    key: reminderKey(morning.date),
    kind: 'reminder',
    level: policy.ladder.levels.length,
    at: morning.at,
    watched: top,
  };
}

/**
 * Keys to mark when a step is taken: its own, and for the top level also today's reminder, so
 * the first reminder comes on the next working morning, not an hour after the top level heard.
 */
export function keysTakenWith(step: EscalationStep, policy: EscalationPolicy, now: Date): string[] {
  return step.kind === 'level' && step.level === policy.ladder.levels.length
    ? [step.key, reminderKey(localDate(policy.calendar.timeZone, now))]
    : [step.key];
}

/**
 * What a workflow watching deadlines does next: escalate now, or wait until the next untaken
 * step (never less than a second, never more than LOOK_AGAIN_SECONDS).
 */
export function nextEscalationTimer(
  watched: readonly WatchedDeadline[],
  policy: EscalationPolicy,
  state: { assigneeId?: string; escalationsTaken: readonly string[] },
  now: Date,
): { escalateNow: true } | { escalateNow: false; waitSeconds: number } {
  if (dueEscalations(watched, policy, state, now).length > 0) return { escalateNow: true };
  const taken = new Set(state.escalationsTaken);
  const upcoming = watched
    .flatMap((w) => escalationSchedule(w, policy, { hasAssignee: state.assigneeId !== undefined }))
    .filter((step) => !taken.has(step.key))
    .map((step) => step.at.getTime());
  if (atTopOfLadder(watched, policy, taken)) {
    upcoming.push(nextWorkingMorning(policy.calendar, localDate(policy.calendar.timeZone, now)).at.getTime());
  }
  const next = upcoming.length > 0 ? Math.min(...upcoming) : Number.POSITIVE_INFINITY;
  return { escalateNow: false, waitSeconds: waitUntil(next, now) };
}

/** Seconds from now until `at`, between 1 and LOOK_AGAIN_SECONDS. */
export function waitUntil(at: number, now: Date): number {
  if (!Number.isFinite(at)) return LOOK_AGAIN_SECONDS;
  return Math.min(LOOK_AGAIN_SECONDS, secondsUntil(new Date(at), now));
}
