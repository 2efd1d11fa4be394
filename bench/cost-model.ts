/**
 * What a lifecycle costs on AWS, from what it was measured to consume on the local runtime:
 * us-east-1 list prices (2026). The bursts are priced both as Express (what we deploy) and as
 * Standard (what they would cost otherwise), which is the measurement the choice rests on
 * (workflows/watched-subject.ts, README "Internet scale").
 */

/** Consumption per lifecycle (means over the lifecycles measured). */
export interface Consumption {
  /** Executions started: each a burst (Express bills per request). */
  bursts: number;
  /**
   * Mean real seconds per burst, side by side ones counted once (local/busy-time.ts). Express
   * bills duration, in 100 ms steps, at 64 MB: see awsBurstSeconds.
   */
  burstSeconds: number;
  /** States entered over all bursts (what Standard would bill). */
  transitions: number;
  /** Wake-ups fired (EventBridge Scheduler bills invocations; creating and deleting is not billed). */
  schedulesFired: number;
  lambdaInvocations: number;
  /** Real ms of Lambda invocations here (busy time); AWS adds a round trip per DynamoDB call. */
  lambdaMilliseconds: number;
  dynamoDbCalls: number;
  tableWriteUnits: number;
  indexWriteUnits: Record<string, number>;
  readUnits: number;
  emails: number;
  apiCalls: number;
  /** Our functions' log lines, the state machines' (level ALL), API access logs. */
  logBytes: number;
  /**
   * Bytes a lifecycle leaves in the table (its items with their index projections), kept a year:
   * storage and point-in-time recovery bill per GB-month. Not measured by the simulation.
   */
  storedBytes?: number;
}

/** Months a lifecycle's items are kept, for storage: a year (retention then anonymizes, and keeps the facts). */
const STORED_MONTHS = 12;
/** DynamoDB Standard storage and continuous backups (PITR), per GB-month. */
const STORAGE_AND_PITR_GB_MONTH_USD = 0.25 + 0.2;
/**
 * X-Ray (tracing is on for every function and state machine): the default sampling rule records
 * the first request each second and 5% of the rest, so at volume about 5% of API calls and bursts.
 */
const XRAY_SAMPLED = 0.05;
const XRAY_TRACE_USD = 0.000005;

const EXPRESS_REQUEST_USD = 0.000001;
const EXPRESS_GB_SECOND_USD = 0.00001667;
const EXPRESS_MEMORY_GB = 0.0625;
const STANDARD_TRANSITION_USD = 0.000025;

/**
 * What a DynamoDB call adds on AWS that a call to dynalite on loopback does not: a network round
 * trip (single-digit milliseconds; 5 taken). Local time alone would understate Lambda's bill.
 */
const AWS_DYNAMODB_CALL_MS = 5;

/**
 * A burst's duration on AWS: its time here plus a round trip for every DynamoDB call of the
 * lifecycle shared over its bursts (an overstatement: the API's calls are not in a burst).
 */
export const awsBurstSeconds = (c: Consumption) =>
  c.burstSeconds + (c.dynamoDbCalls / Math.max(1, c.bursts)) * (AWS_DYNAMODB_CALL_MS / 1000);

/** One Express burst's duration as billed: rounded up to 100 ms. */
const billedSeconds = (seconds: number) => Math.ceil(seconds * 10) / 10;

export interface CostRow {
  item: string;
  quantity: number;
  unitUsd: number;
  usdPer1000: number;
}

