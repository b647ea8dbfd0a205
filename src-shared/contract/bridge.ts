import type { RpcResponse } from './errors'

/**
 * What the preload exposes as `window.recouvra` in the desktop app: one typed invoke and the
 * system's save dialog for files a channel returned, nothing else (no Node, no ipcRenderer).
 */
export interface RecouvraBridge {
  readonly transport: 'ipc'
  invoke(channel: string, input: unknown): Promise<RpcResponse<unknown>>
  /** "Enregistrer sous…" (see src-main/transports/save-file.ts); `saved` false when cancelled. */
  saveFile?(fileName: string, base64: string): Promise<{ ok: true; saved: boolean } | { ok: false; message: string }>
}

/** The API routes of the loopback transport (`npm run serve`). */
export const HTTP_RPC_PREFIX = '/api/rpc/'
export const HTTP_TOKEN_HEADER = 'x-recouvra-token'
/** The tab's session id (random, kept in sessionStorage): signing in binds it to a user. */
export const HTTP_SESSION_HEADER = 'x-recouvra-session'
