// Before dynalite's actions load dynalite's db module, which takes MemoryLevel as it loads.
import './dynalite-memory.ts';
import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import * as dynamodbModels from '@aws-sdk/client-dynamodb';
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { tracked } from './activity.ts';
import { type AnsweredCall, answerPreparedCalls } from './in-process-http.ts';

/**
 * For the simulation only (the runtime's `sockets: false`): the AWS SDK's item calls to the
 * local table (GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem,
 * BatchWriteItem) go straight to dynalite's own validations and actions, with the input the SDK
 * would have put on the wire (as JSON) and the answer dynalite would have sent back (as JSON):
 * the same items, the same errors, the same consumed capacity. What is left out is the SDK's wire
 * format, its SigV4 signature (dynalite checks only that one is there) and the HTTP exchange:
 * about two fifths of a simulation's CPU. Of what the simulation counts, only the Lambda time
 * measured here shrinks (by the SDK's serialising and signing; the cost model adds each call's
 * round trip on AWS anyway). The table's other calls (CreateTable, DescribeTable…) keep the
 * in-process HTTP path (./in-process-http.ts).
 */

const require = createRequire(import.meta.url);
const dynaliteRequire = createRequire(require.resolve('dynalite'));

/** dynalite's store (its db/index.js `create`), handed to its actions and validations. */
export type DynaliteStore = object;
type DynaliteError = { statusCode?: number; body?: { __type?: string; message?: string } };
type Action = (store: DynaliteStore, data: unknown, done: (error: unknown, result?: unknown) => void) => void;
type Validation = { types: unknown; custom?: unknown };

const validations = dynaliteRequire('./validations/index.js') as {
  checkTypes(data: unknown, types: unknown): unknown;
  checkValidations(data: unknown, types: unknown, custom: unknown, store: DynaliteStore): void;
};

const ITEM_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
] as const;
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const handlers = new Map(
  ITEM_OPERATIONS.map((operation) => [
    operation as string,
    {
      action: dynaliteRequire(`./actions/${lowerFirst(operation)}.js`) as Action,
      validation: dynaliteRequire(`./validations/${lowerFirst(operation)}.js`) as Validation,
    },
  ]),
);

/**
 * The input as the SDK would put it on the wire: binary attributes in base64. dynalite's
 * `checkTypes` builds its own copy of every list and map (dropping unknown keys in the input), so
 * input without bytes is handed over as it is.
 */
function asWireInput(input: unknown, withBytes: boolean): unknown {
  if (!withBytes) return input;
  return JSON.parse(
    JSON.stringify(input, function (this: Record<string, unknown>, key, value) {
      const original = this[key];
      return original instanceof Uint8Array ? Buffer.from(original).toString('base64') : value;
    }),
  );
}

function holdsBytes(value: unknown): boolean {
  if (value instanceof Uint8Array) return true;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsBytes);
  for (const key in value) if (holdsBytes((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * What the SDK reads back: binary attributes (B, BS) as bytes. dynalite builds each answer afresh
 * (its store keeps items as JSON text), so the answer is converted where it is, not copied; and
 * only searched once the table may hold bytes.
 */
function asSdkAnswer(answer: unknown, mayHoldBytes: boolean): Record<string, unknown> {
  const body = (answer ?? {}) as Record<string, unknown>;
  if (mayHoldBytes) bytesFromBase64(body);
  return body;
}

// At module level: made per object visited, a function costs its creation (and tsx's naming of it).
const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

function bytesFromBase64(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const element of value) bytesFromBase64(element);
    return;
  }
  const fields = value as Record<string, unknown>;
  for (const key in fields) {
    const field = fields[key];
    if (key === 'B' && typeof field === 'string') fields[key] = bytes(field);
    else if (key === 'BS' && Array.isArray(field) && field.every((v) => typeof v === 'string'))
      fields[key] = field.map(bytes);
    else bytesFromBase64(field);
  }
}

/** dynalite's answer, in place of an HTTP response: what the protocol's deserializer is given. */
class DirectAnswer {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
  ) {}
}

/** One prepared call, in place of an HTTP request: the SDK's handler answers it by `answer()`. */
class DirectCall implements AnsweredCall {
  constructor(
    private readonly table: DirectTable,
    private readonly operation: string,
    private readonly input: unknown,
  ) {}

  answer(): Promise<{ response: DirectAnswer }> {
    const { action, validation } = handlers.get(this.operation)!;
    const { table } = this;
    const withBytes = holdsBytes(this.input);
    if (withBytes) table.mayHoldBytes = true;
    const reply = (statusCode: number, body: unknown) => ({
      response: new DirectAnswer(statusCode, asSdkAnswer(body, table.mayHoldBytes)),
    });
    // As work in flight, as a request to the server is (the virtual clock waits for it).
    return tracked(
      () =>
        new Promise((resolve, reject) => {
          let data: unknown;
          try {
            data = validations.checkTypes(asWireInput(this.input, withBytes), validation.types);
            validations.checkValidations(data, validation.types, validation.custom, table.store);
          } catch (error) {
            const failed = error as DynaliteError;
            if (failed.statusCode) return resolve(reply(failed.statusCode, failed.body));
            return reject(error);
          }
          action(table.store, data, (error, result) => {
            const failed = error as DynaliteError | undefined;
            if (failed?.statusCode) resolve(reply(failed.statusCode, failed.body));
            else if (error) reject(error);
            else resolve(reply(200, result));
          });
        }),
      `DynamoDB ${this.operation}`,
      { serving: true },
    );
  }
}

