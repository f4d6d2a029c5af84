import type { AnchorHTMLAttributes, MouseEvent, Ref } from 'react'
import { navigate } from '@/lib/router'

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string
  replace?: boolean
  ref?: Ref<HTMLAnchorElement>
}

/** An ordinary link that changes route without a page load (modified clicks still open tabs). */
export function Link({ to, replace = false, onClick, target, ref, children, ...props }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0) return
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    if (target !== undefined && target !== '_self') return
    event.preventDefault()
    navigate(to, { replace })
  }
  return (
    <a href={to} target={target} ref={ref} onClick={handleClick} {...props}>
      {children}
    </a>
  )
}
