import './dynalite-memory.ts';
import { createRequire } from 'node:module';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '#functions/adapters/table-definition.ts';

type Item = Record<string, AttributeValue>;
type Units = { CapacityUnits: number };
export interface ConsumedCapacity extends Units {
  TableName: string;
  Table?: Units;
  GlobalSecondaryIndexes?: Record<string, Units>;
}

const require = createRequire(import.meta.url);
const db = require('dynalite/db/index.js') as {
  itemSize(item: Item): number;
  addConsumedCapacity(
    data: Record<string, unknown>,
    isRead: boolean,
    a?: Item,
    b?: Item,
  ): ConsumedCapacity | undefined;
};
const dynaliteCapacity = db.addConsumedCapacity;

const writeUnits = (item: Item | undefined) => (item ? Math.ceil(db.itemSize(item) / 1024) : 0);

type Index = (typeof tableDefinition.globalSecondaryIndexes)[number];

/** The attributes an index holds (undefined: all of them), worked out once per index. */
const heldNames = new Map<Index, string[] | undefined>(
  tableDefinition.globalSecondaryIndexes.map((index) => [
    index,
    (index.projection as string) === 'ALL'
      ? undefined
      : [
          ...new Set<string>([
            tableDefinition.partitionKey,
            tableDefinition.sortKey,
            index.partitionKey,
            index.sortKey,
            ...('nonKeyAttributes' in index ? index.nonKeyAttributes : []),
          ]),
        ],
  ]),
);

/** The part of an item an index holds: the table's keys, the index's keys, what it projects. */
function projected(item: Item, index: Index): Item {
  const names = heldNames.get(index);
  if (!names) return item;
  const entry: Item = {};
  for (const name of names) if (item[name] !== undefined) entry[name] = item[name];
  return entry;
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Whether two items hold the same values in the attributes the index holds. */
function sameInIndex(before: Item, after: Item, index: Index): boolean {
  const names = heldNames.get(index) ?? [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return names.every((name) => same(before[name], after[name]));
}

/**
 * Write units one write costs an index, as DynamoDB counts them: an entry added or rewritten
 * costs its projected size in KB (rounded up), one removed costs 1, a key change both; a write
 * that changes nothing the index holds costs nothing.
 */
export function indexWriteUnits(index: Index, before: Item | undefined, after: Item | undefined): number {
  const inIndex = (item: Item | undefined) =>
    item !== undefined && item[index.partitionKey] !== undefined && item[index.sortKey] !== undefined;
  const [was, is] = [inIndex(before), inIndex(after)];
  if (!was && !is) return 0;
  if (was && !is) return 1;
  if (!was) return writeUnits(projected(after!, index));
  const keyChanged =
    !same(before![index.partitionKey], after![index.partitionKey]) ||
    !same(before![index.sortKey], after![index.sortKey]);
  if (keyChanged) return 1 + writeUnits(projected(after!, index));
  return sameInIndex(before!, after!, index) ? 0 : writeUnits(projected(after!, index));
}

/**
 * dynalite answers ReturnConsumedCapacity for the table alone, and counts no index: writes are
 * counted here as DynamoDB does (the table: the larger of the item before and after, in KB; each
 * index: indexWriteUnits), so the bench's cost model reads what AWS would bill.
 */
export function countIndexWritesInDynalite(): void {
  db.addConsumedCapacity = (data, isRead, before, after) => {
    if (isRead) return dynaliteCapacity(data, isRead, before, after);
    const mode = data.ReturnConsumedCapacity;
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
    const table = Math.max(1, writeUnits(before), writeUnits(after));
    const indexes = Object.fromEntries(
      tableDefinition.globalSecondaryIndexes.map((index) => [
        index.indexName,
        { CapacityUnits: indexWriteUnits(index, before, after) },
      ]),
    );
    const total = table + Object.values(indexes).reduce((sum, units) => sum + units.CapacityUnits, 0);
    return {
      TableName: String(data.TableName),
      CapacityUnits: total,
      ...(mode === 'INDEXES' ? { Table: { CapacityUnits: table }, GlobalSecondaryIndexes: indexes } : {}),
    };
  };
}
