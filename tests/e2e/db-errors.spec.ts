import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import sqlite3 from 'sqlite3'
import type { CasePage } from '../../src-shared/contract'
import { api, e2eState } from './state'
import { ARTIFACTS, STATE_FILE } from './paths'
import { openApp } from './app'

/**
 * A database error reaches the user as a French message (src-main/db/db-errors.ts): another
 * program holds the demo server's SQLite file while a note is saved; nothing is saved, and the
 * same note goes through once the file is free.
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
