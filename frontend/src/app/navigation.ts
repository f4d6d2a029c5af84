export type NavIcon =
  | 'dashboard'
  | 'signals'
  | 'sentiment'
  | 'backtests'
  | 'models'
  | 'settings'
  | 'bots'
  | 'orders'
  | 'trades'

/** Every path the route tree serves (checked against the router's typed paths in side-nav). */
export type AppPath = '/' | '/signals' | '/sentiment' | '/backtests' | '/models' | '/orders' | '/settings' | '/bots' | '/trades'

export interface NavItem {
  label: string
  path: AppPath
  icon: NavIcon
  /** Entries that are not ready yet are listed but cannot be opened. */
  comingSoon?: boolean
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Dashboard', path: '/', icon: 'dashboard' },
  { label: 'Signals', path: '/signals', icon: 'signals' },
  { label: 'Sentiment', path: '/sentiment', icon: 'sentiment' },
  { label: 'Backtests', path: '/backtests', icon: 'backtests' },
  { label: 'Models', path: '/models', icon: 'models' },
  { label: 'Bots', path: '/bots', icon: 'bots' },
  { label: 'Orders', path: '/orders', icon: 'orders' },
  { label: 'Trades', path: '/trades', icon: 'trades' },
  { label: 'Settings', path: '/settings', icon: 'settings' },
]

export function isActivePath(itemPath: string, pathname: string): boolean {
  if (itemPath === '/') return pathname === '/'
  return pathname === itemPath || pathname.startsWith(`${itemPath}/`)
}
