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
  const text = new Intl.DateTimeFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone,
    dateStyle: 'long',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(new Date(at));
  return language === 'zh-CN' ? `${text}（${timeZone}）` : `${text} (${timeZone})`;
}

export interface EmailBody {
  subject: string;
  heading: string;
  /** Label/value rows; values are escaped. */
  rows: [label: string, value: string][];
  paragraphs?: string[];
  /** Buttons: links we built ourselves (signed), shown as-is. */
  actions?: { label: string; url: string }[];
  footer: string;
}

/** One layout for every email: an HTML part and a plain-text part with the same content. */
export function renderEmail(to: string[], body: EmailBody): EmailMessage {
  const rows = body.rows
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding:4px 12px 4px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const paragraphs = (body.paragraphs ?? []).map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  const actions = (body.actions ?? [])
    .map(
      (a) =>
        `<a href="${escapeHtml(a.url)}" style="display:inline-block;margin:8px 8px 0 0;padding:8px 16px;background:#1a56db;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(a.label)}</a>`,
    )
    .join('');
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5"><h2>${escapeHtml(body.heading)}</h2>${paragraphs}<table>${rows}</table><p>${actions}</p><p style="color:#666;font-size:12px">${escapeHtml(body.footer)}</p></body></html>`;
  const text = [
    body.heading,
    '',
    ...(body.paragraphs ?? []),
    ...(body.paragraphs?.length ? [''] : []),
    ...body.rows.map(([label, value]) => `${label}: ${value}`),
    ...(body.actions ?? []).flatMap((a) => ['', `${a.label}: ${a.url}`]),
    '',
    body.footer,
  ].join('\n');
  return { to, subject: body.subject, html, text };
}
