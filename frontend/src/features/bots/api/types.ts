import type { Schemas } from '@/types/api'

/* Bots API payloads, derived from the generated schema. Decimals are JSON strings. */

export type Bot = Schemas['Bot']
export type BotAccount = Schemas['BotAccount']
export type BotCreateRequest = Schemas['BotCreateRequest']
export type PatchedBotUpdateRequest = Schemas['PatchedBotUpdateRequest']
export type RiskProfile = Schemas['RiskProfile']
export type RiskProfileRequest = Schemas['RiskProfileRequest']
export type Position = Schemas['Position']
export type Tick = Schemas['Tick']
export type Check = Schemas['Check']
export type KillSwitch = Schemas['KillSwitch']
export type KillSwitchSetRequest = Schemas['KillSwitchSetRequest']
export type KillRequest = Schemas['KillRequest']
export type BotState = Schemas['StateEnum']
export type BotStrategy = Schemas['StrategyEnum']
export type TradingMode = Schemas['TradingModeEnum']
export type TickOutcome = Schemas['OutcomeEnum']

export const BOT_STATES = ['running', 'paused', 'stopped', 'halted'] as const satisfies readonly BotState[]

/** The actions of `POST /api/bots/{id}/<action>/` that take no body. */
export type BotAction = 'start' | 'pause' | 'stop'
