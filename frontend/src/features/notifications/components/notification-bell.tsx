import { useEffect, useRef, useState } from 'react'
import { BellIcon } from '@/components/icons'
import { Button } from '@/components/ui/button'
import { useMarkRead, useNotifications, useUnreadCount } from '@/features/notifications/api/notifications'
import { formatRelativeTime } from '@/lib/format'
import { cn } from '@/lib/cn'

/** The header's bell: the unread count, and the notification centre as a panel below it. */
export function NotificationBell() {
  const [open, setOpen] = useState(false)
  const unread = useUnreadCount()
  const list = useNotifications(open)
  const markRead = useMarkRead()
  const rootRef = useRef<HTMLDivElement>(null)
  const count = unread.data ?? 0

  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !rootRef.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close)
    }
  }, [open])

  return (
    <div className="relative" ref={rootRef}>
      <button
        type="button"
        className="relative rounded-lg p-2 text-slate-300 hover:bg-white/10 hover:text-white"
        aria-expanded={open}
        aria-controls="notification-centre"
        aria-label={count > 0 ? `Notifications, ${count} unread` : 'Notifications'}
        onClick={() => setOpen((value) => !value)}
      >
        <BellIcon className="size-5" />
        {count > 0 ? (
          <span className="absolute -top-0.5 -right-0.5 min-w-4 rounded-full bg-rose-600 px-1 text-center text-[10px] leading-4 font-semibold text-white" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </button>
      {open ? (
        <section
          id="notification-centre"
          aria-label="Notification centre"
          className="absolute right-0 z-40 mt-2 w-80 max-w-[calc(100vw-1.5rem)] rounded-xl border border-white/10 bg-slate-900 shadow-2xl shadow-black/40"
        >
          <div className="flex items-center justify-between border-b border-white/10 px-3 py-2">
            <h2 className="text-sm font-semibold text-white">Notifications</h2>
            <Button variant="ghost" size="sm" disabled={count === 0} isLoading={markRead.isPending} onClick={() => markRead.mutate(undefined)}>
              Mark all read
            </Button>
          </div>
          <ul className="max-h-96 overflow-y-auto">
            {list.isPending ? <li className="px-3 py-4 text-sm text-slate-400">Loading…</li> : null}
            {list.data?.length === 0 ? <li className="px-3 py-4 text-sm text-slate-400">Nothing yet. Fills, halts and alerts show up here.</li> : null}
            {list.data?.map((item) => (
              <li key={item.id} className={cn('border-b border-white/5 px-3 py-2.5 last:border-b-0', item.read ? 'opacity-70' : 'bg-cyan-400/5')}>
                <div className="flex items-start justify-between gap-2">
                  <p className="text-sm font-medium text-slate-100">{item.title}</p>
                  {item.read ? null : (
                    <button type="button" className="shrink-0 text-xs text-cyan-300 hover:underline" onClick={() => markRead.mutate([item.id])}>
                      Mark read
                    </button>
                  )}
                </div>
                {item.body ? <p className="mt-0.5 text-xs break-words text-slate-400">{item.body}</p> : null}
                <p className="mt-1 text-[11px] text-slate-500">{formatRelativeTime(new Date(item.created_at))}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}
