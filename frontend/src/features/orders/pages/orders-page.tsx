import { getRouteApi } from '@tanstack/react-router'
import { useState } from 'react'
import { PageHeader } from '@/components/page-header'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Button } from '@/components/ui/button'
import { Panel } from '@/components/ui/panel'
import { SelectField } from '@/components/ui/select-field'
import { TextField } from '@/components/ui/text-field'
import { useCancelOrder, useOrders } from '@/features/orders/api/orders'
import { ORDER_STATUSES, type Order } from '@/features/orders/api/types'
import { OrderDetail } from '@/features/orders/components/order-detail'
import { OrderForm } from '@/features/orders/components/order-form'
import { OrdersTable } from '@/features/orders/components/orders-table'
import { downloadText, ordersToCsv } from '@/features/orders/lib/csv'
import { STATUS_LABELS, isOrderStatus } from '@/features/orders/lib/order-status'
import type { OrdersSearch } from '@/features/orders/lib/search'
import { errorMessage } from '@/lib/api-client'
import { toast } from '@/lib/toast-store'

const PAGE_SIZE = 100

const ordersRoute = getRouteApi('/orders')

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...ORDER_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }))]

const SIDE_OPTIONS = [
  { value: '', label: 'Both sides' },
  { value: 'buy', label: 'Buy' },
  { value: 'sell', label: 'Sell' },
]

export function OrdersPage() {
  const search = ordersRoute.useSearch()
  const navigate = ordersRoute.useNavigate()
  const [limit, setLimit] = useState(PAGE_SIZE)
  const [symbolDraft, setSymbolDraft] = useState<string | null>(null)
  const open = useOrders({ open: true, limit: 200 })
  const history = useOrders({ status: search.status, symbol: search.symbol, side: search.side, limit })
  const cancel = useCancelOrder()
  const [cancelingId, setCancelingId] = useState<number | null>(null)

  const setSearch = (change: Partial<OrdersSearch>) => void navigate({ search: (current) => ({ ...current, ...change }), replace: true })
  const setFilter = (change: Partial<OrdersSearch>) => {
    setLimit(PAGE_SIZE)
    setSearch(change)
  }
  const openOrder = (id: number) => void navigate({ search: (current) => ({ ...current, order: id }) })

  const onCancel = (order: Order) => {
    setCancelingId(order.id)
    cancel.mutate(order.id, {
      onSuccess: (updated) =>
        toast({
          id: `order-${order.id}`,
          variant: 'info',
          title: updated.status === 'canceled' ? `Order #${order.id} canceled` : `Canceling order #${order.id}`,
          description: updated.status === 'canceled' ? undefined : 'The exchange is confirming the cancellation.',
        }),
      onError: (error) => toast({ id: `order-${order.id}`, variant: 'error', title: `Could not cancel order #${order.id}`, description: errorMessage(error) }),
      onSettled: () => setCancelingId(null),
    })
  }

  const rows = history.data?.results ?? []
  const total = history.data?.count ?? 0
  const filtered = search.status !== undefined || search.symbol !== undefined || search.side !== undefined
  const symbolValue = symbolDraft ?? search.symbol ?? ''

  const exportCsv = () => {
    const stamp = new Date().toISOString().replaceAll(':', '-').slice(0, 19)
    downloadText(`orders-${stamp}.csv`, ordersToCsv(rows))
  }

  return (
    <>
      <PageHeader title="Orders" description="Place manual orders on a paper, testnet or live account, follow open orders and review the history with every state change and fill." />
      <div className="grid gap-6 xl:grid-cols-5">
        <div className="flex min-w-0 flex-col gap-6 xl:col-span-2">
          <Panel className="p-4 sm:p-5">
            <OrderForm />
          </Panel>
          {search.order === undefined ? null : (
            <Panel className="p-4 sm:p-5">
              <OrderDetail id={search.order} onClose={() => setSearch({ order: undefined })} />
            </Panel>
          )}
        </div>
        <div className="flex min-w-0 flex-col gap-6 xl:col-span-3">
          <Panel className="p-4 sm:p-5" aria-labelledby="open-orders-title">
            <h2 id="open-orders-title" className="mb-3 text-base font-semibold text-white">
              Open orders
            </h2>
            {open.isPending ? <LoadingBlock label="Loading open orders…" /> : null}
            {open.isError ? <ErrorBlock title="Could not load open orders" error={open.error} onRetry={() => void open.refetch()} /> : null}
            {open.data === undefined ? null : open.data.results.length === 0 ? (
              <EmptyLine>No open orders.</EmptyLine>
            ) : (
              <OrdersTable label="Open orders" orders={open.data.results} selectedId={search.order ?? null} onOpen={openOrder} onCancel={onCancel} cancelingId={cancelingId} />
            )}
          </Panel>

          <Panel className="p-4 sm:p-5" aria-labelledby="order-history-title">
            <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
              <h2 id="order-history-title" className="text-base font-semibold text-white">
                History
              </h2>
              <Button size="sm" variant="secondary" disabled={rows.length === 0} onClick={exportCsv}>
                Export CSV ({rows.length})
              </Button>
            </div>
            <form
              className="mb-4 flex flex-wrap items-end gap-3"
              aria-label="History filters"
              onSubmit={(event) => {
                event.preventDefault()
                const symbol = symbolValue.trim().toUpperCase()
                setSymbolDraft(null)
                setFilter({ symbol: symbol === '' ? undefined : symbol })
              }}
            >
              <SelectField
                label="Status"
                className="w-full sm:w-44"
                value={search.status ?? ''}
                onChange={(event) => setFilter({ status: isOrderStatus(event.target.value) ? event.target.value : undefined })}
                options={STATUS_OPTIONS}
              />
              <SelectField
                label="Side"
                className="w-full sm:w-36"
                value={search.side ?? ''}
                onChange={(event) => setFilter({ side: event.target.value === 'buy' || event.target.value === 'sell' ? event.target.value : undefined })}
                options={SIDE_OPTIONS}
              />
              <TextField label="Symbol" className="w-full sm:w-40" value={symbolValue} placeholder="BTC/USDT" onChange={(event) => setSymbolDraft(event.target.value)} />
              <Button type="submit" variant="secondary">
                Apply
              </Button>
              {filtered ? (
                <Button
                  variant="ghost"
                  onClick={() => {
                    setSymbolDraft(null)
                    setFilter({ status: undefined, side: undefined, symbol: undefined })
                  }}
                >
                  Clear filters
                </Button>
              ) : null}
            </form>
            {history.isPending ? <LoadingBlock label="Loading the order history…" /> : null}
            {history.isError ? <ErrorBlock title="Could not load the order history" error={history.error} onRetry={() => void history.refetch()} /> : null}
            {history.data === undefined ? null : rows.length === 0 ? (
              <EmptyLine>{filtered ? 'No order matches these filters.' : 'No orders yet. Place one with the form.'}</EmptyLine>
            ) : (
              <>
                <OrdersTable label="Order history" orders={rows} selectedId={search.order ?? null} onOpen={openOrder} />
                <p className="mt-3 text-xs text-slate-400">
                  Showing {rows.length} of {total}.
                </p>
                {rows.length < total ? (
                  <Button className="mt-2" size="sm" variant="secondary" isLoading={history.isFetching} onClick={() => setLimit((current) => current + PAGE_SIZE)}>
                    Show more
                  </Button>
                ) : null}
              </>
            )}
          </Panel>
        </div>
      </div>
    </>
  )
}
