import * as z from '#domain/zod.ts';

/**
 * The environment every handler reads, validated once at cold start so a misconfigured
 * function fails fast with the variable's name instead of later with `undefined`.
 */
const environmentSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  MAIL_FROM: z._default(z.email(), 'service@example.com'),
  MAIL_CONFIGURATION_SET: z.optional(z.string()),
  /**
   * The domain customers' replies are received on (`reply+<token>@…`, #36): its MX is SES
   * receiving on AWS, the local SMTP server locally. Unset: no mail is received, and customers
   * answer to the tenant's Reply-To.
   */
  INBOUND_MAIL_DOMAIN: z.optional(z.string().check(z.regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i))),
  /** AWS only: the bucket SES receiving stores each raw email in, under the prefix (functions/inbound-mail). */
  INBOUND_MAIL_BUCKET: z.optional(z.string()),
  INBOUND_MAIL_PREFIX: z._default(z.string(), 'inbound/'),
  /** Base URL of the HTTP API, for links in emails (survey, escalation actions). */
  PUBLIC_BASE_URL: z._default(z.url(), 'http://127.0.0.1:3000'),
  /** HMAC key for signed links in emails: given directly (local), or… */
  LINK_SIGNING_SECRET: z.optional(z.string().check(z.minLength(16))),
  /** …the name of an SSM SecureString holding it (AWS), read once per cold start. */
  LINK_SIGNING_SECRET_PARAMETER: z.optional(z.string()),
  /** Seals storefront secrets at rest (functions/adapters/storefront-secrets.ts): given directly (local), or… */
  STOREFRONT_SECRETS_KEY: z.optional(z.string().check(z.minLength(32))),
  /** …the name of an SSM SecureString holding it (AWS). */
  STOREFRONT_SECRETS_KEY_PARAMETER: z.optional(z.string()),
  /**
   * Local runtime only: where Shopify Admin API calls go instead of `https://<shop>` (the local
   * stand-in, local/shopify.ts). Unset on AWS.
   */
  SHOPIFY_ADMIN_ORIGIN: z.optional(z.url()),
  /**
   * AWS only: the Secrets Manager secret CloudFront sends as `x-origin-verify` (its current or
   * previous version); the authorizers refuse requests without it.
   */
  ORIGIN_VERIFY_SECRET_ID: z.optional(z.string()),
  /** The queue of the daily run's per-tenant messages (functions/campaigns). */
  DAILY_RUN_QUEUE_URL: z.optional(z.url()),
  /** The storefront inbox: deliveries kept before they are processed (functions/storefront-inbox). */
  STOREFRONT_INBOX_QUEUE_URL: z.optional(z.url()),
  SERVICE_REQUEST_STATE_MACHINE_ARN: z._default(z.string(), ''),
  FEEDBACK_CASE_STATE_MACHINE_ARN: z._default(z.string(), ''),
  /** Where lifecycles park their next wake-up (functions/adapters/wake-ups.ts). */
  WAKE_UP_SCHEDULE_GROUP: z._default(z.string(), 'default'),
  /** The role EventBridge Scheduler assumes to start a burst. */
  WAKE_UP_ROLE_ARN: z._default(z.string(), 'arn:aws:iam::000000000000:role/local-wake-up'),
  /** The staff's Cognito user pool (functions/adapters/staff-directory.ts): unset, staff sign-in is not configured. */
  STAFF_USER_POOL_ID: z.optional(z.string().check(z.minLength(1))),
  /** Who issues staff ID tokens, and the console's app client they are for (functions/adapters/staff-tokens.ts). */
  STAFF_TOKEN_ISSUER: z.optional(z.url()),
  STAFF_POOL_CLIENT_ID: z.optional(z.string().check(z.minLength(1))),
  /** Where a wake-up that could not start its burst goes (SQS queue ARN; the reconciler covers it too). */
  WAKE_UP_DEAD_LETTER_ARN: z.optional(z.string()),
});

export type Config = z.infer<typeof environmentSchema>;

let cached: Config | undefined;

/** Where customers' replies are received (#36); none where the stack does not receive mail. */
export const inboundMailDomain = (): string | undefined => config().INBOUND_MAIL_DOMAIN;

export function config(): Config {
  if (!cached) {
    const parsed = environmentSchema.safeParse(process.env);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`Invalid environment: ${fields.join('; ')}`);
    }
    cached = parsed.data;
  }
  return cached;
}
