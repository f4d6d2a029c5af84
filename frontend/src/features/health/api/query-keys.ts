/** Query keys of this feature (other features invalidate them through its public entry). */
export const healthKeys = {
  all: ['health'] as const,
}
