/**
 * The staff pool's password policy, once: the deployed pool (infra/constructs/staff-pool.ts), the
 * local stand-in (local/cognito.ts) and the console's first-password form all hold a password to
 * it: at least 12 characters, lower and upper case, a digit and a symbol.
 */
export const STAFF_PASSWORD_POLICY = {
  minimumLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
} as const;

/** What a password lacks under the policy (empty: it meets it). */
export function passwordShortfalls(
  password: string,
): ('length' | 'lowercase' | 'uppercase' | 'number' | 'symbol')[] {
  return [
    ...(password.length < STAFF_PASSWORD_POLICY.minimumLength ? (['length'] as const) : []),
    ...(!/[a-z]/.test(password) ? (['lowercase'] as const) : []),
    ...(!/[A-Z]/.test(password) ? (['uppercase'] as const) : []),
    ...(!/[0-9]/.test(password) ? (['number'] as const) : []),
    ...(!/[^a-zA-Z0-9]/.test(password) ? (['symbol'] as const) : []),
  ];
}
