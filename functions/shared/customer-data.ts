import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ERASED, erasedCustomer, type Identifiers, identifiersOf, scrub } from '#domain/personal-data.ts';
import { openRequestStatuses } from '#domain/request-status.ts';
import { recordAccess } from '../adapters/access-trail.ts';
import { contractsOfTenant } from '../adapters/contracts.ts';
import {
  type AttachmentRecord,
  type ConversationMessage,
  forgetHeldMailFrom,
  isMessageItem,
} from '../adapters/conversations.ts';
import {
  customerRecords,
  customerSubjectIds,
  type DataRequest,
  deleteCustomerRecords,
  eraseDataRequestsOf,
  forgetCustomerSubjects,
  recordDataRequest,
  replaceItem,
  type StoredItem,
  type SubjectItem,
  subjectItems,
} from '../adapters/customer-data.ts';
import { recordFeedbackStep } from '../adapters/feedback-cases.ts';
import { withoutBursts } from '../adapters/lifecycle-watch.ts';
import { type StoredRequest, transitionRequest } from '../adapters/requests.ts';
import { deleteSuppressions, suppressionsOf } from '../adapters/suppressions.ts';
import { withoutKeys } from '../adapters/table.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { cancelServiceRequest } from './cancel-request.ts';
import { wakeFeedback, wakeRequest } from './watched-kinds.ts';

/**
 * Clause 12: everything held about one customer, exported or erased, found through their
 * partition (functions/adapters/customer-data.ts). Who did it is on the access trail.
 */

/** Who asks: staff through the API, a storefront's privacy webhook, or the daily run's retention. */
export interface PrivacyActor {
  actor: string;
  role: string;
}

/** A request, feedback case or periodic survey of a customer: its item and its timeline pages, as stored. */
export interface CustomerSubject {
  subjectId: string;
  main: SubjectItem;
  items: StoredItem[];
}

/** A subject as stored with its items, or undefined when it was never written. */
async function storedSubject(tenantId: string, subjectId: string): Promise<CustomerSubject | undefined> {
  const items = await subjectItems(tenantId, subjectId);
  // The subject's own item: the others (timeline pages, messages) have `#` in their sort keys.
  const main = items.find((item) => !item.sk.includes('#')) as SubjectItem | undefined;
  return main ? { subjectId, main, items } : undefined;
}

/** A customer's subjects as stored, each with its items; only those that still name this address. */
export async function subjectsOf(tenantId: string, email: string): Promise<CustomerSubject[]> {
  const address = email.toLowerCase();
  const found: CustomerSubject[] = [];
  for (const subjectId of await customerSubjectIds(tenantId, email)) {
    const subject = await storedSubject(tenantId, subjectId);
    // Passed over: a subject never written, or one whose customer was changed or erased since.
    if (subject?.main.customer?.email.toLowerCase() === address) found.push(subject);
  }
  return found;
}

/**
 * Subjects by id, whoever they name now (a storefront order's requests, whose customer may have
 * changed their email in the shop or not be looked up yet); those already erased are passed over.
 */
export async function subjectsByIds(
  tenantId: string,
  subjectIds: readonly string[],
): Promise<CustomerSubject[]> {
  const found: CustomerSubject[] = [];
  for (const subjectId of subjectIds) {
    const subject = await storedSubject(tenantId, subjectId);
    if (subject && !subject.main.customerErasedAt) found.push(subject);
  }
  return found;
}

// --- export ------------------------------------------------------------------------------------

/** A subject as exported: the item without table keys, its timeline whole (archived pages first). */
function exported(main: SubjectItem, items: StoredItem[]) {
  const pages = items
    .filter((item) => item.sk.startsWith('TIMELINE#'))
    .sort((a, b) => a.sk.localeCompare(b.sk))
    .flatMap((page) => page.events as unknown[]);
  const {
    timeline,
    timelineArchived: _archived,
    burstGeneration: _generation,
    burstRun: _run,
    wakeUp: _wakeUp,
    wakeUpAt: _wakeUpAt,
    reconcilerStarts: _starts,
    reconcilerSince: _since,
    lifecycleAbandonedAt: _abandoned,
    ...rest
  } = withoutKeys(main) as Record<string, unknown>;
  // The conversation (#36): what they wrote to us and what we wrote to them, notes included.
  const messages = items
    .filter((item) => isMessageItem(item.sk))
    .map((item) => withoutKeys(item) as unknown as ConversationMessage)
    .sort((a, b) => a.at.localeCompare(b.at));
  const subject: Record<string, unknown> = messages.length > 0 ? { ...rest, conversation: messages } : rest;
  // The lifecycle's own bookkeeping (its bursts) says nothing about the person.
  return Array.isArray(timeline)
    ? { ...subject, timeline: withoutBursts([...pages, ...timeline] as { type: string }[], {}) as unknown[] }
    : subject;
}

