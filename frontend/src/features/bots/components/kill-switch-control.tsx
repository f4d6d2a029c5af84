import { useState } from 'react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { CheckboxField } from '@/components/ui/checkbox-field'
import { useKillSwitches, useSetKillSwitch } from '@/features/bots/api/bots'
import type { KillSwitch } from '@/features/bots/api/types'
import { errorMessage } from '@/lib/api-client'
import { toast } from '@/lib/toast-store'

type Scope = KillSwitch['scope']

const TEXT: Record<Scope, { on: string; off: string; confirm: string; active: string }> = {
  user: {
    on: 'Stop all my bots',
    off: 'Lift my kill switch',
    confirm: 'No bot of yours sends a new order while this is on.',
    active: 'Your kill switch is on: none of your bots sends orders.',
  },
  global: {
    on: 'Global kill switch',
    off: 'Lift the global kill switch',
    confirm: 'No bot of any user sends a new order while this is on.',
    active: 'Global kill switch on',
  },
}

/**
 * A kill switch (the user's own, or the global one for staff) with a confirmation before it is
 * turned on. `compact` is the header's form.
 */
export function KillSwitchControl({ scope, compact = false }: { scope: Scope; compact?: boolean }) {
  const switches = useKillSwitches()
  const set = useSetKillSwitch()
  const [confirming, setConfirming] = useState(false)
  const [cancelOrders, setCancelOrders] = useState(true)
  const [closePositions, setClosePositions] = useState(false)
  const current = (switches.data ?? []).find((item) => item.scope === scope)
  const active = current?.active === true
  const text = TEXT[scope]

  const apply = (on: boolean) =>
    set.mutate(
      { scope, active: on, cancel_orders: on && cancelOrders, close_positions: on && closePositions },
      {
        onSuccess: () => {
          setConfirming(false)
          toast({ id: `kill-${scope}`, variant: on ? 'info' : 'success', title: on ? `${text.on}: on` : `${text.on}: off` })
        },
        onError: (error) => toast({ id: `kill-${scope}`, variant: 'error', title: 'Could not change the kill switch', description: errorMessage(error) }),
      },
    )

  if (active) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="danger" dot>
          {text.active}
        </Badge>
        <Button size="sm" variant="secondary" isLoading={set.isPending} disabled={set.isPending} onClick={() => apply(false)}>
          {text.off}
        </Button>
      </div>
    )
  }
  if (!confirming) {
    return (
      <Button size="sm" variant="danger" disabled={switches.isPending} onClick={() => setConfirming(true)}>
        {text.on}
      </Button>
    )
  }
  return (
    <fieldset
      className={compact ? 'absolute top-full right-0 z-40 mt-2 w-80 space-y-3 rounded-lg border border-rose-400/40 bg-slate-900 p-3 shadow-xl' : 'space-y-3 rounded-lg border border-rose-400/40 bg-rose-400/5 p-3'}
    >
      <legend className="sr-only">Confirm: {text.on}</legend>
      <p className="text-sm text-rose-200">{text.confirm}</p>
      <CheckboxField label="Cancel open orders" checked={cancelOrders} onChange={(event) => setCancelOrders(event.target.checked)} />
      <CheckboxField label="Sell the positions" checked={closePositions} onChange={(event) => setClosePositions(event.target.checked)} />
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="danger" isLoading={set.isPending} disabled={set.isPending} onClick={() => apply(true)}>
          Confirm: {text.on.toLowerCase()}
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </div>
    </fieldset>
  )
}
