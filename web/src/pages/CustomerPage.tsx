import { useQuery } from '@tanstack/react-query';
import type * as z from '#domain/zod.ts';
import type { customerHistoryView } from '#functions/http/views.ts';
import { api } from '../api.ts';
import { useWords } from '../i18n.ts';
import { linkProps } from '../router.ts';
import { ErrorNote, Head, Loading } from '../ui.tsx';

type CustomerHistory = z.output<typeof customerHistoryView>;

/** One customer's history (#37): every request, open and ended, every case and survey, newest first. */
export function CustomerPage({ email }: { email: string }) {
  const { t, word, dateTime } = useWords();
  const history = useQuery({
    queryKey: ['customer', email],
    queryFn: () => api<CustomerHistory>('GET', `/v1/customers/${encodeURIComponent(email)}`),
  });
  if (history.isPending) return <Loading />;
  if (history.isError) return <ErrorNote error={history.error} onRetry={() => void history.refetch()} />;
  const h = history.data;
  return (
    <section>
      <h1 tabIndex={-1}>{h.customer?.name ?? email}</h1>
      <p className="muted">
        {email}
        {h.customer?.phone ? ` · ${h.customer.phone}` : ''}
      </p>
      <h2>
        {t.requests} ({h.requests.length})
      </h2>
      {h.requests.length === 0 ? (
        <p>{t.nothingHere}</p>
      ) : (
        <table>
          <Head columns={[t.request, t.kind, t.status, t.order, t.receivedAt]} />
          <tbody>
            {h.requests.map((r) => (
              <tr key={r.requestId}>
                <td>
                  <a {...linkProps(`/requests/${r.requestId}`)}>{r.requestId}</a>
                </td>
                <td>{word(r.kind)}</td>
                <td>{word(r.status)}</td>
                <td>{r.orderReference ?? '—'}</td>
                <td>{dateTime(r.receivedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>
        {t.feedback} ({h.feedbackCases.length})
      </h2>
      {h.feedbackCases.length === 0 ? (
        <p>{t.nothingHere}</p>
      ) : (
        <ul>
          {h.feedbackCases.map((f) => (
            <li key={f.feedbackId}>
              {word(f.category)} · {word(f.status)} · {dateTime(f.receivedAt)} — {f.content}
            </li>
          ))}
        </ul>
      )}
      {h.periodicSurveys.length > 0 && (
        <>
          <h2>{t.survey}</h2>
          <ul>
            {h.periodicSurveys.map((s) => (
              <li key={s.surveyId}>
                {dateTime(s.invitedAt)} · {s.answer ? `${s.answer.serviceScore} / 5` : t.surveyNotAnswered}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
