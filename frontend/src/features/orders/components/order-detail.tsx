import { ErrorBlock, LoadingBlock, EmptyLine } from '@/components/query-state'
import { Button } from '@/components/ui/button'
import { ScrollArea } from '@/components/ui/scroll-area'
import { useOrder } from '@/features/orders/api/orders'
import { AccountKindBadge, OrderStatusBadge } from '@/features/orders/components/order-status-badge'
import { STATUS_LABELS } from '@/features/orders/lib/order-status'
import { formatDateTime } from '@/lib/format'

const CELL = 'px-2 py-1.5 whitespace-nowrap'

/** One order: its fields, its state history (events) and its fills. */
export function OrderDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const order = useOrder(id)

  return (
    <section aria-labelledby="order-detail-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="order-detail-title" className="text-base font-semibold text-white">
          Order #{id}
        </h2>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      {order.isPending ? <LoadingBlock label="Loading the order…" className="h-40" /> : null}
      {order.isError ? <ErrorBlock title="Could not load this order" error={order.error} onRetry={() => void order.refetch()} /> : null}
      {order.data === undefined ? null : (
        <>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-xs text-slate-400">Market</dt>
              <dd className="text-white">
                {order.data.symbol} <span className="text-xs text-slate-400">{order.data.exchange}</span>
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-400">Status</dt>
              <dd>
                <OrderStatusBadge status={order.data.status} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-400">Account</dt>
              <dd>
                <AccountKindBadge kind={order.data.account.kind} /> {order.data.account.label}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-400">Side and type</dt>
              <dd>
                {order.data.side} {order.data.type}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-400">Filled / amount</dt>
              <dd className="font-mono">
                {order.data.filled_amount} / {order.data.amount}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-400">Limit / average price</dt>
              <dd className="font-mono">
                {order.data.price ?? '—'} / {order.data.average_price ?? '—'}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-400">Fee</dt>
              <dd className="font-mono">
                {order.data.fee} {order.data.fee_currency ?? ''}
              </dd>
            </div>
            <div className="col-span-2">
              <dt className="text-xs text-slate-400">Client order id</dt>
              <dd className="font-mono break-all">{order.data.client_order_id}</dd>
            </div>
            {order.data.reason === '' ? null : (
              <div className="col-span-full">
                <dt className="text-xs text-slate-400">Reason</dt>
                <dd className="text-amber-200">{order.data.reason}</dd>
              </div>
            )}
          </dl>

          <h3 className="text-sm font-semibold text-white">State history</h3>
          {order.data.events.length === 0 ? (
            <EmptyLine>No state changes recorded yet.</EmptyLine>
          ) : (
            <ScrollArea className="overflow-x-auto" label="State history table">
              <table className="w-full text-left text-xs" aria-label="State history">
                <thead className="text-slate-400">
                  <tr>
                    <th scope="col" className={CELL}>Time</th>
                    <th scope="col" className={CELL}>From</th>
                    <th scope="col" className={CELL}>To</th>
                    <th scope="col" className={CELL}>Cause</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-white/5">
                  {order.data.events.map((event) => (
                    <tr key={event.id}>
                      <td className={CELL}>{formatDateTime(event.created_at)}</td>
                      <td className={CELL}>{event.from_status === event.to_status ? '—' : STATUS_LABELS[event.from_status]}</td>
                      <td className={CELL}>{STATUS_LABELS[event.to_status]}</td>
                      <td className="px-2 py-1.5 text-slate-300">{event.cause}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          )}

          <h3 className="text-sm font-semibold text-white">Fills</h3>
          {order.data.fills.length === 0 ? (
            <EmptyLine>No fills yet.</EmptyLine>
          ) : (
            <ScrollArea className="overflow-x-auto" label="Fills table">
              <table className="w-full text-left text-xs" aria-label="Fills">
                <thead className="text-slate-400">
                  <tr>
                    <th scope="col" className={CELL}>Executed</th>
                    <th scope="col" className={CELL}>Amount</th>
                    <th scope="col" className={CELL}>Price</th>
                    <th scope="col" className={CELL}>Fee</th>
                    <th scope="col" className={CELL}>Maker</th>
                    <th scope="col" className={CELL}>Trade id</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-white/5">
                  {order.data.fills.map((fill) => (
                    <tr key={fill.id}>
                      <td className={CELL}>{formatDateTime(fill.executed_at)}</td>
                      <td className={`${CELL} font-mono`}>{fill.amount}</td>
                      <td className={`${CELL} font-mono`}>{fill.price}</td>
                      <td className={`${CELL} font-mono`}>
                        {fill.fee} {fill.fee_currency ?? ''}
                      </td>
                      <td className={CELL}>{fill.is_maker === null ? '—' : fill.is_maker ? 'Maker' : 'Taker'}</td>
                      <td className={`${CELL} font-mono`}>{fill.trade_id}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollArea>
          )}
        </>
      )}
    </section>
  )
}
