/** The public entry of the bots feature: other features and the app import only from here. */
export { botKeys } from '@/features/bots/api/query-keys'
export type { Bot, KillSwitch, Position, Tick } from '@/features/bots/api/types'
export { useBots, usePositions } from '@/features/bots/api/bots'
export { GlobalKillSwitch } from '@/features/bots/components/global-kill-switch'
export { PositionsPanel } from '@/features/bots/components/positions-panel'
export { validateBotsSearch } from '@/features/bots/lib/search'
export { useBotEvents } from '@/features/bots/lib/use-bot-events'
