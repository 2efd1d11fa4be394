import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timers as realTimers } from '@sinonjs/fake-timers';
import { startOfLocalDay } from '#domain/working-calendar.ts';
import { START_EXECUTION_TARGET } from '#functions/adapters/wake-ups.ts';
import { keepIdleConnections, tracked } from './activity.ts';
import { DueQueue } from './due-queue.ts';
import { answerInProcess } from './in-process-http.ts';

/**
 * EventBridge Scheduler's one-time schedules, as much as the code uses (#17: a lifecycle parks a
 * long wait as a schedule): CreateSchedule, GetSchedule, DeleteSchedule and ListSchedules over the
 * REST-JSON protocol the AWS SDK speaks, each `at(…)` schedule fired on the runtime's clock (the
 * virtual one included: timers are the global ones it owns). No emulator on npm fires targets,
 * so this one does, to the universal target `aws-sdk:sfn:startExecution` only (its Input is the
 * StartExecution request). A target that fails is tried again per the retry policy, then its
 * event goes to the dead letters; `ActionAfterCompletion: DELETE` removes the schedule once fired.
 * Schedules are kept in a file in the data directory: a restart fires what came due meanwhile.
 */

export interface StoredSchedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  State: 'ENABLED' | 'DISABLED';
  ActionAfterCompletion: 'NONE' | 'DELETE';
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    DeadLetterConfig?: { Arn?: string };
  };
  CreationDate: number;
  LastModificationDate: number;
  /** Fired already (kept only with ActionAfterCompletion NONE, as a one-time schedule stays). */
  firedAt?: number;
}

export interface SchedulerDeadLetter {
  schedule: string;
  deadLetterArn?: string;
  error: string;
  at: string;
}

export type StartExecution = (request: { stateMachineArn: string; name?: string; input?: string }) => unknown;

export interface LocalScheduler {
  endpoint: string;
  /** Live schedules (not yet fired, or kept after firing), oldest first. */
  schedules(): StoredSchedule[];
  /** How many fired, and targets that failed every try. */
  fired(): number;
  /** CreateSchedule and DeleteSchedule calls that succeeded (the simulation's cost model). */
  calls(): { created: number; deleted: number };
  deadLetters(): readonly SchedulerDeadLetter[];
  close(): Promise<void>;
}

