import { useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { botKeys } from '@/features/bots/api/query-keys'
import { useStreamHandler } from '@/hooks/use-stream'
import { toast } from '@/lib/toast-store'

const haltedSchema = z.object({
  event: z.literal('halted'),
  bot: z.object({ id: z.number(), name: z.string() }),
  reason: z.string().catch(''),
})

/**
 * Bot events (type "bot": created, started, halted, tick, position, kill_switch…) refresh the
 * bots, positions and kill switches; an order or fill changes a bot's position and equity, so it
 * refreshes them too. A halt raises a toast with its reason.
 */
export function useBotEvents(): void {
  const queryClient = useQueryClient()
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: botKeys.all })
    void queryClient.invalidateQueries({ queryKey: botKeys.positions })
  }

  useStreamHandler('bot', (message) => {
    refresh()
    const data = (typeof message.data === 'object' && message.data !== null ? message.data : {}) as Record<string, unknown>
    if (data.event === 'kill_switch') void queryClient.invalidateQueries({ queryKey: botKeys.killSwitches })
    const halted = haltedSchema.safeParse(data)
    if (halted.success) {
      toast({ id: `bot-${halted.data.bot.id}`, variant: 'error', title: `${halted.data.bot.name} halted`, description: halted.data.reason || undefined })
    }
  })
  useStreamHandler('order', refresh)
  useStreamHandler('fill', refresh)
}
