/**
 * Log messages the operators are alarmed on: infra/constructs/observability.ts counts each with
 * a metric filter on the function that writes it, so the two cannot drift apart.
 */
export const alarmedLogMessages = {
  /** The daily run found a year ahead without an official holiday arrangement (campaigns). */
  holidayArrangementMissing: 'Holiday arrangement not published',
  /** An item of the daily run failed and was left for the next run (campaigns). */
  dailyRunItemFailed: 'Daily run item failed',
} as const;
