import { Link, useRouterState } from '@tanstack/react-router'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { ConnectionIndicator } from '@/components/connection-indicator'
import { CloseIcon, LogoMark, MenuIcon } from '@/components/icons'
import { SideNav } from '@/app/side-nav'
import { UserMenu, type User } from '@/features/auth'
import { GlobalKillSwitch } from '@/features/bots'
import { NotificationBell } from '@/features/notifications'
import { useConnectionToasts } from '@/hooks/use-connection-toasts'
import { useUserEvents } from '@/app/use-user-events'
import { PRODUCT_NAME } from '@/hooks/use-document-title'

export function AppShell({ user, children }: { user: User; children: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false)
  const pathname = useRouterState({ select: (state) => state.location.pathname })
  const [menuPath, setMenuPath] = useState(pathname)
  const mainRef = useRef<HTMLElement>(null)
  const focusedPath = useRef(pathname)
  useConnectionToasts()
  useUserEvents()

  // Any route change (links, back button) closes the phone menu.
  if (menuPath !== pathname) {
    setMenuPath(pathname)
    setMenuOpen(false)
  }

  // After a route change, move focus to the new content so keyboard and screen reader users
  // start there.
  useEffect(() => {
    if (focusedPath.current === pathname) return
    focusedPath.current = pathname
    window.scrollTo({ top: 0 })
    mainRef.current?.focus({ preventScroll: true })
  }, [pathname])

  return (
    <div className="min-h-dvh bg-slate-950 text-slate-100">
      <a
        href="#main-content"
        className="sr-only z-50 rounded-md bg-cyan-400 px-3 py-2 text-sm font-semibold text-slate-950 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-white/10 bg-slate-950/85 backdrop-blur">
        <div className="flex h-14 items-center gap-3 px-3 sm:px-4">
          <button
            type="button"
            className="rounded-lg p-2 text-slate-300 hover:bg-white/10 hover:text-white md:hidden"
            aria-expanded={menuOpen}
            aria-controls="mobile-nav"
            aria-label={menuOpen ? 'Close menu' : 'Open menu'}
            onClick={() => setMenuOpen((value) => !value)}
          >
            {menuOpen ? <CloseIcon className="size-5" /> : <MenuIcon className="size-5" />}
          </button>
          <Link to="/" className="flex shrink-0 items-center gap-2.5 rounded-md text-base font-semibold tracking-tight whitespace-nowrap text-white">
            <LogoMark className="size-7" />
            <span>{PRODUCT_NAME}</span>
          </Link>
          <div className="ml-auto flex items-center gap-2 sm:gap-3">
            <GlobalKillSwitch isStaff={user.is_staff} />
            <NotificationBell />
            <ConnectionIndicator />
            <UserMenu user={user} />
          </div>
        </div>
        {menuOpen ? (
          <div className="max-h-[calc(100dvh-3.5rem)] overflow-y-auto border-t border-white/10 md:hidden">
            <SideNav id="mobile-nav" onNavigate={() => setMenuOpen(false)} />
          </div>
        ) : null}
      </header>
      <div className="flex">
        <aside className="sticky top-14 hidden h-[calc(100dvh-3.5rem)] w-60 shrink-0 overflow-y-auto border-r border-white/10 md:block">
          <SideNav id="side-nav" />
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <main
            id="main-content"
            ref={mainRef}
            tabIndex={-1}
            className="mx-auto w-full max-w-[100rem] flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:px-8 lg:py-8"
          >
            {children}
          </main>
          <footer className="border-t border-white/5 px-4 py-4 text-center text-xs text-slate-400 sm:px-6">
            Trading cryptocurrencies carries a high level of risk. Nothing in {PRODUCT_NAME} is financial advice.
          </footer>
        </div>
      </div>
    </div>
  )
}