/** `at(2026-03-02T03:00:00)` is a local date-time in the schedule's time zone (UTC unless given). */
export function dueTimeOf(
  schedule: Pick<StoredSchedule, 'ScheduleExpression' | 'ScheduleExpressionTimezone'>,
) {
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(schedule.ScheduleExpression)?.[1];
  if (!at) return undefined;
  const zone = schedule.ScheduleExpressionTimezone ?? 'UTC';
  // The local day's start, then the time of day (a DST change's skipped or repeated hour is off by
  // it: the code writes its schedules in UTC).
  const [date, time] = at.split('T') as [string, string];
  const [hours, minutes, seconds] = time.split(':').map(Number) as [number, number, number];
  return startOfLocalDay(zone, date).getTime() + ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;
const RETRY_SECONDS = 60;

export async function startLocalScheduler(options: {
  port: number;
  /** Where schedules are kept between runs (none: in memory only, for a bench that never restarts). */
  file?: string;
  startExecution: StartExecution;
  /** This process's SDK calls reach it without a socket (local/in-process-http.ts). */
  inProcess?: boolean;
}): Promise<LocalScheduler> {
  const live = new Map<string, StoredSchedule>();
  const deadLetters: SchedulerDeadLetter[] = [];
  let firedCount = 0;
  const calls = { created: 0, deleted: 0 };
  const keyOf = (group: string, name: string) => `${group}/${name}`;

  // Written at most every 100 ms of real time, and at once on close: one write of every live
  // schedule per change would make a busy runtime's parking O(n²).
  let saveTimer: ReturnType<typeof realTimers.setTimeout> | undefined;
  const writeNow = () => {
    if (saveTimer) realTimers.clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!options.file) return;
    const temporary = `${options.file}.tmp`;
    writeFileSync(temporary, JSON.stringify({ schedules: [...live.values()], deadLetters }));
    renameSync(temporary, options.file);
  };
  const save = () => {
    if (options.file) saveTimer ??= realTimers.setTimeout(writeNow, 100);
  };

  const fire = async (key: string, attempt: number) => {
    const schedule = live.get(key);
    if (schedule?.State !== 'ENABLED') return;
    try {
      if (schedule.Target.Arn !== START_EXECUTION_TARGET)
        throw new Error(`target ${schedule.Target.Arn} is not served locally`);
      const request = JSON.parse(schedule.Target.Input ?? '{}') as {
        StateMachineArn: string;
        Name?: string;
        Input?: string;
      };
      await options.startExecution({
        stateMachineArn: request.StateMachineArn,
        name: request.Name,
        input: request.Input,
      });
      firedCount += 1;
    } catch (error) {
      // Tried again until either limit of the policy: attempts, or the event's age.
      const policy = schedule.Target.RetryPolicy;
      const retryAt = Date.now() + RETRY_SECONDS * 1000 * 2 ** Math.min(attempt, 6);
      const oldestRetryAt =
        (dueTimeOf(schedule) ?? Date.now()) + (policy?.MaximumEventAgeInSeconds ?? 86_400) * 1000;
      if (attempt < (policy?.MaximumRetryAttempts ?? 185) && retryAt <= oldestRetryAt) {
        arm(key, retryAt, attempt + 1);
        return;
      }
      deadLetters.push({
        schedule: key,
        deadLetterArn: schedule.Target.DeadLetterConfig?.Arn,
        error: error instanceof Error ? error.message : String(error),
        at: new Date().toISOString(),
      });
    }
    if (schedule.ActionAfterCompletion === 'DELETE') live.delete(key);
    else schedule.firedAt = Date.now();
    save();
  };

  // Armed wake-ups wait in one queue behind one timer, set for the earliest (./due-queue.ts).
  const armed = new DueQueue<number>();
  let timer: { at: number; handle: ReturnType<typeof setTimeout> } | undefined;
  const arm = (key: string, dueMs: number, attempt = 0) => {
    armed.set(key, dueMs, attempt);
    setTimer();
  };
  const disarm = (key: string) => {
    armed.delete(key);
    setTimer();
  };
  const setTimer = () => {
    const next = armed.nextDueMs();
    if (timer && timer.at === next) return;
    if (timer) clearTimeout(timer.handle);
    timer = undefined;
    if (next === undefined) return;
    // Node's timers hold at most 24.8 days: a longer wait is chained.
    const handle = setTimeout(fireDue, Math.min(Math.max(0, next - Date.now()), MAX_TIMER_MS));
    (handle as { unref?: () => void }).unref?.();
    timer = { at: next, handle };
  };
  const fireDue = () => {
    timer = undefined;
    for (const { key, value: attempt } of armed.takeDue(Date.now()))
      void tracked(() => fire(key, attempt), 'Scheduler wake-up').catch((error: unknown) =>
        console.error('[scheduler]', error),
      );
    setTimer();
  };

  // What was kept: armed again; what came due while stopped fires at once.
  if (options.file && existsSync(options.file)) {
    let kept: { schedules: StoredSchedule[]; deadLetters: SchedulerDeadLetter[] };
    try {
      kept = JSON.parse(readFileSync(options.file, 'utf8'));
    } catch (error) {
      // Unreadable (edited by hand, a disk that lied): kept aside, and the lifecycles whose
      // wake-ups it held are found overdue by the reconciler, which starts their bursts.
      renameSync(options.file, `${options.file}.unreadable-${Date.now()}`);
      console.error(`[scheduler] ${options.file} could not be read (${(error as Error).message}); set aside`);
      kept = { schedules: [], deadLetters: [] };
    }
    deadLetters.push(...kept.deadLetters);
    for (const schedule of kept.schedules) {
      const key = keyOf(schedule.GroupName, schedule.Name);
      live.set(key, schedule);
      const due = dueTimeOf(schedule);
      if (due !== undefined && schedule.firedAt === undefined) arm(key, due);
    }
  }

  const create = (name: string, body: Partial<StoredSchedule>): object => {
    const group = String(body.GroupName ?? 'default');
    const key = keyOf(group, name);
    if (live.has(key)) throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists.`);
    const schedule: StoredSchedule = {
      Name: name,
      GroupName: group,
      Arn: `arn:aws:scheduler:us-east-1:000000000000:schedule/${group}/${name}`,
      ScheduleExpression: String(body.ScheduleExpression ?? ''),
      ScheduleExpressionTimezone: body.ScheduleExpressionTimezone,
      State: body.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      ActionAfterCompletion: body.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
      FlexibleTimeWindow: body.FlexibleTimeWindow!,
      Target: body.Target!,
      CreationDate: Date.now() / 1000,
      LastModificationDate: Date.now() / 1000,
    };
    const due = dueTimeOf(schedule);
    if (due === undefined || Number.isNaN(due))
      throw new SchedulerError(
        400,
        'ValidationException',
        'Only one-time at(yyyy-mm-ddThh:mm:ss) schedules are served locally',
      );
    if (!schedule.Target?.Arn || !schedule.Target.RoleArn)
      throw new SchedulerError(400, 'ValidationException', 'Target.Arn and Target.RoleArn are required');
    if (!schedule.FlexibleTimeWindow?.Mode)
      throw new SchedulerError(400, 'ValidationException', 'FlexibleTimeWindow is required');
    live.set(key, schedule);
    calls.created += 1;
    save();
    if (schedule.State === 'ENABLED') arm(key, due);
    return { ScheduleArn: schedule.Arn };
  };

  const found = (group: string, name: string) => {
    const schedule = live.get(keyOf(group, name));
    if (!schedule)
      throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return schedule;
  };

  const route = (method: string, url: URL, body: Partial<StoredSchedule>): object => {
    const name = /^\/schedules\/([^/]+)$/.exec(url.pathname)?.[1];
    const group = url.searchParams.get('groupName') ?? 'default';
    if (name !== undefined) {
      const decoded = decodeURIComponent(name);
      if (!NAME.test(decoded))
        throw new SchedulerError(400, 'ValidationException', `Invalid name ${decoded}`);
      if (method === 'POST') return create(decoded, body);
      if (method === 'GET') {
        const { firedAt: _fired, ...schedule } = found(group, decoded);
        return schedule;
      }
      if (method === 'DELETE') {
        found(group, decoded);
        live.delete(keyOf(group, decoded));
        calls.deleted += 1;
        disarm(keyOf(group, decoded));
        save();
        return {};
      }
    }
    if (url.pathname === '/schedules' && method === 'GET') {
      const prefix = url.searchParams.get('NamePrefix') ?? '';
      const inGroup = url.searchParams.get('ScheduleGroup');
      const max = Number(url.searchParams.get('MaxResults') ?? 100);
      const start = Number(url.searchParams.get('NextToken') ?? 0);
      const all = [...live.values()].filter(
        (s) => s.Name.startsWith(prefix) && (inGroup === null || s.GroupName === inGroup),
      );
      const page = all.slice(start, start + max);
      return {
        Schedules: page.map((s) => ({
          Arn: s.Arn,
          Name: s.Name,
          GroupName: s.GroupName,
          State: s.State,
          CreationDate: s.CreationDate,
          LastModificationDate: s.LastModificationDate,
          Target: { Arn: s.Target.Arn },
        })),
        ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
      };
    }
    throw new SchedulerError(404, 'ResourceNotFoundException', `${method} ${url.pathname} is not served`);
  };

  const answer = (response: ServerResponse, status: number, body: object, type?: string) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      ...(type ? { 'x-amzn-errortype': type } : {}),
    });
    response.end(JSON.stringify(type ? { Message: (body as { message: string }).message } : body));
  };

  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? (JSON.parse(text) as Partial<StoredSchedule>) : {};
        answer(response, 200, route(request.method ?? 'GET', new URL(request.url ?? '/', 'http://x'), body));
      } catch (error) {
        if (error instanceof SchedulerError) answer(response, error.status, error, error.type);
        else answer(response, 400, { message: String(error) }, 'ValidationException');
      }
    });
  });
  keepIdleConnections(server);
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answeredInProcess = options.inProcess ? answerInProcess(endpoint, server) : undefined;
  return {
    endpoint,
    schedules: () => [...live.values()],
    fired: () => firedCount,
    calls: () => ({ ...calls }),
    deadLetters: () => deadLetters,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearTimeout(timer.handle);
        if (saveTimer) writeNow();
        answeredInProcess?.();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
