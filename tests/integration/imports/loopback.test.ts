import { afterAll, beforeAll, expect, it } from 'vitest'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { startLoopbackServer, type LoopbackServer } from '../../../src-main/transports/http-server'
import { openTempApp, tempDir } from '../helpers/temp-app'
import { csvLine, utf8 } from './files'

/** The loopback transport lets a client's file through imports:analyze only (base64 in the JSON body). */

let app: RecouvraApp
let dispose: () => Promise<void>
let server: LoopbackServer
const sandbox = tempDir()

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 20, seed: 5 }))
  mkdirSync(join(sandbox.path, 'static'), { recursive: true })
  server = await startLoopbackServer({ dispatcher: app.dispatcher, staticDir: join(sandbox.path, 'static'), port: 0 })
})
afterAll(async () => {
  await server.close()
  await dispose()
  sandbox.remove()
})

const post = (channel: string, body: unknown) =>
  fetch(`http://127.0.0.1:${server.port}/api/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-recouvra-token': server.token },
    body: JSON.stringify(body)
  })

it('accepts a 9 MB file on imports:analyze, where other channels stop at 5 MB', async () => {
  const [client] = await app.call('clients:list', {})
  const lines = [csvLine(['Nom', 'N° facture', 'Échéance', 'Montant TTC'])]
  let length = 0
  for (let i = 0; length < 9 * 1024 * 1024; i++) {
    const line = csvLine([
      `Débiteur ${i} avec un nom assez long pour remplir la ligne`,
      `F-${i}`,
      '31/12/2025',
      '1 234,56'
    ])
    lines.push(line)
    length += line.length + 1
  }
  const content = utf8(lines.join('\n'))
  expect(content.length).toBeGreaterThan(9 * 1024 * 1024)
  const response = await post('imports:analyze', {
    clientId: client!.id,
    fileName: 'gros.csv',
    contentBase64: content.toString('base64')
  })
  expect(response.status).toBe(200)
  const result = await response.json()
  expect(result.ok).toBe(true)
  expect(result.data.rowCount).toBe(lines.length - 1)

  const other = await post('cases:list', { filters: { text: 'x'.repeat(6 * 1024 * 1024) } })
  expect(other.status).toBe(413)
})
