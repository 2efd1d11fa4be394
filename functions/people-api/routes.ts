import * as z from '#domain/zod.ts';
import { admins, anyStaff, managers, type RouteSpec } from '../http/route-spec.ts';
import {
  customerDataSchema,
  erasureSchema,
  idempotencyHeaders,
  noQuery,
  pageQuery,
  staffInvitationSchema,
} from '../shared/api-schemas.ts';

const staffId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/));
const dataRequestId = z.string().check(z.regex(/^[a-z]+-[0-9A-Za-z_-]{1,80}$/));

/** An admin's action on a staff member's sign-in. */
const staffRoute = <const Id extends string>(operationId: Id, action: string) =>
  ({
    operationId,
    method: 'POST',
    path: `/v1/staff/{staffId}/${action}`,
    function: 'peopleApi',
    auth: 'apiKey',
    roles: admins,
    params: { staffId },
  }) as const;

/** The routes peopleApi serves (functions/http/route-spec.ts). */
export const peopleApiRoutes = [
  {
    operationId: 'getMe',
    method: 'GET',
    path: '/v1/me',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: anyStaff,
    query: noQuery,
  },
  {
    operationId: 'inviteStaff',
    method: 'POST',
    path: '/v1/staff',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: admins,
    body: staffInvitationSchema,
    headers: idempotencyHeaders,
    idempotent: true,
  },
  staffRoute('reinviteStaff', 'invitation'),
  staffRoute('disableStaff', 'disable'),
  staffRoute('enableStaff', 'enable'),
  {
    operationId: 'exportCustomerData',
    method: 'POST',
    path: '/v1/customer-data/export',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: managers,
    body: customerDataSchema,
  },
  {
    operationId: 'eraseCustomerData',
    method: 'POST',
    path: '/v1/customer-data/erase',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: admins,
    body: erasureSchema,
  },
  {
    operationId: 'listDataRequests',
    method: 'GET',
    path: '/v1/customer-data/requests',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: managers,
    query: pageQuery,
  },
  {
    operationId: 'getDataRequest',
    method: 'GET',
    path: '/v1/customer-data/requests/{dataRequestId}',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: managers,
    params: { dataRequestId },
  },
] as const satisfies readonly RouteSpec[];
