import type { ContractVersion } from '#domain/contract.ts';
import { inForceFrom, versionInForce } from '#domain/contract.ts';
import { emailSender, type SendingDomain } from '#domain/email-sender.ts';
import { money } from '#domain/money.ts';
import { patchSettings, type TenantSettings } from '#domain/tenant.ts';
import { calendarDays } from '#domain/working-calendar.ts';
import { accessTrailPage } from '../adapters/access-trail.ts';
import { apiKeysPage, revokeApiKey } from '../adapters/api-key-store.ts';
import { mintApiKey } from '../adapters/api-keys.ts';
import { now } from '../adapters/clock.ts';
import { config } from '../adapters/config.ts';
import {
  confirmContractVersion,
  contractVersions,
  insertContractVersion,
  recordPayment,
  savePaymentSchedule,
  terminateContractVersion,
} from '../adapters/contracts.ts';
import {
  addSendingDomain,
  getSendingDomain,
  refreshSendingDomain,
  removeSendingDomain,
} from '../adapters/sending-domains.ts';
import { openSecret, sealSecret, sealStorefrontSecrets } from '../adapters/storefront-secrets.ts';
import {
  calendarOf,
  createApiKey,
  getTenant,
  type StoredTenant,
  saveTenantSettings,
} from '../adapters/tenants.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { shown } from '../http/show.ts';
import { apiKeyView } from '../http/views.ts';
import { actorOf, tenantOf } from '../shared/caller.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { type Caller, type HttpResult, json } from '../shared/http.ts';
import { tenantApiRoutes } from './routes.ts';

/** Tenant administration: API keys, settings (ladder, calendar, storefronts), contracts. */
type Context<Id extends OperationId<typeof tenantApiRoutes>> = ContextOf<typeof tenantApiRoutes, Id>;

// --- Access trail (12) -------------------------------------------------------------------------

async function listAccess({ caller, query }: Context<'listAccessTrail'>): Promise<HttpResult> {
  return json(
    200,
    await accessTrailPage(caller.tenantId, query.date, { limit: query.limit, cursor: query.cursor }),
  );
}

// --- Sending domain -------------------------------------------------------------------------

async function sendingDomainShown(tenant: StoredTenant, domain: SendingDomain): Promise<HttpResult> {
  const sender = emailSender({
    tenantName: tenant.name,
    email: tenant.email,
    sendingDomain: domain,
    defaultFrom: config().MAIL_FROM,
  });
  return json(200, { ...domain, sendsAs: sender.from });
}

async function getDomain({ caller }: Context<'getSendingDomain'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const current = await getSendingDomain(caller.tenantId);
  if (!current) throw new NotFoundError('sending domain');
  return sendingDomainShown(tenant, await refreshSendingDomain(caller.tenantId, current));
}

async function setDomain({ caller, body }: Context<'setSendingDomain'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  return sendingDomainShown(tenant, await addSendingDomain(caller.tenantId, body.domain));
}

async function removeDomain({ caller }: Context<'removeSendingDomain'>): Promise<HttpResult> {
  if (!(await removeSendingDomain(caller.tenantId))) throw new NotFoundError('sending domain');
  return { statusCode: 204, headers: {}, body: '' };
}

// --- API keys -------------------------------------------------------------------------------

async function createKey({ body: input, caller }: Context<'createApiKey'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  if (input.staffId && !tenant.staff.some((s) => s.staffId === input.staffId)) {
    throw new ValidationError('Unknown staff member', { staffId: ['no staff member has this id'] });
  }
  const { apiKey, stored } = mintApiKey(caller.tenantId, input.role, now(), input.staffId);
  await createApiKey(stored);
  // The only time the secret is ever shown.
  return json(201, {
    apiKey,
    keyId: stored.keyId,
    role: stored.role,
    staffId: stored.staffId,
    createdAt: stored.createdAt,
  });
}

async function listKeys({ query, caller }: Context<'listApiKeys'>): Promise<HttpResult> {
  const page = await apiKeysPage(caller.tenantId, { limit: query.limit, cursor: query.cursor });
  return json(200, { items: page.items.map((key) => shown(apiKeyView, key)), nextCursor: page.nextCursor });
}

async function revokeKey({ params, caller }: Context<'revokeApiKey'>): Promise<HttpResult> {
  const keyId = params.keyId!;
  if (!(await revokeApiKey(caller.tenantId, keyId, now()))) throw new NotFoundError(`API key ${keyId}`);
  return json(200, { keyId, revoked: true });
}

// --- calendar -------------------------------------------------------------------------------

/** Every day the working-day deadlines count or skip, and why; for any staff member. */
async function getCalendar({ query, caller }: Context<'getCalendar'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  return json(200, {
    timeZone: tenant.timeZone,
    days: calendarDays(calendarOf(tenant), query.from, query.to),
  });
}

