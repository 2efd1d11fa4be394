import type { Context } from 'aws-lambda';
import { type ContractVersion, versionInForce } from '../../domain/contract.ts';
import { serviceFlow } from '../../domain/service-flow.ts';
import { kindName, type Language } from '../../domain/service-request.ts';
import { workflowCatalog } from '../../workflows/catalog.ts';
import { workflowDot } from '../../workflows/flow-chart.ts';
import { now } from '../adapters/clock.ts';
import { config } from '../adapters/config.ts';
import { contractVersions } from '../adapters/contracts.ts';
import { getRequest } from '../adapters/requests.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { escapeHtml, formatInstant } from '../emails/layout.ts';
import { type Input, notRouted, type RouteContext, serveRoutes } from '../http/router.ts';
import type { attachmentQuery, documentLanguageQuery } from '../shared/api-schemas.ts';
import { tenantOf } from '../shared/caller.ts';
import { NotFoundError } from '../shared/errors.ts';
import { type HttpEvent, type HttpResult, html, json } from '../shared/http.ts';
import { printableSurveyForm } from '../survey-page/page.ts';
import { openApiDocument } from './document.ts';
import { accessibleSvg, renderDot, serviceFlowDot } from './flow-chart-svg.ts';
import { type DocumentHeader, printablePage } from './printable.ts';

/**
 * Documents made from the live configuration: the OpenAPI document (from the route table), the
 * contract's attachments (11.2) as printable pages (the service flow chart, drawn with the
 * contract version's figures; the satisfaction survey form), a request's service record, and
 * the technical diagrams of the deployed state machines for operators.
 */
let document: ReturnType<typeof openApiDocument> | undefined;

/** The contract version asked for (in force, else the latest, without a version): 404 if none. */
async function contractVersionOf(
  tenant: StoredTenant,
  query: { contractId?: string; version?: string },
): Promise<ContractVersion | undefined> {
  if (!query.contractId) return undefined;
  const versions = await contractVersions(tenant.tenantId, query.contractId);
  const chosen = query.version
    ? versions.find((v) => v.version === Number(query.version))
    : (versionInForce(versions, now()) ?? versions.at(-1));
  if (!chosen)
    throw new NotFoundError(
      `contract ${query.contractId}${query.version ? ` version ${query.version}` : ''}`,
    );
  return chosen;
}

/** Whose document it is: the contract's provider and number, or the merchant on default terms. */
const headerOf = (tenant: StoredTenant, contract: ContractVersion | undefined): DocumentHeader =>
  contract
    ? {
        merchant: contract.terms.provider.companyName,
        contract: { number: contract.terms.contractNumber, version: contract.version },
      }
    : { merchant: tenant.name };

type AttachmentContext = RouteContext<undefined, Input<typeof attachmentQuery>>;

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
  return { tenant, contract, language, flow, svg: await renderDot(serviceFlowDot(flow)) };
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

async function surveyForm({ caller, query }: AttachmentContext): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const contract = await contractVersionOf(tenant, query);
  const language: Language = query.lang ?? 'zh-CN';
  const form = printableSurveyForm(language);
  return html(
    200,
    printablePage({
      language,
      title: form.title,
      header: headerOf(tenant, contract),
      translationNote:
        language === 'en'
          ? 'English translation. The Chinese text is the official version (clause 14.2).'
          : undefined,
      body: form.body,
    }),
  );
}

/** 6.1.4: the service record of a request, as handed to the customer, for print and signature. */
async function serviceRecord({
  caller,
  params,
  query,
}: RouteContext<undefined, Input<typeof documentLanguageQuery>>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const request = await getRequest(tenant.tenantId, params.requestId!);
  const record = request?.serviceRecord;
  if (!request || !record) throw new NotFoundError(`service record of request ${params.requestId}`);
  const contract =
    request.terms.contractId === 'default'
      ? undefined
      : (await contractVersions(tenant.tenantId, request.terms.contractId)).find(
          (v) => v.version === request.terms.contractVersion,
        );
  const language: Language = query.lang ?? 'zh-CN';
  const zh = language === 'zh-CN';
  const at = (iso: string) => formatInstant(new Date(iso), tenant.timeZone, language);
  const rows: [string, string][] = [
    [zh ? '记录编号' : 'Record number', record.recordNumber],
    [zh ? '服务请求' : 'Service request', request.requestId],
    [zh ? '服务类型' : 'Service', kindName(language, request.kind)],
    [
      zh ? '客户' : 'Customer',
      request.customer ? `${request.customer.name} <${request.customer.email}>` : '—',
    ],
    [zh ? '订单' : 'Order', request.orderReference ?? '—'],
    [zh ? '商品' : 'Goods', request.productReference ?? '—'],
    [zh ? '客户描述' : "Customer's words", request.description],
    [zh ? '服务内容' : 'Work done', record.workDone],
    [zh ? '开始' : 'Started', at(record.startedAt)],
    [zh ? '结束' : 'Ended', at(record.endedAt)],
    [zh ? '服务人员' : 'Staff', record.staff.map((s) => s.name).join(zh ? '、' : ', ')],
    [
      zh ? '恢复正常使用' : 'Restored to normal use',
      record.restoredToNormalUse ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
    ],
    [zh ? '出具时间' : 'Issued', at(record.issuedAt)],
  ];
  const table = `<table>${rows.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`;
  const signatures = zh
    ? '<div class="signatures"><p>服务人员签字</p><p>客户签字</p></div>'
    : '<div class="signatures"><p>Signed for the provider</p><p>Signed by the customer</p></div>';
  return html(
    200,
    printablePage({
      language,
      title: zh ? '服务记录' : 'Service record',
      header: headerOf(tenant, contract),
      translationNote: zh
        ? undefined
        : 'English translation. The Chinese text is the official version (clause 14.2).',
      body: `<section>${table}</section>${signatures}`,
    }),
  );
}

/** For operators: each deployed state machine drawn from its definition (not its source). */
async function workflowDiagrams({ caller }: RouteContext): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const sections = await Promise.all(
    Object.entries(workflowCatalog).map(async ([key, workflow]) => {
      const title = workflow.definition.Comment ?? workflow.stateMachineName;
      const svg = await renderDot(workflowDot(workflow.definition));
      return `<section><h2>${escapeHtml(workflow.stateMachineName)}</h2><p>${escapeHtml(title)}</p><figure>${accessibleSvg(svg, title, `workflow-${key}`)}</figure></section>`;
    }),
  );
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

const served = serveRoutes('documents', {
  getOpenApiDocument: async () => {
    document ??= openApiDocument(config().PUBLIC_BASE_URL);
    return json(200, document);
  },
  getSurveyForm: surveyForm,
  getServiceFlowChart: serviceFlowChart,
  getServiceFlowChartSvg: async (context: AttachmentContext) => ({
    statusCode: 200,
    headers: { 'content-type': 'image/svg+xml; charset=utf-8' },
    body: (await drawnFlow(context)).svg,
  }),
  getServiceRecordDocument: serviceRecord,
  getWorkflowDiagrams: workflowDiagrams,
});

/** Also API Gateway's `$default` route: a path it does not know (404), or a method it does not serve (405). */
export const handler = (event: HttpEvent, context: Context) =>
  event.routeKey === '$default' ? notRouted(event, context) : served(event, context);
