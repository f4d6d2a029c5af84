import { Navigate, Outlet, useRouter, useRouterState } from '@tanstack/react-router'
import { Suspense, useEffect } from 'react'
import { AppShell } from '@/app/app-shell'
import { safeRedirectPath } from '@/app/safe-redirect'
import { FullPageStatus } from '@/components/full-page-status'
import { LoadingBlock } from '@/components/query-state'
import { StreamProvider } from '@/components/stream-provider'
import { Button } from '@/components/ui/button'
import { useMe } from '@/features/auth'
import { errorMessage } from '@/lib/api-client'

const LOGIN_PATH = '/login'

/** After signing in at /login, go where `?next=` says (same-origin app paths only). */
function LeaveLogin({ next }: { next: string | undefined }) {
  const router = useRouter()
  useEffect(() => {
    router.history.replace(safeRedirectPath(next))
  }, [router, next])
  return null
}

/**
 * The root of every route: signed-out visitors are sent to /login (keeping the requested path in
 * `?next=`), signed-in users get the shell with the live stream around the matched page.
 */
export function RootLayout() {
  const me = useMe()
  const location = useRouterState({ select: (state) => state.location })
  // Decide on the matches being rendered, not on the location being loaded: while a lazy page
  // loads, the location already points at it but the previous page is still on screen.
  const showsLogin = useRouterState({ select: (state) => state.matches.some((match) => match.routeId === LOGIN_PATH) })
  const pathname = location.pathname.length > 1 ? location.pathname.replace(/\/$/, '') : location.pathname

  if (me.isPending) {
    return <FullPageStatus title="Loading Quantum Trader…" busy />
  }

  if (me.isError) {
    return (
      <FullPageStatus title="Quantum Trader is unreachable">
        <p className="mt-2 text-sm text-slate-400">{errorMessage(me.error)}</p>
        <Button className="mt-6" onClick={() => void me.refetch()} isLoading={me.isFetching}>
          Try again
        </Button>
      </FullPageStatus>
    )
  }

  if (me.data === null) {
    if (pathname !== LOGIN_PATH) {
      const next = pathname === '/' ? undefined : `${pathname}${location.searchStr}`
      return <Navigate to="/login" search={{ next }} replace />
    }
    return showsLogin ? <Outlet /> : null
  }

  if (pathname === LOGIN_PATH) {
    const next = (location.search as { next?: unknown }).next
    return <LeaveLogin next={typeof next === 'string' ? next : undefined} />
  }
  if (showsLogin) return null

  return (
    <StreamProvider>
      <AppShell user={me.data}>
        <Suspense fallback={<LoadingBlock label="Loading the page…" className="h-64" />}>
          <Outlet />
        </Suspense>
      </AppShell>
    </StreamProvider>
  )
}
