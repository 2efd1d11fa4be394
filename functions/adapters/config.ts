import * as z from 'zod';

/**
 * The environment every handler reads, validated once at cold start so a misconfigured
 * function fails fast with the variable's name instead of later with `undefined`.
 */
const environmentSchema = z.object({
  TABLE_NAME: z.string().min(1),
  MAIL_FROM: z.string().email().default('service@example.com'),
  MAIL_CONFIGURATION_SET: z.string().optional(),
  /** Base URL of the HTTP API, for links in emails (survey, escalation actions). */
  PUBLIC_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** HMAC key for signed links in emails: given directly (local), or… */
  LINK_SIGNING_SECRET: z.string().min(16).optional(),
  /** …the name of an SSM SecureString holding it (AWS), read once per cold start. */
  LINK_SIGNING_SECRET_PARAMETER: z.string().optional(),
  /** Seals storefront secrets at rest (functions/adapters/storefront-secrets.ts): given directly (local), or… */
  STOREFRONT_SECRETS_KEY: z.string().min(32).optional(),
  /** …the name of an SSM SecureString holding it (AWS). */
  STOREFRONT_SECRETS_KEY_PARAMETER: z.string().optional(),
  /**
   * Local runtime only: where Shopify Admin API calls go instead of `https://<shop>` (the local
   * stand-in, local/shopify.ts). Unset on AWS.
   */
  SHOPIFY_ADMIN_ORIGIN: z.string().url().optional(),
  SERVICE_REQUEST_STATE_MACHINE_ARN: z.string().default(''),
  FEEDBACK_CASE_STATE_MACHINE_ARN: z.string().default(''),
});

export type Config = z.infer<typeof environmentSchema>;

let cached: Config | undefined;

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
