import { useNavigate } from '@tanstack/react-router'
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { useLogout } from '@/features/auth/api/auth'
import { ChevronDownIcon, LogoutIcon, ShieldIcon } from '@/components/icons'
import { Spinner } from '@/components/ui/spinner'
import { cn } from '@/lib/cn'
import type { User } from '@/features/auth/api/types'

const ITEM_CLASS =
  'flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-slate-200 hover:bg-white/10 focus:bg-white/10 focus:outline-none disabled:opacity-60'

export function UserMenu({ user }: { user: User }) {
  const [open, setOpen] = useState(false)
  const menuId = useId()
  const buttonRef = useRef<HTMLButtonElement>(null)
  const menuRef = useRef<HTMLDivElement>(null)
  const logout = useLogout()
  const navigate = useNavigate()

  useEffect(() => {
    if (!open) return undefined
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const close = (restoreFocus: boolean) => {
    setOpen(false)
    if (restoreFocus) buttonRef.current?.focus()
  }

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])]
    const index = items.indexOf(document.activeElement as HTMLElement)
    if (event.key === 'Escape') {
      event.preventDefault()
      close(true)
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      items[(index + step + items.length) % items.length]?.focus()
    } else if (event.key === 'Tab') {
      close(false)
    }
  }

  const onLogout = () => {
    logout.mutate(undefined, {
      onSuccess: () => {
        setOpen(false)
        void navigate({ to: '/login', replace: true })
      },
    })
  }

  const initial = user.username.charAt(0).toUpperCase()

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm text-slate-200 hover:bg-white/10"
      >
        <span className="grid size-7 place-items-center rounded-full bg-gradient-to-br from-cyan-400 to-emerald-400 text-xs font-bold text-slate-950" aria-hidden="true">
          {initial}
        </span>
        <span className="sr-only">Account menu for</span>{' '}
        <span className="sr-only max-w-32 truncate sm:not-sr-only">{user.username}</span>
        <ChevronDownIcon className={cn('size-4 text-slate-400 transition-transform', open && 'rotate-180')} />
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          tabIndex={-1}
          aria-label="Account"
          onKeyDown={onMenuKeyDown}
          className="absolute right-0 z-40 mt-2 w-64 rounded-xl border border-white/10 bg-slate-900 p-1.5 shadow-2xl shadow-black/50"
        >
          <div className="px-3 py-2.5" role="none">
            <p className="text-xs text-slate-400">Signed in as</p>
            <p className="truncate text-sm font-semibold text-white">{user.username}</p>
            {user.email === '' ? null : <p className="truncate text-xs text-slate-400">{user.email}</p>}
          </div>
          <div className="my-1 h-px bg-white/10" role="none" />
          {user.is_staff ? (
            <a role="menuitem" href="/admin/" className={ITEM_CLASS}>
              <ShieldIcon className="size-4 text-slate-400" />
              Administration
            </a>
          ) : null}
          <button type="button" role="menuitem" onClick={onLogout} disabled={logout.isPending} className={ITEM_CLASS}>
            {logout.isPending ? <Spinner /> : <LogoutIcon className="size-4 text-slate-400" />}
            {logout.isPending ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      ) : null}
    </div>
  )
}
