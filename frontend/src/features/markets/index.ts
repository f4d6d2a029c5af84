/** The public entry of the markets feature: other features and the app import only from here. */
export { useCandles } from '@/features/markets/api/candles'
export { marketKey, useExchanges, useMarkets } from '@/features/markets/api/markets'
export type { CandleQuery, Exchange, Market } from '@/features/markets/api/types'
export { MarketPicker } from '@/features/markets/components/market-picker'
export { useLiveCandles } from '@/features/markets/lib/use-live-candles'
export { useMarketSelection } from '@/features/markets/lib/use-market-selection'
export { validateMarketSearch } from '@/features/markets/lib/search'
