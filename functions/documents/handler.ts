import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { languageSchema } from '../../domain/service-request.ts';
import { workflowCatalog } from '../../workflows/catalog.ts';
import { flowChart } from '../../workflows/flow-chart.ts';
import { config } from '../adapters/config.ts';
import { escapeHtml } from '../emails/layout.ts';
import { NotFoundError } from '../shared/errors.ts';
import { type HttpEvent, type HttpResult, html, httpErrors, json } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import { surveyPage } from '../survey-page/page.ts';
import { openApiDocument } from './document.ts';

/**
 * Documents made from the live configuration: the OpenAPI document (from the zod schemas),
 * and the contract's attachments (11.2): the satisfaction survey form (from the form
 * definition) and the service flow chart (from the workflow definitions CDK deploys).
 */
let document: ReturnType<typeof openApiDocument> | undefined;

function flowCharts(): HttpResult {
  const sections = Object.values(workflowCatalog)
    .map(
      (w) =>
        `<h2>${escapeHtml(w.definition.Comment ?? w.stateMachineName)}</h2><pre class="mermaid">${escapeHtml(flowChart(w.definition))}</pre>`,
    )
    .join('');
  return html(
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Service flow chart</title></head><body><h1>Service flow chart (attachment, clause 11.2)</h1>${sections}</body></html>`,
  );
}

async function serve(event: HttpEvent): Promise<HttpResult> {
  switch (event.routeKey) {
    case 'GET /v1/openapi.json':
      document ??= openApiDocument(config().PUBLIC_BASE_URL);
      return json(200, document);
    case 'GET /v1/attachments/survey-form': {
      const language = languageSchema.catch('zh-CN').parse(event.queryStringParameters?.lang);
      return html(200, surveyPage(language, { printable: true }));
    }
    case 'GET /v1/attachments/service-flow-chart':
      return flowCharts();
    default:
      throw new NotFoundError(`route ${event.routeKey}`);
  }
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .handler(serve);
