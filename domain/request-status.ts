/**
 * A request's statuses and which staff action each allows: apart from the schemas (no zod) so
 * that the staff console offers exactly the actions the API takes, from this same table.
 */
export const requestStatuses = [
  'received',
  'acknowledged',
  'dispatched',
  'completed',
  'closed',
  'cancelled',
] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** Still being worked on: what a worklist shows, what can be taken over. */
export const openRequestStatuses = [
  'received',
  'acknowledged',
  'dispatched',
] as const satisfies readonly RequestStatus[];

/** Which transitions staff may make from which status (the workflow makes the rest). */
const allowedFrom: Record<'acknowledge' | 'dispatch' | 'complete' | 'cancel', readonly RequestStatus[]> = {
  acknowledge: ['received'],
  dispatch: ['acknowledged', 'dispatched'],
  complete: ['acknowledged', 'dispatched'],
  cancel: openRequestStatuses,
};
export type StaffAction = keyof typeof allowedFrom;

export function canTransition(action: StaffAction, from: RequestStatus): boolean {
  return allowedFrom[action].includes(from);
}

export function statusesAllowing(action: StaffAction): readonly RequestStatus[] {
  return allowedFrom[action];
}
