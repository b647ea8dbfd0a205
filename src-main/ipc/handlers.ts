import type { ChannelName, ChannelParsedInput, ChannelResult, SessionUser } from '@shared/contract'

export type TransportKind = 'ipc' | 'http' | 'direct'

/** What a handler knows about the call besides its input. */
export interface CallContext {
  /** Author of every write made by this call. */
  user: SessionUser
  transport: TransportKind
  /** The window's session key (sign-in binds it to a user); null for in-process calls. */
  sessionKey?: string | null
}

export type Handler<C extends ChannelName> = (
  input: ChannelParsedInput<C>,
  ctx: CallContext
) => Promise<ChannelResult<C>>

export type HandlerMap = { [C in ChannelName]: Handler<C> }

/** The handlers of one domain module, for the channels it owns. */
export type HandlerGroup<K extends ChannelName> = { [C in K]: Handler<C> }

/**
 * Merges the domain modules' handler groups into one map. Throws when two modules claim the
 * same channel or a channel of the contract has no handler: both are wiring bugs that must
 * stop the app at start-up, not surface as a failed call later.
 */
export function combineHandlers(channels: readonly ChannelName[], groups: Array<Partial<HandlerMap>>): HandlerMap {
  const combined: Partial<Record<ChannelName, unknown>> = {}
  for (const group of groups) {
    for (const [name, handler] of Object.entries(group)) {
      if (name in combined) throw new Error(`Channel ${name} has two handlers`)
      combined[name as ChannelName] = handler
    }
  }
  const missing = channels.filter((name) => typeof combined[name] !== 'function')
  if (missing.length > 0) throw new Error(`Channels without a handler: ${missing.join(', ')}`)
  const extra = Object.keys(combined).filter((name) => !channels.includes(name as ChannelName))
  if (extra.length > 0) throw new Error(`Handlers for channels not in the contract: ${extra.join(', ')}`)
  return combined as HandlerMap
}
