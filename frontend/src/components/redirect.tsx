import { useEffect } from 'react'
import { navigate } from '@/lib/router'

/** Replace the current URL after render (navigating during render is not allowed). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true })
  }, [to])
  return null
}
