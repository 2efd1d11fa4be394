import type { Language } from './service-request.ts';
import * as z from './zod.ts';

/**
 * The satisfaction survey (7.1): defined once, as data. The web page, the phone-interview API,
 * validation and the printable form (the contract's attachment, 11.2) are all built from it.
 */
export type Question =
  | {
      id: string;
      kind: 'scale';
      min: number;
      max: number;
      required: boolean;
      label: Record<Language, string>;
      lowLabel: Record<Language, string>;
      highLabel: Record<Language, string>;
    }
  | { id: string; kind: 'text'; required: false; maxLength: number; label: Record<Language, string> };

export const surveyForm: {
  title: Record<Language, string>;
  intro: Record<Language, string>;
  questions: Question[];
} = {
  title: { 'zh-CN': '售后服务满意度调查', en: 'After-sales service satisfaction survey' },
  intro: {
    'zh-CN': '感谢您使用我们的售后服务。请花一分钟告诉我们您的感受。',
    en: 'Thank you for using our after-sales service. Please take a minute to tell us how we did.',
  },
  questions: [
    {
      id: 'serviceScore',
      kind: 'scale',
      min: 1,
      max: 5,
      required: true,
      label: { 'zh-CN': '您对本次服务的满意度', en: 'How satisfied are you with the service?' },
      lowLabel: { 'zh-CN': '非常不满意', en: 'Very dissatisfied' },
      highLabel: { 'zh-CN': '非常满意', en: 'Very satisfied' },
    },
    {
      id: 'goodsScore',
      kind: 'scale',
      min: 1,
      max: 5,
      required: true,
      label: { 'zh-CN': '您对商品的满意度', en: 'How satisfied are you with the goods?' },
      lowLabel: { 'zh-CN': '非常不满意', en: 'Very dissatisfied' },
      highLabel: { 'zh-CN': '非常满意', en: 'Very satisfied' },
    },
    {
      id: 'recommendScore',
      kind: 'scale',
      min: 0,
      max: 10,
      required: true,
      label: {
        'zh-CN': '您向朋友推荐我们的可能性有多大？',
        en: 'How likely are you to recommend us to a friend?',
      },
      lowLabel: { 'zh-CN': '完全不可能', en: 'Not at all likely' },
      highLabel: { 'zh-CN': '非常可能', en: 'Extremely likely' },
    },
    {
      id: 'serviceOpinion',
      kind: 'text',
      required: false,
      maxLength: 2000,
      label: { 'zh-CN': '对服务的意见或建议', en: 'Your opinion or suggestions on the service' },
    },
    {
      id: 'goodsOpinion',
      kind: 'text',
      required: false,
      maxLength: 2000,
      label: { 'zh-CN': '对商品的意见或建议', en: 'Your opinion or suggestions on the goods' },
    },
  ],
};

/**
 * The answer schemas, derived from the form: as JSON (a phone interview entered by staff), where
 * a score is a number and nothing else, and as the web page posts it, where every value is text.
 */
function answerSchema(scores: 'json' | 'form') {
  return z.strictObject(
    Object.fromEntries(
      surveyForm.questions.map((q) => [
        q.id,
        q.kind === 'scale'
          ? scores === 'json'
            ? z.int().check(z.minimum(q.min), z.maximum(q.max))
            : z.pipe(
                z.pipe(z.string().check(z.regex(/^\d{1,2}$/, { message: 'a score' })), z.transform(Number)),
                z.int().check(z.minimum(q.min), z.maximum(q.max)),
              )
          : z.pipe(
              z.optional(z.string().check(z.trim(), z.maxLength(q.maxLength))),
              z.transform((v) => v || undefined),
            ),
      ]),
    ),
  ) as unknown as z.ZodMiniType<
    {
      serviceScore: number;
      goodsScore: number;
      recommendScore: number;
      serviceOpinion?: string;
      goodsOpinion?: string;
    },
    {
      serviceScore: number | string;
      goodsScore: number | string;
      recommendScore: number | string;
      serviceOpinion?: string;
      goodsOpinion?: string;
    }
  >;
}
export const surveyAnswerSchema = answerSchema('json');
export const surveyFormSchema = answerSchema('form');
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;

const scoreWords = {
  'zh-CN': (a: SurveyAnswer) =>
    `评分：服务满意度 ${a.serviceScore}/5，商品满意度 ${a.goodsScore}/5，推荐意愿 ${a.recommendScore}/10`,
  en: (a: SurveyAnswer) =>
    `Scores: service ${a.serviceScore}/5, goods ${a.goodsScore}/5, likelihood to recommend ${a.recommendScore}/10`,
};

/**
 * Whether an answer needs handling within the feedback deadline (7.2.1): a low score
 * (CSAT ≤ 2, or an NPS detractor 0–6) or any written opinion. Its content is what the customer
 * wrote and their scores, in the customer's language: the result email quotes it back to them.
 */
export function feedbackNeeded(
  answer: SurveyAnswer,
  language: Language,
): { category: 'low_score' | 'opinion'; content: string } | undefined {
  const written = [answer.serviceOpinion, answer.goodsOpinion].filter(Boolean).join('\n');
  const low = answer.serviceScore <= 2 || answer.goodsScore <= 2 || answer.recommendScore <= 6;
  if (!low && !written) return undefined;
  const scores = scoreWords[language](answer);
  return { category: low ? 'low_score' : 'opinion', content: written ? `${written}\n${scores}` : scores };
}

/** When to remind (once) and when the invitation expires, from the invitation time. */
export const SURVEY_REMINDER_AFTER_SECONDS = 3 * 24 * 3600;
export const SURVEY_EXPIRES_AFTER_SECONDS = 14 * 24 * 3600;
