import { useEffect, useState } from 'preact/hooks';

/** Pages by URL fragment, so the browser's back, forward and bookmarks work: `#/`, `#/environments/x`, `#/releases/y`. */
export type Page = { page: 'overview' } | { page: 'environment'; name: string } | { page: 'release'; id: string };

export function pageOf(hash: string): Page {
  const [, section, id] = hash.replace(/^#/, '').split('/');
  if (section === 'environments' && id) return { page: 'environment', name: decodeURIComponent(id) };
  if (section === 'releases' && id) return { page: 'release', id: decodeURIComponent(id) };
  return { page: 'overview' };
}

export const environmentHref = (name: string) => `#/environments/${encodeURIComponent(name)}`;
export const releaseHref = (id: string) => `#/releases/${encodeURIComponent(id)}`;

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}

export function usePage(): Page {
  const [page, setPage] = useState(() => pageOf(window.location.hash));
  useEffect(() => {
    const onChange = () => {
      setPage(pageOf(window.location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onChange);
    // Effects run after the first paint: a hash changed before the listener was there is read now.
    setPage(pageOf(window.location.hash));
    return () => {
      window.removeEventListener('hashchange', onChange);
    };
  }, []);
  return page;
}
