/** Drop a trailing slash so `/signals/` and `/signals` are the same path. */
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
