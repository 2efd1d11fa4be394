import { useInfiniteQuery } from '@tanstack/react-query';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useState } from 'react';
import { addDays } from '#domain/calendar-date.ts';
import { kindNames } from '#domain/kind-names.ts';
import { openRequestStatuses } from '#domain/request-status.ts';
import { localDate, startOfLocalDay } from '#domain/working-calendar.ts';
import { api, serviceNow } from '../api.ts';
import { useWords } from '../i18n.ts';
import { missedPromisesOf, nextPromiseOf } from '../promises.ts';
import { linkProps, useSearchParams } from '../router.ts';
import { useServiceNow } from '../time.ts';
import type { Me, RequestSummary } from '../types.ts';
import { Badge, ErrorNote, Field, Head, Loading, RequestCountdown } from '../ui.tsx';
import { useWorklistCounts } from '../work-alerts.ts';

export const assigneeOf = (request: RequestSummary) => request.assigneeId ?? request.dispatch?.technicianId;
export const nameOf = (me: Me, staffId: string | undefined) =>
  staffId === undefined ? '' : (me.colleagues.find((c) => c.staffId === staffId)?.name ?? staffId);

const CHANNELS = ['phone', 'api', 'web_form', 'shopify', 'woocommerce', 'generic_webhook'] as const;
const VIEWS = ['all', 'mine', 'unassigned', 'breached', 'today'] as const;
type View = (typeof VIEWS)[number];
const FILTERS = ['status', 'kind', 'assignee', 'channel', 'q'] as const;
const PAGE = 100;
/** A row's height as drawn (two lines of text and padding): where the virtualizer places rows before it measures them. */
const ROW_PX = 58;

/** What a view and the filters ask of `GET /v1/requests` (the server filters, sorts and pages: #37). */
function listQuery(params: URLSearchParams, view: View, me: Me, timeZone: string): string {
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (value) query.set(name, value);
  }
  if (view === 'mine' && me.staffId) query.set('assignee', me.staffId);
  if (view === 'unassigned') query.set('assignee', 'none');
  if (view === 'breached') query.set('breached', 'true');
  if (view === 'today') {
    const today = localDate(timeZone, new Date(serviceNow()));
    query.set('dueBefore', startOfLocalDay(timeZone, addDays(today, 1)).toISOString());
  }
  return query.toString();
}

/**
 * Open requests, soonest deadline first, as the server lists them: views with their counts,
 * filters kept in the address (they survive a reload and can be shared), pages fetched as the
 * list is scrolled and only the rows on screen drawn, all counting down on one clock.
 */
