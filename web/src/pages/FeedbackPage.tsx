import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { allPages, api } from '../api.ts';
import { useWords } from '../i18n.ts';
import { linkProps } from '../router.ts';
import type { FeedbackSummary, Me } from '../types.ts';
import { Badge, Countdown, ErrorNote, Field, Head, Loading } from '../ui.tsx';
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
                  <div className="muted">{f.feedbackId}</div>
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
