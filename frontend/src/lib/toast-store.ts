export type ToastVariant = 'info' | 'success' | 'error'

export interface Toast {
  id: string
  title: string
  description?: string
  variant: ToastVariant
  /** Milliseconds before the toast closes itself; null keeps it until dismissed or replaced. */
  durationMs: number | null
}

export interface ToastInput {
  /** Reusing an id replaces the earlier toast instead of stacking a new one. */
  id?: string
  title: string
  description?: string
  variant?: ToastVariant
  durationMs?: number | null
}

const MAX_TOASTS = 5
const DEFAULT_DURATION_MS: Record<ToastVariant, number> = { info: 5000, success: 4000, error: 8000 }

let toasts: readonly Toast[] = []
let counter = 0
const listeners = new Set<() => void>()
const timers = new Map<string, ReturnType<typeof setTimeout>>()

function emit(next: readonly Toast[]): void {
  toasts = next
  for (const listener of listeners) listener()
}

function clearTimer(id: string): void {
  const timer = timers.get(id)
  if (timer !== undefined) clearTimeout(timer)
  timers.delete(id)
}

export function dismissToast(id: string): void {
  clearTimer(id)
  if (toasts.some((item) => item.id === id)) emit(toasts.filter((item) => item.id !== id))
}

/** Show a toast and return its id. Safe to call from outside React (query callbacks, the stream). */
export function toast(input: ToastInput): string {
  counter += 1
  const variant = input.variant ?? 'info'
  const item: Toast = {
    id: input.id ?? `toast-${counter}`,
    title: input.title,
    description: input.description,
    variant,
    durationMs: input.durationMs === undefined ? DEFAULT_DURATION_MS[variant] : input.durationMs,
  }
  clearTimer(item.id)
  const rest = toasts.filter((existing) => existing.id !== item.id)
  const next = [...rest, item]
  for (const dropped of next.slice(0, Math.max(0, next.length - MAX_TOASTS))) clearTimer(dropped.id)
  emit(next.slice(-MAX_TOASTS))
  if (item.durationMs !== null) {
    timers.set(
      item.id,
      setTimeout(() => dismissToast(item.id), item.durationMs),
    )
  }
  return item.id
}

export function getToasts(): readonly Toast[] {
  return toasts
}

export function subscribeToasts(listener: () => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

export function clearToasts(): void {
  for (const id of timers.keys()) clearTimer(id)
  emit([])
}
