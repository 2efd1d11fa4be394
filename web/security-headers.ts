/**
 * The headers the console is served with, what its code needs and no more: CloudFront's response
 * headers policy (infra/constructs/console-site.ts) and the local runtime (local/console.ts) both
 * send these. Only the sign-in endpoint is reached beyond the console's own origin.
 */
export const consoleSecurityHeaders = (cognitoOrigin: string) => ({
  'content-security-policy': [
    "default-src 'self'",
    `connect-src 'self' ${cognitoOrigin}`,
    "img-src 'self' data:",
    // ECharts' SVG renderer writes style attributes.
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});
