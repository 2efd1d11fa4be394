import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { api, whenSignedOut } from './api.ts';
import { type Language, texts, type Words, WordsContext, wordsFor } from './i18n.ts';
import { CalendarPage } from './pages/CalendarPage.tsx';
import { CustomerPage } from './pages/CustomerPage.tsx';
import { FeedbackCasePage, FeedbackPage } from './pages/FeedbackPage.tsx';
import { HeldMailPage } from './pages/HeldMailPage.tsx';
import { NewWorkPage } from './pages/NewWorkPage.tsx';
import { RequestPage } from './pages/RequestPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { WorklistPage } from './pages/WorklistPage.tsx';
import { linkProps, useLocation } from './router.ts';
import { signedIn, signOut } from './session.ts';
import type { Me } from './types.ts';
import { ErrorNote, Loading } from './ui.tsx';
import { canAskForNotifications, useWorkAlerts } from './work-alerts.ts';

// Charts (ECharts) and the admin's settings load with their pages, not with the first one.
const ReportsPage = lazy(() => import('./pages/ReportsPage.tsx'));
const SettingsPage = lazy(() => import('./pages/SettingsPage.tsx'));

const LANGUAGE_KEY = 'aftersales.language';

export function App() {
  const [session, setSession] = useState(() => signedIn() !== undefined);
  const [expired, setExpired] = useState(false);
  const queryClient = useQueryClient();
  useEffect(
    () =>
      whenSignedOut(() => {
        queryClient.clear();
        setExpired(true);
        setSession(false);
      }),
    [queryClient],
  );
  if (!session)
    return (
      <SignInPage
        expired={expired}
        onSignedIn={() => {
          setExpired(false);
          setSession(true);
        }}
      />
    );
  return (
    <Console
      onSignOut={() => {
        signOut();
        queryClient.clear();
        setSession(false);
      }}
    />
  );
}

function Console({ onSignOut }: { onSignOut(): void }) {
  const me = useQuery({
    queryKey: ['me'],
    queryFn: () => api<Me>('GET', '/v1/me'),
    staleTime: 60_000,
    // Down (a 503 while a dependency is out): tried again every 10 s, so the console comes back by itself.
    refetchInterval: (query) => (query.state.status === 'error' ? 10_000 : false),
  });
  const [chosen, setChosen] = useState(() => localStorage.getItem(LANGUAGE_KEY) as Language | null);
  const language: Language = chosen ?? me.data?.language ?? 'zh-CN';
  const words = useMemo(
    () => wordsFor(language, me.data?.timeZone ?? 'Asia/Shanghai'),
    [language, me.data?.timeZone],
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const path = useLocation();
  useWorkAlerts(me.data, chosen ?? me.data?.language ?? 'zh-CN');
  // After a move within the app, focus goes to the new page's heading (a screen reader says where
  // it is, and the keyboard starts there), as a full page load would do; not on the first page.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path === firstPath.current) return;
    firstPath.current = '';
    // The page may still be loading: its heading is focused when it comes (within 5 s).
    const before = document.querySelector('main h1');
    let tries = 0;
    const timer = setInterval(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if ((heading && heading !== before) || ++tries > 100) {
        clearInterval(timer);
        if (!heading) return;
        heading.tabIndex = -1;
        heading.focus();
      }
    }, 50);
    return () => clearInterval(timer);
  }, [path]);
  if (me.isPending) return <Loading what={texts[language].loading} />;
  if (me.isError)
    return (
      <>
        <header className="top">
          <span className="brand">{texts[language].appName}</span>
          <button type="button" onClick={onSignOut}>
            {texts[language].signOut}
          </button>
        </header>
        <main>
          <ErrorNote error={me.error} onRetry={() => void me.refetch()} />
        </main>
      </>
    );
  const who = me.data;
  const managing = who.role === 'manager' || who.role === 'admin';
  const nav = [
    ['/', words.t.worklist],
    ['/feedback', words.t.feedback],
    ['/calendar', words.t.calendar],
    ['/held-mail', words.t.heldMail],
    ...(managing ? [['/reports', words.t.reports]] : []),
    ...(who.role === 'admin' ? [['/settings', words.t.settings]] : []),
  ] as [string, string][];
  const current = nav.find(([href]) =>
    href === '/' ? path === '/' || path.startsWith('/requests') : path.startsWith(href),
  );
  return (
    <WordsContext.Provider value={words}>
      <header className="top">
        <span className="brand">
          {words.t.appName} · {who.tenantName}
        </span>
        <nav aria-label={words.t.appName}>
          {nav.map(([href, label]) => (
            <a key={href} {...linkProps(href)} aria-current={current?.[0] === href ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span className="who">
          {who.name ?? who.staffId ?? who.role} (
          {(who.colleagues.find((c) => c.staffId === who.staffId)?.roles ?? [who.role])
            .map(words.word)
            .join('、')}
          )
        </span>
        <label className="language">
          <span className="visually-hidden">{words.t.language}</span>
          <select
            value={language}
            onChange={(event) => {
              localStorage.setItem(LANGUAGE_KEY, event.target.value);
              setChosen(event.target.value as Language);
            }}
          >
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
        {canAskForNotifications() && (
          <button type="button" onClick={() => void Notification.requestPermission()}>
            {words.t.allowNotifications}
          </button>
        )}
        <button type="button" onClick={onSignOut}>
          {words.t.signOut}
        </button>
      </header>
      <main>
        <Suspense fallback={<Loading />}>
          <Page path={path} me={who} words={words} />
        </Suspense>
      </main>
    </WordsContext.Provider>
  );
}

function Page({ path, me, words }: { path: string; me: Me; words: Words }) {
  if (path === '/requests/new') return <NewWorkPage what="request" />;
  if (path === '/feedback/new') return <NewWorkPage what="feedback" />;
  const feedbackCase = /^\/feedback\/(fb_[a-z0-9_]+)$/.exec(path);
  if (feedbackCase) return <FeedbackCasePage feedbackId={feedbackCase[1]!} me={me} />;
  const customer = /^\/customers\/([^/]+)$/.exec(path);
  if (customer) return <CustomerPage email={decodeURIComponent(customer[1]!)} />;
  const request = /^\/requests\/(sr_[a-z0-9]+)$/.exec(path);
  if (request) return <RequestPage requestId={request[1]!} me={me} />;
  if (path === '/' || path === '') return <WorklistPage me={me} />;
  if (path === '/feedback') return <FeedbackPage me={me} />;
  if (path === '/calendar') return <CalendarPage />;
  if (path === '/held-mail') return <HeldMailPage />;
  if (path === '/reports' && me.role !== 'agent') return <ReportsPage />;
  if (path === '/settings' && me.role === 'admin') return <SettingsPage me={me} />;
  return (
    <section>
      <h1>{words.t.notFound}</h1>
      <p>
        <a {...linkProps('/')}>{words.t.worklist}</a>
      </p>
    </section>
  );
}
