export type AccountMode = 'testnet' | 'live'

export interface KeyPermissions {
  known: boolean
  can_trade: boolean
  can_withdraw: boolean
  can_transfer: boolean
  ip_restricted: boolean | null
  checked_at: string | null
}

export interface ExchangeAccount {
  id: number
  exchange: string
  label: string
  mode: AccountMode
  /** The key masked: only its last four characters. */
  api_key: string
  has_passphrase: boolean
  status: 'ok' | 'unusable'
  status_message: string
  warnings: string[]
  permissions: KeyPermissions
  created_at: string
  updated_at: string
}

export interface ExchangeAccountInput {
  exchange: string
  label: string
  mode: AccountMode
  api_key: string
  secret: string
  passphrase?: string
}

export interface ConnectionReport {
  ok: boolean
  failure: string
  detail: string
  exchange_message: string
  warnings: string[]
  permissions: Record<string, unknown> | null
}
