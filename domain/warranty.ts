import type { RequestKind } from './service-request.ts';

/** Kinds for which the warranty matters to the customer (8.1.2). */
const warrantyKinds: readonly RequestKind[] = ['repair', 'replacement'];

export interface WarrantyStatus {
  applies: boolean;
  /** Last covered day (ISO date), when the delivery date is known. */
  coveredUntil?: string;
  inWarranty?: boolean;
}

/** Adds calendar months, clamping to the month's last day (2025-01-31 + 1 month = 2025-02-28). */
export function addMonths(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * Goods are covered for `warrantyMonths` from delivery: in warranty while the date of
 * receipt is before delivery + warranty months. Dates are the tenant's calendar dates.
 */
export function warrantyStatus(
  kind: RequestKind,
  deliveryDate: string | undefined,
  receivedOn: string,
  warrantyMonths: number,
): WarrantyStatus {
  const applies = warrantyKinds.includes(kind);
  if (!deliveryDate) return { applies };
  const end = addMonths(deliveryDate, warrantyMonths);
  return { applies, coveredUntil: end, inWarranty: receivedOn < end };
}
