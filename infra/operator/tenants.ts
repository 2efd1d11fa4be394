import { type ContractVersion, defaultSlaTerms } from '#domain/contract.ts';
import type { TenantSettings } from '#domain/tenant.ts';
import * as z from '#domain/zod.ts';
import { ACCESS_TRAIL_KEY_PREFIX } from '#functions/adapters/access-trail.ts';
import { mintApiKey } from '#functions/adapters/api-keys.ts';
import { now } from '#functions/adapters/clock.ts';
import { contractVersions } from '#functions/adapters/contracts.ts';
import { feedbackTimeline, getFeedbackCase } from '#functions/adapters/feedback-cases.ts';
import { allWatches, type BurstFields } from '#functions/adapters/lifecycle-watch.ts';
import { getRequest, requestTimeline } from '#functions/adapters/requests.ts';
import { removeSendingDomain } from '#functions/adapters/sending-domains.ts';
import { deleteStaffLogin } from '#functions/adapters/staff-directory.ts';
import { deleteItems, keys, query, scanKeys } from '#functions/adapters/table.ts';
import {
  createApiKey,
  createTenant,
  getTenant,
  listTenantIds,
  type StoredTenant,
  setTenantSuspended,
} from '#functions/adapters/tenants.ts';
import { cancelWakeUp } from '#functions/adapters/wake-ups.ts';
import { abandonedLifecycles, handler as reconciler } from '#functions/reconciler/handler.ts';
import { watchedKinds } from '#functions/shared/watched-kinds.ts';

/**
 * A refusal the operator reads as one line (a rule of deleting, an id that is not there): the
 * command prints its message and exits 1. Bad input to the command itself exits 2.
 */
export class OperatorRefusal extends Error {}

/**
 * What an operator does to tenants (`npm run tenant -- …`, infra/bin/tenant.ts), through the
 * product's own adapters: against a deployed stage with the operator's credentials, or against
 * the local runtime. Nothing here is reachable from the API.
 */

export interface NewTenant {
  tenantId: string;
  name: string;
  adminEmail: string;
  adminName?: string;
  language?: 'zh-CN' | 'en';
  timeZone?: string;
}

/** A new tenant's settings: default terms and calendar, its admin on staff and on the ladder. */
export function settingsOfNewTenant(input: NewTenant): TenantSettings {
  return {
    name: input.name,
    language: input.language ?? 'zh-CN',
    timeZone: input.timeZone ?? 'Asia/Shanghai',
    escalationLadder: {
      levels: [{ name: input.adminName ?? 'Administrator', recipients: [input.adminEmail], delayMinutes: 0 }],
      approachingWarningFraction: 0.75,
    },
    defaultTerms: defaultSlaTerms,
    staff: [
      {
        staffId: 'admin',
        name: input.adminName ?? input.adminEmail,
        email: input.adminEmail,
        roles: ['manager'],
        skills: [],
      },
    ],
    requiredSkills: {},
    storefronts: {},
    // Customers' replies reach the admin until the tenant names its own service mailbox.
    email: { replyTo: input.adminEmail },
    calendar: { weekendDays: [0, 6], chinaPublicHolidays: true, closures: [], extraWorkingDays: [] },
  };
}

/** What `create` takes, checked before anything is written. */
export const newTenantSchema = z.object({
  tenantId: z
    .string()
    .check(
      z.regex(/^[a-z0-9-]{3,40}$/, 'is 3 to 40 lower-case letters, digits and dashes (it appears in URLs)'),
    ),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  adminEmail: z.email('is not an email address'),
  adminName: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  language: z.optional(z.enum(['zh-CN', 'en'])),
  timeZone: z.optional(
    z.string().check(
      z.refine((zone) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'is not an IANA time zone (e.g. Asia/Shanghai)'),
    ),
  ),
});

