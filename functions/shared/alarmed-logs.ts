/**
 * Log messages the operators are alarmed on: infra/constructs/observability.ts counts each with
 * a metric filter on the function that writes it, so the two cannot drift apart.
 */
export const alarmedLogMessages = {
  /** The daily run found a year ahead without an official holiday arrangement (campaigns). */
  holidayArrangementMissing: 'Holiday arrangement not published',
  /** An item of the daily run failed and was left for the next run (campaigns). */
  dailyRunItemFailed: 'Daily run item failed',
  /** SES refused an email for good (an unverified or suppressed address): recorded on the subject. */
  emailRejected: 'Email rejected',
  /** An earlier send was interrupted with no result; the email is sent again (a duplicate is possible). */
  emailSendInDoubt: 'Email send in doubt, sending again',
  /** A lifecycle had not started (Step Functions down at intake, a crash): the reconciler started it. */
  lifecycleStartedLate: 'Lifecycle started late',
  /** A lifecycle's execution ended with its subject still open: the reconciler started the next generation. */
  lifecycleRestarted: 'Lifecycle restarted',
  /** A lifecycle failed generation after generation: left to the operators. */
  lifecycleAbandoned: 'Lifecycle abandoned',
  /** The reconciler could not check one subject (it tries again at its next run). */
  reconcilerItemFailed: 'Reconciler item failed',
} as const;
