import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { buildSchema, GraphQLError, graphql } from 'graphql';
import * as z from 'zod';
import { listenOnLoopback } from './activity.ts';

/**
 * A local stand-in for the Shopify Admin GraphQL API: only the part of the schema our adapter
 * queries (functions/adapters/shopify-admin.ts), with the types, nullability and enums of
 * Shopify's reference (shopify.dev/docs/api/admin-graphql, objects Return, ReturnLineItem,
 * Order, Customer, Fulfillment), executed by graphql-js. A query for a field Shopify has but
 * we did not model fails validation here, as a misspelt one does on Shopify.
 *
 * `POST /shops/<shop domain>/admin/api/<version>/graphql.json` with `X-Shopify-Access-Token`,
 * answered as Shopify answers: 401 with its `[API] Invalid API key…` body for a wrong token, 404
 * for an unknown shop, `{ data, errors }` otherwise (a return that does not exist is `null`).
 * Throttling and outages come from the fault proxy in front of it (local/faults.ts).
 */
const schema = buildSchema(/* GraphQL */ `
  scalar DateTime

  type Query {
    return(id: ID!): Return
    order(id: ID!): Order
  }

  enum ReturnStatus {
    CANCELED
    CLOSED
    DECLINED
    OPEN
    REQUESTED
  }

  enum ReturnReason {
    COLOR
    DEFECTIVE
    NOT_AS_DESCRIBED
    OTHER
    SIZE_TOO_LARGE
    SIZE_TOO_SMALL
    STYLE
    UNKNOWN
    UNWANTED
    WRONG_ITEM
  }

  type Return {
    id: ID!
    name: String!
    status: ReturnStatus!
    order: Order!
    returnLineItems(first: Int, after: String): ReturnLineItemTypeConnection!
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type ReturnLineItemTypeConnection {
    nodes: [ReturnLineItemType!]!
    pageInfo: PageInfo!
  }

  interface ReturnLineItemType {
    id: ID!
    quantity: Int!
    returnReason: ReturnReason! @deprecated(reason: "Use returnReasonDefinition instead.")
    returnReasonDefinition: ReturnReasonDefinition
    returnReasonNote: String!
    customerNote: String
  }

  type ReturnReasonDefinition {
    id: ID!
    handle: String!
    name: String!
  }

  type ReturnLineItem implements ReturnLineItemType {
    id: ID!
    quantity: Int!
    returnReason: ReturnReason! @deprecated(reason: "Use returnReasonDefinition instead.")
    returnReasonDefinition: ReturnReasonDefinition
    returnReasonNote: String!
    customerNote: String
    fulfillmentLineItem: FulfillmentLineItem
  }

  type FulfillmentLineItem {
    id: ID!
    quantity: Int
    lineItem: LineItem!
  }

  type LineItem {
    id: ID!
    name: String!
    title: String!
    sku: String
    quantity: Int!
  }

  type Order {
    id: ID!
    name: String!
    email: String
    phone: String
    customerLocale: String
    createdAt: DateTime!
    customer: Customer
    fulfillments(first: Int): [Fulfillment!]!
  }

  type Customer {
    id: ID!
    firstName: String
    lastName: String
    displayName: String!
    locale: String!
    defaultEmailAddress: CustomerEmailAddress
    defaultPhoneNumber: CustomerPhoneNumber
  }

  type CustomerEmailAddress {
    emailAddress: String
  }

  type CustomerPhoneNumber {
    phoneNumber: String!
  }

  type Fulfillment {
    id: ID!
    createdAt: DateTime!
    deliveredAt: DateTime
    fulfillmentLineItems(first: Int): FulfillmentLineItemConnection!
  }

  type FulfillmentLineItemConnection {
    nodes: [FulfillmentLineItem!]!
  }
`);

/** A line item of an order in the demo data: what the shop sold, once fulfilled. */
const lineItemSchema = z.object({
  id: z.string(),
  fulfillmentLineItemId: z.string(),
  title: z.string(),
  variantTitle: z.string().optional(),
  sku: z.string().nullable(),
  quantity: z.number().int().positive(),
});

