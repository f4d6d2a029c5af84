/** Query keys of the bots feature; "bot", "order" and "fill" events invalidate them. */
export const botKeys = {
  all: ['bots'] as const,
  list: ['bots', 'list'] as const,
  detail: (id: number) => ['bots', 'detail', id] as const,
  ticks: (id: number) => ['bots', 'ticks', id] as const,
  positions: ['positions'] as const,
  killSwitches: ['kill-switches'] as const,
}
