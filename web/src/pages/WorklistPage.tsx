import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { openRequestStatuses } from '#domain/request-status.ts';
import { allPages } from '../api.ts';
import { useWords } from '../i18n.ts';
import { bySoonestDeadline, missedPromisesOf, nextPromiseOf } from '../promises.ts';
import { linkProps } from '../router.ts';
import { useServiceNow } from '../time.ts';
import type { Me, RequestSummary } from '../types.ts';
import { Badge, ErrorNote, Field, Head, Loading, RequestCountdown } from '../ui.tsx';

export const assigneeOf = (request: RequestSummary) => request.assigneeId ?? request.dispatch?.technicianId;
export const nameOf = (me: Me, staffId: string | undefined) =>
  staffId === undefined ? '' : (me.colleagues.find((c) => c.staffId === staffId)?.name ?? staffId);

/** Open requests, soonest deadline first, each with a live countdown to the promise it waits on. */
export function WorklistPage({ me }: { me: Me }) {
  const words = useWords();
  const { t, word } = words;
  const now = useServiceNow(15_000);
  const requests = useQuery({
    queryKey: ['requests', 'open'],
    queryFn: () => allPages<RequestSummary>('/v1/requests'),
    refetchInterval: 30_000,
  });
  const [filters, setFilters] = useState({ status: '', kind: '', assignee: '', channel: '', search: '' });
  const set = (name: keyof typeof filters) => (event: { target: { value: string } }) =>
    setFilters({ ...filters, [name]: event.target.value });

  const all = requests.data ?? [];
  const choices = (values: (string | undefined)[]) =>
    [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
  const shown = useMemo(() => {
    const needle = filters.search.trim().toLowerCase();
    return all
      .filter((r) => !filters.status || r.status === filters.status)
      .filter((r) => !filters.kind || r.kind === filters.kind)
      .filter((r) => !filters.channel || r.channel === filters.channel)
      .filter((r) => !filters.assignee || assigneeOf(r) === filters.assignee)
      .filter(
        (r) =>
          !needle ||
          [r.requestId, r.customer?.name, r.customer?.email, r.customer?.phone, r.orderReference]
            .filter(Boolean)
            .some((value) => String(value).toLowerCase().includes(needle)),
      )
      .sort(bySoonestDeadline);
  }, [all, filters]);

  return (
    <section>
      <h1>
        {t.openRequests} <small>({all.length})</small>
      </h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t.search}>
          <input type="search" value={filters.search} onChange={set('search')} />
        </Field>
        {(
          [
            ['status', t.status, openRequestStatuses, word],
            ['kind', t.kind, choices(all.map((r) => r.kind)), word],
            ['assignee', t.assignee, choices(all.map(assigneeOf)), (id: string) => nameOf(me, id)],
            ['channel', t.channel, choices(all.map((r) => r.channel)), word],
          ] as const
        ).map(([name, label, values, shownAs]) => (
          <Field key={name} label={label}>
            <select value={filters[name]} onChange={set(name)}>
              <option value="">{t.any}</option>
              {values.map((value) => (
                <option key={value} value={value}>
                  {shownAs(value)}
                </option>
              ))}
            </select>
          </Field>
        ))}
      </form>
      <ErrorNote error={requests.error} />
      {requests.isPending ? (
        <Loading />
      ) : shown.length === 0 ? (
        <p>{t.nothingHere}</p>
      ) : (
        <table className="worklist">
          <Head columns={[t.request, t.customer, t.order, t.status, t.assignee, t.nextPromise]} />
          <tbody>
            {shown.map((request) => {
              const next = nextPromiseOf(request);
              const missed = missedPromisesOf(request, now);
              return (
                <tr key={request.requestId} data-request-id={request.requestId}>
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
            })}
          </tbody>
        </table>
      )}
      <p className="muted">
        {shown.length} {t.shown} · {words.timeZone}
      </p>
    </section>
  );
}
