import { csvTable } from './csv.ts';
import type { SurveyAnswer } from './survey.ts';
import { localDate } from './working-calendar.ts';

/**
 * The satisfaction report (7.2.2): satisfaction over time and per kind of service, how many
 * customers answered, and how feedback was handled against its working-day deadline.
 */
export interface SurveyFact {
  kind: string;
  invitedAt: string;
  answer?: SurveyAnswer;
}

export interface FeedbackFact {
  feedbackId: string;
  /** The kind of request it is about (`periodic` for a periodic survey), if any. */
  kind?: string;
  receivedAt: string;
  dueAt: string;
  resolvedAt?: string;
  changes?: string;
}

export interface ReportRow {
  period: string;
  kind: string;
  surveysSent: number;
  answered: number;
  responseRate: number | null;
  /** Mean of the 1–5 service score. */
  csatService: number | null;
  csatGoods: number | null;
  /** Share answering 4 or 5 on the service, in %. */
  satisfiedPercent: number | null;
  /** % promoters (9–10) − % detractors (0–6). */
  nps: number | null;
  feedbackOpened: number;
  feedbackOnTime: number;
  feedbackLate: number;
  feedbackOverdue: number;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const mean = (values: number[]) =>
  values.length === 0 ? null : round(values.reduce((a, b) => a + b, 0) / values.length, 2);

/** The calendar month of an instant in the tenant's time zone. */
const monthOf = (timeZone: string, at: string) => localDate(timeZone, new Date(at)).slice(0, 7);

/** Facts grouped by a key computed once per fact. */
function groupBy<T>(facts: readonly T[], keyOf: (fact: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const fact of facts) {
    const key = keyOf(fact);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(fact);
    else groups.set(key, [fact]);
  }
  return groups;
}

function row(
  period: string,
  kind: string,
  surveys: SurveyFact[],
  feedback: FeedbackFact[],
  now: Date,
): ReportRow {
  const answers = surveys.flatMap((s) => (s.answer ? [s.answer] : []));
  const promoters = answers.filter((a) => a.recommendScore >= 9).length;
  const detractors = answers.filter((a) => a.recommendScore <= 6).length;
  return {
    period,
    kind,
    surveysSent: surveys.length,
    answered: answers.length,
    responseRate: surveys.length === 0 ? null : round((100 * answers.length) / surveys.length),
    csatService: mean(answers.map((a) => a.serviceScore)),
    csatGoods: mean(answers.map((a) => a.goodsScore)),
    satisfiedPercent:
      answers.length === 0
        ? null
        : round((100 * answers.filter((a) => a.serviceScore >= 4).length) / answers.length),
    nps: answers.length === 0 ? null : round((100 * (promoters - detractors)) / answers.length),
    feedbackOpened: feedback.length,
    feedbackOnTime: feedback.filter((f) => f.resolvedAt && f.resolvedAt <= f.dueAt).length,
    feedbackLate: feedback.filter((f) => f.resolvedAt && f.resolvedAt > f.dueAt).length,
    feedbackOverdue: feedback.filter((f) => !f.resolvedAt && now.toISOString() > f.dueAt).length,
  };
}

/**
 * Rows per month: one for all kinds (`kind: 'all'`), then one per kind of request, each with
 * the surveys sent after that kind and the feedback about it (feedback about no request is in `all` only).
 */
export function satisfactionReport(
  surveys: SurveyFact[],
  feedback: FeedbackFact[],
  timeZone: string,
  now: Date,
) {
  const surveysByMonth = groupBy(surveys, (s) => monthOf(timeZone, s.invitedAt));
  const feedbackByMonth = groupBy(feedback, (f) => monthOf(timeZone, f.receivedAt));
  const months = [...new Set([...surveysByMonth.keys(), ...feedbackByMonth.keys()])].sort();
  const rows: ReportRow[] = [];
  for (const month of months) {
    const monthSurveys = surveysByMonth.get(month) ?? [];
    const monthFeedback = feedbackByMonth.get(month) ?? [];
    rows.push(row(month, 'all', monthSurveys, monthFeedback, now));
    const surveysByKind = groupBy(monthSurveys, (s) => s.kind);
    const feedbackByKind = groupBy(monthFeedback, (f) => f.kind);
    for (const kind of [...new Set([...surveysByKind.keys(), ...feedbackByKind.keys()])].sort())
      rows.push(row(month, kind, surveysByKind.get(kind) ?? [], feedbackByKind.get(kind) ?? [], now));
  }
  const changes = feedback
    .filter((f) => f.resolvedAt && f.changes)
    .map((f) => ({ feedbackId: f.feedbackId, resolvedAt: f.resolvedAt!, changes: f.changes! }));
  return { rows, changes };
}

/** The rows as CSV, a column per field. */
export function reportCsv(rows: ReportRow[]): string {
  const columns = Object.keys(rows[0] ?? row('', '', [], [], new Date(0))) as (keyof ReportRow)[];
  return csvTable([columns, ...rows.map((r) => columns.map((c) => r[c]))]);
}