/**
 * A data subject's access request: every item held about the customer, as JSON. The contracts
 * where the address is the customer's contact are listed too (they are kept under 12.1).
 */
export async function exportCustomerData(tenant: StoredTenant, email: string, by: PrivacyActor, at: Date) {
  const subjects = await subjectsOf(tenant.tenantId, email);
  const of = (prefix: string) =>
    subjects.filter((s) => s.subjectId.startsWith(prefix)).map((s) => exported(s.main, s.items));
  const records = await customerRecords(tenant.tenantId, email);
  const address = email.toLowerCase();
  const contracts = [...(await contractsOfTenant(tenant.tenantId)).values()]
    .flat()
    .filter((v) => v.terms.customer.contact.toLowerCase().includes(address))
    .map((v) => ({ contractId: v.contractId, version: v.version, customerParty: v.terms.customer }));
  await recordAccess(tenant.tenantId, {
    ...by,
    operation: 'exportCustomerData',
    subjects: subjects.map((s) => s.subjectId),
  });
  return {
    exportedAt: at.toISOString(),
    tenant: { tenantId: tenant.tenantId, name: tenant.name },
    email,
    requests: of('sr_'),
    feedbackCases: of('fb_'),
    periodicSurveys: of('ps_'),
    campaigns: records
      .filter((r) => r.sk.startsWith('SCHEDULE#'))
      .map((r) => withoutKeys(r) as Record<string, unknown>),
    suppressions: await suppressionsOf(tenant.tenantId, [email]),
    contracts,
  };
}

export type CustomerDataExport = Awaited<ReturnType<typeof exportCustomerData>>;

/**
 * A storefront's data request (Shopify `customers/data_request`): the export is made now and
 * kept for the merchant to hand over; the daily run tells the tenant (functions/shared/retention.ts).
 * Once per request: a redelivery changes nothing.
 */
export async function answerDataRequest(
  tenant: StoredTenant,
  request: { source: string; dataRequestId: string; email: string },
  by: PrivacyActor,
  at: Date,
): Promise<DataRequest> {
  const data = await exportCustomerData(tenant, request.email, by, at);
  const subjects = data.requests.length + data.feedbackCases.length + data.periodicSurveys.length;
  const stored: DataRequest = {
    ...request,
    receivedAt: at.toISOString(),
    subjects,
    export: gzipSync(JSON.stringify(data)),
  };
  await recordDataRequest(tenant.tenantId, stored, at);
  return stored;
}

/** The export kept for a data request, or made again if it was too large to keep. */
export async function exportOfDataRequest(
  tenant: StoredTenant,
  request: DataRequest,
  by: PrivacyActor,
  at: Date,
): Promise<CustomerDataExport> {
  if (!request.export) return exportCustomerData(tenant, request.email, by, at);
  const data = JSON.parse(gunzipSync(request.export).toString('utf8')) as CustomerDataExport;
  const subjects = [
    ...data.requests.map((r) => String(r.requestId)),
    ...data.feedbackCases.map((f) => String(f.feedbackId)),
    ...data.periodicSurveys.map((p) => String(p.surveyId)),
  ];
  await recordAccess(tenant.tenantId, { ...by, operation: 'readDataRequest', subjects });
  return data;
}

// --- erasure -----------------------------------------------------------------------------------

/** Attributes that name no person (keys, ids, states): never scrubbed. */
const STRUCTURAL = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'tenantId',
  'requestId',
  'feedbackId',
  'surveyId',
  'contractId',
  'of',
  'status',
  'kind',
  'channel',
  'category',
]);

/** What the customer wrote in their own words, or what only points at them: gone whole. */
function withoutTheirWords(item: StoredItem, reference: string, at: Date): StoredItem {
  const copy: Record<string, unknown> = { ...item };
  // Their emails: their words, the history they quoted, their address and their files' names.
  if (isMessageItem(item.sk) && copy.kind === 'customer') {
    for (const field of ['text', 'quoted', 'emailSubject'])
      if (typeof copy[field] === 'string') copy[field] = ERASED;
    copy.author = erasedCustomer(reference).email;
    delete copy.emailMessageId;
    if (Array.isArray(copy.attachments))
      copy.attachments = (copy.attachments as AttachmentRecord[]).map(({ contentType, size }) => ({
        filename: ERASED,
        contentType,
        size,
        refused: 'erased with the customer’s data (clause 12)',
      }));
    return copy as StoredItem;
  }
  // A storefront request whose customer is still being looked up names them only by its lookup.
  if (!copy.customer && !copy.customerLookup) return item;
  copy.customer = erasedCustomer(reference);
  copy.customerErasedAt = at.toISOString();
  if (typeof copy.description === 'string') copy.description = ERASED;
  if (typeof copy.content === 'string') copy.content = ERASED;
  for (const field of ['orderReference', 'intakeDigest', 'customerLookup']) delete copy[field];
  const answer = ((copy.survey as { answer?: Record<string, unknown> } | undefined)?.answer ?? copy.answer) as
    | Record<string, unknown>
    | undefined;
  if (answer)
    for (const opinion of ['serviceOpinion', 'goodsOpinion'])
      if (typeof answer[opinion] === 'string') answer[opinion] = ERASED;
  return copy as StoredItem;
}

