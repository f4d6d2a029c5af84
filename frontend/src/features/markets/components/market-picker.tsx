import { marketKey } from '@/features/markets/api/markets'
import { SelectField } from '@/components/ui/select-field'
import type { MarketSelection } from '@/features/markets/lib/use-market-selection'

/** Market and timeframe selects, grouped so they wrap together on a phone. */
export function MarketPicker({ selection }: { selection: MarketSelection }) {
  const { markets, market, timeframe, timeframes, select } = selection
  return (
    <div className="flex flex-wrap items-end gap-3">
      <SelectField
        label="Market"
        className="w-full min-w-48 sm:w-56"
        value={market === null ? '' : marketKey(market)}
        disabled={markets.length === 0}
        onChange={(event) => select({ market: event.target.value })}
        options={
          markets.length === 0
            ? [{ value: '', label: selection.isPending ? 'Loading markets…' : 'No markets' }]
            : markets.map((item) => ({ value: marketKey(item), label: `${item.symbol} · ${item.exchange}${item.is_demo ? ' (demo)' : ''}` }))
        }
      />
      <SelectField
        label="Timeframe"
        className="w-28"
        value={timeframe}
        disabled={market === null}
        onChange={(event) => select({ timeframe: event.target.value })}
        options={timeframes.map((value) => ({ value, label: value }))}
      />
    </div>
  )
}
