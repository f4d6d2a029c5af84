/** The public entry of the trades feature: other features and the app import only from here. */
export { tradeKeys, type Trade } from '@/features/trades/api/trades'
export { validateTradesSearch } from '@/features/trades/lib/search'
export { useTradeEvents } from '@/features/trades/lib/use-trade-events'
