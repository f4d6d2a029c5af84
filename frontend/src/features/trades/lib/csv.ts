import { csvCell } from '@/features/orders'
import type { Trade } from '@/features/trades/api/trades'

export const TRADE_CSV_COLUMNS = ['id', 'executed_at', 'exchange', 'symbol', 'side', 'amount', 'price', 'notional', 'fee', 'fee_currency', 'is_maker', 'order', 'bot', 'trade_id', 'realised_pnl'] as const

/** A trade row: the fill and, when its order belongs to a bot, that bot's name. */
export interface TradeRow {
  fill: Trade
  bot: string | null
}

/** The loaded trades as CSV (RFC 4180 line endings), cells neutralised like the orders CSV. */
export function tradesToCsv(rows: readonly TradeRow[]): string {
  const lines = rows.map(({ fill, bot }) => {
    const values: Record<(typeof TRADE_CSV_COLUMNS)[number], string | number | boolean | null> = {
      id: fill.id,
      executed_at: fill.executed_at,
      exchange: fill.exchange,
      symbol: fill.symbol,
      side: fill.side,
      amount: fill.amount,
      price: fill.price,
      notional: notional(fill),
      fee: fill.fee,
      fee_currency: fill.fee_currency,
      is_maker: fill.is_maker,
      order: fill.order,
      bot,
      trade_id: fill.trade_id,
      realised_pnl: fill.realised_pnl,
    }
    return TRADE_CSV_COLUMNS.map((column) => csvCell(values[column])).join(',')
  })
  return [TRADE_CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n'
}

/** amount × price, as text with up to 8 decimals ('' when either is not a number). */
export function notional(fill: Trade): string {
  const value = Number(fill.amount) * Number(fill.price)
  return Number.isFinite(value) ? String(Math.round(value * 1e8) / 1e8) : ''
}
