import { Suspense, lazy, type ReactNode } from 'react'
import { useMe } from '@/api/auth'
import { AppShell } from '@/components/app-shell'
import { FullPageStatus } from '@/components/full-page-status'
import { LoadingBlock } from '@/components/query-state'
import { Redirect } from '@/components/redirect'
import { StreamProvider } from '@/components/stream-provider'
import { Button } from '@/components/ui/button'
import { NAV_ITEMS } from '@/config/navigation'
import { errorMessage } from '@/lib/api-client'
import { safeRedirectPath, useLocation } from '@/lib/router'
import { ComingSoonPage } from '@/pages/coming-soon-page'
import { LoginPage } from '@/pages/login-page'
import { NotFoundPage } from '@/pages/not-found-page'

// Each section loads on first visit; the charting library comes with the pages that chart.
const DashboardPage = lazy(() => import('@/pages/dashboard-page').then((module) => ({ default: module.DashboardPage })))
const SignalsPage = lazy(() => import('@/pages/signals-page').then((module) => ({ default: module.SignalsPage })))
const SentimentPage = lazy(() => import('@/pages/sentiment-page').then((module) => ({ default: module.SentimentPage })))
const BacktestsPage = lazy(() => import('@/pages/backtests-page').then((module) => ({ default: module.BacktestsPage })))
const ModelsPage = lazy(() => import('@/pages/models-page').then((module) => ({ default: module.ModelsPage })))
const SettingsPage = lazy(() => import('@/pages/settings-page').then((module) => ({ default: module.SettingsPage })))

const LOGIN_PATH = '/login'

const ROUTES: Record<string, () => ReactNode> = {
  '/': () => <DashboardPage />,
  '/signals': () => <SignalsPage />,
  '/sentiment': () => <SentimentPage />,
  '/backtests': () => <BacktestsPage />,
  '/models': () => <ModelsPage />,
  '/settings': () => <SettingsPage />,
}

for (const item of NAV_ITEMS) {
  if (item.comingSoon === true) ROUTES[item.path] = () => <ComingSoonPage title={item.label} />
}

function RouteView({ pathname }: { pathname: string }) {
  const render = ROUTES[pathname]
  if (render === undefined) return <NotFoundPage />
  return <Suspense fallback={<LoadingBlock label="Loading the page…" className="h-64" />}>{render()}</Suspense>
}

export function App() {
  const me = useMe()
  const { pathname, search } = useLocation()

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
    const next = pathname === '/' ? '' : `?next=${encodeURIComponent(`${pathname}${search.size > 0 ? `?${search}` : ''}`)}`
    return (
      <>
        {pathname === LOGIN_PATH ? null : <Redirect to={`${LOGIN_PATH}${next}`} />}
        <LoginPage />
      </>
    )
  }

  if (pathname === LOGIN_PATH) {
    return <Redirect to={safeRedirectPath(search.get('next'))} />
  }

  return (
    <StreamProvider>
      <AppShell user={me.data}>
        <RouteView pathname={pathname} />
      </AppShell>
    </StreamProvider>
  )
}
