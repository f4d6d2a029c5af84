/** A decimal string (or number) shown with `digits` decimals; '—' for null or not a number. */
export function formatAmount(value: string | number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || value === '') return '—'
  const number = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(number)) return '—'
  return number.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** A profit or loss with its sign, e.g. "+12.50" or "-3.10". */
export function formatPnl(value: string | number | null | undefined): string {
  const number = typeof value === 'number' ? value : Number(value ?? Number.NaN)
  if (!Number.isFinite(number)) return '—'
  return `${number > 0 ? '+' : ''}${formatAmount(number)}`
}

export function pnlClass(value: string | number | null | undefined): string {
  const number = typeof value === 'number' ? value : Number(value ?? Number.NaN)
  if (!Number.isFinite(number) || number === 0) return 'text-slate-200'
  return number > 0 ? 'text-emerald-300' : 'text-rose-300'
}
