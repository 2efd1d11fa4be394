import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api } from '../api.ts';
import { useWords } from '../i18n.ts';
import type { ApiKeys, Contract, Me, Settings } from '../types.ts';
import { Badge, ErrorNote, Field, Head, Loading } from '../ui.tsx';

/** The admin's settings: each section saves on its own, and the API's refusal shows in it. */
export default function SettingsPage({ me }: { me: Me }) {
  const { t } = useWords();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api<Settings>('GET', '/v1/settings') });
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorNote error={settings.error} />;
  return (
    <section className="settings">
      <h1>{t.settings}</h1>
      <Ladder settings={settings.data} />
      <Terms settings={settings.data} />
      <Storefronts settings={settings.data} />
      <Staff settings={settings.data} me={me} />
      <Keys />
      <Contracts />
    </section>
  );
}

/** Saves a merge patch of the settings, conditional on the version shown (two admins: one wins). */
function useSettingsPatch(settings: Settings) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: object) =>
      api<Settings>(
        'PUT',
        '/v1/settings',
        patch,
        settings.settingsVersion === undefined ? {} : { 'if-match': `"${settings.settingsVersion}"` },
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(['settings'], saved);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A comma-separated list as typed (recipients, skills): its items, trimmed, empty ones dropped. */
const listOf = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A section's save: its refusal above the button, "saved" beside it once done. */
function SaveButton({ save }: { save: { error: unknown; isPending: boolean; isSuccess: boolean } }) {
  const { t } = useWords();
  return (
    <>
      <ErrorNote error={save.error} />
      <button type="submit" disabled={save.isPending}>
        {t.save}
      </button>{' '}
      {save.isSuccess && <span role="status">{t.saved}</span>}
    </>
  );
}

function Ladder({ settings }: { settings: Settings }) {
  const { t } = useWords();
  const save = useSettingsPatch(settings);
  const [levels, setLevels] = useState(() =>
    settings.escalationLadder.levels.map((l) => ({ ...l, recipients: l.recipients.join(', ') })),
  );
  const change = (index: number, field: string, value: string) =>
    setLevels(levels.map((l, i) => (i === index ? { ...l, [field]: value } : l)));
  return (
    <Section id="ladder" title={t.escalationLadder}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            escalationLadder: {
              levels: levels.map((l) => ({
                name: l.name,
                recipients: listOf(l.recipients),
                delayMinutes: Number(l.delayMinutes),
              })),
            },
          });
        }}
      >
        <table>
          <Head columns={[t.level, t.recipients, t.after, t.actions]} />
          <tbody>
            {levels.map((level, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: levels are positions on the ladder
              <tr key={index}>
                {(
                  [
                    ['name', t.level, 'text'],
                    ['recipients', t.recipients, 'text'],
                    ['delayMinutes', t.after, 'number'],
                  ] as const
                ).map(([field, label, type]) => (
                  <td key={field}>
                    <input
                      aria-label={`${label} ${index + 1}`}
                      type={type}
                      min={type === 'number' ? 0 : undefined}
                      value={level[field]}
                      onChange={(e) => change(index, field, e.target.value)}
                    />
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    disabled={levels.length === 1}
                    onClick={() => setLevels(levels.filter((_, i) => i !== index))}
                  >
                    {t.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">{t.recipientsHint}</p>
        <button
          type="button"
          onClick={() =>
            setLevels([
              ...levels,
              { name: '', recipients: '', delayMinutes: (levels.at(-1)?.delayMinutes ?? 0) + 120 },
            ])
          }
        >
          {t.addLevel}
        </button>{' '}
        <SaveButton save={save} />
      </form>
    </Section>
  );
}

function Terms({ settings }: { settings: Settings }) {
  const { t, word } = useWords();
  const save = useSettingsPatch(settings);
  const terms = settings.defaultTerms;
  return (
    <Section id="terms" title={t.defaultTerms}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          save.mutate({
            defaultTerms: {
              responseHours: Number(data.get('responseHours')),
              feedbackWorkingDays: Number(data.get('feedbackWorkingDays')),
              warrantyMonths: Number(data.get('warrantyMonths')),
            },
          });
        }}
      >
        <Field label={`${t.response} (${t.hours})`}>
          <input name="responseHours" type="number" step="any" defaultValue={terms.responseHours} />
        </Field>
        <Field label={`${t.feedback} (${t.workingDays})`}>
          <input name="feedbackWorkingDays" type="number" defaultValue={terms.feedbackWorkingDays} />
        </Field>
        <Field label={`${t.warranty} (${t.months})`}>
          <input name="warrantyMonths" type="number" defaultValue={terms.warrantyMonths} />
        </Field>
        <p className="muted">
          {t.completion}:{' '}
          {Object.entries(terms.completionHours)
            .map(([kind, hours]) => `${word(kind)} ${hours} ${t.hours}`)
            .join(' · ')}
        </p>
        <SaveButton save={save} />
      </form>
    </Section>
  );
}

function Storefronts({ settings }: { settings: Settings }) {
  const { t } = useWords();
  const { shopify, woocommerce, generic } = settings.storefronts;
  const state = (on: boolean) => <Badge tone={on ? 'ok' : 'info'}>{on ? t.connected : t.notConnected}</Badge>;
  return (
    <Section id="storefronts" title={t.storefronts}>
      <ul>
        <li>
          Shopify {shopify.shopDomain ?? ''} {state(shopify.configured)}
        </li>
        <li>WooCommerce {state(woocommerce.configured)}</li>
        <li>Webhook (JSON) {state(generic.configured)}</li>
      </ul>
    </Section>
  );
}

function Staff({ settings, me }: { settings: Settings; me: Me }) {
  const { t, word } = useWords();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['settings'] });
    void queryClient.invalidateQueries({ queryKey: ['me'] });
  };
  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) => api('POST', path, body),
    onSuccess: refresh,
  });
  return (
    <Section id="staff" title={t.staff}>
      <table>
        <Head columns={[t.name, t.email, t.roles, t.skills, t.actions]} />
        <tbody>
          {settings.staff.map((s) => (
            <tr key={s.staffId}>
              <td>
                {s.name} <span className="muted">{s.staffId}</span>
              </td>
              <td>{s.email}</td>
              <td>{s.roles.map(word).join(', ')}</td>
              <td>
                <SkillsEditor settings={settings} staffId={s.staffId} />
              </td>
              <td>
                {s.disabledAt ? (
                  <>
                    <Badge tone="info">{t.disabled}</Badge>{' '}
                    <button
                      type="button"
                      onClick={() => act.mutate({ path: `/v1/staff/${s.staffId}/enable` })}
                    >
                      {t.enable}
                    </button>
                  </>
                ) : (
                  s.staffId !== me.staffId && (
                    <button
                      type="button"
                      onClick={() => {
                        if (window.confirm(`${t.confirmDisable} ${s.name}`))
                          act.mutate({ path: `/v1/staff/${s.staffId}/disable` });
                      }}
                    >
                      {t.disable}
                    </button>
                  )
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        aria-label={t.invite}
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          act.mutate(
            {
              path: '/v1/staff',
              body: {
                staffId: String(data.get('staffId')),
                name: String(data.get('name')),
                email: String(data.get('email')),
                roles: [String(data.get('role'))],
                skills: listOf(String(data.get('skills') ?? '')),
              },
            },
            // Emptied once invited: a second click is not a second invitation (a 409).
            { onSuccess: () => form.reset() },
          );
        }}
      >
        <Field label="ID">
          <input name="staffId" required />
        </Field>
        <Field label={t.name}>
          <input name="name" required />
        </Field>
        <Field label={t.email}>
          <input name="email" type="email" required />
        </Field>
        <Field label={t.role}>
          <select name="role">
            {['agent', 'technician', 'manager', 'admin'].map((r) => (
              <option key={r} value={r}>
                {word(r)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.skills}>
          <input name="skills" />
        </Field>
        <button type="submit" disabled={act.isPending}>
          {t.invite}
        </button>
      </form>
      <ErrorNote error={act.error} />
    </Section>
  );
}

/** A member's skills (6.2.1a), changed in place: the staff list is saved whole, as the API takes it. */
function SkillsEditor({ settings, staffId }: { settings: Settings; staffId: string }) {
  const { t } = useWords();
  const save = useSettingsPatch(settings);
  const member = settings.staff.find((s) => s.staffId === staffId)!;
  const [skills, setSkills] = useState(member.skills.join(', '));
  const changed = skills !== member.skills.join(', ');
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          staff: settings.staff.map((s) => (s.staffId === staffId ? { ...s, skills: listOf(skills) } : s)),
        });
      }}
    >
      <input
        aria-label={`${t.skills}: ${member.name}`}
        value={skills}
        onChange={(e) => setSkills(e.target.value)}
      />
      {changed && (
        <button type="submit" disabled={save.isPending}>
          {t.save}
        </button>
      )}
      <ErrorNote error={save.error} />
    </form>
  );
}

