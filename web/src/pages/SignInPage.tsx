import { useState } from 'react';
import { passwordShortfalls } from '#domain/staff-password.ts';
import { texts } from '../i18n.ts';
import { SignInError, type SignInStep, setFirstPassword, signIn } from '../session.ts';
import { Field } from '../ui.tsx';

/** Both languages at once: who is signing in (and so their language) is not known yet. */
const both = (key: keyof (typeof texts)['en']) => `${texts['zh-CN'][key]} / ${texts.en[key]}`;

const RULES = [
  ['length', 'ruleLength'],
  ['lowercase', 'ruleLowercase'],
  ['uppercase', 'ruleUppercase'],
  ['number', 'ruleNumber'],
  ['symbol', 'ruleSymbol'],
] as const;

export function SignInPage({ expired, onSignedIn }: { expired: boolean; onSignedIn(): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<Extract<SignInStep, { done: false }>>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const shortfalls = passwordShortfalls(password);
  const submit = async (event: { preventDefault(): void }) => {
    event.preventDefault();
    if (challenge && shortfalls.length > 0) return setError(both('passwordTooWeak'));
    setBusy(true);
    setError(undefined);
    try {
      const step = challenge ? await setFirstPassword(challenge, password) : await signIn(email, password);
      if (step.done) onSignedIn();
      else {
        setChallenge(step);
        setPassword('');
      }
    } catch (failure) {
      setError(failure instanceof SignInError ? `${failure.code}: ${failure.message}` : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>{both('appName')}</h1>
      {expired && <p role="status">{both('sessionExpired')}</p>}
      <form onSubmit={submit}>
        {challenge ? (
          <>
            <p>{both('chooseYourPassword')}</p>
            <Field label={both('newPassword')}>
              <input
                type="password"
                autoComplete="new-password"
                required
                aria-describedby="password-rules"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
            {/* The pool's own rules (domain/staff-password.ts), each ticked as it is met. */}
            <ul id="password-rules" className="password-rules">
              {RULES.map(([rule, key]) => (
                <li key={rule} data-met={!shortfalls.includes(rule)}>
                  {!shortfalls.includes(rule) ? '✓' : '·'} {both(key)}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <>
            <Field label={both('email')}>
              <input
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </Field>
            <Field label={both('password')}>
              <input
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {challenge ? both('setPassword') : both('signIn')}
        </button>
      </form>
    </main>
  );
}
