import type { z } from 'zod'
import type { ChannelSpec } from './define'
import { appChannels } from './app'
import { caseChannels } from './cases'
import { casePageChannels } from './case-pages'
import { directoryChannels } from './directory'
import { moneyChannels } from './money'
import { planChannels } from './plans'
import { caseFileChannels } from './case-file'
import { callChannels } from './calls'
import { solvencyChannels } from './solvency'
import { agendaChannels } from './agenda'
import { reportChannels } from './reports'
import { importChannels } from './imports'
import { documentChannels } from './documents'
import { dunningChannels } from './dunning'
import { backupChannels } from './backup'
import { databaseChannels } from './database'
import { auditChannels } from './audit'
import { privacyChannels } from './privacy'
import { userChannels } from './users'
import { syncChannels } from './sync'

/**
 * The whole main/renderer API. Adding a channel: define it in its domain file, spread it here,
 * add its name to CHANNEL_NAMES and register a handler in the domain module in src-main; the
 * contract test fails until all three agree.
 */
export const contract = {
  ...appChannels,
  ...directoryChannels,
  ...caseChannels,
  ...casePageChannels,
  ...moneyChannels,
  ...planChannels,
  ...caseFileChannels,
  ...callChannels,
  ...solvencyChannels,
  ...agendaChannels,
  ...reportChannels,
  ...importChannels,
  ...documentChannels,
  ...backupChannels,
  ...databaseChannels,
  ...auditChannels,
  ...privacyChannels,
  ...userChannels,
  ...dunningChannels,
  ...syncChannels
} as const satisfies Record<string, ChannelSpec>

export type Contract = typeof contract
export type ChannelName = keyof Contract
/** What a caller passes (defaults may be omitted). */
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>
/** What a handler receives, after validation and defaults. */
export type ChannelParsedInput<C extends ChannelName> = z.output<Contract[C]['input']>
export type ChannelResult<C extends ChannelName> = Contract[C] extends ChannelSpec<z.ZodType, infer R> ? R : never

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
}

export { CHANNEL_NAMES } from './channel-names'
export * from './errors'
export * from './app'
export * from './cases'
export * from './case-pages'
export * from './directory'
export * from './money'
export * from './plans'
export * from './case-file'
export * from './calls'
export * from './solvency'
export * from './agenda'
export * from './reports'
export * from './imports'
export * from './documents'
export * from './dunning'
export * from './backup'
export * from './database'
export * from './audit'
export * from './privacy'
export * from './users'
export * from './sync'
