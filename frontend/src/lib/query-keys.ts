/** Query keys shared between resources and app-wide cache handling. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
  health: ['health'] as const,
}
