/**
 * The channel allow-list, as plain strings so the sandboxed preload can bundle it without the
 * schemas. The contract test checks it equals the keys of `contract`.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'session:current',
  'demo:generate',
  'clients:list',
  'users:list',
  'cases:list',
  'cases:get-summary'
] as const

export type ChannelNameLiteral = (typeof CHANNEL_NAMES)[number]
