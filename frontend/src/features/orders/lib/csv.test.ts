import { describe, expect, it } from 'vitest'
import { ORDER_CSV_COLUMNS, csvCell, ordersToCsv } from '@/features/orders/lib/csv'
import { makeOrder } from '@/test/fixtures'

describe('orders CSV', () => {
  it('test_header_and_one_row_per_order_in_column_order', () => {
    const csv = ordersToCsv([makeOrder(), makeOrder({ id: 13, side: 'sell', price: null })])
    const lines = csv.split('\r\n')

    expect(lines[0]).toBe(ORDER_CSV_COLUMNS.join(','))
    expect(lines[1]).toBe('12,2026-11-20T10:00:00Z,2026-11-20T10:00:01Z,paper:Demo paper,demo,BTC/USDT,buy,limit,0.010,90000,0,,0,,open,,qt-12,9001')
    expect(lines[2]?.split(',')[9]).toBe('')
    expect(lines).toHaveLength(4)
    expect(lines[3]).toBe('')
  })

  it('test_separators_quotes_and_line_breaks_are_quoted', () => {
    expect(csvCell('Rejected, "min notional"\nretry')).toBe('"Rejected, ""min notional""\nretry"')
    expect(csvCell(null)).toBe('')
  })

  it('test_formula_like_text_is_neutralised_but_numbers_are_kept', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('-0.5')).toBe('-0.5')
    expect(csvCell('+12')).toBe('+12')
  })
})