/** Anonymizes every item of one subject, reading again if a step changed it meanwhile. */
async function anonymizeSubject(
  tenantId: string,
  subjectId: string,
  identifiers: Identifiers,
  reference: string,
  at: Date,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let changedMeanwhile = false;
    for (const item of await subjectItems(tenantId, subjectId)) {
      const anonymized = scrub(
        withoutTheirWords(structuredClone(item), reference, at),
        identifiers,
        STRUCTURAL,
      );
      if (JSON.stringify(anonymized) === JSON.stringify(item)) continue;
      if (!(await replaceItem(anonymized, item))) changedMeanwhile = true;
    }
    if (!changedMeanwhile) return;
  }
  throw new Error(`subject ${subjectId} kept changing while it was anonymized: retry the erasure`);
}

/**
 * Ends a subject's running lifecycle, cleanly: an open request is cancelled, one waiting for its
 * survey is closed, a feedback case not closed is closed; each workflow is woken to end.
 * Breaches already recorded stay (the statement stays true); none is recorded afterwards.
 */
async function endLifecycle(
  tenant: StoredTenant,
  subjectId: string,
  main: SubjectItem,
  why: string,
  at: Date,
) {
  const event = { at: at.toISOString(), actor: 'system', details: { reason: why } };
  if (subjectId.startsWith('sr_')) {
    const request = withoutKeys(main) as unknown as StoredRequest;
    if ((openRequestStatuses as readonly string[]).includes(request.status)) {
      await cancelServiceRequest(request, { reason: why, actor: 'system', at }, { quietly: true });
      return true;
    }
    if (request.status === 'completed') {
      const closed = await transitionRequest(request, {
        from: ['completed'],
        to: 'closed',
        fields: { closedAt: at.toISOString() },
        event: { ...event, type: 'closed' },
      });
      if (closed) await wakeRequest(closed);
      return closed !== undefined;
    }
    return false;
  }
  if (subjectId.startsWith('fb_') && main.status !== 'closed') {
    const closed = await recordFeedbackStep(tenant.tenantId, subjectId, {
      requireStatus: ['open', 'resolved'],
      fields: { status: 'closed', closedAt: at.toISOString() },
      event: { ...event, type: 'closed' },
    });
    if (closed) await wakeFeedback(closed);
    return closed !== undefined;
  }
  return false;
}

export interface ErasureOutcome {
  /** The requests, feedback cases and periodic surveys anonymized. */
  subjects: string[];
  /** Of those, the ones whose lifecycle was still running and was ended. */
  lifecyclesEnded: string[];
}

/**
 * Erases a customer: every request, feedback case and periodic survey that names them keeps its
 * facts and times but loses the person (their details, their own words, any mention of their
 * name, email or phone); their running lifecycles end; their campaign schedules, suppressions and
 * partition are deleted. Idempotent: a retry finds only what is left; a second erasure finds nothing.
 * `subjects`: what the caller has just read with subjectsOf, not read again.
 */
export async function eraseCustomer(
  tenant: StoredTenant,
  who: { email?: string; names?: string[]; phones?: string[] },
  by: PrivacyActor & { reason: string },
  at: Date,
  subjects?: CustomerSubject[],
): Promise<ErasureOutcome> {
  const { tenantId } = tenant;
  subjects ??= who.email ? await subjectsOf(tenantId, who.email) : [];
  const identifiers = identifiersOf(
    subjects.map((s) => s.main.customer ?? {}),
    { emails: who.email ? [who.email] : [], names: who.names, phones: who.phones },
  );
  const reference = randomBytes(6).toString('hex');
  const lifecyclesEnded: string[] = [];
  for (const { subjectId, main } of subjects) {
    if (await endLifecycle(tenant, subjectId, main, by.reason, at)) lifecyclesEnded.push(subjectId);
    await anonymizeSubject(tenantId, subjectId, identifiers, reference, at);
  }
  await deleteSuppressions(tenantId, identifiers.emails);
  await forgetHeldMailFrom(tenantId, identifiers.emails);
  for (const email of identifiers.emails) await eraseDataRequestsOf(tenantId, email, at);
  const erased = subjects.map((s) => s.subjectId);
  // Subjects found by a storefront order may name an address the customer had before.
  for (const email of identifiers.emails)
    if (email.toLowerCase() !== who.email?.toLowerCase())
      await forgetCustomerSubjects(tenantId, email, erased);
  if (who.email) await deleteCustomerRecords(tenantId, who.email);
  await recordAccess(tenantId, {
    actor: by.actor,
    role: by.role,
    operation: 'eraseCustomer',
    subjects: erased,
  });
  return { subjects: erased, lifecyclesEnded };
}
