/**
 * What each kind of request is called, in the contract's words: apart from the schemas (no zod)
 * so the staff console shows the same names without bundling them.
 */
import type { RequestKind } from './service-request.ts';

export const kindNames: Record<'zh-CN' | 'en', Record<RequestKind, string>> = {
  'zh-CN': {
    repair: '维修',
    replacement: '更换',
    return: '退货',
    consultation: '使用咨询',
    technical_support: '技术支持',
    follow_up_visit: '回访',
    complaint: '投诉',
  },
  en: {
    repair: 'Repair',
    replacement: 'Replacement',
    return: 'Return',
    consultation: 'Usage consultation',
    technical_support: 'Technical support',
    follow_up_visit: 'Follow-up visit',
    complaint: 'Complaint',
  },
};

export function kindName(language: 'zh-CN' | 'en', kind: RequestKind): string {
  return kindNames[language][kind];
}
