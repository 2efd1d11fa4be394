import { type RouteSpec, token } from '../http/route-spec.ts';

/** The routes actionLinks serves (functions/http/route-spec.ts). */
export const actionLinksRoutes = [
  {
    operationId: 'showAction',
    method: 'GET',
    path: '/a/{token}',
    function: 'actionLinks',
    auth: 'signedLink',
    params: { token },
  },
  {
    operationId: 'doAction',
    method: 'POST',
    path: '/a/{token}',
    function: 'actionLinks',
    auth: 'signedLink',
    params: { token },
  },
] as const satisfies readonly RouteSpec[];
