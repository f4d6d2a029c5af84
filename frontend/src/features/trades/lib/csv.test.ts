import { describe, expect, it } from 'vitest'
import { TRADE_CSV_COLUMNS, tradesToCsv } from '@/features/trades/lib/csv'
import { makeTrade } from '@/test/fixtures'

describe('trades CSV', () => {
  it('test_one_row_per_fill_with_its_value_and_bot_and_formula_text_neutralised', () => {
    const csv = tradesToCsv([
      { fill: makeTrade({ bot: 3 }), bot: 'Trend BTC' },
      { fill: makeTrade({ id: 41, side: 'sell', trade_id: '=cmd|"/c calc"!A1', is_maker: null, realised_pnl: '-1.25' }), bot: '@SUM(A1)' },
    ])
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe(TRADE_CSV_COLUMNS.join(','))
    expect(lines[1]).toBe('40,2026-11-20T10:05:00Z,demo,BTC/USDT,buy,0.004,89990,359.96,0.36,USDT,true,12,Trend BTC,t-40,')
    expect(lines[2]).toBe(`41,2026-11-20T10:05:00Z,demo,BTC/USDT,sell,0.004,89990,359.96,0.36,USDT,,12,'@SUM(A1),"'=cmd|""/c calc""!A1",-1.25`)
    expect(lines).toHaveLength(4)
  })
})
