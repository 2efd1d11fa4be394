import { requestKinds } from '#domain/service-request.ts';
import { requiredSkill } from '#domain/skills.ts';
import { now } from '../adapters/clock.ts';
import { dataRequestHandedOver, dataRequestsPage, getDataRequest } from '../adapters/customer-data.ts';
import { dataRequestSummaryView } from '../http/people-views.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { shown } from '../http/show.ts';
import { actorOf, tenantOf } from '../shared/caller.ts';
import { eraseCustomer, exportCustomerData, exportOfDataRequest } from '../shared/customer-data.ts';
import { NotFoundError } from '../shared/errors.ts';
import { type Caller, type HttpResult, json } from '../shared/http.ts';
import { peopleApiRoutes } from './routes.ts';
import { disableStaff, enableStaff, inviteStaff, reinviteStaff } from './staff.ts';

/**
 * The people a tenant deals with: its staff's sign-ins (#15) and its customers' personal data
 * (clause 12: export, erasure, storefronts' data requests). Apart from the tenant API: what it
 * needs (the mailer, the erasure) would take that function past its size budget.
 */
type Context<Id extends OperationId<typeof peopleApiRoutes>> = ContextOf<typeof peopleApiRoutes, Id>;

// --- Staff (#15) -------------------------------------------------------------------------------

async function getMe({ caller }: Context<'getMe'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const me = caller.staffId ? tenant.staff.find((s) => s.staffId === caller.staffId) : undefined;
  return json(200, {
    tenantId: tenant.tenantId,
    tenantName: tenant.name,
    timeZone: tenant.timeZone,
    role: caller.role,
    staffId: caller.staffId,
    name: me?.name,
    language: me?.language ?? tenant.language,
    colleagues: tenant.staff.map((s) => ({
      staffId: s.staffId,
      name: s.name,
      roles: s.roles,
      skills: s.skills,
      disabled: s.disabledAt !== undefined,
    })),
    requiredSkills: Object.fromEntries(
      requestKinds.map((kind) => [kind, requiredSkill(kind, tenant.requiredSkills)]),
    ),
  });
}

// --- Customers' personal data (12) -------------------------------------------------------------

const privacyActor = (caller: Caller) => ({ actor: actorOf(caller), role: caller.role });

async function exportCustomer({ body, caller }: Context<'exportCustomerData'>): Promise<HttpResult> {
  const data = await exportCustomerData(await tenantOf(caller), body.email, privacyActor(caller), now());
  return json(200, data);
}

async function eraseCustomerData({ body, caller }: Context<'eraseCustomerData'>): Promise<HttpResult> {
  const outcome = await eraseCustomer(
    await tenantOf(caller),
    { email: body.email },
    { ...privacyActor(caller), reason: body.reason },
    now(),
  );
  return json(200, outcome);
}

async function listDataRequests({ caller, query }: Context<'listDataRequests'>): Promise<HttpResult> {
  const page = await dataRequestsPage(caller.tenantId, { limit: query.limit, cursor: query.cursor });
  return json(200, {
    items: page.items.map((r) => shown(dataRequestSummaryView, r)),
    nextCursor: page.nextCursor,
  });
}

async function getOneDataRequest({ caller, params }: Context<'getDataRequest'>): Promise<HttpResult> {
  const request = await getDataRequest(caller.tenantId, params.dataRequestId!);
  if (!request) throw new NotFoundError(`data request ${params.dataRequestId}`);
  const at = now();
  const data = await exportOfDataRequest(await tenantOf(caller), request, privacyActor(caller), at);
  await dataRequestHandedOver(caller.tenantId, request, at);
  return json(200, { ...shown(dataRequestSummaryView, request), export: data });
}

export const handler = serveRoutes('peopleApi', peopleApiRoutes, {
  getMe,
  inviteStaff,
  reinviteStaff,
  disableStaff,
  enableStaff,
  exportCustomerData: exportCustomer,
  eraseCustomerData,
  listDataRequests,
  getDataRequest: getOneDataRequest,
});
