import { describe, expect, it } from 'vitest'
import { getSentiment } from '@/features/sentiment/api/sentiment'
import { makeAggregates, page } from '@/test/fixtures'
import { jsonResponse, mockApi } from '@/test/render'

const paramsOf = (url: string) => new URL(url, 'http://x').searchParams

describe('getSentiment', () => {
  it('test_recent_buckets_come_in_one_request_from_a_start_time', async () => {
    const backend = mockApi({ 'GET /api/sentiment/': () => jsonResponse(page(makeAggregates(3))) })

    const buckets = await getSentiment({ asset: 'BTC', interval: '4h', limit: 10 })

    expect(buckets).toHaveLength(3)
    expect(backend.requests).toHaveLength(1)
    const params = paramsOf(backend.requests[0]?.url ?? '')
    expect(params.get('interval')).toBe('4h')
    const start = Date.parse(params.get('start') ?? '')
    expect(Math.abs(Date.now() - 10 * 4 * 3_600_000 - start)).toBeLessThan(60_000)
  })

  it('test_old_history_falls_back_to_the_last_page', async () => {
    const backend = mockApi({
      'GET /api/sentiment/': (request) => {
        const params = paramsOf(request.url)
        if (params.has('start')) return jsonResponse(page([]))
        if (params.get('offset') === '15') return jsonResponse({ ...page(makeAggregates(5)), count: 20 })
        return jsonResponse({ ...page(makeAggregates(5)), count: 20 })
      },
    })

    const buckets = await getSentiment({ asset: 'BTC', interval: '1h', limit: 5 })

    expect(buckets).toHaveLength(5)
    expect(backend.requests.map((request) => paramsOf(request.url).get('offset'))).toEqual([null, null, '15'])
  })
})
