import { createServer, type IncomingMessage, type Server } from 'node:http';
import { listenOnLoopback, stampResponsesWithClockDate, tracked } from '../activity.ts';
import { answerInProcess } from '../in-process-http.ts';
import {
  type ExecutionRecord,
  type ExecutionStatus,
  type LocalStepFunctions,
  StepFunctionsError,
} from './engine.ts';

/** Step Functions speaks JSON 1.0 with timestamps as epoch seconds. */
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function summary(execution: ExecutionRecord) {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
    stopDate: seconds(execution.stopDate),
  };
}

type Operation = (body: Record<string, unknown>) => unknown;

function operations(engine: LocalStepFunctions): Record<string, Operation> {
  const str = (body: Record<string, unknown>, field: string): string => {
    const value = body[field];
    if (typeof value !== 'string' || value === '') {
      throw new StepFunctionsError(
        'ValidationException',
        `1 validation error detected: '${field}' must not be null`,
      );
    }
    return value;
  };
  return {
    CreateStateMachine: (body) => {
      const machine = engine.createStateMachine({
        name: str(body, 'name'),
        definition: str(body, 'definition'),
        roleArn: body.roleArn as string | undefined,
        type: body.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      });
      return { stateMachineArn: machine.stateMachineArn, creationDate: seconds(machine.creationDate) };
    },
    StartExecution: (body) => {
      const execution = engine.startExecution({
        stateMachineArn: str(body, 'stateMachineArn'),
        name: body.name as string | undefined,
        input: body.input as string | undefined,
      });
      return { executionArn: execution.executionArn, startDate: seconds(execution.startDate) };
    },
    DescribeExecution: (body) => {
      const execution = engine.describeExecution(str(body, 'executionArn'));
      return {
        ...summary(execution),
        input: execution.input,
        output: execution.output,
        error: execution.error,
        cause: execution.cause,
      };
    },
    ListExecutions: (body) => ({
      executions: engine
        .listExecutions(str(body, 'stateMachineArn'), body.statusFilter as ExecutionStatus | undefined)
        .slice(0, Number(body.maxResults ?? 1000))
        .map(summary),
    }),
    GetExecutionHistory: (body) => {
      const execution = engine.describeExecution(str(body, 'executionArn'));
      const events = execution.history.map((event) => ({
        id: event.id,
        previousEventId: event.previousEventId,
        timestamp: seconds(event.timestamp),
        type: event.type,
        ...detailsFor(event.type, event.details),
      }));
      return { events: body.reverseOrder ? events.reverse() : events };
    },
    StopExecution: (body) => {
      const execution = engine.stopExecution(
        str(body, 'executionArn'),
        body.error as string,
        body.cause as string,
      );
      return { stopDate: seconds(execution.stopDate) };
    },
    SendTaskSuccess: (body) => {
      engine.sendTaskSuccess(str(body, 'taskToken'), str(body, 'output'));
      return {};
    },
    SendTaskFailure: (body) => {
      engine.sendTaskFailure(
        str(body, 'taskToken'),
        body.error as string | undefined,
        body.cause as string | undefined,
      );
      return {};
    },
    SendTaskHeartbeat: (body) => {
      engine.sendTaskHeartbeat(str(body, 'taskToken'));
      return {};
    },
  };
}

/** Puts an event's details under the key AWS uses for its type (e.g. stateEnteredEventDetails). */
function detailsFor(type: string, details: Record<string, unknown>): Record<string, unknown> {
  if (type.endsWith('StateEntered')) return { stateEnteredEventDetails: details };
  if (type.endsWith('StateExited')) return { stateExitedEventDetails: details };
  if (type === 'TaskFailed') return { taskFailedEventDetails: details };
  if (type === 'ExecutionStarted') return { executionStartedEventDetails: details };
  if (type === 'ExecutionSucceeded') return { executionSucceededEventDetails: details };
  if (type === 'ExecutionFailed') return { executionFailedEventDetails: details };
  if (type === 'ExecutionAborted') return { executionAbortedEventDetails: details };
  return { localEventDetails: details };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface LocalStepFunctionsServer {
  endpoint: string;
  close(): Promise<void>;
}

/** `inProcess`: this process's SDK calls reach it without a socket (local/in-process-http.ts). */
export async function startStepFunctionsServer(
  engine: LocalStepFunctions,
  port: number,
  options: { inProcess?: boolean } = {},
): Promise<LocalStepFunctionsServer> {
  const ops = operations(engine);
  const server: Server = createServer((request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const name = target.replace(/^AWSStepFunctions\./, '');
    void tracked(async () => {
      const operation = ops[name];
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      try {
        if (!operation)
          throw new StepFunctionsError('UnknownOperationException', `Unknown operation ${target}`);
        const raw = await readBody(request);
        const result = operation(raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
        response.end(JSON.stringify(result));
      } catch (error) {
        const type = error instanceof StepFunctionsError ? error.type : 'InternalFailure';
        response.statusCode = error instanceof StepFunctionsError ? 400 : 500;
        response.end(JSON.stringify({ __type: type, message: (error as Error).message }));
      }
    }, `Step Functions ${name}`);
  });
  stampResponsesWithClockDate(server);
  const listening = await listenOnLoopback(server, port);
  const answeredInProcess = options.inProcess ? answerInProcess(listening.url, server) : undefined;
  return {
    endpoint: listening.url,
    close: () => {
      answeredInProcess?.();
      return listening.close();
    },
  };
}
