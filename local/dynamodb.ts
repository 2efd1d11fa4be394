import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { timers as realTimers } from '@sinonjs/fake-timers';
import { keyAttributeNames, tableDefinition } from '#functions/adapters/table-definition.ts';
import { keepIdleConnections, stampResponsesWithClockDate, trackRequestsOf } from './activity.ts';
import { answerItemCallsDirectly, type DynaliteStore } from './direct-dynamodb.ts';
import { writeItemsWithTheirIndexEntries } from './dynalite-atomic-writes.ts';
import { rememberDynaliteExpressions } from './dynalite-expressions.ts';
import { countIndexWritesInDynalite } from './dynamodb-capacity.ts';
import { answerInProcess } from './in-process-http.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
const dynaliteDb = require('dynalite/db/index.js') as {
  create(options: object): DynaliteStore;
  createIndexKey(item: object, table: object, keySchema: object): string;
};

/** The parts of dynalite's store a stray index entry is written with. */
type DynaliteTables = {
  getTable(name: string, done: (error: unknown, table?: DynaliteTable) => void): void;
  getIndexDb(
    type: 'Global',
    table: string,
    index: string,
  ): { put(key: string, item: object, done: (e: unknown) => void): void };
};
type DynaliteTable = {
  TableName: string;
  KeySchema: { AttributeName: string }[];
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: { AttributeName: string }[] }[];
};

/** dynalite's server and the store it made (which its HTTP handler keeps to itself). */
export function dynaliteWithStore(options: Record<string, unknown>): {
  server: Server;
  store: DynaliteStore;
} {
  const create = dynaliteDb.create;
  let store: DynaliteStore | undefined;
  dynaliteDb.create = (given) => {
    store = create(given);
    return store;
  };
  try {
    const server = dynalite(options);
    writeItemsWithTheirIndexEntries(store!);
    return { server, store: store! };
  } finally {
    dynaliteDb.create = create;
  }
}

export interface LocalDynamoDb {
  endpoint: string;
  /**
   * Writes an index entry and not its item: what a crash between dynalite's index write and its
   * item write left before they were made one batch (local/dynalite-atomic-writes.ts), as in a
   * store written by an older version, for tests of what reads an index (the reconciler). The
   * item must hold the index's and the table's keys (KEYS_ONLY indexes).
   */
  writeIndexEntryOnly(
    tableName: string,
    indexName: string,
    item: Record<string, AttributeValue>,
  ): Promise<void>;
  close(): Promise<void>;
}

/**
 * dynalite on loopback; with `path` the data lives in LevelDB on disk and survives restarts.
 * `inProcess`: this process's SDK calls reach it without a socket (local/in-process-http.ts), its
 * item calls without HTTP at all (local/direct-dynamodb.ts).
 */
export async function startDynamoDb(options: {
  port: number;
  path?: string;
  inProcess?: boolean;
}): Promise<LocalDynamoDb> {
  countIndexWritesInDynalite();
  rememberDynaliteExpressions();
  const { server, store } = dynaliteWithStore({
    path: options.path,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  stampResponsesWithClockDate(server);
  trackRequestsOf(server, 'DynamoDB');
  keepIdleConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const answeredInProcess = options.inProcess
    ? [
        answerInProcess(endpoint, server),
        answerItemCallsDirectly(endpoint, store, { server, startsEmpty: !options.path }),
      ]
    : [];
  const tables = store as DynaliteTables;
  return {
    endpoint,
    writeIndexEntryOnly: (tableName, indexName, item) =>
      new Promise<void>((resolve, reject) =>
        tables.getTable(tableName, (error, table) => {
          const index = table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
          if (error || !table || !index) return reject(error ?? new Error(`No index ${indexName}`));
          const key = dynaliteDb.createIndexKey(item, table, index.KeySchema);
          tables
            .getIndexDb('Global', table.TableName, indexName)
            .put(key, item, (e) => (e ? reject(e) : resolve()));
        }),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const stop of answeredInProcess) stop();
        server.close(() => resolve());
      }),
  };
}

/** The CreateTable input for the one table, from the definition CDK also uses. */
function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributeNames().map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: index.projection,
        ...('nonKeyAttributes' in index ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      },
    })),
  };
}

/**
 * The table as the code defines it, ACTIVE before anything writes to it. A table left by an
 * older version with other indexes (dynalite cannot add one to an existing table) is rebuilt
 * with its items: local data survives an upgrade.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const existing = await describe(client, tableName);
  // An index is its name and its projection: a change to either rebuilds the table.
  const signature = (name: string, type: string, attributes: readonly string[] = []) =>
    `${name}:${type}:${[...attributes].sort().join(',')}`;
  const wanted = tableDefinition.globalSecondaryIndexes
    .map((i) => signature(i.indexName, i.projection, 'nonKeyAttributes' in i ? i.nonKeyAttributes : []))
    .sort();
  const has = (existing?.GlobalSecondaryIndexes ?? [])
    .map((i) =>
      signature(i.IndexName ?? '', i.Projection?.ProjectionType ?? '', i.Projection?.NonKeyAttributes),
    )
    .sort();
  if (existing && JSON.stringify(has) !== JSON.stringify(wanted)) {
    const items = await scanAll(client, tableName);
    await client.send(new DeleteTableCommand({ TableName: tableName }));
    await waitFor(client, tableName, (table) => table === undefined);
    await create(client, tableName);
    for (const item of items) await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    console.log(
      `[dynamodb] rebuilt ${tableName} with indexes ${tableDefinition.globalSecondaryIndexes.map((i) => i.indexName).join(', ')} (${items.length} items kept)`,
    );
  } else if (!existing) {
    await create(client, tableName);
  }
  await waitFor(client, tableName, (table) => table?.TableStatus === 'ACTIVE');
}

async function create(client: DynamoDBClient, tableName: string) {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function scanAll(client: DynamoDBClient, tableName: string) {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Polls on real time (the virtual clock may be standing still), for at most about 10 s. */
async function waitFor(
  client: DynamoDBClient,
  tableName: string,
  done: (table: Awaited<ReturnType<typeof describe>>) => boolean,
) {
  const realSetTimeout = realTimers.setTimeout as (callback: () => void, ms: number) => unknown;
  for (let i = 0; i < 200; i++) {
    if (done(await describe(client, tableName))) return;
    await new Promise<void>((resolve) => realSetTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become ready`);
}
