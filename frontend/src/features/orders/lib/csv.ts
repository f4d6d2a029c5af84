import type { Order } from '@/features/orders/api/types'

export const ORDER_CSV_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'account',
  'exchange',
  'symbol',
  'side',
  'type',
  'amount',
  'price',
  'filled_amount',
  'average_price',
  'fee',
  'fee_currency',
  'status',
  'reason',
  'client_order_id',
  'exchange_order_id',
] as const

/**
 * One CSV cell: quoted when it holds a separator, quote or line break; text a spreadsheet would run
 * as a formula (starting with =, +, -, @, tab or carriage return, and not a plain number) gets a
 * leading apostrophe.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The loaded orders as CSV (RFC 4180 line endings), one row per order, header first. */
export function ordersToCsv(orders: readonly Order[]): string {
  const rows = orders.map((order) => {
    const values: Record<(typeof ORDER_CSV_COLUMNS)[number], string | number | null> = {
      id: order.id,
      created_at: order.created_at,
      updated_at: order.updated_at,
      account: `${order.account.kind}:${order.account.label}`,
      exchange: order.exchange,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      amount: order.amount,
      price: order.price,
      filled_amount: order.filled_amount,
      average_price: order.average_price,
      fee: order.fee,
      fee_currency: order.fee_currency,
      status: order.status,
      reason: order.reason,
      client_order_id: order.client_order_id,
      exchange_order_id: order.exchange_order_id,
    }
    return ORDER_CSV_COLUMNS.map((column) => csvCell(values[column])).join(',')
  })
  return [ORDER_CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n'
}

/** Offer `text` as a file download (a Blob URL, revoked right after the click). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  URL.revokeObjectURL(url)
}
