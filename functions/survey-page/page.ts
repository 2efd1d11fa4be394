import type { Language } from '#domain/service-request.ts';
import { surveyForm } from '#domain/survey.ts';
import { escapeHtml } from '../emails/layout.ts';

/**
 * The survey page and its printable version, both from the one form definition
 * (domain/survey.ts). Plain HTML that works without JavaScript, on a phone, with a screen
 * reader: every control has a label, scales are fieldsets with legends, errors are announced.
 */
const text = {
  'zh-CN': {
    submit: '提交',
    required: '必填',
    thanks: '感谢您的评价！',
    thanksBody: '我们已收到您的反馈；需要处理的意见会在 5 个工作日内处理并告知您结果。',
    invalid: '链接无效',
    invalidBody: '此调查链接无效。',
    expired: '调查已结束',
    expiredBody: '此调查链接已过期。',
    answered: '已经提交过了',
    answeredBody: '此调查已经提交过，感谢您的参与。',
    unavailable: '暂时无法提交',
    unavailableBody: '系统暂时繁忙，您的回答可能尚未完整保存。请稍后再提交一次，我们不会重复记录。',
    fix: '请检查以下问题：',
    printHint: '电话访谈时请逐题记录客户的回答。',
  },
  en: {
    submit: 'Submit',
    required: 'required',
    thanks: 'Thank you for your answer!',
    thanksBody:
      'We have your feedback; anything that needs handling is handled within 5 working days and you will hear the result.',
    invalid: 'Link not valid',
    invalidBody: 'This survey link is not valid.',
    expired: 'The survey has closed',
    expiredBody: 'This survey link has expired.',
    answered: 'Already answered',
    answeredBody: 'This survey was already answered. Thank you for taking part.',
    unavailable: 'Please try again',
    unavailableBody:
      'We could not finish saving your answer just now. Please submit it again in a moment: it will not be counted twice.',
    fix: 'Please check:',
    printHint: 'In a phone interview, note the customer’s answer to each question.',
  },
};

