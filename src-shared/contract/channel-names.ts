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
  'cases:get-summary',
  'portfolio:list-views',
  'portfolio:create-view',
  'portfolio:update-view',
  'portfolio:delete-view',
  'rates:list',
  'rates:add-semester',
  'money:statement',
  'money:record-payment',
  'money:reverse-payment',
  'money:list-payments',
  'remittances:preview',
  'remittances:create',
  'remittances:mark-paid',
  'remittances:list',
  'plans:simulate',
  'plans:accept',
  'plans:list',
  'plans:detect-defaults',
  'plans:accelerate',
  'promises:list',
  'promises:create',
  'promises:evaluate'
] as const

export type ChannelNameLiteral = (typeof CHANNEL_NAMES)[number]
