import { acceptHeldMailSchema, noteSchema, replySchema } from '#domain/conversation.ts';
import * as z from '#domain/zod.ts';
import { anyStaff, feedbackId, type RouteSpec, requestId } from '../http/route-spec.ts';
import { idempotencyHeaders } from '../shared/api-schemas.ts';

/** Held mail's id: its email's digest (functions/adapters/conversations.ts `inboundMessageId`). */
const heldId = z.string().check(z.regex(/^msg_in[0-9a-f]{20}$/));

/** The conversation of one kind of subject (#36): read it, add a note, reply to the customer. */
const conversationRoutes = <
  const Kind extends 'Request' | 'Feedback',
  const Param extends 'requestId' | 'feedbackId',
>(
  kind: Kind,
  base: string,
  param: Param,
) => {
  const params = { [param]: param === 'requestId' ? requestId : feedbackId } as Record<
    Param,
    typeof requestId
  >;
  const route = { function: 'conversationsApi', auth: 'apiKey', roles: anyStaff, params } as const;
  return [
    {
      ...route,
      operationId: `get${kind}Conversation`,
      personalData: true,
      method: 'GET',
      path: `${base}/{${param}}/conversation`,
    },
    {
      ...route,
      operationId: `add${kind}Note`,
      method: 'POST',
      path: `${base}/{${param}}/notes`,
      body: noteSchema,
      headers: idempotencyHeaders,
      idempotent: true,
    },
    {
      ...route,
      operationId: `replyOn${kind}`,
      personalData: true,
      method: 'POST',
      path: `${base}/{${param}}/replies`,
      body: replySchema,
      headers: idempotencyHeaders,
      idempotent: true,
    },
  ] as const;
};

/** The routes conversationsApi serves (functions/http/route-spec.ts). */
export const conversationsApiRoutes = [
  ...conversationRoutes('Request', '/v1/requests', 'requestId'),
  ...conversationRoutes('Feedback', '/v1/feedback', 'feedbackId'),
  {
    operationId: 'listHeldMail',
    personalData: true,
    method: 'GET',
    path: '/v1/held-mail',
    function: 'conversationsApi',
    auth: 'apiKey',
    roles: anyStaff,
  },
  {
    operationId: 'acceptHeldMail',
    personalData: true,
    method: 'POST',
    path: '/v1/held-mail/{heldId}/accept',
    function: 'conversationsApi',
    auth: 'apiKey',
    roles: anyStaff,
    params: { heldId },
    body: acceptHeldMailSchema,
  },
  {
    operationId: 'dismissHeldMail',
    method: 'POST',
    path: '/v1/held-mail/{heldId}/dismiss',
    function: 'conversationsApi',
    auth: 'apiKey',
    roles: anyStaff,
    params: { heldId },
  },
] as const satisfies readonly RouteSpec[];
