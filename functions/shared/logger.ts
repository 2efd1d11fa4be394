import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger: structured JSON with the Lambda context (request id, cold start, function)
 * on every line, from Powertools; the service name comes from POWERTOOLS_SERVICE_NAME.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'aftersales' });
