import { createReadStream, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { HTTP_RPC_PREFIX, HTTP_SESSION_HEADER, HTTP_TOKEN_HEADER } from '@shared/contract/bridge'
import { CONTENT_SECURITY_POLICY_HEADER } from '@shared/security/csp'
import type { Dispatcher } from '../ipc/dispatcher'
import { log } from '../platform/log'

/** Largest request body: calls carry queries and forms, never files. */
const MAX_BODY_BYTES = 5 * 1024 * 1024
/**
 * The one exception: `imports:analyze` carries a client's spreadsheet, base64 in the JSON body
 * (IMPORT_MAX_FILE_BYTES = 25 MB, so about 34 MB encoded). A 100,000-row CSV export is 10 to
 * 15 MB: 5 MB would refuse ordinary portfolios. Only that channel, only after the token check.
 */
const IMPORT_BODY_BYTES = 36 * 1024 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8'
}

export interface LoopbackServer {
  server: Server
  port: number
  token: string
  /** The address to open, token in the fragment so it never reaches logs or Referer headers. */
  url: string
  close(): Promise<void>
}

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The loopback transport of `npm run serve`: serves the built renderer and routes
 * `POST /api/rpc/<channel>` to the same dispatcher as Electron's IPC.
 *
 * Threats it closes: other machines (binds 127.0.0.1 only), other local users and processes
 * (random per-run token, compared in constant time), web pages open in the same browser
 * (foreign Origin refused; the token is not readable cross-origin), DNS rebinding (Host must
 * be our loopback address).
 */
export async function startLoopbackServer(options: {
  dispatcher: Dispatcher
  staticDir: string
  port?: number
  token?: string
}): Promise<LoopbackServer> {
  const token = options.token ?? newToken()
  const staticRoot = resolve(options.staticDir)
  let port = 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error('Loopback request failed', error)
      if (!response.headersSent)
        sendJson(response, 500, { ok: false, error: { code: 'INTERNAL', message: 'Erreur interne.' } })
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    setSecurityHeaders(response)
    if (!allowedHosts().has(request.headers.host ?? '')) {
      log.warn(`Loopback: refused request with Host ${JSON.stringify(request.headers.host ?? '')}`)
      return sendText(response, 403, 'Hôte refusé.')
    }
    const origin = request.headers.origin
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      log.warn(`Loopback: refused request from origin ${JSON.stringify(origin)}`)
      return sendText(response, 403, 'Origine refusée.')
    }
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname.startsWith(HTTP_RPC_PREFIX)) return handleRpc(request, response, url)
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'Méthode refusée.')
    return serveStatic(response, url.pathname, request.method === 'HEAD')
  }

  async function handleRpc(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method !== 'POST') return sendText(response, 405, 'Méthode refusée.')
    if (!tokenMatches(request.headers[HTTP_TOKEN_HEADER], token)) {
      log.warn('Loopback: refused call without a valid token')
      return sendJson(response, 401, {
        ok: false,
        error: { code: 'UNAUTHORIZED', message: 'Jeton d’accès manquant ou invalide.' }
      })
    }
    // A JSON content type forces a CORS preflight on any cross-origin attempt.
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendText(response, 415, 'Contenu JSON attendu.')
    }
    const channel = decodeURIComponent(url.pathname.slice(HTTP_RPC_PREFIX.length))
    let input: unknown
    try {
      const body = await readBody(request, channel === 'imports:analyze' ? IMPORT_BODY_BYTES : MAX_BODY_BYTES)
      input = body.length === 0 ? {} : JSON.parse(body)
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError
      log.warn(`Loopback: unreadable body on ${channel}: ${tooLarge ? 'too large' : 'invalid JSON'}`)
      return sendJson(response, tooLarge ? 413 : 400, {
        ok: false,
        error: {
          code: 'VALIDATION',
          message: tooLarge ? 'Requête trop volumineuse.' : 'Requête illisible (JSON invalide).'
        }
      })
    }
    // The tab's session, bound to a user when it signs in (the token alone signs nobody in).
    const session = request.headers[HTTP_SESSION_HEADER]
    const sessionKey = typeof session === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(session) ? `http:${session}` : null
    const result = await options.dispatcher.dispatch(channel, input, 'http', sessionKey)
    sendJson(response, 200, result)
  }

  function serveStatic(response: ServerResponse, pathname: string, headOnly: boolean): void {
    let relative: string
    try {
      relative = decodeURIComponent(pathname)
    } catch {
      return sendText(response, 400, 'Adresse invalide.')
    }
    if (relative === '/' || relative === '') relative = '/index.html'
    const file = normalize(join(staticRoot, relative))
    if (!file.startsWith(staticRoot + sep)) return sendText(response, 403, 'Accès refusé.')
    let size: number
    try {
      const stat = statSync(file)
      if (!stat.isFile()) return sendText(response, 404, 'Introuvable.')
      size = stat.size
    } catch {
      return sendText(response, 404, 'Introuvable.')
    }
    response.statusCode = 200
    response.setHeader('content-type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
    response.setHeader('content-length', size)
    response.setHeader('cache-control', file.endsWith('.html') ? 'no-store' : 'max-age=3600')
    if (headOnly) return void response.end()
    createReadStream(file).pipe(response)
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', rejectListen)
      resolveListen()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections()
        server.close(() => resolveClose())
      })
  }
}

function tokenMatches(received: string | string[] | undefined, expected: string): boolean {
  if (typeof received !== 'string') return false
  const a = Buffer.from(received)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      // Past the limit, keep reading to the end without keeping anything, so the client gets
      // a clean 413 instead of a reset connection.
      if (size <= maxBytes) chunks.push(chunk)
    })
    request.on('end', () =>
      size > maxBytes ? rejectBody(new BodyTooLargeError()) : resolveBody(Buffer.concat(chunks).toString('utf8'))
    )
    request.on('error', rejectBody)
  })
}

function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY_HEADER)
  response.setHeader('x-content-type-options', 'nosniff')
  response.setHeader('referrer-policy', 'no-referrer')
  response.setHeader('x-frame-options', 'DENY')
  response.setHeader('cross-origin-opener-policy', 'same-origin')
  response.setHeader('cross-origin-resource-policy', 'same-origin')
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body)
  response.statusCode = status
  response.setHeader('content-type', 'application/json; charset=utf-8')
  response.setHeader('cache-control', 'no-store')
  response.end(payload)
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.statusCode = status
  response.setHeader('content-type', 'text/plain; charset=utf-8')
  response.end(text)
}
