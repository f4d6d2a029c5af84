/** Query keys of this feature (other features invalidate them through its public entry). */
export const modelKeys = {
  all: ['models'] as const,
  detail: (id: number) => ['models', id] as const,
}