export function WorklistPage({ me }: { me: Me }) {
  const words = useWords();
  const { t, word } = words;
  const [params, setParams] = useSearchParams();
  const view = (VIEWS as readonly string[]).includes(params.get('view') ?? '')
    ? (params.get('view') as View)
    : 'all';
  const query = listQuery(params, view, me, words.timeZone);
  const counts = useWorklistCounts();
  const requests = useInfiniteQuery({
    queryKey: ['requests', 'open', query],
    queryFn: ({ pageParam }) =>
      api<{ items: RequestSummary[]; nextCursor?: string }>(
        'GET',
        `/v1/requests?${query}${query ? '&' : ''}limit=${PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 30_000,
  });
  const rows = requests.data?.pages.flatMap((page) => page.items) ?? [];

  // The search box writes to the address a moment after typing stops (one request, not one a key).
  const [typed, setTyped] = useState(params.get('q') ?? '');
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((params.get('q') ?? '') === typed.trim()) return;
      const next = new URLSearchParams(params);
      if (typed.trim()) next.set('q', typed.trim());
      else next.delete('q');
      setParams(next);
    }, 250);
    return () => clearTimeout(timer);
  }, [typed, params, setParams]);
  const setParam = (name: string) => (event: { target: { value: string } }) => {
    const next = new URLSearchParams(params);
    if (event.target.value) next.set(name, event.target.value);
    else next.delete(name);
    setParams(next);
  };

  const virtualizer = useWindowVirtualizer({ count: rows.length, estimateSize: () => ROW_PX, overscan: 12 });
  const shown = virtualizer.getVirtualItems();
  const lastShown = shown.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = requests;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastShown >= rows.length - 20) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastShown, rows.length]);
  const before = shown[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (shown.at(-1)?.end ?? 0);

  const viewCount: Record<View, number | undefined> = {
    all: counts.data?.open,
    mine: counts.data?.mine,
    unassigned: counts.data?.unassigned,
    breached: counts.data?.breached,
    today: counts.data?.dueToday,
  };
  const viewName: Record<View, string> = {
    all: t.viewAll,
    mine: t.viewMine,
    unassigned: t.viewUnassigned,
    breached: t.viewBreached,
    today: t.viewDueToday,
  };
  const colleagues = me.colleagues.filter((c) => !c.disabled);
  return (
    <section>
      <h1 tabIndex={-1}>
        {t.openRequests} <small>({counts.data?.open ?? '…'})</small>
      </h1>
      <p>
        <a {...linkProps('/requests/new')}>+ {t.newRequest}</a>
      </p>
      <nav aria-label={t.views} className="views">
        {VIEWS.filter((v) => v !== 'mine' || me.staffId).map((v) => {
          const next = new URLSearchParams(params);
          if (v === 'all') next.delete('view');
          else next.set('view', v);
          const href = `/${next.toString() ? `?${next.toString()}` : ''}`;
          return (
            <a key={v} {...linkProps(href)} aria-current={view === v ? 'page' : undefined}>
              {viewName[v]} <span className="count">{viewCount[v] ?? '…'}</span>
            </a>
          );
        })}
      </nav>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t.search}>
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </Field>
        {(
          [
            ['status', t.status, openRequestStatuses.map((s) => [s, word(s)])],
            ['kind', t.kind, Object.keys(kindNames.en).map((k) => [k, word(k)])],
            [
              'assignee',
              t.assignee,
              [['none', t.noOne], ...colleagues.map((c) => [c.staffId, c.name ?? c.staffId])],
            ],
            ['channel', t.channel, CHANNELS.map((c) => [c, word(c)])],
          ] as const
        ).map(([name, label, options]) => (
          <Field key={name} label={label}>
            <select value={params.get(name) ?? ''} onChange={setParam(name)}>
              <option value="">{t.any}</option>
              {options.map(([value, shownAs]) => (
                <option key={value} value={value}>
                  {shownAs}
                </option>
              ))}
            </select>
          </Field>
        ))}
      </form>
      <ErrorNote
        error={requests.error ?? counts.error}
        onRetry={() => void Promise.all([requests.refetch(), counts.refetch()])}
      />
      {requests.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p>{t.nothingHere}</p>
      ) : (
        <table className="worklist">
          <Head columns={[t.request, t.customer, t.order, t.status, t.assignee, t.nextPromise]} />
          <tbody>
            {before > 0 && <Spacer height={before} />}
            {shown.map((item) => (
              <Row
                key={rows[item.index]!.requestId}
                request={rows[item.index]!}
                me={me}
                index={item.index}
                measure={virtualizer.measureElement}
              />
            ))}
            {after > 0 && <Spacer height={after} />}
          </tbody>
        </table>
      )}
      <p className="muted" aria-live="polite">
        {isFetchingNextPage ? t.loadingMore : `${rows.length} ${t.shown}`} · {words.timeZone}
      </p>
    </section>
  );
}

/** The height of the rows not drawn, above or below those on screen: the scrollbar stays true. */
const Spacer = ({ height }: { height: number }) => (
  <tr className="spacer">
    <td colSpan={6} style={{ height, padding: 0, border: 0 }} />
  </tr>
);

function Row({
  request,
  me,
  index,
  measure,
}: {
  request: RequestSummary;
  me: Me;
  index: number;
  measure: (element: Element | null) => void;
}) {
  const { t, word } = useWords();
  const now = useServiceNow();
  const next = nextPromiseOf(request);
  const missed = missedPromisesOf(request, now);
  return (
    <tr ref={measure} data-index={index} data-request-id={request.requestId}>
      <td>
        <a {...linkProps(`/requests/${request.requestId}`)}>{request.requestId}</a>
        <div className="muted">{word(request.kind)}</div>
      </td>
      <td>{request.customer?.name ?? '—'}</td>
      <td>{request.orderReference ?? '—'}</td>
      <td>{word(request.status)}</td>
      <td>{nameOf(me, assigneeOf(request)) || '—'}</td>
      <td>
        {next && (
          <>
            <span className="muted">{t[next.promise]}: </span>
            <RequestCountdown request={request} />
          </>
        )}{' '}
        {missed.map((promise) => (
          <Badge key={promise} tone="breach">
            {promise === 'response' ? t.responseLate : t.completionLate}
          </Badge>
        ))}
      </td>
    </tr>
  );
}
