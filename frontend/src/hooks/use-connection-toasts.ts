import { useEffect, useRef } from 'react'
import { useStreamState } from '@/hooks/use-stream'
import { getPreferences } from '@/lib/preferences'
import { dismissToast, toast } from '@/lib/toast-store'

const TOAST_ID = 'stream-connection'

/** Tell the user when the live connection drops after having worked, and when it is back. */
export function useConnectionToasts(): void {
  const state = useStreamState()
  const hasBeenOpen = useRef(false)
  const isLost = useRef(false)

  useEffect(() => {
    if (state === 'open') {
      if (isLost.current && getPreferences().notifyConnection) {
        toast({ id: TOAST_ID, variant: 'success', title: 'Live connection restored' })
      }
      hasBeenOpen.current = true
      isLost.current = false
    } else if (state === 'closed' && hasBeenOpen.current && !isLost.current) {
      isLost.current = true
      if (getPreferences().notifyConnection) toast({
        id: TOAST_ID,
        variant: 'error',
        title: 'Live connection lost',
        description: 'Real-time updates are paused. Reconnecting automatically…',
        durationMs: null,
      })
    }
  }, [state])

  // Signing out closes the stream on purpose; nothing to report then.
  useEffect(() => () => dismissToast(TOAST_ID), [])
}
