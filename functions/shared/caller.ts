import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { DomainError, NotFoundError } from './errors.ts';
import type { Caller } from './http.ts';

/** Who acted, for timelines: the staff member behind the API key, or the key itself. */
export const actorOf = (caller: Caller): string => caller.staffId ?? `apikey:${caller.keyId}`;

/** Read once per request: the router checks it before the handler, which reads the same. */
const tenants = new WeakMap<Caller, Promise<StoredTenant>>();

/**
 * The caller's own tenant (an API key never reaches another). A suspended tenant's keys, and a
 * disabled staff member's sign-in, stop here at once, whatever the authorizer's cache still says.
 */
export function tenantOf(caller: Caller): Promise<StoredTenant> {
  let tenant = tenants.get(caller);
  if (!tenant) {
    tenant = getTenant(caller.tenantId).then((found) => {
      if (!found) throw new NotFoundError('tenant');
      if (found.suspendedAt)
        throw new DomainError(403, 'TenantSuspended', 'This tenant is suspended: ask the operator');
      // A staff member, signed in as themselves or named by the API key they act through:
      // disabled or removed stops them here at once, whatever the authorizer's cache (30 s on
      // AWS) still says. A key that names nobody acts as the key.
      if (caller.staffId !== undefined) {
        const member = found.staff.find((s) => s.staffId === caller.staffId);
        if (!member || member.disabledAt)
          throw new DomainError(403, 'StaffDisabled', 'This staff member is disabled or no longer on staff');
      }
      return found;
    });
    tenants.set(caller, tenant);
  }
  return tenant;
}
