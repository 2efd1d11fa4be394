import type { Context } from 'aws-lambda';
import { workflowCatalog } from '../../workflows/catalog.ts';
import { flowChart } from '../../workflows/flow-chart.ts';
import { config } from '../adapters/config.ts';
import { escapeHtml } from '../emails/layout.ts';
import { type Input, notRouted, type RouteContext, serveRoutes } from '../http/router.ts';
import type { documentLanguageQuery } from '../shared/api-schemas.ts';
import { type HttpEvent, type HttpResult, html, json } from '../shared/http.ts';
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

const served = serveRoutes('documents', {
  getOpenApiDocument: async () => {
    document ??= openApiDocument(config().PUBLIC_BASE_URL);
    return json(200, document);
  },
  getSurveyForm: async ({ query }: RouteContext<undefined, Input<typeof documentLanguageQuery>>) =>
    html(200, surveyPage(query.lang ?? 'zh-CN', { printable: true })),
  getServiceFlowChart: async () => flowCharts(),
});

/** Also API Gateway's `$default` route: a path it does not know (404), or a method it does not serve (405). */
export const handler = (event: HttpEvent, context: Context) =>
  event.routeKey === '$default' ? notRouted(event, context) : served(event, context);
