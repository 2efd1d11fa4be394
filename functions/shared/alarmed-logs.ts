/**
 * Log messages the operators are alarmed on, with the functions that write them:
 * infra/constructs/observability.ts counts each with a metric filter on those functions' log
 * groups, so the message and its alarm cannot drift apart. `emailSenders` is every function the
 * catalog says sends email (the mailer logs from wherever it runs).
 */
export const alarmedLogMessages = {
  /** The daily run found a year ahead without an official holiday arrangement. */
  holidayArrangementMissing: { message: 'Holiday arrangement not published', writtenBy: ['campaigns'] },
  /** An item of the daily run failed and was left for the next run. */
  dailyRunItemFailed: { message: 'Daily run item failed', writtenBy: ['campaigns'] },
  /** SES refused an email for good (an unverified or suppressed address): recorded on the subject. */
  emailRejected: { message: 'Email rejected', writtenBy: 'emailSenders' },
  /** An earlier send was interrupted with no result; the email is sent again (a duplicate is possible). */
  emailSendInDoubt: { message: 'Email send in doubt, sending again', writtenBy: 'emailSenders' },
  /** A lifecycle had not started (Step Functions down at intake, a crash): the reconciler started it. */
  lifecycleStartedLate: { message: 'Lifecycle started late', writtenBy: ['reconciler'] },
  /** A lifecycle's execution ended with its subject still open: the reconciler started the next generation. */
  lifecycleRestarted: { message: 'Lifecycle restarted', writtenBy: ['reconciler'] },
  /**
   * A lifecycle needed restarts spread over hours: the operators must look (it is still restarted
   * while its promises are open; `npm run tenant -- lifecycles --abandoned` lists them).
   */
  lifecycleAbandoned: { message: 'Lifecycle abandoned', writtenBy: ['reconciler'] },
  /**
   * A due-time index entry was not its subject's own watch (an index read behind a write, or an
   * entry a crashed local store left): not acted on, and cleared.
   */
  watchEntryStale: { message: 'Lifecycle watch entry stale', writtenBy: ['reconciler'] },
  /**
   * A storefront delivery kept in the inbox that no retry can make a request (it is no return, its
   * signature does not match): let go, with why (#33).
   */
  storefrontDeliveryRefused: { message: 'Storefront delivery refused', writtenBy: ['storefrontInbox'] },
  /** Shopify's Admin API said the app may not read a return: a scope or approval to grant (#33). */
  shopifyAccessDenied: { message: 'Shopify access denied', writtenBy: ['serviceRequestSteps'] },
  /** A Shopify answer said our query uses something deprecated, or the pinned version ends within 90 days. */
  shopifyApiDeprecated: {
    message: 'Shopify API deprecation',
    writtenBy: ['serviceRequestSteps', 'campaigns'],
  },
  /** The reconciler could not check one subject (it tries again at its next run). */
  reconcilerItemFailed: { message: 'Reconciler item failed', writtenBy: ['reconciler'] },
} as const satisfies Record<string, { message: string; writtenBy: readonly string[] | 'emailSenders' }>;
