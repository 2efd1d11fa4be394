import type { ReactNode } from 'react';
import { ApiError } from './api.ts';
import { useWords } from './i18n.ts';
import { nextPromiseOf } from './promises.ts';
import { useServiceNow } from './time.ts';
import type { RequestSummary } from './types.ts';

/** An API's refusal, in place: its message, and each field's complaint. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { refusal, t } = useWords();
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div role="alert" className="error">
      <strong>{api ? `${api.status} ${refusal(api.code) ?? api.code}` : 'Error'}</strong>:{' '}
      {(error as Error).message}
      {api && Object.keys(api.fields).length > 0 && (
        <ul>
          {Object.entries(api.fields).map(([field, problems]) => (
            <li key={field}>
              <code>{field}</code>: {problems.join('; ')}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <p>
          <button type="button" onClick={onRetry}>
            {t.retry}
          </button>{' '}
          <span className="muted">{t.retryingByItself}</span>
        </p>
      )}
    </div>
  );
}

export function Loading({ what }: { what?: ReactNode }) {
  const { t } = useWords();
  return <p aria-busy="true">{what ?? t.loading}</p>;
}

/** Time left to a deadline, live; past it, how late (and a breach badge). */
export function Countdown({ deadline, metAt }: { deadline: number; metAt?: number }) {
  const { t, duration } = useWords();
  const now = useServiceNow();
  const at = metAt ?? now;
  const left = deadline - at;
  if (metAt !== undefined)
    return left >= 0 ? (
      <span className="met">{t.met}</span>
    ) : (
      <span className="late">
        {t.met}, {t.overdueBy} {duration(left)}
      </span>
    );
  return left >= 0 ? (
    <span className="countdown" data-deadline={new Date(deadline).toISOString()}>
      {t.dueIn} {duration(left)}
    </span>
  ) : (
    <span className="countdown late" data-deadline={new Date(deadline).toISOString()}>
      {t.overdueBy} {duration(left)}
    </span>
  );
}

export function RequestCountdown({ request }: { request: RequestSummary }) {
  const next = nextPromiseOf(request);
  return next ? <Countdown deadline={next.deadline} /> : null;
}

export const Badge = ({ children, tone }: { children: ReactNode; tone: 'breach' | 'info' | 'ok' }) => (
  <span className={`badge ${tone}`}>{children}</span>
);

/** A labelled control: the label names the input for screen readers (WCAG 1.3.1, 4.1.2). */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A table's header row: each a column header (WCAG 1.3.1). */
export function Head({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th scope="col" key={column}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