// --- settings -------------------------------------------------------------------------------

/** Settings as shown: storefront secrets are never returned, only whether one is set. */
function settingsView(tenant: StoredTenant) {
  const { storefronts, ...settings } = tenant;
  return {
    ...settings,
    storefronts: {
      shopify: storefronts.shopify
        ? {
            configured: true,
            shopDomain: storefronts.shopify.shopDomain,
            returnKind: storefronts.shopify.returnKind,
          }
        : { configured: false },
      woocommerce: storefronts.woocommerce
        ? { configured: true, statuses: storefronts.woocommerce.statuses }
        : { configured: false },
      generic: { configured: Boolean(storefronts.generic) },
    },
  };
}

/** The settings' version as an HTTP entity tag: what If-Match names. */
const etagOf = (tenant: StoredTenant) => `"${tenant.settingsVersion ?? 0}"`;

const withEtag = (result: HttpResult, tenant: StoredTenant): HttpResult => ({
  ...result,
  headers: { ...result.headers, etag: etagOf(tenant) },
});

async function getSettings({ caller }: Context<'getSettings'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  return withEtag(json(200, settingsView(tenant)), tenant);
}

/** The tenant's settings alone, without what the table keeps beside them. */
function settingsOf(tenant: StoredTenant): TenantSettings {
  const { tenantId: _id, createdAt: _created, settingsVersion: _version, ...settings } = tenant;
  return settings;
}

/**
 * A change to the settings (a JSON merge patch, RFC 7396): what it does not mention is kept,
 * storefront secrets above all, and `null` clears an optional setting. With `If-Match` (the
 * ETag of a GET) it applies only to that version (412 otherwise); without, a concurrent change
 * is re-read and the patch applied on top of it, so neither change is lost.
 */
async function putSettings({ event, headers, caller }: Context<'changeSettings'>): Promise<HttpResult> {
  // The raw patch, not the parsed one: a merge patch says with `null` what to clear, and with
  // absence what to keep; patchSettings validates the result as a whole.
  const patch = JSON.parse(
    event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8') : '{}',
  ) as unknown;
  const ifMatch = headers['if-match'];
  for (let attempt = 0; attempt < 5; attempt++) {
    const tenant = await getTenant(caller.tenantId, { consistent: true });
    if (!tenant) throw new NotFoundError(`tenant ${caller.tenantId}`);
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(tenant))
      throw new DomainError(
        412,
        'PreconditionFailed',
        `The settings changed since you read them (now ${etagOf(tenant)}, you had ${ifMatch}): read them again`,
      );
    const result = patchSettings(settingsOf(tenant), patch);
    if (!result.ok) throw new ValidationError('The settings are invalid', result.fields);
    const saved = await saveTenantSettings(tenant, {
      ...result.settings,
      storefronts: await sealStorefrontSecrets(tenant.tenantId, result.settings.storefronts),
    });
    if (saved) return withEtag(json(200, settingsView(saved)), saved);
  }
  throw new ConflictError('The settings kept changing while this change was applied: try again');
}

// --- contracts (clauses 9, 11.1) --------------------------------------------------------------

function contractView(versions: ContractVersion[], at: Date) {
  const inForce = versionInForce(versions, at);
  return {
    contractId: versions[0]?.contractId,
    inForceVersion: inForce?.version ?? null,
    terminated: versions.some((v) => v.terminatedAt !== undefined),
    versions: versions
      .sort((a, b) => a.version - b.version)
      .map((v) => ({
        ...v,
        inForceFrom: inForceFrom(v) ?? null,
        status: v.terminatedAt
          ? 'terminated'
          : v.version === inForce?.version
            ? 'in_force'
            : inForceFrom(v) === undefined
              ? 'awaiting_confirmation'
              : inForce && v.version < inForce.version
                ? 'superseded'
                : 'confirmed',
      })),
  };
}

async function versionsOf({
  caller,
  params,
}: {
  caller: Caller;
  params: { contractId: string };
}): Promise<ContractVersion[]> {
  const { contractId } = params;
  const versions = await contractVersions(caller.tenantId, contractId);
  if (versions.length === 0) throw new NotFoundError(`contract ${contractId}`);
  return versions;
}

async function createContract({ body: input, caller }: Context<'createContract'>): Promise<HttpResult> {
  const version: ContractVersion = { contractId: input.contractId, version: 1, terms: input.terms };
  if (!(await insertContractVersion(caller.tenantId, version)))
    throw new ConflictError(`Contract ${input.contractId} exists`);
  return json(201, contractView([version], now()));
}

async function getContract(context: Context<'getContract'>): Promise<HttpResult> {
  return json(200, contractView(await versionsOf(context), now()));
}

