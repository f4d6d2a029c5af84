import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router'
import { NotFoundPage } from '@/app/not-found-page'
import { RootLayout } from '@/app/root-layout'
import { LoadingBlock } from '@/components/query-state'
import { validateLoginSearch } from '@/features/auth'
import { validateBacktestsSearch } from '@/features/backtests'
import { validateBotsSearch } from '@/features/bots'
import { validateMarketSearch } from '@/features/markets'
import { validateOrdersSearch } from '@/features/orders'
import { validateSignalsSearch } from '@/features/signals'
import { validateTradesSearch } from '@/features/trades'
import { parseSearch, stringifySearch } from '@/lib/search-params'

/*
 * The route tree, in code (no file-based generation). Every section loads on first visit; the
 * charting library comes with the pages that chart. Search params are validated per route
 * (each feature owns its schema) and typed for `Link`, `useNavigate` and `getRouteApi`.
 */
export const rootRoute = createRootRoute({ component: RootLayout, notFoundComponent: NotFoundPage })

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: validateLoginSearch,
  component: lazyRouteComponent(() => import('@/features/auth/pages/login-page'), 'LoginPage'),
})

const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  validateSearch: validateMarketSearch,
  component: lazyRouteComponent(() => import('@/features/dashboard/pages/dashboard-page'), 'DashboardPage'),
})

const signalsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/signals',
  validateSearch: validateSignalsSearch,
  component: lazyRouteComponent(() => import('@/features/signals/pages/signals-page'), 'SignalsPage'),
})

const sentimentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sentiment',
  component: lazyRouteComponent(() => import('@/features/sentiment/pages/sentiment-page'), 'SentimentPage'),
})

const backtestsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/backtests',
  validateSearch: validateBacktestsSearch,
  component: lazyRouteComponent(() => import('@/features/backtests/pages/backtests-page'), 'BacktestsPage'),
})

const modelsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/models',
  component: lazyRouteComponent(() => import('@/features/models/pages/models-page'), 'ModelsPage'),
})

const ordersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/orders',
  validateSearch: validateOrdersSearch,
  component: lazyRouteComponent(() => import('@/features/orders/pages/orders-page'), 'OrdersPage'),
})

const settingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('@/features/settings/pages/settings-page'), 'SettingsPage'),
})

const botsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/bots',
  validateSearch: validateBotsSearch,
  component: lazyRouteComponent(() => import('@/features/bots/pages/bots-page'), 'BotsPage'),
})

const tradesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/trades',
  validateSearch: validateTradesSearch,
  component: lazyRouteComponent(() => import('@/features/trades/pages/trades-page'), 'TradesPage'),
})

export const routeTree = rootRoute.addChildren([
  loginRoute,
  dashboardRoute,
  signalsRoute,
  sentimentRoute,
  backtestsRoute,
  modelsRoute,
  ordersRoute,
  settingsRoute,
  botsRoute,
  tradesRoute,
])

export function createAppRouter() {
  return createRouter({
    routeTree,
    parseSearch,
    stringifySearch,
    // `/signals/` and `/signals` are the same page.
    trailingSlash: 'never',
    defaultPendingComponent: () => <LoadingBlock label="Loading the page…" className="h-64" />,
    scrollRestoration: false,
  })
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>
  }
}