function Keys() {
  const { t, word, dateTime } = useWords();
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () => api<ApiKeys>('GET', '/v1/api-keys?limit=200'),
  });
  const [created, setCreated] = useState<string>();
  const act = useMutation({
    mutationFn: ({ method, path, body }: { method: string; path: string; body?: unknown }) =>
      api<{ apiKey?: string }>(method, path, body),
    onSuccess: (answer) => {
      if (answer.apiKey) setCreated(answer.apiKey);
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  return (
    <Section id="keys" title={t.apiKeys}>
      {keys.isPending ? (
        <Loading />
      ) : (
        <table>
          <Head columns={['ID', t.role, t.created, t.actions]} />
          <tbody>
            {keys.data?.items.map((k) => (
              <tr key={k.keyId}>
                <td>
                  <code>{k.keyId}</code>
                  {k.staffId ? ` · ${k.staffId}` : ''}
                </td>
                <td>{word(k.role)}</td>
                <td>{dateTime(k.createdAt)}</td>
                <td>
                  {k.revokedAt ? (
                    <Badge tone="info">{t.disabled}</Badge>
                  ) : (
                    <button
                      type="button"
                      onClick={() => {
                        if (window.confirm(`${t.confirmRevoke} ${k.keyId}`))
                          act.mutate({ method: 'DELETE', path: `/v1/api-keys/${k.keyId}` });
                      }}
                    >
                      {t.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="filters"
        aria-label={t.newKey}
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          act.mutate({
            method: 'POST',
            path: '/v1/api-keys',
            body: { role: data.get('role'), label: data.get('label') },
          });
        }}
      >
        <Field label={t.role}>
          <select name="role">
            {['agent', 'manager', 'admin'].map((r) => (
              <option key={r} value={r}>
                {word(r)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.label}>
          <input name="label" maxLength={120} />
        </Field>
        <button type="submit">{t.newKey}</button>
      </form>
      {created && (
        <p role="status">
          {t.keyShownOnce} <code>{created}</code>
        </p>
      )}
      <ErrorNote error={act.error ?? keys.error} />
    </Section>
  );
}

function Contracts() {
  const { t, dateTime, word } = useWords();
  const [contractId, setContractId] = useState('');
  const contract = useQuery({
    queryKey: ['contract', contractId],
    queryFn: () => api<Contract>('GET', `/v1/contracts/${encodeURIComponent(contractId)}`),
    enabled: contractId !== '',
  });
  return (
    <Section id="contracts" title={t.contracts}>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setContractId(String(new FormData(e.currentTarget).get('contractId')));
        }}
      >
        <Field label={t.requestIdOrContract}>
          <input name="contractId" pattern="[A-Za-z0-9_\-]{1,80}" required />
        </Field>
        <button type="submit">{t.find}</button>
      </form>
      <ErrorNote error={contract.error} />
      {contract.data && (
        <table>
          <Head columns={[t.version, t.status, t.confirmations]} />
          <tbody>
            {contract.data.versions.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td>{word(v.status)}</td>
                <td>
                  {[v.providerConfirmation, v.customerConfirmation]
                    .filter((c) => c !== undefined)
                    .map((c) => `${c.by} ${dateTime(c.at)}`)
                    .join(' · ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
