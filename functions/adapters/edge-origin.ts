import { timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from './config.ts';

/** The header CloudFront adds to each request it forwards (infra/constructs/edge.ts). */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

const secrets = new SecretsManagerClient({
  maxAttempts: 3,
  requestHandler: { requestTimeout: 2_000, connectionTimeout: 1_000 },
});

/**
 * The values a request may carry: the secret's current version and its previous one. Rotating
 * (README, "Rotating the origin secret") puts a new value, which makes the old one AWSPREVIOUS,
 * then redeploys CloudFront with the new one: while CloudFront's change spreads, requests carry
 * either, and both are let through, so rotation is never an outage (#32).
 *
 * Read at most every 5 minutes per instance, and again at once (at most every 10 s) when a
 * request carries neither: a value put a moment ago is taken without waiting for a cold start.
 */
const REFRESH_MS = 5 * 60_000;
const RECHECK_MS = 10_000;
let known: { values: Buffer[]; readAt: number } | undefined;
let reading: Promise<Buffer[]> | undefined;

async function versionValue(
  secretId: string,
  stage: 'AWSCURRENT' | 'AWSPREVIOUS',
): Promise<Buffer | undefined> {
  try {
    const found = await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
    return found.SecretString ? Buffer.from(found.SecretString, 'utf8') : undefined;
  } catch (error) {
    // A secret never rotated has no previous version.
    if (stage === 'AWSPREVIOUS' && (error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

function read(secretId: string): Promise<Buffer[]> {
  reading ??= Promise.all([versionValue(secretId, 'AWSCURRENT'), versionValue(secretId, 'AWSPREVIOUS')])
    .then((values) => {
      const found = values.filter((v): v is Buffer => v !== undefined);
      if (found.length === 0) throw new Error(`Secret ${secretId} has no value`);
      known = { values: found, readAt: Date.now() };
      return found;
    })
    .finally(() => {
      reading = undefined;
    });
  return reading;
}

const matches = (given: Buffer, values: Buffer[]) =>
  values.some((value) => value.length === given.length && timingSafeEqual(given, value));

/**
 * Whether a request came through our CloudFront distribution (and so through WAF's limits):
 * it carries the origin-verify secret. Without CloudFront (the local runtime) there is no
 * secret configured and every request counts as come through.
 */
export async function cameThroughEdge(
  headers: Record<string, string | undefined> | undefined,
): Promise<boolean> {
  const secretId = config().ORIGIN_VERIFY_SECRET_ID;
  if (!secretId) return true;
  const given = Buffer.from(headers?.[ORIGIN_VERIFY_HEADER] ?? '', 'utf8');
  if (given.length === 0) return false;
  const kept = known && Date.now() - known.readAt < REFRESH_MS ? known : undefined;
  if (matches(given, kept?.values ?? (await read(secretId)))) return true;
  // Perhaps rotated since this instance read it.
  if (kept && Date.now() - kept.readAt >= RECHECK_MS) return matches(given, await read(secretId));
  return false;
}
