import { KillSwitchControl } from '@/features/bots/components/kill-switch-control'

/** The header's global kill switch: staff only (the server refuses anyone else). */
export function GlobalKillSwitch({ isStaff }: { isStaff: boolean }) {
  if (!isStaff) return null
  return (
    <div className="relative">
      <KillSwitchControl scope="global" compact />
    </div>
  )
}
