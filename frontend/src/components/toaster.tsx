import { AlertIcon, CheckCircleIcon, CloseIcon, InfoIcon } from '@/components/icons'
import { useToasts } from '@/hooks/use-toasts'
import { cn } from '@/lib/cn'
import { dismissToast, type ToastVariant } from '@/lib/toast-store'

const STYLES: Record<ToastVariant, { ring: string; icon: string }> = {
  info: { ring: 'border-cyan-400/30', icon: 'text-cyan-300' },
  success: { ring: 'border-emerald-400/30', icon: 'text-emerald-300' },
  error: { ring: 'border-rose-400/40', icon: 'text-rose-300' },
}

const ICONS = { info: InfoIcon, success: CheckCircleIcon, error: AlertIcon } as const

/** The notification area. Polite announcements for news, assertive ones for errors. */
export function Toaster() {
  const toasts = useToasts()
  return (
    <section aria-label="Notifications" className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex justify-end p-4 sm:p-6">
      <ol aria-live="polite" aria-relevant="additions text" className="flex w-full max-w-sm flex-col gap-3">
        {toasts.map((item) => {
          const Icon = ICONS[item.variant]
          return (
            <li key={item.id} className="pointer-events-auto">
              <div
                role={item.variant === 'error' ? 'alert' : 'status'}
                className={cn('flex items-start gap-3 rounded-xl border bg-slate-900/95 p-4 shadow-2xl shadow-black/40 backdrop-blur', STYLES[item.variant].ring)}
              >
              <Icon className={cn('mt-0.5 size-5 shrink-0', STYLES[item.variant].icon)} />
              <div className="min-w-0 flex-1">
                <p className="text-sm font-semibold text-slate-100">{item.title}</p>
                {item.description === undefined ? null : (
                  <p className="mt-1 text-sm break-words text-slate-300">{item.description}</p>
                )}
              </div>
              <button
                type="button"
                onClick={() => dismissToast(item.id)}
                className="-m-1 rounded-md p-1 text-slate-400 hover:bg-white/10 hover:text-slate-100"
                aria-label={`Dismiss notification: ${item.title}`}
              >
                <CloseIcon className="size-4" />
              </button>
              </div>
            </li>
          )
        })}
      </ol>
    </section>
  )
}
