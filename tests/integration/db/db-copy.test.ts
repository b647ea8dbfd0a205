import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src-main/app/create-app'
import { DATABASE_FILE_NAME } from '../../../src-main/db/database'
import { copySqliteToPostgres } from '../../../src-main/db/db-copy'
import { fixedClock } from '../../../src-main/platform/clock'
import { verifyChain } from '../../../src-main/modules/audit/audit-trail'
import { openTempApp, tempDir, TEST_NOW } from '../helpers/temp-app'
import { emptyPostgresDatabase, SKIP_PG_REASON, testPostgresUrl } from '../helpers/temp-pg'

describe.skipIf(!testPostgresUrl())('db copy: an embedded SQLite file into a shared PostgreSQL server', () => {
  if (!testPostgresUrl()) console.warn(`Skipped: ${SKIP_PG_REASON}`)
  const cleanups: Array<() => unknown> = []
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })

  it('copies every table with its counts checked, resumes, and the copy works as the agency database', async () => {
    const sqlite = await openTempApp({ demoCases: 60, seed: 5, postgres: false })
    cleanups.push(() => sqlite.dispose())
    const [caseRow] = await sqlite.app.db.read((m) => m.query('SELECT id, reference FROM collection_case LIMIT 1'))
    await sqlite.app.db.close()
    const file = join(sqlite.dataDir, DATABASE_FILE_NAME)
    const target = await emptyPostgresDatabase()
    cleanups.push(target.drop)
    const work = tempDir()
    cleanups.push(work.remove)

    const report = await copySqliteToPostgres(file, target.url, { dataDir: work.path })
    const byTable = Object.fromEntries(report.tables.map((t) => [t.table, t]))
    expect(byTable.collection_case).toMatchObject({ rows: 60, skipped: false })
    expect(byTable.audit_entry!.rows).toBeGreaterThan(0)
    expect(report.totalRows).toBeGreaterThan(60)

    // Run again: everything already there is skipped, nothing doubled.
    const again = await copySqliteToPostgres(file, target.url, { dataDir: work.path })
    expect(again.tables.filter((t) => !t.skipped)).toEqual([])

    const app = await createApp({ dataDir: work.path, clock: fixedClock(TEST_NOW), databaseUrl: target.url })
    cleanups.push(() => app.close())
    const chain = await verifyChain((sql, p) => app.db.read((m) => m.query(sql, p)))
    expect(chain.ok).toBe(true)
    const page = await app.call('cases:list', { limit: 10, filters: { text: String(caseRow.reference) } })
    expect(JSON.stringify(page)).toContain(String(caseRow.id))
  })
})
