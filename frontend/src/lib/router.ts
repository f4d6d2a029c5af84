import { useSyncExternalStore } from 'react'

const NAVIGATE_EVENT = 'quantum-trader:navigate'

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATE_EVENT, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATE_EVENT, onChange)
  }
}

function currentHref(): string {
  return `${window.location.pathname}${window.location.search}`
}

/** Change the URL with the History API and re-render every `useLocation` consumer. */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (to === currentHref()) return
  if (replace) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

export interface AppLocation {
  pathname: string
  search: URLSearchParams
}

export function useLocation(): AppLocation {
  const href = useSyncExternalStore(subscribe, currentHref, () => '/')
  const url = new URL(href, 'http://localhost')
  return { pathname: normalizePath(url.pathname), search: url.searchParams }
}

/** Drop a trailing slash so `/signals/` and `/signals` match the same route. */
export function normalizePath(pathname: string): string {
  if (pathname.length > 1 && pathname.endsWith('/')) return pathname.slice(0, -1)
  return pathname
}

/** Accept only same-origin app paths as a post-login destination. */
export function safeRedirectPath(value: string | null | undefined, fallback = '/'): string {
  if (value === null || value === undefined || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback
  }
  if (normalizePath(value.split('?')[0] ?? '') === '/login') return fallback
  return value
}
