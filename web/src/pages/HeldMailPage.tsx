import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useWords } from '../i18n.ts';
import { linkProps } from '../router.ts';
import type { HeldMail } from '../types.ts';
import { ErrorNote, Field, Loading } from '../ui.tsx';

/**
 * Held mail (#36): customers' emails that could not go on a request by themselves (no request
 * named, a sender not verified, an address the request does not know, an automatic reply). Staff
 * read each, then put it on the request or case it belongs to, or dismiss it.
 */
export function HeldMailPage() {
  const { t } = useWords();
  const held = useQuery({
    queryKey: ['held-mail'],
    queryFn: () => api<{ items: HeldMail[] }>('GET', '/v1/held-mail'),
    refetchInterval: 30_000,
  });
  return (
    <section aria-labelledby="held">
      <h1 id="held" tabIndex={-1}>
        {t.heldMail}
      </h1>
      <p className="muted">{t.heldMailIntro}</p>
      {held.isPending ? (
        <Loading />
      ) : held.isError ? (
        <ErrorNote error={held.error} />
      ) : held.data.items.length === 0 ? (
        <p>{t.nothingHere}</p>
      ) : (
        <ol className="messages">
          {held.data.items.map((mail) => (
            <HeldEmail key={mail.heldId} mail={mail} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HeldEmail({ mail }: { mail: HeldMail }) {
  const { t, word, dateTime } = useWords();
  const queryClient = useQueryClient();
  const [subjectId, setSubjectId] = useState(mail.subjectId ?? '');
  const act = useMutation({
    mutationFn: (action: 'accept' | 'dismiss') =>
      api('POST', `/v1/held-mail/${mail.heldId}/${action}`, action === 'accept' ? { subjectId } : undefined),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['held-mail'] });
      void queryClient.invalidateQueries({ queryKey: ['conversation'] });
    },
  });
  const labelId = `held-${mail.heldId}`;
  return (
    <li className="message customer" aria-labelledby={labelId}>
      <p className="meta" id={labelId}>
        <strong>{mail.emailSubject || '—'}</strong> · <time dateTime={mail.at}>{dateTime(mail.at)}</time>
      </p>
      <dl>
        <dt>{t.sender}</dt>
        <dd>{mail.from}</dd>
        <dt>{t.heldBecause}</dt>
        <dd>{word(mail.reason)}</dd>
        {mail.subjectId && (
          <>
            <dt>{t.request}</dt>
            <dd>
              {mail.subjectId.startsWith('sr_') ? (
                <a {...linkProps(`/requests/${mail.subjectId}`)}>{mail.subjectId}</a>
              ) : (
                mail.subjectId
              )}
            </dd>
          </>
        )}
      </dl>
      <p className="prose">{mail.text}</p>
      {mail.attachments.length > 0 && (
        <ul className="attachments">
          {mail.attachments.map((a, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an email's files keep their order
            <li key={i}>
              📎 {a.filename}
              {a.refused ? ` · ${t.attachmentRefused}: ${a.refused}` : ''}
            </li>
          ))}
        </ul>
      )}
      <ErrorNote error={act.error} />
      <form
        aria-label={`${t.putOnSubject}: ${mail.emailSubject || mail.from}`}
        onSubmit={(event) => {
          event.preventDefault();
          act.mutate('accept');
        }}
      >
        <Field label={t.putOnSubject}>
          <input
            value={subjectId}
            required
            pattern="(sr|fb)_[a-z0-9_]+"
            placeholder="sr_…"
            onChange={(e) => setSubjectId(e.target.value.trim())}
          />
        </Field>
        <div className="buttons">
          <button type="submit" disabled={act.isPending}>
            {t.accept}
          </button>
          <button
            type="button"
            disabled={act.isPending}
            onClick={() => {
              if (window.confirm(t.confirmDismiss)) act.mutate('dismiss');
            }}
          >
            {t.dismiss}
          </button>
        </div>
      </form>
    </li>
  );
}
