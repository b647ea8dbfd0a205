import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { resolveDatabaseUrl } from '../../../src-main/platform/database-target'
import { openTempApp } from '../helpers/temp-app'
import { testPostgresUrl } from '../helpers/temp-pg'
import { refusal } from '../money/fixtures'

let app: RecouvraApp
let dataDir: string
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dataDir, dispose } = await openTempApp())
})
afterAll(() => dispose())

describe('Paramètres › Base de données', () => {
  it('says which database runs, and saves nothing for an unreachable server', async () => {
    const target = await app.call('database:get-target', {})
    expect(target).toMatchObject({ engine: app.db.dialect, savedUrl: null })
    const error = await refusal(app, 'database:set-target', { url: 'postgres://nobody:secret@127.0.0.1:1/none' })
    expect(error.code).toBe('VALIDATION')
    expect(error.message).toContain('Connexion impossible au serveur PostgreSQL postgres://nobody:***@127.0.0.1:1/none')
    expect(existsSync(join(dataDir, 'database.json'))).toBe(false)
    expect((await refusal(app, 'database:set-target', { url: 'mysql://x' })).code).toBe('VALIDATION')
  })

  it.skipIf(!testPostgresUrl())('saves a server that answers, for the next start, outside the database', async () => {
    const url = testPostgresUrl()!
    const saved = await app.call('database:set-target', { url })
    expect(saved.checked).toMatch(/^PostgreSQL 1\d/)
    expect(JSON.parse(readFileSync(join(dataDir, 'database.json'), 'utf8'))).toEqual({ url })
    expect(resolveDatabaseUrl([], {}, dataDir)).toBe(url)
    // The command line and the environment still decide first.
    expect(resolveDatabaseUrl(['--database', 'sqlite'], {}, dataDir)).toBeNull()
    expect(resolveDatabaseUrl([], { RECOUVRA_DATABASE_URL: 'postgres://a@b/c' }, dataDir)).toBe('postgres://a@b/c')
    const back = await app.call('database:set-target', { url: null })
    expect(back.savedUrl).toBeNull()
    expect(resolveDatabaseUrl([], {}, dataDir)).toBeNull()
  })
})
