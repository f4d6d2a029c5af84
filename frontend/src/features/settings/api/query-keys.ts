/** Query keys of this feature (other features invalidate them through its public entry). */
export const exchangeAccountKeys = {
  all: ['exchange-accounts'] as const,
}

/** The user's sessions and API tokens, and the security activity about them. */
export const securityKeys = {
  signIns: ['security', 'sign-ins'] as const,
  activity: ['security', 'activity'] as const,
}
