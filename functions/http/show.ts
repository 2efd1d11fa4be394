import type * as z from '#domain/zod.ts';

/**
 * The fields of `value` a view declares, and only those: what the table keeps for itself (task
 * tokens, generations, digests, index keys) never reaches an answer, and a field added to the
 * store stays private until a view shows it.
 */
export function shown<V extends z.ZodMiniObject>(view: V, value: object): z.input<V> {
  const source = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(view.shape)
      .filter((key) => source[key] !== undefined)
      .map((key) => [key, source[key]]),
  ) as z.input<V>;
}
