import type { Context as LambdaContext } from 'aws-lambda';
import { serviceFlow } from '#domain/service-flow.ts';
import type { Language } from '#domain/service-request.ts';
import { workflowCatalog } from '#workflows/catalog.ts';
import { workflowDiagram } from '#workflows/diagrams.generated.ts';
import { type AttachmentContext, contractVersionOf, headerOf } from '../documents/attachments.ts';
import { printablePage } from '../documents/printable.ts';
import { escapeHtml } from '../emails/layout.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { tenantOf } from '../shared/caller.ts';
import { type HttpEvent, type HttpResult, html } from '../shared/http.ts';
import { flowChartsRoutes } from './routes.ts';
import { accessibleSvg, serviceFlowSvg } from './service-flow-svg.ts';

type Context<Id extends OperationId<typeof flowChartsRoutes>> = ContextOf<typeof flowChartsRoutes, Id>;

/**
 * The charts: the contract's service flow chart (attachment 11.2, with the contract version's
 * figures, laid out by ./service-flow-svg.ts) and, for operators, the deployed state machines
 * (drawn by Graphviz when we build: workflows/diagrams.generated.ts).
 */

/** The chart of the contract version asked for, in the language asked for (Chinese by default). */
async function drawnFlow({ caller, query }: AttachmentContext) {
  const tenant = await tenantOf(caller);
  const contract = await contractVersionOf(tenant, query);
  const language: Language = query.lang ?? 'zh-CN';
  const flow = serviceFlow({
    sla: contract?.terms.sla ?? tenant.defaultTerms,
    ladder: tenant.escalationLadder,
    language,
  });
  return { tenant, contract, language, flow, svg: serviceFlowSvg(flow) };
}

async function serviceFlowChart(context: AttachmentContext): Promise<HttpResult> {
  const { tenant, contract, language, flow, svg } = await drawnFlow(context);
  const zh = language === 'zh-CN';
  const steps = flow.boxes
    .map(
      (box) =>
        `<li><strong>${escapeHtml(box.heading)}</strong>${box.lines.map((line) => `<br>${escapeHtml(line)}`).join('')} <small>〔${escapeHtml(box.clause)}〕</small></li>`,
    )
    .join('');
  return html(
    200,
    printablePage({
      language,
      title: flow.title,
      header: headerOf(tenant, contract),
      translationNote: flow.translationNote,
      body: `<figure>${accessibleSvg(svg, flow.title, 'service-flow')}</figure><section><h2>${zh ? '流程说明' : 'The steps'}</h2><ol>${steps}</ol></section>`,
    }),
  );
}

/** For operators: each deployed state machine drawn from its definition (not its source). */
async function deployedWorkflows({ caller }: Context<'getWorkflowDiagrams'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const sections = (Object.keys(workflowCatalog) as (keyof typeof workflowCatalog)[]).map((key) => {
    const workflow = workflowCatalog[key];
    const title = workflow.definition.Comment ?? workflow.stateMachineName;
    const svg = workflowDiagram(key);
    return `<section><h2>${escapeHtml(workflow.stateMachineName)}</h2><p>${escapeHtml(title)}</p><figure>${accessibleSvg(svg, title, `workflow-${key}`)}</figure></section>`;
  });
  return html(
    200,
    printablePage({
      language: 'en',
      title: 'Deployed state machines',
      header: { merchant: tenant.name, note: 'For operators: not a contract document' },
      body: sections.join(''),
    }),
  );
}

const served = serveRoutes('flowCharts', flowChartsRoutes, {
  getServiceFlowChart: serviceFlowChart,
  getServiceFlowChartSvg: async (context: AttachmentContext) => ({
    statusCode: 200,
    headers: { 'content-type': 'image/svg+xml; charset=utf-8' },
    body: (await drawnFlow(context)).svg,
  }),
  getWorkflowDiagrams: deployedWorkflows,
});

export const handler = (event: HttpEvent, context: LambdaContext) => served(event, context);
