/** The public entry of the settings feature: other features and the app import only from here. */
export { exchangeAccountKeys } from '@/features/settings/api/query-keys'
export type { ExchangeAccount, SecurityEvent, SignIn } from '@/features/settings/api/types'
export { useExchangeAccounts } from '@/features/settings/api/exchange-accounts'
