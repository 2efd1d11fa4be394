import type { Language } from '#domain/service-request.ts';
import { escapeHtml } from '../emails/layout.ts';

/** Fonts that carry Chinese first, so a printed page or chart shows the characters, not boxes. */
export const CJK_FONTS = 'Noto Sans CJK SC, WenQuanYi Micro Hei, PingFang SC, Microsoft YaHei, sans-serif';

/**
 * The one printable layout of the contract's documents (the flow chart, the survey form, the
 * service record): A4, Chinese first (14.2), the merchant's name and the contract number and
 * version in the header, sections that do not break across pages.
 */
export interface DocumentHeader {
  merchant: string;
  /** Absent: the merchant's default terms (no signed contract). */
  contract?: { number: string; version: number };
  /** Instead of the terms: what the document is (one that belongs to no contract). */
  note?: string;
}

const style = `@page{size:A4;margin:16mm 14mm}
*{box-sizing:border-box}
body{font-family:${CJK_FONTS};color:#111;line-height:1.5;max-width:190mm;margin:0 auto;padding:1rem}
header{border-bottom:2px solid #1e3a8a;margin-bottom:1rem;padding-bottom:.5rem;display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
header p{margin:0}.merchant{font-weight:700}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1rem 0 .5rem;break-after:avoid}
section,figure,table,fieldset{break-inside:avoid}
figure{margin:0}figure svg{max-width:100%;height:auto}
.note{border-left:4px solid #92400e;background:#fffbeb;padding:.5rem .75rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #6b7280;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f4f6;width:28%}
fieldset{border:1px solid #6b7280;border-radius:6px;margin:0 0 .75rem;padding:.5rem .75rem}legend{font-weight:600}
.scale{display:flex;flex-wrap:wrap;gap:.25rem}.scale span{display:inline-block;min-width:2rem;text-align:center;border:1px solid #374151;border-radius:4px}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#374151}
.blank{border:1px solid #6b7280;min-height:4.5rem;border-radius:4px}
.signatures{display:grid;grid-template-columns:1fr 1fr;gap:2rem;margin-top:2rem}.signatures p{border-top:1px solid #111;padding-top:.25rem}
@media print{body{padding:0;max-width:none}a{color:inherit;text-decoration:none}}`;

export function printablePage(page: {
  language: Language;
  title: string;
  header: DocumentHeader;
  /** For a translation: that the Chinese text binds. */
  translationNote?: string;
  body: string;
}): string {
  const zh = page.language === 'zh-CN';
  const contract = page.header.contract
    ? zh
      ? `合同编号：${page.header.contract.number}（第 ${page.header.contract.version} 版）`
      : `Contract ${page.header.contract.number}, version ${page.header.contract.version}`
    : (page.header.note ??
      (zh ? '默认服务条款（未签订书面合同时适用）' : 'Default terms (where no contract was signed)'));
  const note = page.translationNote
    ? `<p class="note" lang="en">${escapeHtml(page.translationNote)}</p>`
    : '';
  return `<!doctype html><html lang="${page.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(page.title)} · ${escapeHtml(page.header.merchant)}</title><style>${style}</style></head><body><header><p class="merchant">${escapeHtml(page.header.merchant)}</p><p>${escapeHtml(contract)}</p></header><main><h1>${escapeHtml(page.title)}</h1>${note}${page.body}</main></body></html>`;
}
