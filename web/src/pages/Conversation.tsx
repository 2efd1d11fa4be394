import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import { useDraft } from '../drafts.ts';
import { useWords } from '../i18n.ts';
import type { ConversationMessage, Me } from '../types.ts';
import { Badge, ErrorNote, Field, Loading } from '../ui.tsx';
import { actorName } from './RequestPage.tsx';

/** A request's or feedback case's path in the API. */
export type SubjectPath = `/v1/requests/${string}` | `/v1/feedback/${string}`;

const sizeOf = (bytes: number) =>
  bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * The conversation of a request or feedback case (#36): the customer's emails, staff's replies
 * (emailed to the customer, threaded) and internal notes, oldest first; a reply box and a note box.
 */
export function Conversation({ path, me }: { path: SubjectPath; me: Me }) {
  const { t, word, dateTime } = useWords();
  const queryClient = useQueryClient();
  const conversation = useQuery({
    queryKey: ['conversation', path],
    queryFn: () => api<{ messages: ConversationMessage[] }>('GET', `${path}/conversation`),
    refetchInterval: 30_000,
  });
  const reply = useDraft(`${path}#reply`);
  const note = useDraft(`${path}#note`);
  const send = useMutation({
    mutationFn: ({ to, text, key }: { to: 'replies' | 'notes'; text: string; key: string }) =>
      api<ConversationMessage>('POST', `${path}/${to}`, { text }, { 'idempotency-key': key }),
    onSuccess: (_sent, { to }) => {
      (to === 'replies' ? reply : note).clear();
      void queryClient.invalidateQueries({ queryKey: ['conversation', path] });
      // A reply can be the response (the request acknowledged by it): the page reads it again.
      void queryClient.invalidateQueries({ queryKey: ['request'] });
      void queryClient.invalidateQueries({ queryKey: ['requests'] });
    },
  });
  const submit = (to: 'replies' | 'notes', draft: { text: string; id: string }) => (event: FormEvent) => {
    event.preventDefault();
    if (draft.text.trim()) send.mutate({ to, text: draft.text, key: draft.id });
  };
  const heading = {
    customer: t.customerWrote,
    reply: t.replySent,
    note: t.internalNote,
  } as const;
  return (
    <section aria-labelledby="conversation" className="conversation">
      <h2 id="conversation">{t.conversation}</h2>
      {conversation.isPending ? (
        <Loading />
      ) : conversation.isError ? (
        <ErrorNote error={conversation.error} />
      ) : conversation.data.messages.length === 0 ? (
        <p className="muted">{t.noMessages}</p>
      ) : (
        <ol className="messages">
          {conversation.data.messages.map((m) => (
            <li key={m.messageId} data-kind={m.kind} className={`message ${m.kind}`}>
              <p className="meta">
                <strong>{heading[m.kind]}</strong> · {actorName(me, m.author, word)} ·{' '}
                <time dateTime={m.at}>{dateTime(m.at)}</time>
                {m.afterEnd && (
                  <>
                    {' '}
                    <Badge tone="breach">{t.arrivedAfterEnd}</Badge>
                  </>
                )}
                {m.delivery === 'rejected' && (
                  <>
                    {' '}
                    <Badge tone="breach">
                      {t.notDelivered}
                      {m.rejection ? `: ${m.rejection}` : ''}
                    </Badge>
                  </>
                )}
              </p>
              {m.emailSubject && <p className="muted">{m.emailSubject}</p>}
              <p className="prose">{m.text}</p>
              {m.quoted && (
                <details>
                  <summary>{t.quotedHistory}</summary>
                  <pre className="quoted">{m.quoted}</pre>
                </details>
              )}
              {m.attachments && m.attachments.length > 0 && (
                <ul className="attachments">
                  {m.attachments.map((a, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: an email's files keep their order
                    <li key={i}>
                      📎 {a.filename} · {sizeOf(a.size)}
                      {a.refused ? ` · ${t.attachmentRefused}: ${a.refused}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      <ErrorNote error={send.error} />
      <div className="columns">
        {(
          [
            ['replies', reply, t.replyToCustomer, t.replyHint, t.send],
            ['notes', note, t.addNote, t.noteHint, t.saveNote],
          ] as const
        ).map(([to, draft, label, hint, button]) => (
          <form key={to} onSubmit={submit(to, draft.draft)} aria-label={label}>
            <Field label={label}>
              <textarea
                value={draft.draft.text}
                maxLength={10_000}
                onChange={(e) => draft.update(e.target.value)}
              />
            </Field>
            <p className="muted">{hint}</p>
            <button type="submit" disabled={send.isPending || !draft.draft.text.trim()}>
              {button}
            </button>
          </form>
        ))}
      </div>
    </section>
  );
}
