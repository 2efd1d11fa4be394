import type { EmailMessage } from '../adapters/mailer.ts';

/** Escapes everything customer- or staff-supplied before it enters HTML. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An instant as people read it: in the tenant's time zone and the reader's language, with the
 * zone named ("2026年3月2日 09:00（Asia/Shanghai）", "2 March 2026 at 09:00 (Asia/Shanghai)").
 */
export function formatInstant(at: string | Date, timeZone: string, language: 'zh-CN' | 'en'): string {
  const text = instantFormatter(timeZone, language).format(new Date(at));
  return language === 'zh-CN' ? `${text}（${timeZone}）` : `${text} (${timeZone})`;
}

/** Made once per zone and language: making one costs far more than formatting with it. */
const instantFormatters = new Map<string, Intl.DateTimeFormat>();
function instantFormatter(timeZone: string, language: 'zh-CN' | 'en'): Intl.DateTimeFormat {
  const key = `${language} ${timeZone}`;
  let formatter = instantFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      timeZone,
      dateStyle: 'long',
      timeStyle: 'short',
      hourCycle: 'h23',
    });
    instantFormatters.set(key, formatter);
  }
  return formatter;
}

export interface EmailBody {
  /** The reader's language: the HTML part declares it. */
  language: 'zh-CN' | 'en';
  subject: string;
  heading: string;
  /** Label/value rows; values are escaped. */
  rows: [label: string, value: string][];
  paragraphs?: string[];
  /** Buttons: links we built ourselves (signed), shown as-is. */
  actions?: { label: string; url: string }[];
  footer?: string;
}

const nonEmpty = (parts: readonly (string | undefined)[]) => parts.filter((p): p is string => Boolean(p));

/**
 * One layout for every email: an HTML part (declaring its language and charset) and a
 * plain-text part with the same content; nothing empty is rendered.
 */
export function renderEmail(to: string[], body: EmailBody): EmailMessage {
  const paragraphs = nonEmpty(body.paragraphs ?? []);
  const rows = body.rows
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding:4px 12px 4px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const actions = (body.actions ?? [])
    .map(
      (a) =>
        `<a href="${escapeHtml(a.url)}" style="display:inline-block;margin:8px 8px 0 0;padding:8px 16px;background:#1a56db;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(a.label)}</a>`,
    )
    .join('');
  const html = [
    `<!doctype html><html lang="${body.language}"><head><meta charset="utf-8"><title>${escapeHtml(body.subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5">',
    `<h2>${escapeHtml(body.heading)}</h2>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    rows ? `<table>${rows}</table>` : '',
    actions ? `<p>${actions}</p>` : '',
    body.footer ? `<p style="color:#666;font-size:12px">${escapeHtml(body.footer)}</p>` : '',
    '</body></html>',
  ].join('');
  const text = [
    body.heading,
    ...(paragraphs.length > 0 ? ['', ...paragraphs] : []),
    ...(body.rows.length > 0 ? ['', ...body.rows.map(([label, value]) => `${label}: ${value}`)] : []),
    ...(body.actions ?? []).flatMap((a) => ['', `${a.label}: ${a.url}`]),
    ...(body.footer ? ['', body.footer] : []),
  ].join('\n');
  return { to, subject: body.subject, html, text };
}

/** Who a customer email speaks for, and in which language. */
export interface CustomerVoice {
  language: 'zh-CN' | 'en';
  /** The merchant (the tenant's name): customers hear from them, not from a system. */
  merchant: string;
}

/** Every customer email is signed by the merchant who owes the service (the contract's provider). */
export function customerFooter(language: 'zh-CN' | 'en', merchant: string): string {
  return language === 'zh-CN'
    ? `此邮件由 ${merchant} 售后服务发送。`
    : `Sent by the after-sales service of ${merchant}.`;
}
