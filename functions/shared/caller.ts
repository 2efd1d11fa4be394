import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { NotFoundError } from './errors.ts';
import type { Caller } from './http.ts';

/** Who acted, for timelines: the staff member behind the API key, or the key itself. */
export const actorOf = (caller: Caller): string => caller.staffId ?? `apikey:${caller.keyId}`;

/** The caller's own tenant (an API key never reaches another). */
export async function tenantOf(caller: Caller): Promise<StoredTenant> {
  const tenant = await getTenant(caller.tenantId);
  if (!tenant) throw new NotFoundError('tenant');
  return tenant;
}