export function costRows(c: Consumption): CostRow[] {
  return [
    { item: 'Step Functions Express requests (bursts)', quantity: c.bursts, unitUsd: EXPRESS_REQUEST_USD },
    {
      item: 'Step Functions Express GB-seconds (64 MB)',
      quantity: c.bursts * billedSeconds(awsBurstSeconds(c)) * EXPRESS_MEMORY_GB,
      unitUsd: EXPRESS_GB_SECOND_USD,
    },
    { item: 'EventBridge Scheduler invocations', quantity: c.schedulesFired, unitUsd: 0.000001 },
    { item: 'Lambda requests', quantity: c.lambdaInvocations, unitUsd: 0.0000002 },
    {
      item: `Lambda GB-seconds (arm64, 512 MB; + ${AWS_DYNAMODB_CALL_MS} ms per DynamoDB call)`,
      quantity: ((c.lambdaMilliseconds + c.dynamoDbCalls * AWS_DYNAMODB_CALL_MS) / 1000) * 0.5,
      unitUsd: 0.0000133334,
    },
    { item: 'DynamoDB write units: table', quantity: c.tableWriteUnits, unitUsd: 0.000000625 },
    ...Object.entries(c.indexWriteUnits).map(([index, units]) => ({
      item: `DynamoDB write units: ${index} index`,
      quantity: units,
      unitUsd: 0.000000625,
    })),
    { item: 'DynamoDB read units', quantity: c.readUnits, unitUsd: 0.000000125 },
    { item: 'HTTP API requests', quantity: c.apiCalls, unitUsd: 0.000001 },
    { item: 'CloudWatch Logs ingested (GB)', quantity: c.logBytes / 1e9, unitUsd: 0.5 },
    {
      item: 'X-Ray traces recorded (5% of API calls and bursts past 1 a second)',
      quantity: (c.apiCalls + c.bursts) * XRAY_SAMPLED,
      unitUsd: XRAY_TRACE_USD,
    },
    {
      item: `DynamoDB storage and PITR (GB-months, kept ${STORED_MONTHS} months)`,
      quantity: ((c.storedBytes ?? 0) / 1e9) * STORED_MONTHS,
      unitUsd: STORAGE_AND_PITR_GB_MONTH_USD,
    },
    // KMS: DynamoDB and SNS cache their data keys (minutes), so requests do not grow with
    // lifecycles: a fixed cost (fixedMonthlyCosts).
    { item: 'KMS requests (data keys cached by DynamoDB and SNS)', quantity: 0, unitUsd: 0.000003 },
    {
      item: 'SES emails (the contract’s to the customer; the dispatched technician’s notice)',
      quantity: c.emails,
      unitUsd: 0.0001,
    },
  ].map((row) => ({ ...row, usdPer1000: row.quantity * row.unitUsd * 1000 }));
}

/** Per 1,000 lifecycles: everything, everything but the required emails, and the bursts as Standard. */
export function costTotals(c: Consumption) {
  const rows = costRows(c);
  const total = rows.reduce((sum, row) => sum + row.usdPer1000, 0);
  const emails = rows.find((row) => row.item.startsWith('SES'))!.usdPer1000;
  const express = rows
    .filter((row) => row.item.startsWith('Step Functions'))
    .reduce((s, r) => s + r.usdPer1000, 0);
  const standard = c.transitions * STANDARD_TRANSITION_USD * 1000;
  return { rows, total, withoutEmails: total - emails, express, standard };
}

/**
 * What the stack costs a month whatever its volume (us-east-1 list prices): the customer managed
 * keys (table, alarm topic, SES events topic) and their requests (a data key per key every few
 * minutes), the origin secret, the alarms and dashboard, the web ACL and its rules.
 */
export function fixedMonthlyCosts(alarms: number): CostRow[] {
  return [
    { item: 'KMS customer managed keys', quantity: 3, unitUsd: 1 },
    { item: 'KMS requests (data keys, ~1 per key per 5 minutes)', quantity: 3 * 8_640, unitUsd: 0.000003 },
    { item: 'Secrets Manager secret (origin verify)', quantity: 1, unitUsd: 0.4 },
    { item: 'CloudWatch alarms', quantity: alarms, unitUsd: 0.1 },
    { item: 'CloudWatch dashboard', quantity: 1, unitUsd: 3 },
    { item: 'WAF web ACL and its rules', quantity: 1, unitUsd: 5 + 6 * 1 },
  ].map((row) => ({ ...row, usdPer1000: row.quantity * row.unitUsd }));
}

export function printCostModel(title: string, c: Consumption): void {
  const { rows, total, withoutEmails, express, standard } = costTotals(c);
  console.log(`\n${title}`);
  console.table([
    ...rows.map((row) => ({
      item: row.item,
      'per lifecycle': row.quantity < 0.01 ? row.quantity.toExponential(2) : row.quantity.toFixed(2),
      'USD per 1,000': row.usdPer1000.toFixed(4),
    })),
    { item: 'total', 'per lifecycle': '', 'USD per 1,000': total.toFixed(4) },
    {
      item: 'total without emails (goal ≤ 0.10)',
      'per lifecycle': '',
      'USD per 1,000': withoutEmails.toFixed(4),
    },
    {
      item: `the same bursts as Standard (${c.transitions.toFixed(1)} transitions) instead of Express`,
      'per lifecycle': '',
      'USD per 1,000': `${standard.toFixed(4)} (vs ${express.toFixed(4)})`,
    },
  ]);
}
