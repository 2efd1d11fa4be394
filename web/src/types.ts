/**
 * The API's answers, typed from the very schemas that declare them (functions/http): type-only
 * imports, so nothing of zod reaches the bundle.
 */
import type * as z from '#domain/zod.ts';
import type {
  apiKeyListView,
  calendarView,
  contractView,
  feedbackListView,
  feedbackView,
  requestView,
  satisfactionReportView,
  settingsView,
} from '#functions/http/doc-views.ts';
import type { meView } from '#functions/http/people-views.ts';
import type { heldMailView, messageView, requestSummaryView } from '#functions/http/views.ts';

export type RequestSummary = z.output<typeof requestSummaryView>;
export type ServiceRequest = z.output<typeof requestView>;
export type FeedbackSummary = z.output<typeof feedbackListView>['items'][number];
export type FeedbackCase = z.output<typeof feedbackView>;
export type Me = z.output<typeof meView>;
export type ApiKeys = z.output<typeof apiKeyListView>;
export type SatisfactionReport = z.output<typeof satisfactionReportView>;
export type CalendarDays = z.output<typeof calendarView>;
export type Settings = z.output<typeof settingsView>;
export type Contract = z.output<typeof contractView>;
export type ConversationMessage = z.output<typeof messageView>;
export type HeldMail = z.output<typeof heldMailView>;