/** Creates the tenant and its first admin API key: the key is returned once, and stored only hashed. */
export async function createTenantWithAdmin(input: NewTenant): Promise<{ tenantId: string; apiKey: string }> {
  newTenantSchema.parse(input);
  const at = now();
  const created = await createTenant({
    tenantId: input.tenantId,
    createdAt: at.toISOString(),
    ...settingsOfNewTenant(input),
  });
  if (!created) throw new OperatorRefusal(`A tenant ${input.tenantId} exists already`);
  const { apiKey, stored } = mintApiKey(input.tenantId, 'admin', at, 'admin');
  await createApiKey(stored);
  return { tenantId: input.tenantId, apiKey };
}

export async function listTenants(): Promise<
  Pick<StoredTenant, 'tenantId' | 'name' | 'createdAt' | 'suspendedAt'>[]
> {
  const tenants = await Promise.all((await listTenantIds()).map((id) => getTenant(id, { consistent: true })));
  return tenants.flatMap((t) =>
    t ? [{ tenantId: t.tenantId, name: t.name, createdAt: t.createdAt, suspendedAt: t.suspendedAt }] : [],
  );
}

export async function suspendTenant(tenantId: string): Promise<void> {
  if (!(await setTenantSuspended(tenantId, now()))) throw new OperatorRefusal(`No tenant ${tenantId}`);
}

export async function resumeTenant(tenantId: string): Promise<void> {
  if (!(await setTenantSuspended(tenantId, undefined))) throw new OperatorRefusal(`No tenant ${tenantId}`);
}

/** A tenant is deleted only after this long suspended: time to change one's mind, or to export. */
export const DELETE_AFTER_SUSPENDED_DAYS = 30;

const addYears = (isoDate: string, years: number) => {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00.000Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date;
};

/**
 * Until when a contract's data must be kept (12.1): its confidentiality term, in years, after it
 * ended (terminated, or its term ran out).
 */
export function contractKeptUntil(versions: readonly ContractVersion[]): Date {
  const latest = [...versions].sort((a, b) => b.version - a.version)[0]!;
  const terminated = versions.find((v) => v.terminatedAt)?.terminatedAt;
  const ended = terminated
    ? new Date(terminated)
    : addYears(latest.terms.effectiveDate, latest.terms.termYears);
  return addYears(ended.toISOString(), latest.terms.confidentialityYears);
}

/**
 * Deletes every item of a tenant once the rules allow: suspended for 30 days, and no contract
 * whose data its confidentiality clause still keeps. Says why not, otherwise.
 */
export async function deleteTenant(tenantId: string) {
  const tenant = await getTenant(tenantId, { consistent: true });
  if (!tenant) throw new OperatorRefusal(`No tenant ${tenantId}`);
  const at = now();
  if (!tenant.suspendedAt)
    throw new OperatorRefusal(
      `Suspend ${tenantId} first; it can be deleted ${DELETE_AFTER_SUSPENDED_DAYS} days later`,
    );
  const deletable = new Date(Date.parse(tenant.suspendedAt) + DELETE_AFTER_SUSPENDED_DAYS * 86_400_000);
  if (at < deletable)
    throw new OperatorRefusal(
      `${tenantId} was suspended ${tenant.suspendedAt}: it can be deleted from ${deletable.toISOString()}`,
    );
  const { items } = await query<{ sk: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :contracts)',
    ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':contracts': 'CONTRACT#' },
    ProjectionExpression: 'sk',
  });
  const contractIds = [...new Set(items.map((item) => item.sk.split('#')[1]!))];
  for (const contractId of contractIds) {
    const keptUntil = contractKeptUntil(await contractVersions(tenantId, contractId));
    if (at < keptUntil)
      throw new OperatorRefusal(
        `Contract ${contractId} must be kept until ${keptUntil.toISOString().slice(0, 10)} (its confidentiality term, 12.1)`,
      );
  }
  // What lives outside the table first, while the table still says where it is: the pending
  // wake-ups (they would start bursts of a deleted tenant), its staff's sign-ins, its SES identity.
  let wakeUpsCancelled = 0;
  for (const watch of await allWatches(tenantId)) {
    const loaded = await watchedKinds[watch.kind].load(tenantId, watch.id);
    const wakeUp = (loaded?.subject as BurstFields | undefined)?.wakeUp;
    if (!wakeUp) continue;
    await cancelWakeUp(wakeUp);
    wakeUpsCancelled += 1;
  }
  let signInsRemoved = 0;
  for (const member of tenant.staff)
    if (member.email && (await deleteStaffLogin(tenantId, member.email))) signInsRemoved += 1;
  const sendingDomainRemoved = await removeSendingDomain(tenantId);
  // A tenant's items live in many partitions (one per request, case, customer…), each beginning
  // with the tenant, and its access trail in one per day: DynamoDB finds partitions by a prefix
  // only by scanning (keys only; about $0.30 per 10 GB read, for a rare operator action).
  const found = await scanKeys([keys.tenant(tenantId).pk, `${ACCESS_TRAIL_KEY_PREFIX}${tenantId}`]);
  await deleteItems(found);
  return { deletedItems: found.length, wakeUpsCancelled, signInsRemoved, sendingDomainRemoved };
}

