import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { CheckboxField } from '@/components/ui/checkbox-field'
import { TextField } from '@/components/ui/text-field'
import { useKillBot } from '@/features/bots/api/bots'
import type { Bot } from '@/features/bots/api/types'
import { errorMessage } from '@/lib/api-client'
import { toast } from '@/lib/toast-store'

/** The bot's kill switch: halt it at once, after a confirmation; optionally cancel orders and sell. */
export function KillBot({ bot }: { bot: Bot }) {
  const kill = useKillBot()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [cancelOrders, setCancelOrders] = useState(true)
  const [closePosition, setClosePosition] = useState(false)

  if (!open) {
    return (
      <Button variant="danger" size="sm" onClick={() => setOpen(true)}>
        Kill
      </Button>
    )
  }
  return (
    <fieldset className="w-full space-y-3 rounded-lg border border-rose-400/40 bg-rose-400/5 p-3">
      <legend className="sr-only">Kill {bot.name}</legend>
      <p className="text-sm text-rose-200">
        Halt <strong>{bot.name}</strong> now: it sends no new order until you start it again.
      </p>
      <TextField label="Reason (optional)" value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
      <CheckboxField label="Cancel its open orders" checked={cancelOrders} onChange={(event) => setCancelOrders(event.target.checked)} />
      <CheckboxField label="Sell its position" checked={closePosition} onChange={(event) => setClosePosition(event.target.checked)} />
      <div className="flex flex-wrap gap-2">
        <Button
          variant="danger"
          size="sm"
          isLoading={kill.isPending}
          disabled={kill.isPending}
          onClick={() =>
            kill.mutate(
              { id: bot.id, body: { reason, cancel_orders: cancelOrders, close_position: closePosition } },
              {
                onSuccess: (halted) => {
                  setOpen(false)
                  toast({ id: `bot-${bot.id}`, variant: 'info', title: `${halted.name} halted`, description: halted.state_reason || undefined })
                },
                onError: (error) => toast({ id: `bot-${bot.id}`, variant: 'error', title: `Could not kill ${bot.name}`, description: errorMessage(error) }),
              },
            )
          }
        >
          Confirm kill
        </Button>
        <Button variant="ghost" size="sm" onClick={() => setOpen(false)}>
          Keep running
        </Button>
      </div>
    </fieldset>
  )
}
