import { useMemo } from 'react'
import { marketKey, useMarkets } from '@/api/markets'
import { usePreferences } from '@/lib/preferences'
import { navigate, useLocation } from '@/lib/router'
import type { Market } from '@/types/markets'

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
  const { pathname, search } = useLocation()
  const preferences = usePreferences()
  const list = useMemo(() => markets.data ?? [], [markets.data])
  const wanted = search.get('market')
  const market = list.find((item) => marketKey(item) === wanted) ?? defaultMarket(list, preferences.defaultExchange)
  const timeframes = market === null || market.timeframes.length === 0 ? FALLBACK_TIMEFRAMES : market.timeframes
  const wantedTimeframe = search.get('tf')
  const timeframe = wantedTimeframe !== null && timeframes.includes(wantedTimeframe) ? wantedTimeframe : (timeframes.includes('1h') ? '1h' : (timeframes[0] ?? '1h'))

  const select = (change: { market?: string; timeframe?: string }) => {
    const params = new URLSearchParams(search)
    if (change.market !== undefined) params.set('market', change.market)
    if (change.timeframe !== undefined) params.set('tf', change.timeframe)
    navigate(`${pathname}?${params}`, { replace: true })
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
