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
    /**
     * Requests and feedback cases of a tenant by status, oldest first: the worklists
     * (`GET /v1/requests?status=`, `GET /v1/feedback`). Only what a list shows is projected: a
     * step that changes nothing listed (a timeline entry, a lifecycle's bookkeeping) writes
     * nothing to the index, and an index entry is a fraction of its item.
     */
    {
      indexName: 'byStatus',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      projection: 'INCLUDE',
      nonKeyAttributes: [
        // A request's summary (functions/http/views.ts requestSummaryView)…
        'tenantId',
        'requestId',
        'kind',
        'status',
        'channel',
        'customer',
        'customerLookup',
        'customerEmailUndeliverable',
        'orderReference',
        'productReference',
        'deliveryDate',
        'description',
        'terms',
        'assigneeId',
        'receivedAt',
        'acknowledgedAt',
        'acknowledgedBy',
        'dispatch',
        'completedAt',
        'serviceRecord',
        'closedAt',
        'cancelledAt',
        'cancelReason',
        'escalationsTaken',
        'confirmationSent',
        'serviceRecordDelivered',
        'survey',
        // …and a feedback case's (feedbackSummaryView).
        'feedbackId',
        'category',
        'content',
        'requestKind',
        'contractId',
        'workingDays',
        'dueAt',
        'dueConfirmed',
        'resultSent',
        'resolution',
      ],
    },
    /**
     * A tenant's collections in time order: survey invitations and feedback cases (reports),
     * periodic surveys, customers due for a campaign, the tenant registry. Projected: what
     * those queries read, never a timeline.
     */
    {
      indexName: 'byTime',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projection: 'INCLUDE',
      nonKeyAttributes: [
        // Requests' surveys (requestSurveysBetween) and feedback facts (feedbackCasesReceived).
        'tenantId',
        'kind',
        'survey',
        'status',
        'feedbackId',
        'requestKind',
        'receivedAt',
        'dueAt',
        'resolution',
        'workingDays',
        'dueConfirmed',
        // Periodic surveys, whole (periodic-surveys.ts).
        'surveyId',
        'customer',
        'language',
        'invitedAt',
        'reminderAt',
        'expiresAt',
        'remindedAt',
        'answer',
        'answeredAt',
        'answeredVia',
        'answeredBy',
        'emailRejected',
        // Customers due for a campaign (customers.ts).
        'campaign',
        'lastServedAt',
        'nextAt',
      ],
    },
    /**
     * What a tenant's lifecycles are watching, by when they must next show signs of life
     * (sparse: only open requests and feedback cases). The reconciler finds a lifecycle that
     * died or never started here; it reads the item itself, so keys are all it needs.
     */
    { indexName: 'byDue', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'KEYS_ONLY' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];
export type IndexDefinition = (typeof tableDefinition.globalSecondaryIndexes)[number];

/** The attribute definitions both CreateTable and CloudFormation need (all keys are strings). */
export function keyAttributeNames(): string[] {
  return [
    tableDefinition.partitionKey,
    tableDefinition.sortKey,
    ...tableDefinition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
}
