import type { RecouvraBridge } from '@shared/contract/bridge'
import type { RpcResponse } from '@shared/contract/errors'
import { createHttpInvoker } from '@shared/transport/http-client'

declare global {
  interface Window {
    /** Set by the preload in the desktop app; absent in a browser on `npm run serve`. */
    recouvra?: RecouvraBridge
  }
}

export type Invoke = (channel: string, input: unknown) => Promise<RpcResponse<unknown>>

const TOKEN_KEY = 'recouvra.token'
const SESSION_KEY = 'recouvra.session'

/** This tab's session id, sent with every call; signing in binds it to a user in the main process. */
function tabSession(): string {
  let session = sessionStorage.getItem(SESSION_KEY)
  if (!session) {
    session = crypto.randomUUID()
    sessionStorage.setItem(SESSION_KEY, session)
  }
  return session
}

/**
 * The loopback server prints `http://127.0.0.1:PORT/#token=…`. The token is kept for this tab
 * only and removed from the address bar, so it does not end up in bookmarks or screenshots.
 */
function takeLoopbackToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash)
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1])
    window.history.replaceState(null, '', window.location.pathname + window.location.search)
    return match[1]
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

export type TransportChoice = { kind: 'ipc' | 'http'; invoke: Invoke } | { kind: 'missing-token' }

/** Picked once at start-up; nothing else in the renderer knows which transport it uses. */
export function pickTransport(): TransportChoice {
  const bridge = window.recouvra
  if (bridge) return { kind: 'ipc', invoke: (channel, input) => bridge.invoke(channel, input) }
  const token = takeLoopbackToken()
  if (!token) return { kind: 'missing-token' }
  return { kind: 'http', invoke: createHttpInvoker({ baseUrl: window.location.origin, token, session: tabSession() }) }
}
