import { Link, useRouterState } from '@tanstack/react-router'
import type { ComponentType, SVGProps } from 'react'
import {
  BacktestIcon,
  BotIcon,
  DashboardIcon,
  ModelIcon,
  OrdersIcon,
  SentimentIcon,
  SettingsIcon,
  SignalIcon,
  TradesIcon,
} from '@/components/icons'
import { NAV_ITEMS, isActivePath, type NavIcon } from '@/app/navigation'
import { cn } from '@/lib/cn'

const ICONS: Record<NavIcon, ComponentType<SVGProps<SVGSVGElement>>> = {
  dashboard: DashboardIcon,
  signals: SignalIcon,
  sentiment: SentimentIcon,
  backtests: BacktestIcon,
  models: ModelIcon,
  settings: SettingsIcon,
  bots: BotIcon,
  orders: OrdersIcon,
  trades: TradesIcon,
}

/** The product's sections. Used as the sidebar on wide screens and the top menu on phones. */
export function SideNav({ id, label = 'Main', onNavigate }: { id?: string; label?: string; onNavigate?: () => void }) {
  const pathname = useRouterState({ select: (state) => state.location.pathname })
  const available = NAV_ITEMS.filter((item) => item.comingSoon !== true)
  const upcoming = NAV_ITEMS.filter((item) => item.comingSoon === true)

  return (
    <nav id={id} aria-label={label} className="flex flex-col gap-6 p-3">
      <ul className="flex flex-col gap-0.5">
        {available.map((item) => {
          const Icon = ICONS[item.icon]
          const active = isActivePath(item.path, pathname)
          return (
            <li key={item.path}>
              <Link
                to={item.path}
                onClick={onNavigate}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'group flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors',
                  active ? 'bg-cyan-400/10 text-cyan-200 ring-1 ring-cyan-400/20 ring-inset' : 'text-slate-300 hover:bg-white/5 hover:text-white',
                )}
              >
                <Icon className={cn('size-5 shrink-0', active ? 'text-cyan-300' : 'text-slate-400 group-hover:text-slate-200')} />
                {item.label}
              </Link>
            </li>
          )
        })}
      </ul>
      {upcoming.length === 0 ? null : (
        <div>
          <p className="px-3 pb-2 text-xs font-semibold tracking-wider text-slate-400 uppercase" id={`${id ?? 'nav'}-soon`}>
            Coming soon
          </p>
          <ul className="flex flex-col gap-0.5" aria-labelledby={`${id ?? 'nav'}-soon`}>
            {upcoming.map((item) => {
              const Icon = ICONS[item.icon]
              return (
                <li key={item.path}>
                  <span
                    aria-disabled="true"
                    className="flex cursor-not-allowed items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium text-slate-400"
                  >
                    <Icon className="size-5 shrink-0 text-slate-500" />
                    {item.label}
                    <span className="ml-auto rounded-full bg-white/5 px-2 py-0.5 text-[0.7rem] text-slate-400 ring-1 ring-white/10 ring-inset">
                      Soon<span className="sr-only">: not available yet</span>
                    </span>
                  </span>
                </li>
              )
            })}
          </ul>
        </div>
      )}
    </nav>
  )
}
