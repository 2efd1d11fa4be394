import type { RequestKind } from './service-request.ts';

/** 6.2.1a: the skill a technician needs for each kind of work; tenants may override. */
const defaultRequiredSkills: Record<RequestKind, string> = {
  repair: 'repair',
  replacement: 'replacement',
  return: 'returns',
  consultation: 'consultation',
  technical_support: 'technical_support',
  follow_up_visit: 'follow_up',
  complaint: 'complaint_handling',
};

export function requiredSkill(
  kind: RequestKind,
  overrides: Partial<Record<RequestKind, string>> = {},
): string {
  return overrides[kind] ?? defaultRequiredSkills[kind];
}

export function isQualified(
  skills: readonly string[],
  kind: RequestKind,
  overrides?: Partial<Record<RequestKind, string>>,
) {
  return skills.includes(requiredSkill(kind, overrides));
}
