import { createHash } from 'node:crypto';
import { claimDelivery } from '../adapters/storefront-deliveries.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { ValidationError } from '../shared/errors.ts';
import type { HttpResult } from '../shared/http.ts';
import { openServiceRequest, requestIdForDelivery } from '../shared/intake.ts';
import { answered, type Delivery, parseJson, unauthorized } from './delivery.ts';
import { mapGeneric } from './mappings.ts';
import { GENERIC_TOLERANCE_SECONDS } from './signatures.ts';
import { genericKeyOf } from './verify.ts';

/**
 * Our generic signed JSON, verified (./verify.ts). The request is named by the `Idempotency-Key` (the sender's retries
 * reuse it), and the signed body is claimed for as long as its signature can be replayed: a
 * captured delivery sent again with another key, inside that window, finds the same request.
 * With a `v2` signature the key itself is signed.
 */
export async function receiveGeneric(tenant: StoredTenant, delivery: Delivery): Promise<HttpResult> {
  if (!tenant.storefronts.generic) throw unauthorized();
  const at = delivery.receivedAt;
  const key = genericKeyOf(delivery);
  const mapped = mapGeneric(parseJson(delivery.raw));
  if (!mapped.ok)
    throw new ValidationError('The delivery cannot be mapped to a service request', mapped.fields);
  const digest = createHash('sha256').update(delivery.raw).digest('hex');
  const requestId = await claimDelivery(
    tenant.tenantId,
    `generic#${digest}`,
    requestIdForDelivery(tenant.tenantId, 'generic', key),
    at,
    // Past this a replay fails its signature's timestamp check anyway.
    new Date(at.getTime() + 2 * GENERIC_TOLERANCE_SECONDS * 1000),
  );
  const { request, created } = await openServiceRequest(tenant, mapped.request, {
    receivedAt: at,
    actor: 'webhook:generic',
    requestId,
    delivery: { deliveryId: key },
  });
  return answered(request, created);
}
