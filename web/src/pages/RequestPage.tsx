import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { canTransition, openRequestStatuses } from '#domain/request-status.ts';
import { instantOfLocalTime } from '#domain/working-calendar.ts';
import { api } from '../api.ts';
import { useDraft } from '../drafts.ts';
import { useWords } from '../i18n.ts';
import { linkProps } from '../router.ts';
import type { Me, ServiceRequest } from '../types.ts';
import { Badge, Countdown, ErrorNote, Field, Loading } from '../ui.tsx';
import { Conversation } from './Conversation.tsx';
import { nameOf } from './WorklistPage.tsx';

/** Who did something, as a timeline shows it: a colleague by name, a key or an address as it is. */
export function actorName(me: Me, actor: string, word: (value: string) => string): string {
  if (actor.startsWith('apikey:')) return `API key ${actor.slice(7)}`;
  if (actor.startsWith('email:')) return actor.slice(6);
  if (actor === 'system') return word('system');
  return nameOf(me, actor);
}

export function RequestPage({ requestId, me }: { requestId: string; me: Me }) {
  const { t, word, dateTime, duration } = useWords();
  const request = useQuery({
    queryKey: ['request', requestId],
    queryFn: () => api<ServiceRequest>('GET', `/v1/requests/${requestId}`),
    refetchInterval: 30_000,
  });
  if (request.isPending) return <Loading />;
  if (request.isError) return <ErrorNote error={request.error} onRetry={() => void request.refetch()} />;
  const r = request.data;
  const open = (openRequestStatuses as readonly string[]).includes(r.status);
  return (
    <article className="request">
      <p>
        <a {...linkProps('/')}>← {t.worklist}</a>
      </p>
      <h1>
        {word(r.kind)} · {r.requestId} <Badge tone="info">{word(r.status)}</Badge>
      </h1>
      <div className="columns">
        <section aria-labelledby="about">
          <h2 id="about">{t.customer}</h2>
          <dl>
            <dt>{t.customer}</dt>
            <dd>
              {r.customer ? (
                <>
                  {r.customer.name} &lt;{r.customer.email}&gt;
                  {r.customer.phone ? ` · ${r.customer.phone}` : ''} ·{' '}
                  <a {...linkProps(`/customers/${encodeURIComponent(r.customer.email.toLowerCase())}`)}>
                    {t.history}
                  </a>
                </>
              ) : (
                '—'
              )}
            </dd>
            <dt>{t.order}</dt>
            <dd>{r.orderReference ?? '—'}</dd>
            <dt>{t.product}</dt>
            <dd>{r.productReference ?? '—'}</dd>
            <dt>{t.channel}</dt>
            <dd>{word(r.channel)}</dd>
            <dt>{t.assignee}</dt>
            <dd>{nameOf(me, r.assigneeId ?? r.dispatch?.technicianId) || '—'}</dd>
            <dt>{t.contract}</dt>
            <dd>
              {r.terms.contractId} v{r.terms.contractVersion}
            </dd>
            <dt>{t.description}</dt>
            <dd className="prose">{r.description}</dd>
            {r.cancelledAt && (
              <>
                <dt>{t.cancelled}</dt>
                <dd>
                  {dateTime(r.cancelledAt)}
                  {r.cancelReason ? ` · ${r.cancelReason}` : ''}
                </dd>
              </>
            )}
          </dl>
        </section>
        <section aria-labelledby="deadlines">
          <h2 id="deadlines">{t.deadlines}</h2>
          <dl>
            <dt>{t.response}</dt>
            <dd>
              {dateTime(r.deadlines.response)} ·{' '}
              {r.status !== 'cancelled' && (
                <Countdown
                  deadline={Date.parse(r.deadlines.response)}
                  metAt={r.acknowledgedAt ? Date.parse(r.acknowledgedAt) : undefined}
                />
              )}
            </dd>
            <dt>{t.completion}</dt>
            <dd>
              {dateTime(r.deadlines.completion)} ·{' '}
              {r.status !== 'cancelled' && (
                <Countdown
                  deadline={Date.parse(r.deadlines.completion)}
                  metAt={r.completedAt ? Date.parse(r.completedAt) : undefined}
                />
              )}
            </dd>
          </dl>
          {r.breaches.length > 0 && (
            <ul className="breaches">
              {r.breaches.map((b) => (
                <li key={b.promise}>
                  <Badge tone="breach">{t.breached}</Badge> {t[b.promise]}: {duration(b.minutesLate * 60_000)}{' '}
                  {t.minutesLate} ({b.open ? t.open : `${t.met} ${dateTime(b.metAt!)}`})
                </li>
              ))}
            </ul>
          )}
          <h2>{t.warranty}</h2>
          <p>
            {!r.warranty.applies
              ? t.warrantyNotApplicable
              : r.warranty.inWarranty
                ? `${t.inWarranty} (${t.coveredUntil} ${r.warranty.coveredUntil})`
                : r.warranty.coveredUntil
                  ? `${t.outOfWarranty} (${t.coveredUntil} ${r.warranty.coveredUntil})`
                  : '—'}
          </p>
        </section>
      </div>
      {r.dispatch && (
        <section aria-labelledby="dispatch">
          <h2 id="dispatch">{t.dispatchDone}</h2>
          <dl>
            <dt>{t.technician}</dt>
            <dd>{nameOf(me, r.dispatch.technicianId)}</dd>
            <dt>{t.mode}</dt>
            <dd>{word(r.dispatch.mode)}</dd>
            <dt>{t.scheduledFor}</dt>
            <dd>{r.dispatch.scheduledFor ? dateTime(r.dispatch.scheduledFor) : t.appointmentToAgree}</dd>
            <dt>{t.dispatchedAt}</dt>
            <dd>
              {dateTime(r.dispatch.dispatchedAt)} · {actorName(me, r.dispatch.dispatchedBy, word)}
            </dd>
          </dl>
        </section>
      )}
      {open && <Actions request={r} me={me} />}
      {r.serviceRecord && (
        <section aria-labelledby="record">
          <h2 id="record">
            {t.serviceRecord} {r.serviceRecord.recordNumber}
          </h2>
          <dl>
            <dt>{t.workDone}</dt>
            <dd className="prose">{r.serviceRecord.workDone}</dd>
            <dt>{t.startedAt}</dt>
            <dd>{dateTime(r.serviceRecord.startedAt)}</dd>
            <dt>{t.endedAt}</dt>
            <dd>{dateTime(r.serviceRecord.endedAt)}</dd>
            <dt>{t.technician}</dt>
            <dd>{r.serviceRecord.staff.map((s) => s.name).join(', ')}</dd>
            <dt>{t.restored}</dt>
            <dd>{r.serviceRecord.restoredToNormalUse ? t.yes : t.no}</dd>
          </dl>
        </section>
      )}
      {r.survey && (
        <section aria-labelledby="survey">
          <h2 id="survey">{t.survey}</h2>
          {r.survey.answer ? (
            <dl>
              <dt>{t.serviceScore}</dt>
              <dd>{r.survey.answer.serviceScore} / 5</dd>
              <dt>{t.goodsScore}</dt>
              <dd>{r.survey.answer.goodsScore} / 5</dd>
              <dt>{t.recommendScore}</dt>
              <dd>{r.survey.answer.recommendScore} / 10</dd>
              {r.survey.answer.serviceOpinion && (
                <>
                  <dt>{t.serviceOpinion}</dt>
                  <dd className="prose">{r.survey.answer.serviceOpinion}</dd>
                </>
              )}
              {r.survey.answer.goodsOpinion && (
                <>
                  <dt>{t.goodsOpinion}</dt>
                  <dd className="prose">{r.survey.answer.goodsOpinion}</dd>
                </>
              )}
            </dl>
          ) : (
            <p>{t.surveyNotAnswered}</p>
          )}
        </section>
      )}
      <Conversation path={`/v1/requests/${r.requestId}`} me={me} />
      <Timeline events={r.timeline} me={me} />
    </article>
  );
}

