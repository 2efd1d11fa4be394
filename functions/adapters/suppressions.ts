import { deleteItem, getItems, keys, putNew } from './table.ts';

/**
 * Addresses a tenant no longer emails: SES bounced a message to them for good, or the recipient
 * marked one as spam (functions/email-events). Sending to them again would hurt every tenant's
 * deliverability (SES watches the account's bounce and complaint rates), so the mailer skips them
 * and what was skipped is recorded where it was meant to go.
 */
export interface Suppression {
  address: string;
  reason: 'bounce' | 'complaint';
  detail: string;
  at: string;
}

/** Records a suppression; false if the address was suppressed already (a redelivered event). */
export async function suppressAddress(tenantId: string, suppression: Suppression): Promise<boolean> {
  return putNew({ ...keys.suppressedAddress(tenantId, suppression.address), ...suppression });
}

/** Which of these addresses are suppressed, with why. */
export async function suppressionsOf(tenantId: string, addresses: readonly string[]): Promise<Suppression[]> {
  return suppressionsIn(await getItems(suppressionKeys(tenantId, addresses)));
}

/** The keys of these addresses' suppressions, to read with others in one call. */
export const suppressionKeys = (tenantId: string, addresses: readonly string[]) =>
  addresses.map((address) => keys.suppressedAddress(tenantId, address));

/** The suppressions among items read by suppressionKeys (none where an address has none). */
export const suppressionsIn = (found: readonly unknown[]): Suppression[] =>
  found.filter((item) => item !== undefined) as Suppression[];

/** Forgets addresses (a customer erased, clause 12): their suppressions name them. */
export async function deleteSuppressions(tenantId: string, addresses: readonly string[]): Promise<void> {
  for (const address of addresses) await deleteItem(keys.suppressedAddress(tenantId, address));
}