/** An order and its returns, in our own compact form (the stand-in answers in Shopify's). */
export const demoOrderSchema = z.object({
  id: z.string().startsWith('gid://shopify/Order/'),
  name: z.string(),
  createdAt: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  customerLocale: z.string().nullable(),
  customer: z
    .object({
      id: z.string(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      locale: z.string(),
    })
    .nullable(),
  lineItems: z.array(lineItemSchema).min(1),
  fulfillment: z.object({ id: z.string(), createdAt: z.string(), deliveredAt: z.string().nullable() }),
  returns: z.array(
    z.object({
      id: z.string().startsWith('gid://shopify/Return/'),
      name: z.string(),
      status: z.enum(['CANCELED', 'CLOSED', 'DECLINED', 'OPEN', 'REQUESTED']),
      lineItems: z.array(
        z.object({
          id: z.string(),
          lineItemId: z.string(),
          quantity: z.number().int().positive(),
          returnReason: z.string(),
          returnReasonNote: z.string(),
          customerNote: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type DemoOrder = z.infer<typeof demoOrderSchema>;

export interface DemoShop {
  domain: string;
  accessToken: string;
  orders: DemoOrder[];
  /**
   * The scopes the app's token was granted (as Shopify enforces them): without `read_returns` a
   * return is ACCESS_DENIED; without `read_all_orders` an order older than 60 days is too.
   */
  scopes?: readonly string[];
  /** Whether the app is approved for protected customer data (names, emails, phones). */
  protectedCustomerData?: boolean;
}

/** What the demo app is granted: every scope the product documents, and protected data. */
export const FULL_SCOPES = ['read_orders', 'read_all_orders', 'read_returns', 'read_customers'] as const;

/**
 * Shopify's answer to a field the token may not read: HTTP 200, the field null, and an error whose
 * `extensions.code` is ACCESS_DENIED, naming what is required (shopify.dev/docs/api/usage/access-scopes).
 */
class AccessDenied extends GraphQLError {
  constructor(field: string, requiredAccess: string) {
    super(`Access denied for ${field} field. Required access: ${requiredAccess}.`, {
      extensions: {
        code: 'ACCESS_DENIED',
        documentation: 'https://shopify.dev/api/usage/access-scopes',
        requiredAccess: `${requiredAccess}.`,
      },
    });
  }
}

/** Orders an app without `read_all_orders` may read: the last 60 days (Shopify's window). */
const ORDER_WINDOW_MS = 60 * 86_400_000;

/** The resolvers: our compact demo data as Shopify's objects. */
function rootFor(shop: DemoShop) {
  const scopes = new Set(shop.scopes ?? FULL_SCOPES);
  const readable = (order: DemoOrder) => {
    if (!scopes.has('read_orders')) throw new AccessDenied('order', '`read_orders` access scope');
    if (!scopes.has('read_all_orders') && Date.now() - Date.parse(order.createdAt) > ORDER_WINDOW_MS)
      throw new AccessDenied('order', '`read_all_orders` access scope, for an order older than 60 days');
  };
  const lineItem = (order: DemoOrder, id: string) => {
    const item = order.lineItems.find((l) => l.id === id)!;
    return {
      id: item.id,
      name: item.variantTitle ? `${item.title} - ${item.variantTitle}` : item.title,
      title: item.title,
      sku: item.sku,
      quantity: item.quantity,
    };
  };
  const fulfillmentLineItem = (order: DemoOrder, lineItemId: string) => {
    const item = order.lineItems.find((l) => l.id === lineItemId)!;
    return { id: item.fulfillmentLineItemId, quantity: item.quantity, lineItem: lineItem(order, item.id) };
  };
  const orderObject = (order: DemoOrder) => ({
    id: order.id,
    name: order.name,
    email: order.email,
    phone: order.phone,
    customerLocale: order.customerLocale,
    createdAt: order.createdAt,
    customer: () => {
      if (shop.protectedCustomerData === false)
        throw new AccessDenied('customer', 'approval for protected customer data (the Customer object)');
      return customerObject(order);
    },
    ...fulfillmentsOf(order),
  });
  const customerObject = (order: DemoOrder) =>
    order.customer && {
      id: order.customer.id,
      firstName: order.customer.firstName,
      lastName: order.customer.lastName,
      displayName:
        [order.customer.firstName, order.customer.lastName].filter(Boolean).join(' ') ||
        order.customer.email ||
        'Customer',
      locale: order.customer.locale,
      defaultEmailAddress: order.customer.email ? { emailAddress: order.customer.email } : null,
      defaultPhoneNumber: order.customer.phone ? { phoneNumber: order.customer.phone } : null,
    };
  const fulfillmentsOf = (order: DemoOrder) => ({
    fulfillments: () => [
      {
        ...order.fulfillment,
        fulfillmentLineItems: () => ({
          nodes: order.lineItems.map((item) => fulfillmentLineItem(order, item.id)),
        }),
      },
    ],
  });
  return {
    order: ({ id }: { id: string }) => {
      const order = shop.orders.find((o) => o.id === id);
      if (order) readable(order);
      return order ? orderObject(order) : null;
    },
    return: ({ id }: { id: string }) => {
      if (!scopes.has('read_returns')) throw new AccessDenied('returns', '`read_returns` access scope');
      for (const order of shop.orders) {
        const found = order.returns.find((r) => r.id === id);
        if (!found) continue;
        return {
          id: found.id,
          name: found.name,
          status: found.status,
          order: () => {
            readable(order);
            return orderObject(order);
          },
          returnLineItems: () => ({
            nodes: found.lineItems.map((item) => ({
              __typename: 'ReturnLineItem',
              id: item.id,
              quantity: item.quantity,
              returnReason: item.returnReason,
              returnReasonDefinition: {
                id: `gid://shopify/ReturnReasonDefinition/${item.returnReason.toLowerCase()}`,
                handle: item.returnReason.toLowerCase().replaceAll('_', '-'),
                name:
                  item.returnReason.charAt(0) + item.returnReason.slice(1).toLowerCase().replaceAll('_', ' '),
              },
              returnReasonNote: item.returnReasonNote,
              customerNote: item.customerNote,
              fulfillmentLineItem: fulfillmentLineItem(order, item.lineItemId),
            })),
            pageInfo: { hasNextPage: false, endCursor: null },
          }),
        };
      }
      return null;
    },
  };
}

const send = (response: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(text);
};

export interface LocalShopify {
  endpoint: string;
  /** Adds an order (and its returns) to a shop: how tests and demos set up what a webhook names. */
  addOrder(shopDomain: string, order: DemoOrder): void;
  /** Changes a shop's token, as a merchant revoking and reissuing one does. */
  setAccessToken(shopDomain: string, token: string): void;
  /** What the app's token may read: its scopes, and protected customer data approval. */
  setAccess(
    shopDomain: string,
    access: { scopes?: readonly string[]; protectedCustomerData?: boolean },
  ): void;
  close(): Promise<void>;
}

export async function startShopify(options: { port: number; shops: DemoShop[] }): Promise<LocalShopify> {
  const shops = new Map(options.shops.map((shop) => [shop.domain, shop]));

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const match = /^\/shops\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/.exec(request.url ?? '');
    if (!match || request.method !== 'POST') return send(response, 404, { errors: 'Not Found' });
    const shop = shops.get(match[1]!);
    if (!shop) return send(response, 404, { errors: 'Not Found' });
    if (request.headers['x-shopify-access-token'] !== shop.accessToken)
      return send(response, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return send(response, 400, { errors: { query: 'Required parameter missing or invalid' } });
    }
    if (typeof body.query !== 'string')
      return send(response, 400, { errors: { query: 'Required parameter missing or invalid' } });
    const result = await graphql({
      schema,
      source: body.query,
      rootValue: rootFor(shop),
      variableValues: (body.variables ?? {}) as Record<string, unknown>,
    });
    send(response, 200, result);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { errors: String(error) }));
  });
  const listening = await listenOnLoopback(server, options.port);
  return {
    endpoint: listening.url,
    addOrder(shopDomain, order) {
      const shop = shops.get(shopDomain);
      if (!shop) throw new Error(`no local shop ${shopDomain}`);
      shop.orders = [...shop.orders.filter((o) => o.id !== order.id), demoOrderSchema.parse(order)];
    },
    setAccessToken(shopDomain, token) {
      const shop = shops.get(shopDomain);
      if (!shop) throw new Error(`no local shop ${shopDomain}`);
      shop.accessToken = token;
    },
    setAccess(shopDomain, access) {
      const shop = shops.get(shopDomain);
      if (!shop) throw new Error(`no local shop ${shopDomain}`);
      if (access.scopes) shop.scopes = access.scopes;
      if (access.protectedCustomerData !== undefined)
        shop.protectedCustomerData = access.protectedCustomerData;
    },
    close: () => listening.close(),
  };
}
