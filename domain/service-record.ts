import * as z from './zod.ts';

/** What staff report when the work is done (6.1.4, 6.2.1c). */
export const completionReportSchema = z
  .strictObject({
    workDone: z.string().check(z.trim(), z.minLength(1), z.maxLength(5000)),
    startedAt: z.iso.datetime({ offset: true }),
    endedAt: z.iso.datetime({ offset: true }),
    /** 6.2.1c: whether the goods are back to normal use. */
    restoredToNormalUse: z.boolean(),
    /** Who did the work; defaults to the dispatched technician. */
    staffIds: z.optional(
      z.array(z.string().check(z.minLength(1), z.maxLength(80))).check(z.minLength(1), z.maxLength(20)),
    ),
  })
  .check(
    z.refine((report) => new Date(report.startedAt) <= new Date(report.endedAt), {
      message: 'endedAt must not be before startedAt',
      path: ['endedAt'],
    }),
  );
export type CompletionReport = z.infer<typeof completionReportSchema>;

/** Clocks disagree a little (a technician's phone, a server): this much of the future is tolerated. */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

/**
 * A service record states what happened (6.1.4): work cannot be reported before it was done.
 * Field errors for times later than `now` (beyond the clock-skew allowance), none otherwise.
 */
export function futureTimesIn(report: CompletionReport, now: Date): Record<string, string[]> | undefined {
  const latest = now.getTime() + CLOCK_SKEW_ALLOWANCE_MS;
  const fields: Record<string, string[]> = {};
  for (const field of ['startedAt', 'endedAt'] as const) {
    if (Date.parse(report[field]) > latest) fields[field] = ['must not be in the future'];
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** The immutable record handed to the customer; never changed once issued. */
export interface ServiceRecord {
  recordNumber: string;
  requestId: string;
  workDone: string;
  startedAt: string;
  endedAt: string;
  staff: { staffId: string; name: string }[];
  restoredToNormalUse: boolean;
  issuedAt: string;
}

export function issueServiceRecord(
  requestId: string,
  report: CompletionReport,
  staff: { staffId: string; name: string }[],
  issuedAt: Date,
): ServiceRecord {
  return {
    recordNumber: `SR-${requestId}`,
    requestId,
    workDone: report.workDone,
    startedAt: new Date(report.startedAt).toISOString(),
    endedAt: new Date(report.endedAt).toISOString(),
    staff,
    restoredToNormalUse: report.restoredToNormalUse,
    issuedAt: issuedAt.toISOString(),
  };
}
