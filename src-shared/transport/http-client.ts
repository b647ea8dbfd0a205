import { HTTP_RPC_PREFIX, HTTP_SESSION_HEADER, HTTP_TOKEN_HEADER } from '../contract/bridge'
import type { RpcResponse } from '../contract/errors'

/**
 * Client side of the loopback transport: the browser build of the renderer uses it in place of
 * the preload's invoke; tests use it to call a running server.
 */
export function createHttpInvoker(options: { baseUrl: string; token: string; session?: string; fetch?: typeof fetch }) {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  // Scripts and end-to-end tests running under Node may name their session in the environment.
  const session =
    options.session ??
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.RECOUVRA_SESSION
  return async function invoke(channel: string, input: unknown): Promise<RpcResponse<unknown>> {
    let response: Response
    try {
      response = await doFetch(`${options.baseUrl}${HTTP_RPC_PREFIX}${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [HTTP_TOKEN_HEADER]: options.token,
          ...(session ? { [HTTP_SESSION_HEADER]: session } : {})
        },
        body: JSON.stringify(input ?? {})
      })
    } catch {
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Le serveur Recouvra ne répond pas. Est-il toujours lancé ?' }
      }
    }
    if (response.status === 401 || response.status === 403) {
      return {
        ok: false,
        error: {
          code: 'UNAUTHORIZED',
          message: 'Accès refusé : rouvrez Recouvra avec l’adresse affichée au lancement.'
        }
      }
    }
    try {
      return (await response.json()) as RpcResponse<unknown>
    } catch {
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `Réponse illisible du serveur (HTTP ${response.status}).` }
      }
    }
  }
}
