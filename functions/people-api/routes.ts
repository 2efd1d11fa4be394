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

/** The routes peopleApi serves (functions/http/route-spec.ts). */
export const peopleApiRoutes: readonly RouteSpec[] = [
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
  ...(['invitation', 'disable', 'enable'] as const).map(
    (action): RouteSpec => ({
      operationId: { invitation: 'reinviteStaff', disable: 'disableStaff', enable: 'enableStaff' }[action],
      method: 'POST',
      path: `/v1/staff/{staffId}/${action}`,
      function: 'peopleApi',
      auth: 'apiKey',
      roles: admins,
      params: { staffId },
    }),
  ),
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
];
