import type { Schemas } from '@/types/api'

export type AccountMode = Schemas['ExchangeAccountModeEnum']

export type KeyPermissions = Schemas['Permissions']

/** An exchange key as its owner sees it: `api_key` is masked (last four characters). */
export type ExchangeAccount = Schemas['ExchangeAccount']

export type ExchangeAccountInput = Schemas['ExchangeAccountCreateRequest']

export type ConnectionReport = Schemas['ConnectionReport']

/** One of the user's sign-ins: a browser session or an API token (`current` is this browser's). */
export type SignIn = Schemas['SignIn']

/** An entry of the user's security activity (sign-ins, failures, lockouts, key changes). */
export type SecurityEvent = Schemas['AuditEvent']

export type SecurityAction = Schemas['AuditEventActionEnum']
