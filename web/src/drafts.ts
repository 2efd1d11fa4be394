import { useState } from 'react';

/**
 * A draft kept in the tab's session storage: a reload, a session expiry and the sign-in after it
 * keep what was typed (#37). Its Idempotency-Key is made with the draft, so a send retried after
 * a timeout is the same send (the API answers it once).
 */
export function useDraft(key: string) {
  const storageKey = `aftersales.draft.${key}`;
  const read = () => {
    try {
      return JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as { text: string; id: string } | null;
    } catch {
      return null;
    }
  };
  const [draft, setDraft] = useState(() => read() ?? { text: '', id: crypto.randomUUID() });
  const update = (text: string) => {
    const next = { ...draft, text };
    setDraft(next);
    if (text) sessionStorage.setItem(storageKey, JSON.stringify(next));
    else sessionStorage.removeItem(storageKey);
  };
  const clear = () => {
    sessionStorage.removeItem(storageKey);
    setDraft({ text: '', id: crypto.randomUUID() });
  };
  return { draft, update, clear };
}
