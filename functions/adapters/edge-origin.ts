import { timingSafeEqual } from 'node:crypto';
import { config } from './config.ts';
import { secretParameter } from './parameters.ts';

/** The header CloudFront adds to each request it forwards (infra/constructs/edge.ts). */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * Whether a request came through our CloudFront distribution (and so through WAF's limits):
 * it carries the origin-verify secret. Without CloudFront (the local runtime) there is no
 * secret configured and every request counts as come through.
 */
export async function cameThroughEdge(
  headers: Record<string, string | undefined> | undefined,
): Promise<boolean> {
  const parameter = config().ORIGIN_VERIFY_SECRET_PARAMETER;
  if (!parameter) return true;
  const given = Buffer.from(headers?.[ORIGIN_VERIFY_HEADER] ?? '', 'utf8');
  const expected = Buffer.from(await secretParameter(parameter), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
