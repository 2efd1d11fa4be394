/**
 * The one clock handlers read. On AWS it is the system clock; the local runtime's virtual
 * clock replaces the global Date, so the same call reads virtual time there.
 */
export const now = (): Date => new Date();