const style = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5;color:#111}
fieldset{border:1px solid #ccc;border-radius:8px;margin:0 0 1rem;padding:.75rem}legend{font-weight:600;padding:0 .25rem}
.scale{display:flex;flex-wrap:wrap;gap:.25rem}.scale label{display:inline-flex;align-items:center;justify-content:center;min-width:2.75rem;min-height:2.75rem;border:1px solid #999;border-radius:6px;cursor:pointer}
.scale label{position:relative}.scale input{position:absolute;opacity:0;width:1px;height:1px;pointer-events:none}.scale input:checked+span{font-weight:700}.scale label:has(input:checked){background:#1a56db;color:#fff;border-color:#1a56db}
.scale input:focus-visible+span{outline:3px solid #f59e0b;outline-offset:2px}.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#555}
textarea{width:100%;min-height:5rem;font:inherit;box-sizing:border-box}button{font:inherit;font-size:1.1rem;padding:.6rem 2rem;border:0;border-radius:6px;background:#1a56db;color:#fff}
.error{color:#b91c1c}@media print{button{display:none}.scale label{border-color:#000}}`;

function shell(language: Language, title: string, body: string): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>${body}</main></body></html>`;
}

export function messagePage(
  language: Language,
  kind: 'thanks' | 'invalid' | 'expired' | 'answered' | 'unavailable',
): string {
  const t = text[language];
  const pages: Record<typeof kind, [string, string]> = {
    thanks: [t.thanks, t.thanksBody],
    invalid: [t.invalid, t.invalidBody],
    expired: [t.expired, t.expiredBody],
    answered: [t.answered, t.answeredBody],
    unavailable: [t.unavailable, t.unavailableBody],
  };
  const [title, body] = pages[kind];
  return shell(language, title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>`);
}

/** The questions, pre-filled with `values` and with `errors` (question id → message) after a failed submit. */
function questionsHtml(
  language: Language,
  values: Record<string, string>,
  errors: Record<string, string>,
): string {
  const t = text[language];
  return surveyForm.questions
    .map((q) => {
      const message = errors[q.id];
      const error = message ? `<p class="error" id="e-${q.id}">${escapeHtml(message)}</p>` : '';
      if (q.kind === 'scale') {
        const options_ = Array.from({ length: q.max - q.min + 1 }, (_, i) => q.min + i)
          .map(
            (n) =>
              `<label><input type="radio" name="${q.id}" value="${n}"${values[q.id] === String(n) ? ' checked' : ''}${q.required ? ' required' : ''}><span>${n}</span></label>`,
          )
          .join('');
        return `<fieldset id="q-${q.id}"${error ? ` aria-describedby="e-${q.id}"` : ''}><legend>${escapeHtml(q.label[language])}${q.required ? ` <small>(${escapeHtml(t.required)})</small>` : ''}</legend>${error}<div class="scale">${options_}</div><div class="ends" aria-hidden="true"><span>${q.min} = ${escapeHtml(q.lowLabel[language])}</span><span>${q.max} = ${escapeHtml(q.highLabel[language])}</span></div></fieldset>`;
      }
      return `<p id="q-${q.id}"><label for="f-${q.id}">${escapeHtml(q.label[language])}</label>${error}<textarea id="f-${q.id}" name="${q.id}" maxlength="${q.maxLength}">${escapeHtml(values[q.id] ?? '')}</textarea></p>`;
    })
    .join('');
}

/** The form the customer fills in, pre-filled with `values` and with `errors` after a failed submit. */
export function surveyPage(
  language: Language,
  options: { action?: string; values?: Record<string, string>; errors?: Record<string, string> } = {},
): string {
  const t = text[language];
  const errors = options.errors ?? {};
  const errorSummary =
    Object.keys(errors).length > 0
      ? `<div role="alert" class="error"><p>${escapeHtml(t.fix)}</p><ul>${Object.entries(errors)
          .map(
            ([id, message]) =>
              `<li><a href="#q-${escapeHtml(id)}">${escapeHtml(surveyForm.questions.find((q) => q.id === id)?.label[language] ?? id)}: ${escapeHtml(message)}</a></li>`,
          )
          .join('')}</ul></div>`
      : '';
  const form = `<form method="post" action="${escapeHtml(options.action ?? '')}" novalidate>${questionsHtml(language, options.values ?? {}, errors)}<button type="submit">${escapeHtml(t.submit)}</button></form>`;
  return shell(
    language,
    surveyForm.title[language],
    `<h1>${escapeHtml(surveyForm.title[language])}</h1><p>${escapeHtml(surveyForm.intro[language])}</p>${errorSummary}${form}`,
  );
}

/**
 * The form as the contract attaches it (11.2), for print and phone interviews: every question
 * with its scale drawn and a space to write in, no controls.
 */
export function printableSurveyForm(language: Language): { title: string; body: string } {
  const t = text[language];
  const questions = surveyForm.questions
    .map((q) => {
      if (q.kind === 'scale') {
        const scale = Array.from({ length: q.max - q.min + 1 }, (_, i) => `<span>${q.min + i}</span>`).join(
          '',
        );
        return `<fieldset><legend>${escapeHtml(q.label[language])}${q.required ? ` (${escapeHtml(t.required)})` : ''}</legend><div class="scale">${scale}</div><div class="ends"><span>${q.min} = ${escapeHtml(q.lowLabel[language])}</span><span>${q.max} = ${escapeHtml(q.highLabel[language])}</span></div></fieldset>`;
      }
      return `<section><h2>${escapeHtml(q.label[language])}</h2><div class="blank"></div></section>`;
    })
    .join('');
  return {
    title: surveyForm.title[language],
    body: `<p>${escapeHtml(surveyForm.intro[language])}</p><p><em>${escapeHtml(t.printHint)}</em></p>${questions}`,
  };
}
