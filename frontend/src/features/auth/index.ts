/** The public entry of the auth feature: other features and the app import only from here. */
export { useMe } from '@/features/auth/api/auth'
export type { User } from '@/features/auth/api/types'
export { UserMenu } from '@/features/auth/components/user-menu'
export { validateLoginSearch } from '@/features/auth/lib/search'
