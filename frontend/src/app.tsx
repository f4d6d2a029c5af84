import type { ReactNode } from 'react'
import { useMe } from '@/api/auth'
import { AppShell } from '@/components/app-shell'
import { FullPageStatus } from '@/components/full-page-status'
import { Redirect } from '@/components/redirect'
import { StreamProvider } from '@/components/stream-provider'
import { Button } from '@/components/ui/button'
import { NAV_ITEMS } from '@/config/navigation'
import { errorMessage } from '@/lib/api-client'
import { safeRedirectPath, useLocation } from '@/lib/router'
import { BacktestsPage } from '@/pages/backtests-page'
import { ComingSoonPage } from '@/pages/coming-soon-page'
import { DashboardPage } from '@/pages/dashboard-page'
import { LoginPage } from '@/pages/login-page'
import { ModelsPage } from '@/pages/models-page'
import { NotFoundPage } from '@/pages/not-found-page'
import { SentimentPage } from '@/pages/sentiment-page'
import { SettingsPage } from '@/pages/settings-page'
import { SignalsPage } from '@/pages/signals-page'

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
  return render === undefined ? <NotFoundPage /> : render()
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
