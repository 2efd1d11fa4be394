import { createRequire } from 'node:module';
import type { DynaliteStore } from './direct-dynamodb.ts';

/**
 * dynalite writes an item's index entries first and the item after, as separate LevelDB writes.
 * A process that ends between them (kill -9, or a stop that gives up waiting for calls still in
 * flight and exits) leaves an index entry its item does not hold, or loses one it does: the
 * due-time index then named subjects whose own watch said otherwise, and the reconciler restarted
 * them for ever (#34). DynamoDB writes an item and its index entries as one. So does this store,
 * patched here: the index writes of one item write are held and written in the same LevelDB batch
 * as the item (a batch is atomic in LevelDB and in memory-level). Each item write runs under
 * dynalite's lock on that item's key, so the write that follows its index update is always its own.
 */

const require = createRequire(import.meta.url);
type Table = {
  TableName: string;
  LocalSecondaryIndexes?: unknown[];
  GlobalSecondaryIndexes?: unknown[];
};
type Item = Record<string, unknown>;
type IndexAction = { index: string; key: string; item?: Item };
type Operation = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };
type Done = (error?: unknown) => void;
type SubDb = {
  put(key: string, value: unknown, done: Done): void;
  del(key: string, done: Done): void;
};
type Store = {
  db: { batch(operations: Operation[], done: Done): void };
  getItemDb(name: string): SubDb;
};

const dynaliteDb = require('dynalite/db/index.js') as {
  createKey(item: Item, table: Table): string;
  getIndexActions(
    indexes: unknown[],
    existing: Item | undefined,
    item: Item | null | undefined,
    table: Table,
  ): { puts: IndexAction[]; deletes: IndexAction[] };
  updateIndexes(store: Store, table: Table, existing: Item | undefined, item: Item | null, done: Done): void;
};

/** The keys dynalite's sub-databases prefix theirs with (db/index.js `getSubDb`). */
const itemPrefix = (tableName: string) => `item-${tableName}~`;
const indexPrefix = (type: 'Local' | 'Global', tableName: string, index: string) =>
  `index-${type.toLowerCase()}~${tableName}~${index}~`;

/**
 * Index writes held for the item write that follows them, by table and item key: a property of
 * the store, so that a store made from it (`Object.create`, local/direct-dynamodb.ts) shares it.
 */
const HELD = Symbol('index writes held for their item write');
type Holding = { [HELD]?: Map<string, Operation[]> };
const heldKey = (tableName: string, itemKey: string) => `${tableName}\u0000${itemKey}`;

let patched = false;
function holdIndexWrites(): void {
  if (patched) return;
  patched = true;
  const writeApart = dynaliteDb.updateIndexes;
  dynaliteDb.updateIndexes = (store, table, existing, item, done) => {
    const held = (store as Holding)[HELD];
    if (!held) return writeApart(store, table, existing, item, done);
    if (!existing && !item) return done();
    const operations: Operation[] = [];
    for (const type of ['Local', 'Global'] as const) {
      const { puts, deletes } = dynaliteDb.getIndexActions(
        table[`${type}SecondaryIndexes`] ?? [],
        existing,
        item,
        table,
      );
      for (const d of deletes)
        operations.push({ type: 'del', key: indexPrefix(type, table.TableName, d.index) + d.key });
      for (const p of puts)
        operations.push({
          type: 'put',
          key: indexPrefix(type, table.TableName, p.index) + p.key,
          value: p.item,
        });
    }
    const itemKey = dynaliteDb.createKey((item ?? existing)!, table);
    held.set(heldKey(table.TableName, itemKey), operations);
    done();
  };
}

/** Makes every item write of this store (put, update, delete) one batch with its index entries. */
export function writeItemsWithTheirIndexEntries(store: DynaliteStore): void {
  holdIndexWrites();
  const s = store as Store;
  const pending = new Map<string, Operation[]>();
  (store as Holding)[HELD] = pending;
  const patchedDbs = new WeakSet<SubDb>();
  const getItemDb = s.getItemDb.bind(s);
  s.getItemDb = (tableName) => {
    const itemDb = getItemDb(tableName);
    if (patchedDbs.has(itemDb)) return itemDb;
    patchedDbs.add(itemDb);
    const put = itemDb.put.bind(itemDb);
    const del = itemDb.del.bind(itemDb);
    const withHeld = (key: string, own: Operation, alone: () => void, done: Done) => {
      const index = pending.get(heldKey(tableName, key));
      if (!index) return alone();
      pending.delete(heldKey(tableName, key));
      s.db.batch([...index, own], done);
    };
    itemDb.put = (key, value, done) =>
      withHeld(
        key,
        { type: 'put', key: itemPrefix(tableName) + key, value },
        () => put(key, value, done),
        done,
      );
    itemDb.del = (key, done) =>
      withHeld(key, { type: 'del', key: itemPrefix(tableName) + key }, () => del(key, done), done);
    return itemDb;
  };
}
