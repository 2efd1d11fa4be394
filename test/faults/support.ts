import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { SentEmail } from '../support/runtime.ts';
import { send } from '../support/runtime.ts';

/** Faults through the runtime's own endpoint, as an operator or a test from outside would. */
export async function injectFault(apiUrl: string, spec: Record<string, unknown>): Promise<void> {
  const response = await send(`${apiUrl}/_local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  if (response.status !== 201) throw new Error(`fault not injected: ${response.status} ${response.text}`);
}

export async function clearFaults(apiUrl: string): Promise<void> {
  await send(`${apiUrl}/_local/faults`, { method: 'DELETE', headers: {} });
}

/**
 * What keeps lifecycles alive now: the names of the bursts running and of the wake-ups parked
 * (EventBridge Scheduler's one-time schedules), both named after their subject.
 */
export async function liveLifecycles(
  urls: { stepFunctions: string; scheduler: string },
  stateMachineArn: string,
): Promise<Set<string>> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sfn = new SFNClient({ endpoint: urls.stepFunctions, region: 'us-east-1', credentials });
  const { executions } = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }),
  );
  const scheduler = new SchedulerClient({ endpoint: urls.scheduler, region: 'us-east-1', credentials });
  const names = new Set((executions ?? []).map((e) => e.name!));
  let NextToken: string | undefined;
  do {
    const page = await scheduler.send(new ListSchedulesCommand({ NextToken }));
    for (const schedule of page.Schedules ?? []) names.add(schedule.Name!);
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

/** Whether a subject's lifecycle is alive: a burst of it running, or its next wake-up parked. */
export const hasLiveLifecycle = (live: Set<string>, subjectId: string) =>
  [...live].some((name) => name.startsWith(`${subjectId}--`) || name.startsWith(`${subjectId}.`));

/** Level-1 escalation emails about a subject, and how many copies of each arrived. */
export function levelOneEscalations(mail: SentEmail[], subjectId: string): number {
  return mail.filter((e) => e.subject.startsWith('[升级 Team lead]') && e.subject.includes(subjectId)).length;
}

/**
 * One row of the fault report: what was tried, whether nothing was lost, the emails due that
 * never arrived and the duplicates. Rows are appended to a file the suite prints at the end
 * (and the closing note of a change quotes).
 */
export interface FaultRow {
  fault: string;
  survived: boolean;
  emailsDue: number;
  /** Due and never sent. */
  emailsLost: number;
  /** Sent more than 5 minutes after the later of their due time and the fault's end. */
  emailsLate?: number;
  duplicates: number;
  /** Feedback cases that opened more than 5 minutes after the answer that called for them. */
  casesOpenedLate?: number;
  notes?: string;
}

export const REPORT_PATH = join(tmpdir(), 'aftersales-fault-report.jsonl');

export function report(row: FaultRow): void {
  appendFileSync(REPORT_PATH, `${JSON.stringify(row)}\n`);
}
