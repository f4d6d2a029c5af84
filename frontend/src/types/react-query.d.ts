import '@tanstack/react-query'

interface QuantumTraderMeta extends Record<string, unknown> {
  /** When set, a failure of this query or mutation is reported in a toast with this title. */
  errorMessage?: string
}

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: QuantumTraderMeta
    mutationMeta: QuantumTraderMeta
  }
}
