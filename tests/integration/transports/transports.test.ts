import { join } from 'node:path'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY_HEADER } from '@shared/security/csp'
import { CHANNEL_NAMES, type ChannelName, type RpcResponse } from '@shared/contract'
import { createHttpInvoker } from '@shared/transport/http-client'
import { startLoopbackServer, type LoopbackServer } from '../../../src-main/transports/http-server'
import { registerIpcHandlers, type IpcMainLike } from '../../../src-main/transports/electron-ipc'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp, tempDir } from '../helpers/temp-app'

let app: RecouvraApp
let dispose: () => Promise<void>
let server: LoopbackServer
// The served folder sits inside a sandbox that also holds a secret the server must never serve.
const sandbox = tempDir('recouvra-static-')
const staticPath = join(sandbox.path, 'public')

/** What Electron does: the handler's result crosses the process boundary by structured clone. */
function fakeIpc(trusted: (url: string) => boolean) {
  const handlers = new Map<string, (event: { senderFrame: { url: string } | null }, input: unknown) => unknown>()
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) }
  registerIpcHandlers(ipcMain, app.dispatcher, trusted)
  return {
    handlers,
    invoke: async (channel: string, input: unknown, frameUrl = 'file:///app/index.html') => {
      const handler = handlers.get(channel)
      if (!handler) throw new Error(`No handler registered for ${channel}`)
      return structuredClone(await handler({ senderFrame: { url: frameUrl } }, structuredClone(input)))
    }
  }
}

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 400, seed: 11 }))
  mkdirSync(join(staticPath, 'assets'), { recursive: true })
  writeFileSync(join(staticPath, 'index.html'), '<!doctype html><title>Recouvra</title>')
  writeFileSync(join(staticPath, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(sandbox.path, 'secret.txt'), 'TOP SECRET')
  server = await startLoopbackServer({ dispatcher: app.dispatcher, staticDir: staticPath, port: 0 })
})
afterAll(async () => {
  await server.close()
  await dispose()
  sandbox.remove()
})

describe('the two transports', () => {
  it('register exactly the contract channels over IPC', () => {
    const ipc = fakeIpc(() => true)
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort())
  })

  it('give the same results as an in-process call, successes and refusals alike', async () => {
    const http = createHttpInvoker({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token })
    const ipc = fakeIpc(() => true)
    const page = await app.call('cases:list', { limit: 3 })
    const calls: Array<[ChannelName | string, unknown]> = [
      ['app:info', {}],
      ['session:current', {}],
      ['clients:list', {}],
      ['users:list', {}],
      ['cases:list', {}],
      ['cases:list', { offset: 20, limit: 25, sort: { field: 'balance', direction: 'desc' } }],
      [
        'cases:list',
        { sort: { field: 'debtorName', direction: 'asc' }, filters: { phases: ['amicable'], statuses: ['open'] } }
      ],
      ['cases:list', { filters: { text: 'a' }, asOf: '2026-01-01' }],
      ['cases:get-summary', { id: page.rows[0]!.id }],
      ['cases:get-summary', { id: '0192f000-0000-7000-8000-000000000000' }],
      ['cases:list', { limit: 'many' }],
      ['demo:generate', { cases: 10, seed: 1 }],
      ['no:such-channel', {}]
    ]
    for (const [channel, input] of calls) {
      const direct = await app.dispatcher.dispatch(channel, input, 'direct')
      const overHttp = await http(channel, input)
      expect(overHttp, `${channel} over HTTP`).toEqual(direct)
      if ((CHANNEL_NAMES as readonly string[]).includes(channel)) {
        expect(await ipc.invoke(channel, input), `${channel} over IPC`).toEqual(direct)
      }
    }
  })

  it('refuse IPC calls from a frame that is not the app', async () => {
    const ipc = fakeIpc((url) => url === 'file:///app/index.html')
    const response = (await ipc.invoke('app:info', {}, 'https://evil.example/')) as RpcResponse<unknown>
    expect(response).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Appel refusé : origine inconnue.' } })
  })
})

/** A raw request, to set headers a browser's fetch would not let a test forge. */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: options.method ?? 'GET',
          path: options.path,
          headers: { host: `127.0.0.1:${server.port}`, ...options.headers }
        },
        (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (body += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        }
      )
      req.on('error', reject)
      if (options.body) req.write(options.body)
      req.end()
    }
  )
}

const rpc = (headers: Record<string, string>, body = '{}', channel = 'app:info') =>
  raw({
    method: 'POST',
    path: `/api/rpc/${channel}`,
    headers: { 'content-type': 'application/json', ...headers },
    body
  })

describe('the loopback server', () => {
  it('listens on 127.0.0.1 only', () => {
    const address = server.server.address()
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1')
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`)
    expect(server.token.length).toBeGreaterThanOrEqual(43)
  })

  it('requires the per-run token', async () => {
    expect((await rpc({})).status).toBe(401)
    expect((await rpc({ 'x-recouvra-token': 'wrong' })).status).toBe(401)
    expect((await rpc({ 'x-recouvra-token': server.token.slice(1) + 'x' })).status).toBe(401)
    const ok = await rpc({ 'x-recouvra-token': server.token })
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body).ok).toBe(true)
  })

  it('rejects foreign origins and hosts (other sites, DNS rebinding)', async () => {
    const token = { 'x-recouvra-token': server.token }
    expect((await rpc({ ...token, origin: 'https://evil.example' })).status).toBe(403)
    expect((await rpc({ ...token, origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403)
    expect((await rpc({ ...token, origin: 'null' })).status).toBe(403)
    expect((await rpc({ ...token, host: `evil.example:${server.port}` })).status).toBe(403)
    expect((await raw({ path: '/', headers: { host: 'attacker.test' } })).status).toBe(403)
    expect(
      (await rpc({ ...token, origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` })).status
    ).toBe(200)
  })

  it('accepts only JSON posts of reasonable size', async () => {
    const token = { 'x-recouvra-token': server.token }
    expect((await rpc({ ...token, 'content-type': 'text/plain' })).status).toBe(415)
    expect((await raw({ path: '/api/rpc/app:info', headers: token })).status).toBe(405)
    const bad = await rpc(token, '{not json')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error.code).toBe('VALIDATION')
    const huge = await rpc(token, JSON.stringify({ filters: { text: 'x'.repeat(6 * 1024 * 1024) } }), 'cases:list')
    expect(huge.status).toBe(413)
  })

  it('serves the renderer with its security headers and nothing outside it', async () => {
    const index = await raw({ path: '/' })
    expect(index.status).toBe(200)
    expect(index.body).toContain('<title>Recouvra</title>')
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY_HEADER)
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    expect(index.headers['x-frame-options']).toBe('DENY')
    expect((await raw({ path: '/assets/app.js' })).headers['content-type']).toMatch(/javascript/)
    // A file next to the served folder must never be reachable, however the path is spelled.
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%5csecret.txt'
    ]) {
      const response = await raw({ path })
      expect([400, 403, 404], path).toContain(response.status)
      expect(response.body, path).not.toContain('TOP SECRET')
    }
    expect((await raw({ path: '/missing.js' })).status).toBe(404)
    expect((await raw({ method: 'DELETE', path: '/' })).status).toBe(405)
  })
})
