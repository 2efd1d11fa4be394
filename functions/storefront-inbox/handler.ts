import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { getTenant } from '../adapters/tenants.ts';
import { alarmedLogMessages } from '../shared/alarmed-logs.ts';
import { DomainError, isTransientAwsError } from '../shared/errors.ts';
import type { HttpResult } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import { deliveryOf, type KeptDelivery, type Storefront } from '../storefronts/delivery.ts';
import { receiveGeneric } from '../storefronts/generic.ts';
import { receiveShopify } from '../storefronts/shopify.ts';
import { verifyDelivery } from '../storefronts/verify.ts';
import { receiveWooCommerce } from '../storefronts/woocommerce.ts';

const receivers = {
  shopify: receiveShopify,
  woocommerce: receiveWooCommerce,
  generic: receiveGeneric,
} satisfies Record<Storefront, unknown>;

/**
 * One kept delivery (functions/webhooks kept it): checked if it was kept unverified, then turned
 * into requests by its storefront's receiver. A failure a retry may cure (DynamoDB, Step
 * Functions or the shop's API busy or down) leaves it in the inbox, tried again after the queue's
 * visibility timeout and dead-lettered (alarmed) after many; one no retry can cure (a body that
 * is no return, a signature that does not match) is logged, alarmed and let go.
 */
async function receiveKept(kept: KeptDelivery): Promise<HttpResult | 'refused'> {
  const tenant = await getTenant(kept.tenantId);
  const delivery = deliveryOf(kept);
  const refuse = (why: string, details: Record<string, unknown> = {}) => {
    logger.error(alarmedLogMessages.storefrontDeliveryRefused.message, {
      tenantId: kept.tenantId,
      storefront: kept.storefront,
      receivedAt: kept.receivedAt,
      why,
      ...details,
    });
    return 'refused' as const;
  };
  if (!tenant) return refuse('no such tenant');
  if (!kept.verified && !(await verifyDelivery(tenant, kept.storefront, delivery)))
    return refuse('its signature does not match the tenant’s secret');
  try {
    return await receivers[kept.storefront](tenant, delivery);
  } catch (error) {
    if (error instanceof DomainError && error.status < 500)
      return refuse(error.message, { code: error.code, fields: error.fields });
    throw error;
  }
}

async function consume(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const outcome = await receiveKept(JSON.parse(record.body) as KeptDelivery);
      logger.info('Storefront delivery received', {
        messageId: record.messageId,
        attempt: record.attributes.ApproximateReceiveCount,
        outcome: outcome === 'refused' ? outcome : outcome.body,
      });
    } catch (error) {
      // Left in the inbox for its next try (after the visibility timeout).
      logger.warn('Storefront delivery not received yet', {
        messageId: record.messageId,
        attempt: record.attributes.ApproximateReceiveCount,
        transient: isTransientAwsError(error),
        error,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

export const handler = middy<SQSEvent, SQSBatchResponse>().use(injectLambdaContext(logger)).handler(consume);
