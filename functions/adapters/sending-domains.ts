import {
  AlreadyExistsException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { dkimRecords, type EmailSender, emailSender, type SendingDomain } from '#domain/email-sender.ts';
import { ConflictError } from '../shared/errors.ts';
import { now } from './clock.ts';
import { config } from './config.ts';
import { deleteItem, getItem, keys, putItem, withoutKeys } from './table.ts';
import type { StoredTenant } from './tenants.ts';

/**
 * A tenant's own sending domain: an SES domain identity (Easy DKIM) in our account, created when
 * the tenant asks and used by the mailer once SES has verified it. SES holds one identity per
 * domain in an account, so a domain another tenant added is refused (409), and a tenant can only
 * ever send from a domain whose DNS it controls.
 */
const ses = new SESv2Client({ maxAttempts: 3, requestHandler: { requestTimeout: 10_000 } });

/**
 * Tags a tenant's identity with our configuration set's name: the stack's IAM policies let its
 * functions send from, read and delete only identities that carry it (infra/constructs/mail.ts).
 */
export const SENDING_IDENTITY_TAG = 'aftersales:configuration-set';

export async function getSendingDomain(tenantId: string): Promise<SendingDomain | undefined> {
  const item = await getItem<SendingDomain & { pk: string; sk: string }>(keys.sendingDomain(tenantId));
  return item ? withoutKeys<SendingDomain>(item) : undefined;
}

/** Creates the SES identity and records it as pending, with the DNS records to publish. */
export async function addSendingDomain(tenantId: string, domain: string): Promise<SendingDomain> {
  const current = await getSendingDomain(tenantId);
  if (current?.domain === domain) return refreshSendingDomain(tenantId, current);
  if (current)
    throw new ConflictError(`The tenant already sends from ${current.domain}: remove it first (DELETE)`);
  try {
    const created = await ses.send(
      new CreateEmailIdentityCommand({
        EmailIdentity: domain,
        // Its bounces and complaints go where ours do (functions/email-events).
        ConfigurationSetName: config().MAIL_CONFIGURATION_SET,
        Tags: [
          { Key: 'tenant', Value: tenantId },
          ...(config().MAIL_CONFIGURATION_SET
            ? [{ Key: SENDING_IDENTITY_TAG, Value: config().MAIL_CONFIGURATION_SET }]
            : []),
        ],
      }),
    );
    const added: SendingDomain = {
      domain,
      status: created.VerifiedForSendingStatus ? 'verified' : 'pending',
      dnsRecords: dkimRecords(domain, created.DkimAttributes?.Tokens ?? []),
      requestedAt: now().toISOString(),
    };
    await putItem({ ...keys.sendingDomain(tenantId), ...added });
    return added;
  } catch (error) {
    if (!(error instanceof AlreadyExistsException) && (error as Error).name !== 'AlreadyExistsException')
      throw error;
    // Ours from an earlier attempt that created the identity and failed to record it: record it now.
    const existing = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
    if (!existing.Tags?.some((tag) => tag.Key === 'tenant' && tag.Value === tenantId))
      throw new ConflictError(`${domain} is already added by another tenant: ask the operator`);
    const adopted: SendingDomain = {
      domain,
      status: 'pending',
      dnsRecords: dkimRecords(domain, existing.DkimAttributes?.Tokens ?? []),
      requestedAt: now().toISOString(),
    };
    await putItem({ ...keys.sendingDomain(tenantId), ...adopted });
    return refreshSendingDomain(tenantId, adopted);
  }
}

/** Asks SES how far verification has come and records it. */
export async function refreshSendingDomain(tenantId: string, current: SendingDomain): Promise<SendingDomain> {
  let identity: {
    VerifiedForSendingStatus?: boolean;
    DkimAttributes?: { Status?: string; Tokens?: string[] };
  };
  try {
    identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: current.domain }));
  } catch (error) {
    if (!(error instanceof NotFoundException) && (error as Error).name !== 'NotFoundException') throw error;
    identity = { VerifiedForSendingStatus: false, DkimAttributes: { Status: 'FAILED' } };
  }
  const status: SendingDomain['status'] = identity.VerifiedForSendingStatus
    ? 'verified'
    : identity.DkimAttributes?.Status === 'FAILED'
      ? 'failed'
      : 'pending';
  const tokens = identity.DkimAttributes?.Tokens;
  const refreshed: SendingDomain = {
    ...current,
    status,
    ...(tokens && tokens.length > 0 ? { dnsRecords: dkimRecords(current.domain, tokens) } : {}),
    ...(status === 'verified' ? { verifiedAt: current.verifiedAt ?? now().toISOString() } : {}),
  };
  if (status !== 'verified') delete refreshed.verifiedAt;
  if (JSON.stringify(refreshed) !== JSON.stringify(current))
    await putItem({ ...keys.sendingDomain(tenantId), ...refreshed });
  return refreshed;
}

/** Mail goes from our domain again; the SES identity is deleted. */
export async function removeSendingDomain(tenantId: string): Promise<boolean> {
  const current = await getSendingDomain(tenantId);
  if (!current) return false;
  await ses.send(new DeleteEmailIdentityCommand({ EmailIdentity: current.domain })).catch((error) => {
    if ((error as Error).name !== 'NotFoundException') throw error;
  });
  await deleteItem(keys.sendingDomain(tenantId));
  return true;
}

/**
 * The sender of a tenant's emails: its name and Reply-To as the caller just read them, and its
 * verified domain, read at most once a minute per tenant by each function instance (a new or
 * removed domain reaches every email within a minute).
 */
const SENDING_DOMAIN_CACHE_MS = 60_000;
const sendingDomains = new Map<string, { sendingDomain: SendingDomain | undefined; until: number }>();

export type TenantSending = Pick<StoredTenant, 'tenantId' | 'name' | 'email'>;

/** The sender, if this instance read the tenant's sending domain within the last minute. */
export function knownSenderOf(tenant: TenantSending): EmailSender | undefined {
  const cached = sendingDomains.get(tenant.tenantId);
  return cached && cached.until > now().getTime() ? senderFrom(tenant, cached.sendingDomain) : undefined;
}

/** The sender with the tenant's sending-domain item as just read (none: undefined), kept a minute. */
export function senderWith(tenant: TenantSending, item: object | undefined): EmailSender {
  const sendingDomain = item ? withoutKeys<SendingDomain>(item as SendingDomain) : undefined;
  sendingDomains.set(tenant.tenantId, { sendingDomain, until: now().getTime() + SENDING_DOMAIN_CACHE_MS });
  return senderFrom(tenant, sendingDomain);
}

const senderFrom = (tenant: TenantSending, sendingDomain: SendingDomain | undefined) =>
  emailSender({
    tenantName: tenant.name,
    email: tenant.email,
    sendingDomain,
    defaultFrom: config().MAIL_FROM,
  });