/**
 * A request's or feedback case's whole lifecycle: every event with its bursts (trigger,
 * generation, execution), where it stands, and its next wake-up.
 */
export async function lifecycleHistory(tenantId: string, kind: 'request' | 'feedback', id: string) {
  const request = kind === 'request' ? await getRequest(tenantId, id) : undefined;
  const feedback = kind === 'feedback' ? await getFeedbackCase(tenantId, id) : undefined;
  const subject = request ?? feedback;
  if (!subject) throw new OperatorRefusal(`No ${kind} ${id} in tenant ${tenantId}`);
  const timeline = request
    ? await requestTimeline(request, { bursts: true })
    : await feedbackTimeline(feedback!, { bursts: true });
  return {
    status: subject.status,
    generation: subject.burstGeneration ?? 0,
    nextWakeUp: subject.wakeUpAt ? { at: subject.wakeUpAt, schedule: subject.wakeUp } : undefined,
    reconcilerStarts: subject.reconcilerStarts ?? 0,
    reconcilerSince: subject.reconcilerSince,
    abandonedAt: subject.lifecycleAbandonedAt,
    timeline,
  };
}

/** Starts a burst of a request's or feedback case's lifecycle now, unless it is parked and on time. */
export async function restartLifecycle(tenantId: string, kind: 'request' | 'feedback', id: string) {
  if (!(await watchedKinds[kind].load(tenantId, id)))
    throw new OperatorRefusal(`No ${kind} ${id} in tenant ${tenantId}`);
  return reconciler({ tenantId, restart: { kind, id } }, {} as never);
}

/** Starts a burst now for every lifecycle of the tenant the reconciler declared abandoned. */
export async function restartAbandonedLifecycles(tenantId: string) {
  if (!(await getTenant(tenantId))) throw new OperatorRefusal(`No tenant ${tenantId}`);
  return reconciler({ tenantId, restart: { abandoned: true } }, {} as never);
}

/**
 * Every lifecycle the tenant's reconciler watches (one per open request and feedback case), or
 * only those it declared abandoned: where each stands, its next look, its restarts.
 */
export async function listLifecycles(tenantId: string, options: { abandoned?: boolean } = {}) {
  if (!(await getTenant(tenantId))) throw new OperatorRefusal(`No tenant ${tenantId}`);
  const watched = options.abandoned
    ? await abandonedLifecycles(tenantId)
    : await Promise.all(
        (await allWatches(tenantId)).map(async (watch) => ({
          ...watch,
          subject: (await watchedKinds[watch.kind].load(tenantId, watch.id))?.subject as
            | (BurstFields & { status?: string })
            | undefined,
        })),
      );
  return watched.map(({ kind, id, lookAt, subject }) => ({
    kind,
    id,
    status: (subject as { status?: string } | undefined)?.status ?? 'missing',
    lookAt,
    wakeUpAt: subject?.wakeUpAt,
    restarts: subject?.reconcilerStarts ?? 0,
    abandonedAt: subject?.lifecycleAbandonedAt,
  }));
}
