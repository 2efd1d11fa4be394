import type { DemoOrder, DemoShop } from './shopify.ts';

/** The demo tenant's Shopify shop (local/shopify.ts serves it; the demo tenant is connected to it). */
export const DEMO_SHOP_DOMAIN = 'demo-shop.myshopify.com';

/**
 * The order the published `returns/request` sample names (gid://shopify/Order/123, see
 * local/samples/storefronts/shopify.ts), so that sample, signed with the demo secret, becomes a
 * request with this customer and these items. Delivered in March 2026: in warranty until March 2027.
 */
const sampleOrder: DemoOrder = {
  id: 'gid://shopify/Order/123',
  name: '#1001',
  createdAt: '2026-03-01T02:14:00Z',
  email: 'wang.fang@customer.example',
  phone: '+8613800138000',
  customerLocale: 'zh-CN',
  customer: {
    id: 'gid://shopify/Customer/123',
    firstName: '芳',
    lastName: '王',
    email: 'wang.fang@customer.example',
    phone: '+8613800138000',
    locale: 'zh-CN',
  },
  lineItems: [
    {
      id: 'gid://shopify/LineItem/123',
      fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/123',
      title: '智能音箱 S1',
      variantTitle: '曜石黑',
      sku: 'SPK-S1-BLK',
      quantity: 1,
    },
  ],
  fulfillment: {
    id: 'gid://shopify/Fulfillment/123',
    createdAt: '2026-03-02T06:30:00Z',
    deliveredAt: '2026-03-04T03:10:00Z',
  },
  returns: [
    {
      id: 'gid://shopify/Return/123',
      name: '#1001-R1',
      status: 'REQUESTED',
      lineItems: [
        {
          id: 'gid://shopify/ReturnLineItem/123',
          lineItemId: 'gid://shopify/LineItem/123',
          quantity: 1,
          returnReason: 'WRONG_ITEM',
          returnReasonNote: '',
          customerNote: '收到的是白色，订的是黑色',
        },
      ],
    },
  ],
};

export function demoShop(accessToken: string): DemoShop {
  return { domain: DEMO_SHOP_DOMAIN, accessToken, orders: [structuredClone(sampleOrder)] };
}

/**
 * Another order shaped like the sample, numbered `n` (its return, line item and fulfillment all
 * carry `n`): what `anotherReturn(n)` of the fixtures names. For tests and demos.
 */
export function orderLikeTheSample(
  n: number,
  customer: { firstName: string; lastName: string; email: string; locale: string },
): DemoOrder {
  const order = structuredClone(sampleOrder);
  order.id = `gid://shopify/Order/${n}`;
  order.name = `#${1000 + n}`;
  order.email = customer.email;
  order.customerLocale = customer.locale;
  order.customer = { id: `gid://shopify/Customer/${n}`, ...customer, phone: null };
  order.lineItems[0]!.id = `gid://shopify/LineItem/${n}`;
  order.lineItems[0]!.fulfillmentLineItemId = `gid://shopify/FulfillmentLineItem/${n}`;
  order.fulfillment.id = `gid://shopify/Fulfillment/${n}`;
  order.returns = [
    {
      ...order.returns[0]!,
      id: `gid://shopify/Return/${n}`,
      name: `#${1000 + n}-R1`,
      lineItems: [
        {
          ...order.returns[0]!.lineItems[0]!,
          id: `gid://shopify/ReturnLineItem/${n}`,
          lineItemId: `gid://shopify/LineItem/${n}`,
        },
      ],
    },
  ];
  return order;
}
