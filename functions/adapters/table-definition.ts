/**
 * The one DynamoDB table, described once. CDK (infra/constructs/data.ts) and the local runtime
 * (local/dynamodb.ts) both build the table from this, so keys and indexes cannot drift.
 *
 * Every partition key begins with `TENANT#<tenantId>`, so no query can cross tenants.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    /** Requests of a tenant by status, oldest first: `GET /v1/requests?status=`. */
    { indexName: 'byStatus', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    /** A tenant's collections in time order (survey invitations, feedback cases): reports. */
    { indexName: 'byTime', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
    /**
     * What a tenant's lifecycles are watching, by when they must next show signs of life
     * (sparse: only open requests and feedback cases). The reconciler finds a lifecycle that
     * died or never started here; it reads the item itself, so keys are all it needs.
     */
    { indexName: 'byDue', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'KEYS_ONLY' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/** The attribute definitions both CreateTable and CloudFormation need (all keys are strings). */
export function keyAttributeNames(): string[] {
  return [
    tableDefinition.partitionKey,
    tableDefinition.sortKey,
    ...tableDefinition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
}
