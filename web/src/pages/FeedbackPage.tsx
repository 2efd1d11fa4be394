import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { allPages, api } from '../api.ts';
import { useWords } from '../i18n.ts';
import { linkProps } from '../router.ts';
import type { FeedbackCase, FeedbackSummary, Me } from '../types.ts';
import { Badge, Countdown, ErrorNote, Field, Head, Loading } from '../ui.tsx';
import { Conversation } from './Conversation.tsx';
import { Timeline } from './RequestPage.tsx';
import { nameOf } from './WorklistPage.tsx';

/** Open feedback (7.2.1), by due date: each is handled within its working days, the result told to the customer. */
export function FeedbackPage({ me }: { me: Me }) {
  const { t, word, dateTime } = useWords();
  const cases = useQuery({
    queryKey: ['feedback', 'open'],
    queryFn: () => allPages<FeedbackSummary>('/v1/feedback?status=open'),
    refetchInterval: 30_000,
  });
  const [resolving, setResolving] = useState<string>();
  const sorted = [...(cases.data ?? [])].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return (
    <section>
      <h1>{t.feedbackWorklist}</h1>
      <p>
        <a {...linkProps('/feedback/new')}>+ {t.newComplaint}</a>
      </p>
      <ErrorNote error={cases.error} />
      {cases.isPending ? (
        <Loading />
      ) : sorted.length === 0 ? (
        <p>{t.nothingHere}</p>
      ) : (
        <table>
          <Head
            columns={[
              t.category,
              t.customer,
              t.content,
              t.assignee,
              t.due,
              ...(me.role !== 'agent' ? [t.actions] : []),
            ]}
          />
          <tbody>
            {sorted.map((f) => (
              <tr key={f.feedbackId} data-feedback-id={f.feedbackId}>
                <td>
                  {word(f.category)}
                  <div>
                    <a {...linkProps(`/feedback/${f.feedbackId}`)}>{f.feedbackId}</a>
                  </div>
                  {f.requestId && <a {...linkProps(`/requests/${f.requestId}`)}>{f.requestId}</a>}
                </td>
                <td>{f.customer.name}</td>
                <td className="prose">{f.content}</td>
                <td>{nameOf(me, f.assigneeId) || '—'}</td>
                <td>
                  {dateTime(f.dueAt)}
                  {f.dueConfirmed === false && <span className="muted"> ({t.estimated})</span>}
                  <br />
                  <Countdown deadline={Date.parse(f.dueAt)} />
                  {f.escalationsTaken.length > 0 && <Badge tone="breach">{f.escalationsTaken.length}↑</Badge>}
                </td>
                {me.role !== 'agent' && (
                  <td>
                    {resolving === f.feedbackId ? (
                      <ResolveForm feedbackId={f.feedbackId} onDone={() => setResolving(undefined)} />
                    ) : (
                      <button type="button" onClick={() => setResolving(f.feedbackId)}>
                        {t.resolve}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * One feedback case (7.2): what the customer said, its due date and result, its conversation
 * with the customer and the staff's notes (#36), and its history.
 */
export function FeedbackCasePage({ feedbackId, me }: { feedbackId: string; me: Me }) {
  const { t, word, dateTime } = useWords();
  const found = useQuery({
    queryKey: ['feedback', feedbackId],
    queryFn: () => api<FeedbackCase>('GET', `/v1/feedback/${feedbackId}`),
    refetchInterval: 30_000,
  });
  if (found.isPending) return <Loading />;
  if (found.isError) return <ErrorNote error={found.error} onRetry={() => void found.refetch()} />;
  const f = found.data;
  return (
    <article className="request">
      <p>
        <a {...linkProps('/feedback')}>← {t.feedback}</a>
      </p>
      <h1 tabIndex={-1}>
        {word(f.category)} · {f.feedbackId} <Badge tone="info">{word(f.status)}</Badge>
      </h1>
      <section aria-labelledby="case">
        <h2 id="case">{t.customer}</h2>
        <dl>
          <dt>{t.customer}</dt>
          <dd>
            {f.customer.name} &lt;{f.customer.email}&gt; ·{' '}
            <a {...linkProps(`/customers/${encodeURIComponent(f.customer.email.toLowerCase())}`)}>
              {t.history}
            </a>
          </dd>
          {f.requestId && (
            <>
              <dt>{t.request}</dt>
              <dd>
                <a {...linkProps(`/requests/${f.requestId}`)}>{f.requestId}</a>
              </dd>
            </>
          )}
          <dt>{t.content}</dt>
          <dd className="prose">{f.content}</dd>
          <dt>{t.due}</dt>
          <dd>
            {dateTime(f.dueAt)} {f.status === 'open' && <Countdown deadline={Date.parse(f.dueAt)} />}
          </dd>
          <dt>{t.assignee}</dt>
          <dd>{nameOf(me, f.assigneeId) || '—'}</dd>
          {f.resolution && (
            <>
              <dt>{t.result}</dt>
              <dd className="prose">{f.resolution.result}</dd>
              {f.resolution.changes && (
                <>
                  <dt>{t.changes}</dt>
                  <dd className="prose">{f.resolution.changes}</dd>
                </>
              )}
            </>
          )}
        </dl>
        {f.status === 'open' && me.role !== 'agent' && (
          <ResolveForm feedbackId={f.feedbackId} onDone={() => {}} />
        )}
      </section>
      <Conversation path={`/v1/feedback/${f.feedbackId}`} me={me} />
      <Timeline events={f.timeline} me={me} />
    </article>
  );
}

function ResolveForm({ feedbackId, onDone }: { feedbackId: string; onDone(): void }) {
  const { t } = useWords();
  const queryClient = useQueryClient();
  const [result, setResult] = useState('');
  const [changes, setChanges] = useState('');
  const resolve = useMutation({
    mutationFn: () =>
      api('POST', `/v1/feedback/${feedbackId}/resolve`, { result, ...(changes ? { changes } : {}) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['feedback'] });
      onDone();
    },
  });
  return (
    <form
      aria-label={t.resolve}
      onSubmit={(e) => {
        e.preventDefault();
        resolve.mutate();
      }}
    >
      <Field label={t.result}>
        <textarea required value={result} onChange={(e) => setResult(e.target.value)} />
      </Field>
      <Field label={t.changes}>
        <textarea value={changes} onChange={(e) => setChanges(e.target.value)} />
      </Field>
      <ErrorNote error={resolve.error} />
      <button type="submit" disabled={resolve.isPending}>
        {t.resolve}
      </button>
    </form>
  );
}
