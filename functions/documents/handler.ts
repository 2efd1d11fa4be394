import type { Context as LambdaContext } from 'aws-lambda';
import { kindName, type Language } from '#domain/service-request.ts';
import { config } from '../adapters/config.ts';
import { contractVersions } from '../adapters/contracts.ts';
import { getRequest } from '../adapters/requests.ts';
import { escapeHtml, formatInstant } from '../emails/layout.ts';
import { notRouted } from '../http/not-routed.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { tenantOf } from '../shared/caller.ts';
import { NotFoundError } from '../shared/errors.ts';
import { type HttpEvent, type HttpResult, html, json } from '../shared/http.ts';
import { printableSurveyForm } from '../survey-page/page.ts';
import { type AttachmentContext, contractVersionOf, headerOf } from './attachments.ts';
import { servedOpenApiDocument } from './openapi.generated.ts';
import { printablePage } from './printable.ts';
import { documentsRoutes } from './routes.ts';

type Context<Id extends OperationId<typeof documentsRoutes>> = ContextOf<typeof documentsRoutes, Id>;

/**
 * Documents made from the live configuration: the OpenAPI document (from the route table), the
 * satisfaction survey form (attachment 11.2) and a request's service record as printable pages.
 * The charts are served by functions/flow-charts.
 */
let document: Record<string, unknown> | undefined;

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
}: Context<'getServiceRecordDocument'>): Promise<HttpResult> {
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

const served = serveRoutes('documents', documentsRoutes, {
  getOpenApiDocument: async () => {
    document ??= servedOpenApiDocument(config().PUBLIC_BASE_URL);
    return json(200, document);
  },
  getSurveyForm: surveyForm,
  getServiceRecordDocument: serviceRecord,
});

/** Also API Gateway's `$default` route: a path it does not know (404), or a method it does not serve (405). */
export const handler = (event: HttpEvent, context: LambdaContext) =>
  event.routeKey === '$default' ? notRouted(event, context) : served(event, context);
