import { join } from 'node:path'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { expect, test } from '@playwright/test'
import pg from 'pg'
import sqlite3 from 'sqlite3'
import { startServe } from './serve-process'
import { nav } from './test-agency'
import type { CasePage } from '../../src-shared/contract'
import { api, e2eState } from './state'
import { ARTIFACTS, STATE_FILE } from './paths'
import { openApp } from './app'

/**
 * A database error reaches the user as a French message (src-main/db/db-errors.ts): another
 * program holds the demo server's SQLite file while a note is saved; nothing is saved, and the
 * same note goes through once the file is free. With RECOUVRA_TEST_PG_URL, an app on a shared
 * PostgreSQL server loses its network (a relay cut) and says so, then works again.
 */
test('a busy database file: the note is refused in French, then saved once the file is free', async ({ page }) => {
  const state = e2eState()
  const call = api(state.demoUrl)
  const list = await call<CasePage>('cases:list', { limit: 1, filters: { statuses: ['open'] } })
  const row = list.rows[0]!
  const demoDir = (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { dirs: string[] }).dirs[0]!
  await openApp(page, state.demoUrl)
  await page.getByRole('textbox', { name: 'Recherche' }).fill(row.reference)
  await expect(page.getByTestId('case-row')).toHaveCount(1)
  await page.getByTestId('case-row').click()
  await expect(page.getByTestId('case-file')).toBeVisible()
  await page.keyboard.press('n')
  const note = page.getByRole('textbox', { name: 'Note' })
  await note.fill('Rappeler le débiteur lundi matin.')
  const other = new sqlite3.Database(join(demoDir, 'recouvra.sqlite'))
  const run = (sql: string) => new Promise<void>((ok, ko) => other.exec(sql, (e) => (e ? ko(e) : ok())))
  await run('BEGIN IMMEDIATE')
  try {
    await note.press('Control+Enter')
    await expect(page.getByText(/La base de données est occupée par une autre opération/).first()).toBeVisible({
      timeout: 20_000
    })
    await expect(page.getByText(/Rien n’a été enregistré/).first()).toBeVisible()
    await page.screenshot({ path: `${ARTIFACTS}/db-error-busy.png` })
  } finally {
    await run('ROLLBACK')
    await new Promise<void>((ok) => other.close(() => ok()))
  }
  await note.press('Control+Enter')
  await expect(page.getByTestId('timeline-entry').first()).toContainText('Rappeler le débiteur lundi matin.')
})

test('agency mode: the network to the server is cut, the app says so in French and works again after', async ({
  page
}) => {
  const serverUrl = process.env.RECOUVRA_TEST_PG_URL
  test.skip(!serverUrl, 'RECOUVRA_TEST_PG_URL is not set: no PostgreSQL server for this test')
  test.setTimeout(120_000)
  const name = `recouvra_e2e_${process.pid}_${Date.now() % 100000}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`)
  const target = new URL(serverUrl!)
  const relay = new Relay(target.hostname, Number(target.port || 5432))
  const port = await relay.listen(0)
  const viaRelay = new URL(serverUrl!)
  viaRelay.port = String(port)
  viaRelay.pathname = `/${name}`
  const dataDir = mkdtempSync(join(tmpdir(), 'recouvra-e2e-agency-'))
  process.env.RECOUVRA_DATABASE_URL = viaRelay.toString()
  const served = await startServe(dataDir).finally(() => delete process.env.RECOUVRA_DATABASE_URL)
  try {
    await openApp(page, served.url)
    await expect(page.getByRole('heading', { name: 'Bienvenue dans Recouvra' })).toBeVisible()
    await relay.cut()
    await page.getByText('1 000 dossiers').click()
    await page.getByTestId('demo-generate').click()
    await expect(page.getByText(/Le serveur de la base de données est injoignable/).first()).toBeVisible({
      timeout: 30_000
    })
    await expect(page.getByText(/Rien n’a été enregistré/).first()).toBeVisible()
    await page.screenshot({ path: `${ARTIFACTS}/db-error-server-unreachable.png` })
    // The network is back: the same window goes on, no restart.
    await relay.listen(port)
    await nav(page, /Paramètres/).click()
    await expect(page.getByTestId('database-current')).toContainText('Serveur partagé PostgreSQL')
    await page.screenshot({ path: `${ARTIFACTS}/db-error-server-back.png` })
  } finally {
    served.process.kill()
    await relay.cut()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

/** A TCP relay to the server that can be cut (every socket destroyed, port closed) and restored. */
class Relay {
  private server: Server | null = null
  private readonly sockets = new Set<Socket>()

  constructor(
    private readonly host: string,
    private readonly port: number
  ) {}

  listen(port: number): Promise<number> {
    const server = createServer((inbound) => {
      const outbound = connect(this.port, this.host)
      for (const s of [inbound, outbound]) {
        this.sockets.add(s)
        s.on('close', () => this.sockets.delete(s))
        s.on('error', () => undefined)
      }
      inbound.pipe(outbound).pipe(inbound)
    })
    this.server = server
    return new Promise((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
    )
  }

  cut(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
    const server = this.server
    this.server = null
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()))
  }
}
