import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { WorklistCounts } from '#domain/worklist.ts';
import { api } from './api.ts';
import { type Language, texts } from './i18n.ts';
import type { Me } from './types.ts';

/**
 * Being told of work (#37) wherever one is in the console: the page's title carries how many
 * open requests are past their deadline (a tab in the background shows it), and, once allowed,
 * a desktop notification says when there is more breached, unassigned or own work than at the
 * last look. Read from the worklist's counts every 30 s (the worklist shares them).
 */
export function useWorkAlerts(me: Me | undefined, language: Language) {
  const counts = useWorklistCounts(me !== undefined);
  const last = useRef<WorklistCounts>(undefined);
  const t = texts[language];
  useEffect(() => {
    const now = counts.data;
    if (!now) return;
    document.title = now.breached > 0 ? `(${now.breached}) ${t.appName}` : t.appName;
    const before = last.current;
    last.current = now;
    if (!before || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const news = [
      now.breached > before.breached ? `${t.viewBreached}: ${now.breached}` : undefined,
      now.unassigned > before.unassigned ? `${t.viewUnassigned}: ${now.unassigned}` : undefined,
      (now.mine ?? 0) > (before.mine ?? 0) ? `${t.viewMine}: ${now.mine}` : undefined,
    ].filter((line): line is string => line !== undefined);
    if (news.length > 0) new Notification(t.appName, { body: news.join(' · '), tag: 'aftersales-work' });
  }, [counts.data, t]);
}

/** The worklist's counts (`GET /v1/worklist/counts`), every 30 s, in the background too: one query for the title and the views. */
export const useWorklistCounts = (enabled = true) =>
  useQuery({
    queryKey: ['worklist-counts'],
    queryFn: () => api<WorklistCounts & { countedAt: string }>('GET', '/v1/worklist/counts'),
    refetchInterval: 30_000,
    refetchIntervalInBackground: true,
    enabled,
  });

/** Whether the console may ask for desktop notifications (the browser has them, not yet decided). */
export const canAskForNotifications = () =>
  typeof Notification !== 'undefined' && Notification.permission === 'default';
