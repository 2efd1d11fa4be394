import { type Breach, keptLate } from './breach.ts';
import { csvTable } from './csv.ts';
import { completionDeadline, responseDeadline } from './deadlines.ts';
import { localDate } from './working-calendar.ts';

/**
 * How the service's promises were kept, month by month (5.1.1 response, the completion the terms
 * give, 7.2.1 feedback): the share of requests answered and completed on time, and the breaches
 * recorded (what damages are counted from, 10.1.1), by the month of their deadline.
 */
export interface RequestFact {
  receivedAt: string;
  status: string;
  terms: { responseHours: number; completionHours: number };
  acknowledgedAt?: string;
  completedAt?: string;
}

export interface PromiseRow {
  period: string;
  requestsReceived: number;
  responseOnTime: number;
  responseLate: number;
  /** Past the deadline and still not acknowledged. */
  responseOverdue: number;
  responseOnTimePercent: number | null;
  completionOnTime: number;
  completionLate: number;
  completionOverdue: number;
  completionOnTimePercent: number | null;
  responseBreaches: number;
  completionBreaches: number;
  feedbackBreaches: number;
}

type Outcome = 'OnTime' | 'Late' | 'Overdue' | undefined;

/** A promise's outcome: kept by `metAt` or not, missed while still open, or not due yet (undefined). */
function outcome(deadline: Date, metAt: string | undefined, cancelled: boolean, now: Date): Outcome {
  if (metAt) return keptLate(deadline, new Date(metAt)) ? 'Late' : 'OnTime';
  if (cancelled) return undefined;
  return keptLate(deadline, now) ? 'Overdue' : undefined;
}

const PROMISES = ['response', 'completion'] as const;

const percent = (onTime: number, all: number) => (all === 0 ? null : Math.round((1000 * onTime) / all) / 10);

export function promiseReport(
  requests: readonly RequestFact[],
  breaches: readonly Pick<Breach, 'promise' | 'deadline'>[],
  timeZone: string,
  now: Date,
): PromiseRow[] {
  const rows = new Map<string, PromiseRow>();
  const rowOf = (at: string) => {
    const period = localDate(timeZone, new Date(at)).slice(0, 7);
    let row = rows.get(period);
    if (!row) {
      row = {
        period,
        requestsReceived: 0,
        responseOnTime: 0,
        responseLate: 0,
        responseOverdue: 0,
        responseOnTimePercent: null,
        completionOnTime: 0,
        completionLate: 0,
        completionOverdue: 0,
        completionOnTimePercent: null,
        responseBreaches: 0,
        completionBreaches: 0,
        feedbackBreaches: 0,
      };
      rows.set(period, row);
    }
    return row;
  };
  for (const request of requests) {
    const row = rowOf(request.receivedAt);
    const receivedAt = new Date(request.receivedAt);
    const cancelled = request.status === 'cancelled';
    row.requestsReceived += 1;
    const kept = {
      response: [responseDeadline(receivedAt, request.terms), request.acknowledgedAt],
      completion: [completionDeadline(receivedAt, request.terms), request.completedAt],
    } as const;
    for (const promise of PROMISES) {
      const result = outcome(kept[promise][0], kept[promise][1], cancelled, now);
      if (result) row[`${promise}${result}`] += 1;
    }
  }
  for (const breach of breaches) rowOf(breach.deadline)[`${breach.promise}Breaches`] += 1;
  for (const row of rows.values())
    for (const promise of PROMISES)
      row[`${promise}OnTimePercent`] = percent(
        row[`${promise}OnTime`],
        row[`${promise}OnTime`] + row[`${promise}Late`] + row[`${promise}Overdue`],
      );
  return [...rows.values()].sort((a, b) => a.period.localeCompare(b.period));
}

const PROMISE_COLUMNS: readonly (keyof PromiseRow)[] = [
  'period',
  'requestsReceived',
  'responseOnTime',
  'responseLate',
  'responseOverdue',
  'responseOnTimePercent',
  'completionOnTime',
  'completionLate',
  'completionOverdue',
  'completionOnTimePercent',
  'responseBreaches',
  'completionBreaches',
  'feedbackBreaches',
];

/** The promise rows as CSV, a column per field (the header even when no month has any). */
export function promiseCsv(rows: readonly PromiseRow[]): string {
  return csvTable([PROMISE_COLUMNS, ...rows.map((r) => PROMISE_COLUMNS.map((c) => r[c]))]);
}
