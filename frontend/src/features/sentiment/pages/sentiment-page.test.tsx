import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createChart } from 'lightweight-charts'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { SentimentPage } from '@/features/sentiment/pages/sentiment-page'
import { mockBackend } from '@/test/fixtures'
import { renderPage } from '@/test/render-page'

beforeEach(() => {
  vi.mocked(createChart).mockClear()
})

describe('SentimentPage', () => {
  it('test_news_and_posts_are_listed_with_their_scores', async () => {
    mockBackend()
    await renderPage(<SentimentPage />)

    const news = await screen.findByRole('list', { name: 'News about BTC' })
    expect(within(news).getByText('Bitcoin rallies as ETF inflows grow')).toBeInTheDocument()
    expect(within(news).getByText('+0.64')).toBeInTheDocument()
    const posts = await screen.findByRole('list', { name: 'Posts about BTC' })
    expect(within(posts).getByText('-0.42')).toBeInTheDocument()
    expect(within(posts).getByText('@satoshi_fan')).toBeInTheDocument()
    expect(screen.getAllByText('Demo data').length).toBeGreaterThan(0)
  })

  it('test_aggregate_chart_draws_score_line_and_count_histogram', async () => {
    mockBackend()
    await renderPage(<SentimentPage />)

    const figure = await screen.findByRole('figure', { name: /BTC sentiment score and item count/ })
    await waitFor(() => expect(figure).toHaveAttribute('data-points', '10'))
    const chart = vi.mocked(createChart).mock.results.at(-1)?.value as { addSeries: ReturnType<typeof vi.fn> }
    const [line, histogram] = chart.addSeries.mock.results.slice(-2).map((result) => result.value as { setData: ReturnType<typeof vi.fn> })
    expect(line?.setData.mock.lastCall?.[0][0]).toMatchObject({ value: 0.2 })
    expect(histogram?.setData.mock.lastCall?.[0][4]).toMatchObject({ value: 7 })
    expect(screen.getByText('Bullish')).toBeInTheDocument()
  })

  it('test_asset_and_interval_pickers_change_the_query', async () => {
    const user = userEvent.setup()
    const backend = mockBackend()
    await renderPage(<SentimentPage />)
    await screen.findByRole('option', { name: 'ETH' })

    await user.selectOptions(screen.getByLabelText('Asset'), 'ETH')
    await user.selectOptions(screen.getByLabelText('Interval'), '1d')

    await waitFor(() => expect(backend.requests.some((request) => request.url.startsWith('/api/sentiment/?asset=ETH') && request.url.includes('interval=1d'))).toBe(true))
    expect(backend.requests.some((request) => request.url.startsWith('/api/news/?asset=ETH'))).toBe(true)
  })

  it('test_new_news_on_the_asset_topic_refreshes_the_list', async () => {
    const backend = mockBackend()
    const { stream } = await renderPage(<SentimentPage />)
    await screen.findByRole('list', { name: 'News about BTC' })
    stream.open()
    await waitFor(() => expect(stream.topics()).toContain('asset.BTC'))
    const before = backend.requests.filter((request) => request.url.startsWith('/api/news/')).length

    stream.send({ type: 'news', topic: 'asset.BTC', id: 2, data: { id: 2 } })

    await waitFor(() => expect(backend.requests.filter((request) => request.url.startsWith('/api/news/')).length).toBe(before + 1))
  })
})