/** The exception the SDK's deserializer would throw for dynalite's error body. */
function exceptionFor(answer: DirectAnswer): Error {
  const { __type, message, Message, ...fields } = answer.body as Record<string, unknown>;
  const name = String(__type ?? 'UnknownError')
    .split('#')
    .pop()!;
  const modelled = (dynamodbModels as Record<string, unknown>)[name];
  const Exception = (
    typeof modelled === 'function' && modelled.prototype instanceof DynamoDBServiceException
      ? modelled
      : DynamoDBServiceException
  ) as new (
    options: Record<string, unknown>,
  ) => Error;
  return new Exception({
    name,
    $fault: answer.statusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: answer.statusCode },
    message: String(message ?? Message ?? name),
    ...fields,
  });
}

/**
 * A table answered directly. Binary attributes are rare (ours hold none): until an item written
 * may have held one, answers are not searched for them.
 */
interface DirectTable {
  store: DynaliteStore;
  mayHoldBytes: boolean;
}

const tables = new Map<string, DirectTable>();
let patched = false;

/** Item writes, as their requests to the server name them. */
const ITEM_WRITE = /\.(PutItem|UpdateItem|BatchWriteItem|TransactWriteItems)$/;

/**
 * From now on, in this process, the SDK's item calls to the table at `endpoint` (as
 * `http://host:port`) are answered by dynalite's actions on `store`, which `server` serves to
 * everyone else. `startsEmpty`: the store holds no item yet (an in-memory one just made). Returns
 * how to stop.
 */
export function answerItemCallsDirectly(
  endpoint: string,
  store: DynaliteStore,
  options: { server: Server; startsEmpty: boolean },
): () => void {
  const { host } = new URL(endpoint);
  const table: DirectTable = { store: keepingTableDefinitions(store), mayHoldBytes: !options.startsEmpty };
  // What another client writes over HTTP is not looked at: it may hold bytes.
  const watch = (request: IncomingMessage) => {
    if (ITEM_WRITE.test(String(request.headers['x-amz-target'] ?? ''))) table.mayHoldBytes = true;
  };
  options.server.prependListener('request', watch);
  tables.set(host, table);
  patchJsonProtocol();
  answerPreparedCalls();
  return () => {
    options.server.removeListener('request', watch);
    tables.delete(host);
  };
}

type Callback = (error: unknown, result?: unknown) => void;
type Store = {
  getTable(name: string, checkStatus: boolean | Callback, done?: Callback): void;
  tableDb: { put: (...args: unknown[]) => unknown; del: (...args: unknown[]) => unknown };
};

/**
 * dynalite reads a table's definition from its store at every item call (3 KB of JSON for ours,
 * parsed each time). Item calls answered directly keep an active table's definition until the
 * store's table records are written (CreateTable, UpdateTable and DeleteTable, which take the
 * HTTP path); the item actions only read it.
 */
function keepingTableDefinitions(store: DynaliteStore): DynaliteStore {
  const { getTable, tableDb } = store as Store;
  const definitions = new Map<string, unknown>();
  // Moves at every write: a definition read before one is not kept after it.
  let written = 0;
  for (const method of ['put', 'del'] as const) {
    const write = tableDb[method];
    tableDb[method] = (...args: unknown[]) => {
      written += 1;
      definitions.clear();
      return write.apply(tableDb, args);
    };
  }
  const keeping: Pick<Store, 'getTable'> = {
    getTable(name, checkStatus, done) {
      const callback = (typeof checkStatus === 'function' ? checkStatus : done)!;
      const kept = definitions.get(name);
      if (kept) return queueMicrotask(() => callback(null, kept));
      const readAfter = written;
      const keep: Callback = (error, table) => {
        const active = !error && (table as { TableStatus?: string }).TableStatus === 'ACTIVE';
        if (active && written === readAfter) definitions.set(name, table);
        callback(error, table);
      };
      if (typeof checkStatus === 'function') getTable.call(store, name, keep);
      else getTable.call(store, name, checkStatus, keep);
    },
  };
  return Object.assign(Object.create(store), keeping);
}

type Operation = { namespace?: string; name?: string };
type Context = { endpointV2?: { url?: URL } };
interface Protocol {
  serializeRequest(operation: Operation, input: unknown, context: Context): Promise<unknown>;
  deserializeResponse(operation: Operation, context: Context, response: unknown): Promise<unknown>;
}

/**
 * DynamoDB's JSON protocol (its class is shared with other JSON services, so each call is
 * checked): an item call to a table answered directly is prepared, not serialised, and its
 * answer read as the deserializer would. Signing and the other HTTP middleware leave a request
 * that is not HTTP alone; retries and the caller's middleware run as before.
 */
function patchJsonProtocol(): void {
  if (patched) return;
  patched = true;
  const prototype = Object.getPrototypeOf(
    (new DynamoDBClient({ region: 'local' }).config as unknown as { protocol: Protocol }).protocol,
  ) as Protocol;
  const { serializeRequest, deserializeResponse } = prototype;
  prototype.serializeRequest = async function (operation, input, context) {
    const host = context.endpointV2?.url?.host;
    const table = host === undefined ? undefined : tables.get(host);
    if (table && operation.namespace === 'com.amazonaws.dynamodb' && handlers.has(operation.name ?? ''))
      return new DirectCall(table, operation.name!, input);
    return serializeRequest.call(this, operation, input, context);
  };
  prototype.deserializeResponse = async function (operation, context, response) {
    if (!(response instanceof DirectAnswer))
      return deserializeResponse.call(this, operation, context, response);
    if (response.statusCode >= 300) throw exceptionFor(response);
    return { $metadata: { httpStatusCode: response.statusCode }, ...response.body };
  };
}
