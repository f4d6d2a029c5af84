import { Component, type ErrorInfo, type ReactNode } from 'react'
import { FullPageStatus } from '@/components/full-page-status'
import { Button } from '@/components/ui/button'

interface State {
  error: Error | null
}

/** Last line of defence: a crash in rendering shows a way out instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Unhandled error while rendering', error, info.componentStack)
  }

  override render() {
    if (this.state.error === null) return this.props.children
    return (
      <FullPageStatus title="Something went wrong">
        <p className="mt-2 text-sm text-slate-400">The page hit an unexpected error. Reloading usually helps.</p>
        <Button className="mt-6" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </FullPageStatus>
    )
  }
}
