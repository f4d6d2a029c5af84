import { Button } from '@/components/ui/button'
import { ScrollArea } from '@/components/ui/scroll-area'
import type { Order } from '@/features/orders/api/types'
import { AccountKindBadge, OrderStatusBadge } from '@/features/orders/components/order-status-badge'
import { isCancelable } from '@/features/orders/lib/order-status'
import { cn } from '@/lib/cn'
import { formatDateTime } from '@/lib/format'

export interface OrdersTableProps {
  label: string
  orders: readonly Order[]
  selectedId?: number | null
  onOpen: (id: number) => void
  /** When given, cancelable orders get a Cancel button. */
  onCancel?: (order: Order) => void
  cancelingId?: number | null
}

const CELL = 'px-2 py-2 whitespace-nowrap'

/** Orders as a table: time, market, side, type, amounts, prices, status, account, actions. */
export function OrdersTable({ label, orders, selectedId = null, onOpen, onCancel, cancelingId = null }: OrdersTableProps) {
  return (
    <ScrollArea className="overflow-x-auto" label={`${label} table`}>
      <table className="w-full text-left text-sm" aria-label={label}>
        <thead className="text-xs text-slate-400">
          <tr>
            <th scope="col" className={CELL}>Created</th>
            <th scope="col" className={CELL}>Market</th>
            <th scope="col" className={CELL}>Side</th>
            <th scope="col" className={CELL}>Type</th>
            <th scope="col" className={CELL}>Filled / amount</th>
            <th scope="col" className={CELL}>Price</th>
            <th scope="col" className={CELL}>Status</th>
            <th scope="col" className={CELL}>Account</th>
            <th scope="col" className={CELL}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-white/5">
          {orders.map((order) => (
            <tr key={order.id} className={cn(order.id === selectedId && 'bg-cyan-400/5')} data-testid={`order-row-${order.id}`}>
              <td className={cn(CELL, 'text-slate-300')}>{formatDateTime(order.created_at)}</td>
              <td className={cn(CELL, 'font-medium text-white')}>
                {order.symbol}
                <span className="ml-1 text-xs text-slate-400">{order.exchange}</span>
              </td>
              <td className={cn(CELL, order.side === 'buy' ? 'text-emerald-300' : 'text-rose-300')}>{order.side === 'buy' ? 'Buy' : 'Sell'}</td>
              <td className={CELL}>{order.type === 'market' ? 'Market' : 'Limit'}</td>
              <td className={cn(CELL, 'font-mono')}>
                {order.filled_amount} / {order.amount}
              </td>
              <td className={cn(CELL, 'font-mono')}>{order.average_price ?? order.price ?? '—'}</td>
              <td className={CELL}>
                <OrderStatusBadge status={order.status} />
              </td>
              <td className={CELL}>
                <AccountKindBadge kind={order.account.kind} /> <span className="text-slate-300">{order.account.label}</span>
              </td>
              <td className={cn(CELL, 'text-right')}>
                <div className="flex justify-end gap-1.5">
                  <Button size="sm" variant="ghost" onClick={() => onOpen(order.id)} aria-label={`Details of order #${order.id}`}>
                    Details
                  </Button>
                  {onCancel !== undefined && isCancelable(order.status) ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      isLoading={cancelingId === order.id}
                      disabled={cancelingId === order.id}
                      onClick={() => onCancel(order)}
                      aria-label={`Cancel order #${order.id}`}
                    >
                      Cancel
                    </Button>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  )
}
