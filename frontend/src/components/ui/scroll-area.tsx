import type { ReactNode } from 'react'
import { cn } from '@/lib/cn'

/**
 * A region that scrolls (wide tables on a phone, long lists). It takes keyboard focus so it can
 * be scrolled without a mouse (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function ScrollArea({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard
    <section aria-label={label} tabIndex={0} className={cn('focus-visible:outline-2 focus-visible:outline-cyan-400', className)}>
      {children}
    </section>
  )
}
