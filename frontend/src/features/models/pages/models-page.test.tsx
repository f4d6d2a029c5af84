import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { ModelsPage } from '@/features/models/pages/models-page'
import { mockBackend, page } from '@/test/fixtures'
import { jsonResponse } from '@/test/render'
import { renderPage } from '@/test/render-page'

describe('ModelsPage', () => {
  it('test_champion_is_marked_and_shown_first_with_folds_and_importance', async () => {
    mockBackend()
    await renderPage(<ModelsPage />)

    const registry = await screen.findByRole('list', { name: 'Models' })
    const champion = within(registry).getByRole('button', { name: /#7/ })
    expect(champion).toHaveAttribute('aria-pressed', 'true')
    expect(champion).toHaveTextContent('★ Champion')
    expect(within(registry).getByRole('button', { name: /#3/ })).toHaveTextContent('Retired')

    const folds = await screen.findByRole('table', { name: 'Fold metrics' })
    const rows = within(folds).getAllByRole('row')
    expect(rows).toHaveLength(3)
    expect(within(rows[0] as HTMLElement).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual([
      'Fold',
      'Test start',
      'Test end',
      'Test rows',
      'Log loss',
      'Prior log loss',
      'Log loss skill',
      'Accuracy',
      'Macro f1',
    ])
    expect(rows[1]).toHaveTextContent('41.0 %')
    const importance = screen.getByRole('list', { name: 'Feature importance' })
    expect(within(importance).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Rsi 1450.0 %', 'Ret 2430.0 %', 'Atr 1420.0 %'])
  })

  it('test_selecting_another_model_loads_its_details', async () => {
    const user = userEvent.setup()
    const backend = mockBackend()
    await renderPage(<ModelsPage />)
    await user.click(await screen.findByRole('button', { name: /#3/ }))
    expect(await screen.findByRole('heading', { name: /Model #3/ })).toBeInTheDocument()
    expect(backend.requests.some((request) => request.url === '/api/models/3/')).toBe(true)
  })

  it('test_empty_registry_explains_when_models_appear', async () => {
    mockBackend({ 'GET /api/models/': () => jsonResponse(page([])) })
    await renderPage(<ModelsPage />)
    expect(await screen.findByText(/no models are trained yet/i)).toBeInTheDocument()
  })
})
