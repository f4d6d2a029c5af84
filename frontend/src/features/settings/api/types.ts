import type { Schemas } from '@/types/api'

export type AccountMode = Schemas['ExchangeAccountModeEnum']

export type KeyPermissions = Schemas['Permissions']

/** An exchange key as its owner sees it: `api_key` is masked (last four characters). */
export type ExchangeAccount = Schemas['ExchangeAccount']

export type ExchangeAccountInput = Schemas['ExchangeAccountCreateRequest']

export type ConnectionReport = Schemas['ConnectionReport']