/** 11.1: an amendment is a new version, in force only once both parties confirm it. */
async function proposeVersion(context: Context<'proposeContractVersion'>): Promise<HttpResult> {
  const { body: input, caller } = context;
  const versions = await versionsOf(context);
  if (versions.some((v) => v.terminatedAt)) throw new ConflictError('The contract is terminated');
  const next: ContractVersion = {
    contractId: versions[0]!.contractId,
    version: Math.max(...versions.map((v) => v.version)) + 1,
    terms: input.terms,
  };
  if (!(await insertContractVersion(caller.tenantId, next)))
    throw new ConflictError('Another amendment was proposed at the same time; reload and retry');
  return json(201, contractView([...versions, next], now()));
}

async function confirmVersion(context: Context<'confirmContractVersion'>): Promise<HttpResult> {
  const { body: input, caller, params } = context;
  const versions = await versionsOf(context);
  const version = Number(params.version);
  if (!versions.some((v) => v.version === version)) throw new NotFoundError(`version ${params.version}`);
  const confirmed = await confirmContractVersion(
    caller.tenantId,
    versions[0]!.contractId,
    version,
    input.party,
    {
      at: now().toISOString(),
      by: actorOf(caller),
      evidence: input.evidence,
    },
  );
  if (!confirmed)
    throw new ConflictError(
      `The ${input.party} already confirmed version ${version}, or the contract is terminated`,
    );
  return json(
    200,
    contractView(
      versions.map((v) => (v.version === version ? confirmed : v)),
      now(),
    ),
  );
}

/** 10.1.2: the installments the customer pays, replaced whole. */
async function setSchedule(context: Context<'setPaymentSchedule'>): Promise<HttpResult> {
  const versions = await versionsOf(context);
  const currency = versions.at(-1)!.terms.currency;
  const fields: Record<string, string[]> = {};
  context.body.installments.forEach((installment, i) => {
    try {
      money(installment.amount, currency);
    } catch (error) {
      fields[`installments.${i}.amount`] = [(error as Error).message];
    }
  });
  if (Object.keys(fields).length > 0) throw new ValidationError('Invalid installments', fields);
  const contractId = versions[0]!.contractId;
  await savePaymentSchedule(
    context.caller.tenantId,
    contractId,
    context.body.installments,
    now().toISOString(),
  );
  return json(200, { contractId, installments: context.body.installments });
}

/** 10.1.2: a payment received; recorded once per reference. */
async function paymentReceived(context: Context<'recordPayment'>): Promise<HttpResult> {
  const versions = await versionsOf(context);
  try {
    money(context.body.amount, versions.at(-1)!.terms.currency);
  } catch (error) {
    throw new ValidationError('Invalid payment', { amount: [(error as Error).message] });
  }
  const recorded = await recordPayment(
    context.caller.tenantId,
    versions[0]!.contractId,
    context.body,
    now().toISOString(),
  );
  if (!recorded)
    throw new ConflictError(`Another payment was recorded under reference ${context.body.reference}`);
  return json(recorded.created ? 201 : 200, recorded.payment);
}

/** 9.2: a terminated contract accepts no new requests. */
async function terminate(context: Context<'terminateContract'>): Promise<HttpResult> {
  const { body: input, caller } = context;
  const versions = await versionsOf(context);
  const latest = versions.reduce((a, b) => (a.version > b.version ? a : b));
  const at = now().toISOString();
  if (
    !(await terminateContractVersion(caller.tenantId, latest.contractId, latest.version, {
      at,
      ground: input.ground,
      note: input.note,
    }))
  ) {
    throw new ConflictError('The contract is already terminated');
  }
  return json(200, contractView(await contractVersions(caller.tenantId, latest.contractId), now()));
}

export const handler = serveRoutes(
  'tenantApi',
  tenantApiRoutes,
  {
    createApiKey: createKey,
    listApiKeys: listKeys,
    revokeApiKey: revokeKey,
    getSettings,
    changeSettings: putSettings,
    listAccessTrail: listAccess,
    getSendingDomain: getDomain,
    setSendingDomain: setDomain,
    removeSendingDomain: removeDomain,
    getCalendar,
    createContract,
    getContract,
    proposeContractVersion: proposeVersion,
    confirmContractVersion: confirmVersion,
    terminateContract: terminate,
    setPaymentSchedule: setSchedule,
    recordPayment: paymentReceived,
  },
  // A new API key's answer shows its secret: kept sealed for a retry (functions/adapters/idempotency.ts).
  {
    answerSealer: {
      seal: (tenantId, body) => sealSecret(tenantId, 'idempotent-answer', body),
      open: (tenantId, sealed) => openSecret(tenantId, 'idempotent-answer', sealed),
    },
  },
);
