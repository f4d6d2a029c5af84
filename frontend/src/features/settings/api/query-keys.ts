/** Query keys of this feature (other features invalidate them through its public entry). */
export const exchangeAccountKeys = {
  all: ['exchange-accounts'] as const,
}
