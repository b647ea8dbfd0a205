import { afterEach, describe, expect, it } from 'vitest'
import { Database } from '../../../src-main/db/database'
import { parsePgInt8 } from '../../../src-main/db/data-source'
import { runAudited, verifyChain } from '../../../src-main/modules/audit/audit-trail'
import { emptyPostgresDatabase, SKIP_PG_REASON, testPostgresUrl } from '../helpers/temp-pg'
import { tempDir } from '../helpers/temp-app'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function openFresh(): Promise<Database> {
  const database = await emptyPostgresDatabase()
  const dir = tempDir()
  const db = await Database.openPostgres(database.url, dir.path, { poolSize: 2 })
  cleanups.push(dir.remove, database.drop, () => db.close())
  return db
}

describe.skipIf(!testPostgresUrl())('PostgreSQL migrations (agency mode)', () => {
  if (!testPostgresUrl()) console.warn(`Skipped: ${SKIP_PG_REASON}`)

  it('bring an empty database exactly to the entities: the schema builder has nothing left to do', async () => {
    const db = await openFresh()
    const pending = await db.dataSource.driver.createSchemaBuilder().log()
    expect(pending.upQueries.map((q) => q.query)).toEqual([])
    expect(await db.dataSource.showMigrations()).toBe(false)
    expect(await db.engineVersion()).toMatch(/^PostgreSQL 1\d/)
  })

  it('read bigint cents back as numbers, refusing values past safe integers', async () => {
    const db = await openFresh()
    const [row] = await db.read((m) =>
      m.query('SELECT CAST(9007199254740991 AS bigint) AS big, COUNT(*) AS n FROM client')
    )
    expect(row).toEqual({ big: 9007199254740991, n: 0 })
    expect(() => parsePgInt8('9007199254740993')).toThrow(/safe integers/)
  })

  it('define the SQLite functions some shared SQL uses, with SQLite’s results', async () => {
    const db = await openFresh()
    const [row] = await db.read((m) =>
      m.query(
        `SELECT julianday('2026-11-23') - julianday('2026-02-28') AS days,
                julianday('2026-11-23T12:00:00.000Z') - julianday('2026-11-23') AS half,
                json_extract('{"a":{"b":"x"},"n":3}', '$.a.b') AS b,
                (SELECT group_concat(v, ' ') FROM (VALUES ('x'), (NULL), ('y')) AS t(v)) AS joined,
                (SELECT group_concat(v) FROM (VALUES ('x'), ('y')) AS t(v)) AS commas,
                MAX(2, 5) AS high, MIN(2, 5) AS low, MAX(2, NULL) AS unknown,
                (SELECT MAX(v) FROM (VALUES (1), (7)) AS t(v)) AS aggregate,
                (SELECT MAX(v = 7) FROM (VALUES (1), (7)) AS t(v)) AS any_seven,
                (SELECT SUM(v > 0) FROM (VALUES (1), (7), (-1)) AS t(v)) AS positives`
      )
    )
    expect(row).toEqual({
      days: 268,
      half: 0.5,
      b: 'x',
      joined: 'x y',
      commas: 'x,y',
      high: 5,
      low: 2,
      unknown: null,
      aggregate: 7,
      any_seven: true,
      positives: 2
    })
  })

  it('seed the rate tables and dunning scenarios, audit every write and keep the trail append-only', async () => {
    const db = await openFresh()
    const [rates] = await db.read((m) => m.query('SELECT COUNT(*) AS n FROM legal_interest_rate'))
    expect(rates.n).toBeGreaterThan(20)
    const [steps] = await db.read((m) => m.query('SELECT COUNT(*) AS n FROM dunning_step'))
    expect(steps.n).toBe(16)
    await runAudited({ userId: 'u-1', action: 'test:write' }, () =>
      db.write((m) =>
        m.query('INSERT INTO app_setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, NULL)', [
          'k',
          '"v"',
          '2026-11-23T09:00:00.000Z'
        ])
      )
    )
    const trail = await db.read((m) =>
      m.query('SELECT seq, user_id, action, table_name, row_id, operation FROM audit_entry')
    )
    expect(trail).toEqual([
      { seq: 1, user_id: 'u-1', action: 'test:write', table_name: 'app_setting', row_id: 'k', operation: 'insert' }
    ])
    expect(await verifyChain((sql, p) => db.read((m) => m.query(sql, p)))).toMatchObject({ ok: true, checked: 1 })
    await expect(db.write((m) => m.query("UPDATE audit_entry SET action = 'x'"))).rejects.toThrow(/append-only/)
    await expect(db.write((m) => m.query('DELETE FROM audit_entry'))).rejects.toThrow(/append-only/)
    const [left] = await db.read((m) => m.query('SELECT COUNT(*) AS n FROM temp.audit_pending'))
    expect(left.n).toBe(0)
  })
})
