import { type ContractVersion, versionInForce } from '#domain/contract.ts';
import { now } from '../adapters/clock.ts';
import { contractVersions } from '../adapters/contracts.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import type { ApiKeyRoute } from '../http/route-spec.ts';
import type { RouteContext } from '../http/router.ts';
import type { attachmentQuery } from '../shared/api-schemas.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { DocumentHeader } from './printable.ts';

/** A request for one of the contract's attachments (11.2): `?contractId&version&lang`. */
export type AttachmentContext = RouteContext<ApiKeyRoute & { query: typeof attachmentQuery }>;

/** The contract version asked for (in force, else the latest, without a version): 404 if none. */
export async function contractVersionOf(
  tenant: StoredTenant,
  query: { contractId?: string; version?: string },
): Promise<ContractVersion | undefined> {
  if (!query.contractId) return undefined;
  const versions = await contractVersions(tenant.tenantId, query.contractId);
  const chosen = query.version
    ? versions.find((v) => v.version === Number(query.version))
    : (versionInForce(versions, now()) ?? versions.at(-1));
  if (!chosen)
    throw new NotFoundError(
      `contract ${query.contractId}${query.version ? ` version ${query.version}` : ''}`,
    );
  return chosen;
}

/** Whose document it is: the contract's provider and number, or the merchant on default terms. */
export const headerOf = (tenant: StoredTenant, contract: ContractVersion | undefined): DocumentHeader =>
  contract
    ? {
        merchant: contract.terms.provider.companyName,
        contract: { number: contract.terms.contractNumber, version: contract.version },
      }
    : { merchant: tenant.name };