/**
 * The details an event shows besides who and when (#37: everything recorded is shown), each
 * with a word in both languages: a reason, to whom and from whom, a level, recipients, a mode,
 * a deadline. The lifecycle's bookkeeping (generations, attempts, ids) is left out.
 */
const SHOWN_DETAILS = [
  'reason',
  'to',
  'from',
  'technicianId',
  'mode',
  'level',
  'promise',
  'deadline',
  'recipients',
  'rejected',
  'via',
];
/** Of those, staff ids: shown by name. */
const STAFF_DETAILS = new Set(['to', 'from', 'technicianId']);

function EventDetails({ details, me }: { details?: Record<string, unknown>; me: Me }) {
  const { word, dateTime } = useWords();
  if (!details) return null;
  const shown = SHOWN_DETAILS.flatMap((key) => {
    const value = details[key];
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value))
      return [[key, dateTime(value)] as const];
    if (typeof value === 'string' || typeof value === 'number')
      return [[key, STAFF_DETAILS.has(key) ? nameOf(me, String(value)) : word(String(value))] as const];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
      return [[key, value.join(', ')] as const];
    return [];
  });
  if (shown.length === 0) return null;
  return (
    <span className="muted"> ({shown.map(([key, value]) => `${word(key)}: ${value}`).join(' · ')})</span>
  );
}

