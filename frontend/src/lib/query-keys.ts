/**
 * Query keys the shared layer needs (the signed-in user). Each feature keeps its own keys in
 * `features/<name>/api/query-keys.ts`.
 */
export const queryKeys = {
  me: ['auth', 'me'] as const,
}
