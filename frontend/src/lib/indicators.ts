/** Price overlays computed from candle closes. Pure functions: index i of the output belongs to
 * index i of the input; `null` where the window is not full yet. */

export type Series = (number | null)[]

/** Simple moving average over `period` values. */
export function sma(values: readonly number[], period: number): Series {
  assertPeriod(period)
  const out: Series = Array.from({ length: values.length }, () => null)
  let sum = 0
  for (let i = 0; i < values.length; i += 1) {
    sum += values[i] ?? 0
    if (i >= period) sum -= values[i - period] ?? 0
    if (i >= period - 1) out[i] = sum / period
  }
  return out
}

/** Exponential moving average (alpha = 2 / (period + 1)), seeded with the SMA of the first window. */
export function ema(values: readonly number[], period: number): Series {
  assertPeriod(period)
  const out: Series = Array.from({ length: values.length }, () => null)
  if (values.length < period) return out
  const alpha = 2 / (period + 1)
  let seed = 0
  for (let i = 0; i < period; i += 1) seed += values[i] ?? 0
  let previous = seed / period
  out[period - 1] = previous
  for (let i = period; i < values.length; i += 1) {
    previous = alpha * (values[i] ?? 0) + (1 - alpha) * previous
    out[i] = previous
  }
  return out
}

export interface BollingerBands {
  middle: Series
  upper: Series
  lower: Series
}

/** Bollinger bands: SMA ± `multiplier` population standard deviations over `period`. */
export function bollinger(values: readonly number[], period = 20, multiplier = 2): BollingerBands {
  assertPeriod(period)
  const middle = sma(values, period)
  const upper: Series = Array.from({ length: values.length }, () => null)
  const lower: Series = Array.from({ length: values.length }, () => null)
  for (let i = period - 1; i < values.length; i += 1) {
    const mean = middle[i]
    if (mean === null || mean === undefined) continue
    let squares = 0
    for (let j = i - period + 1; j <= i; j += 1) squares += ((values[j] ?? 0) - mean) ** 2
    const deviation = Math.sqrt(squares / period)
    upper[i] = mean + multiplier * deviation
    lower[i] = mean - multiplier * deviation
  }
  return { middle, upper, lower }
}

/** Running drawdown of an equity curve as a fraction below its peak (0 at a new high, -0.25 = 25 % down). */
export function drawdown(equity: readonly number[]): number[] {
  let peak = Number.NEGATIVE_INFINITY
  return equity.map((value) => {
    peak = Math.max(peak, value)
    return peak > 0 ? value / peak - 1 : 0
  })
}

function assertPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be a positive integer, got ${period}`)
}