/** A request's or a feedback case's history, oldest first, people by name, with what each step recorded. */
export function Timeline({ events, me }: { events: ServiceRequest['timeline']; me: Me }) {
  const { t, word, dateTime } = useWords();
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">{t.timeline}</h2>
      <ol className="timeline">
        {events.map((event, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a timeline only grows at its end
          <li key={index} data-event={event.type}>
            {/* The event "received" is not the status (待响应): it says the request came in. */}
            <time dateTime={event.at}>{dateTime(event.at)}</time>{' '}
            <strong>{word(event.type === 'received' ? 'request_received' : event.type)}</strong> ·{' '}
            {actorName(me, event.actor, word)}
            <EventDetails details={event.details} me={me} />
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The actions the API has for an open request; the API's rules decide, and its refusals show here. */
function Actions({ request, me }: { request: ServiceRequest; me: Me }) {
  const { t, word, timeZone } = useWords();
  // Times are typed as the page shows them: in the tenant's zone, wherever the browser is.
  const instantOf = (local: string) => instantOfLocalTime(timeZone, local).toISOString();
  const inZone = (label: string) => `${label} (${timeZone})`;
  const queryClient = useQueryClient();
  // Kept in the tab: a session that ends while it is typed keeps it for after the sign-in.
  const reason = useDraft(`/v1/requests/${request.requestId}#cancel`);
  const [assignee, setAssignee] = useState({ staffId: '', reason: '' });
  const act = useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown }) =>
      api<ServiceRequest>('POST', `/v1/requests/${request.requestId}/${action}`, body),
    onSuccess: (updated, { action }) => {
      if (action === 'cancel') reason.clear();
      if (action === 'assign') setAssignee({ staffId: '', reason: '' });
      queryClient.setQueryData(['request', request.requestId], (old: ServiceRequest | undefined) =>
        old ? { ...old, ...updated } : updated,
      );
      void queryClient.invalidateQueries({ queryKey: ['request', request.requestId] });
      void queryClient.invalidateQueries({ queryKey: ['requests'] });
    },
  });
  const needs = me.requiredSkills[request.kind];
  const technicians = me.colleagues.filter(
    (c) => c.roles.includes('technician') && !c.disabled && (!needs || c.skills.includes(needs)),
  );
  const [dispatch, setDispatch] = useState({ technicianId: '', mode: 'on_site', scheduledFor: '' });
  const [record, setRecord] = useState({ workDone: '', startedAt: '', endedAt: '', restored: true });
  const submit = (action: string, body?: unknown) => (event?: FormEvent) => {
    event?.preventDefault();
    if (action === 'cancel' && !window.confirm(t.confirmCancel)) return;
    act.mutate({ action, body });
  };
  const form = (title: string, action: string, body: () => unknown, children: ReactNode) => (
    <form onSubmit={(e) => submit(action, body())(e)} aria-label={title}>
      <h3>{title}</h3>
      {children}
      <button type="submit" disabled={act.isPending}>
        {title}
      </button>
    </form>
  );
  return (
    <section aria-labelledby="actions" className="actions">
      <h2 id="actions">{t.actions}</h2>
      <ErrorNote error={act.error} />
      <div className="buttons">
        {canTransition('acknowledge', request.status) && (
          <button type="button" onClick={submit('acknowledge')} disabled={act.isPending}>
            {t.acknowledge}
          </button>
        )}
        {me.staffId && request.assigneeId !== me.staffId && (
          <button
            type="button"
            onClick={() => {
              // Taking work a colleague holds is said, not done silently.
              if (request.assigneeId && !window.confirm(t.confirmTakeOver)) return;
              submit('take-over')();
            }}
            disabled={act.isPending}
          >
            {t.takeOver}
          </button>
        )}
      </div>
      {me.role !== 'agent' &&
        form(
          t.assign,
          'assign',
          () => ({ staffId: assignee.staffId, ...(assignee.reason ? { reason: assignee.reason } : {}) }),
          <>
            <Field label={t.assignTo}>
              <select
                required
                value={assignee.staffId}
                onChange={(e) => setAssignee({ ...assignee, staffId: e.target.value })}
              >
                <option value="">—</option>
                {me.colleagues
                  .filter((c) => !c.disabled && c.staffId !== request.assigneeId)
                  .filter(
                    (c) => !c.roles.every((r) => r === 'technician') || !needs || c.skills.includes(needs),
                  )
                  .map((c) => (
                    <option key={c.staffId} value={c.staffId}>
                      {c.name} ({c.roles.map(word).join('、')})
                    </option>
                  ))}
              </select>
            </Field>
            <Field label={t.reassignReason}>
              <input
                required={request.assigneeId !== undefined}
                value={assignee.reason}
                onChange={(e) => setAssignee({ ...assignee, reason: e.target.value })}
              />
            </Field>
          </>,
        )}
      {canTransition('dispatch', request.status) &&
        form(
          t.dispatch,
          'dispatch',
          () => ({
            technicianId: dispatch.technicianId,
            mode: dispatch.mode,
            ...(dispatch.scheduledFor ? { scheduledFor: instantOf(dispatch.scheduledFor) } : {}),
          }),
          <>
            {needs && (
              <p className="muted">
                {t.needsSkill}: {needs}
              </p>
            )}
            {technicians.length === 0 && <p>{t.noQualifiedTechnician}</p>}
            <Field label={t.technician}>
              <select
                required
                value={dispatch.technicianId}
                onChange={(e) => setDispatch({ ...dispatch, technicianId: e.target.value })}
              >
                <option value="">—</option>
                {technicians.map((c) => (
                  <option key={c.staffId} value={c.staffId}>
                    {c.name} ({c.skills.join(', ')})
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t.mode}>
              <select
                value={dispatch.mode}
                onChange={(e) => setDispatch({ ...dispatch, mode: e.target.value })}
              >
                <option value="on_site">{t.onSite}</option>
                <option value="remote">{t.remote}</option>
              </select>
            </Field>
            <Field label={inZone(t.scheduledFor)}>
              <input
                type="datetime-local"
                value={dispatch.scheduledFor}
                onChange={(e) => setDispatch({ ...dispatch, scheduledFor: e.target.value })}
              />
            </Field>
          </>,
        )}
      {canTransition('complete', request.status) &&
        form(
          t.complete,
          'complete',
          () => ({
            workDone: record.workDone,
            startedAt: record.startedAt && instantOf(record.startedAt),
            endedAt: record.endedAt && instantOf(record.endedAt),
            restoredToNormalUse: record.restored,
          }),
          <>
            <Field label={t.workDone}>
              <textarea
                required
                value={record.workDone}
                onChange={(e) => setRecord({ ...record, workDone: e.target.value })}
              />
            </Field>
            <Field label={inZone(t.startedAt)}>
              <input
                type="datetime-local"
                required
                value={record.startedAt}
                onChange={(e) => setRecord({ ...record, startedAt: e.target.value })}
              />
            </Field>
            <Field label={inZone(t.endedAt)}>
              <input
                type="datetime-local"
                required
                value={record.endedAt}
                onChange={(e) => setRecord({ ...record, endedAt: e.target.value })}
              />
            </Field>
            <label className="check">
              <input
                type="checkbox"
                checked={record.restored}
                onChange={(e) => setRecord({ ...record, restored: e.target.checked })}
              />{' '}
              {t.restored}
            </label>
          </>,
        )}
      {form(
        t.cancel,
        'cancel',
        () => ({ reason: reason.draft.text }),
        <Field label={t.reason}>
          <input required value={reason.draft.text} onChange={(e) => reason.update(e.target.value)} />
        </Field>,
      )}
      <p className="muted">
        {t.status}: {word(request.status)}
      </p>
    </section>
  );
}
