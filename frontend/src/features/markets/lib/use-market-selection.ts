import { getRouteApi } from '@tanstack/react-router'
import { useMemo } from 'react'
import { marketKey, useMarkets } from '@/features/markets/api/markets'
import { usePreferences } from '@/lib/preferences'
import type { Market } from '@/features/markets/api/types'

export interface MarketSelection {
  markets: readonly Market[]
  market: Market | null
  timeframe: string
  timeframes: readonly string[]
  isPending: boolean
  error: unknown
  refetch: () => void
  select: (change: { market?: string; timeframe?: string }) => void
}

const FALLBACK_TIMEFRAMES = ['1h']

const dashboardRoute = getRouteApi('/')

/** Pick the default: the preferred exchange's first market, then any enabled market, then the first. */
export function defaultMarket(markets: readonly Market[], preferredExchange: string): Market | null {
  return (
    markets.find((market) => preferredExchange !== '' && market.exchange === preferredExchange && market.enabled) ??
    markets.find((market) => market.enabled) ??
    markets[0] ??
    null
  )
}

/**
 * The market and timeframe in view, kept in the URL (`?market=binance:BTC/USDT&tf=1h`) so a
 * link or a reload shows the same chart.
 */
export function useMarketSelection(): MarketSelection {
  const markets = useMarkets()
  const search = dashboardRoute.useSearch()
  const navigate = dashboardRoute.useNavigate()
  const preferences = usePreferences()
  const list = useMemo(() => markets.data ?? [], [markets.data])
  const wanted = search.market ?? null
  const market = list.find((item) => marketKey(item) === wanted) ?? defaultMarket(list, preferences.defaultExchange)
  const timeframes = market === null || market.timeframes.length === 0 ? FALLBACK_TIMEFRAMES : market.timeframes
  const wantedTimeframe = search.tf ?? null
  const timeframe = wantedTimeframe !== null && timeframes.includes(wantedTimeframe) ? wantedTimeframe : (timeframes.includes('1h') ? '1h' : (timeframes[0] ?? '1h'))

  const select = (change: { market?: string; timeframe?: string }) => {
    void navigate({
      search: (current) => ({
        ...current,
        ...(change.market === undefined ? {} : { market: change.market }),
        ...(change.timeframe === undefined ? {} : { tf: change.timeframe }),
      }),
      replace: true,
    })
  }

  return {
    markets: list,
    market,
    timeframe,
    timeframes,
    isPending: markets.isPending,
    error: markets.error,
    refetch: () => void markets.refetch(),
    select,
  }
}
