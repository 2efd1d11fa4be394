import { useSyncExternalStore } from 'react';

/**
 * The console's pages are paths under /console/ (CloudFront and the local runtime answer every one
 * of them with index.html). A router library would be more code than the five lines this needs.
 */
const base = import.meta.env.BASE_URL.replace(/\/$/, '');

const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
};

/** The path within the console (`/requests/sr_…`), and its query. */
export const useLocation = () =>
  useSyncExternalStore(subscribe, () => window.location.pathname.slice(base.length) || '/');

/** The page's query string, as parameters: where a page keeps what survives a reload (its filters). */
export function useSearchParams(): [URLSearchParams, (next: URLSearchParams) => void] {
  const search = useSyncExternalStore(subscribe, () => window.location.search);
  const set = (next: URLSearchParams) => {
    const query = next.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
    window.dispatchEvent(new PopStateEvent('popstate'));
  };
  return [new URLSearchParams(search), set];
}

export const hrefOf = (path: string) => `${base}${path}`;

export function navigate(path: string) {
  window.history.pushState(null, '', hrefOf(path));
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** A link that moves within the app without reloading it (and opens in a new tab as a link does). */
export const linkProps = (path: string) => ({
  href: hrefOf(path),
  onClick: (event: { preventDefault(): void; metaKey: boolean; ctrlKey: boolean; button?: number }) => {
    if (event.metaKey || event.ctrlKey || (event.button ?? 0) !== 0) return;
    event.preventDefault();
    navigate(path);
  },
});
