import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Database as Sqlite } from 'sqlite3'
import { Database, DATABASE_FILE_NAME } from '../../../src-main/db/database'
import { MIGRATIONS } from '../../../src-main/db/migrations'
import { tempDir } from '../helpers/temp-app'

const MIGRATIONS_DIR = join(__dirname, '../../../src-main/db/migrations')
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function openFresh(): Promise<Database> {
  const dir = tempDir()
  const db = await Database.open(dir.path)
  cleanups.push(dir.remove, () => db.close())
  return db
}

describe('migrations', () => {
  it('bring an empty database exactly to the entities: the schema builder has nothing left to do', async () => {
    const db = await openFresh()
    const pending = await db.dataSource.driver.createSchemaBuilder().log()
    expect(pending.upQueries.map((q) => q.query)).toEqual([])
    expect(await db.dataSource.showMigrations()).toBe(false)
  })

  it('match the committed schema snapshot (review any change to it)', async () => {
    const db = await openFresh()
    const rows: Array<{ type: string; name: string; sql: string }> = await db.dataSource.query(
      "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
    )
    const dump = rows.map((r) => `-- ${r.type} ${r.name}\n${r.sql};`).join('\n\n') + '\n'
    await expect(dump).toMatchFileSnapshot('./__snapshots__/schema.sql')
  })

  it('are never edited once committed: their content hashes are pinned', () => {
    const lock = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'migrations.lock.json'), 'utf8')) as Record<
      string,
      string
    >
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d+-.+\.ts$/.test(f))
    const actual = Object.fromEntries(
      files.map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(MIGRATIONS_DIR, f)))
          .digest('hex')
      ])
    )
    // A new migration: add its hash to migrations.lock.json. An edited one: write a new migration instead.
    expect(actual).toEqual(lock)
    expect(MIGRATIONS).toHaveLength(files.length)
  })

  it('turn on WAL and foreign keys', async () => {
    const db = await openFresh()
    const [journal] = await db.dataSource.query('PRAGMA journal_mode')
    const [fk] = await db.dataSource.query('PRAGMA foreign_keys')
    expect(journal.journal_mode).toBe('wal')
    expect(fk.foreign_keys).toBe(1)
  })

  it('make the evidence tables append-only', async () => {
    const db = await openFresh()
    const now = '2026-11-23T09:00:00.000Z'
    const ids = {
      user: '0192f000-0000-7000-8000-000000000001',
      client: '0192f000-0000-7000-8000-000000000002',
      mandate: '0192f000-0000-7000-8000-000000000003',
      debtor: '0192f000-0000-7000-8000-000000000004',
      case: '0192f000-0000-7000-8000-000000000005',
      entry: '0192f000-0000-7000-8000-000000000006',
      payment: '0192f000-0000-7000-8000-000000000007'
    }
    const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params)
    await q(
      `INSERT INTO client (id, created_at, updated_at, version, code, kind, legal_name, address_line1, postal_code, city, country) VALUES (?, ?, ?, 1, 'C1', 'company', 'ACME', '1 rue de Paris', '75001', 'Paris', 'FR')`,
      [ids.client, now, now]
    )
    await q(
      `INSERT INTO mandate (id, created_at, updated_at, version, client_id, reference, signed_on, status, commission_rate_bp, scope, liability_guarantee, fee_terms, remittance_terms) VALUES (?, ?, ?, 1, ?, 'M1', '2026-01-01', 'active', 1500, 's', 'l', 'f', 'r')`,
      [ids.mandate, now, now, ids.client]
    )
    await q(
      `INSERT INTO debtor (id, created_at, updated_at, version, kind, display_name) VALUES (?, ?, ?, 1, 'individual', 'DUPONT Jean')`,
      [ids.debtor, now, now]
    )
    await q(
      `INSERT INTO collection_case (id, created_at, updated_at, version, reference, client_id, mandate_id, debtor_id, phase, status, priority, opened_on) VALUES (?, ?, ?, 1, 'REC-1', ?, ?, ?, 'amicable', 'open', 'normal', '2026-11-01')`,
      [ids.case, now, now, ids.client, ids.mandate, ids.debtor]
    )
    await q(
      `INSERT INTO journal_entry (id, created_at, case_id, kind, occurred_at, summary) VALUES (?, ?, ?, 'note', ?, 'Premier contact')`,
      [ids.entry, now, ids.case, now]
    )
    await q(
      `INSERT INTO payment (id, created_at, case_id, received_on, amount_cents, method, received_by) VALUES (?, ?, ?, '2026-11-20', 10000, 'transfer', 'agency')`,
      [ids.payment, now, ids.case]
    )
    await expect(q(`UPDATE journal_entry SET summary = 'falsifié' WHERE id = ?`, [ids.entry])).rejects.toThrow(
      /append-only/
    )
    await expect(q(`DELETE FROM journal_entry WHERE id = ?`, [ids.entry])).rejects.toThrow(/append-only/)
    await expect(q(`UPDATE payment SET amount_cents = 1 WHERE id = ?`, [ids.payment])).rejects.toThrow(/append-only/)
    await expect(q(`DELETE FROM payment`)).rejects.toThrow(/append-only/)
    // Foreign keys hold: a journal entry cannot point at a case that does not exist.
    await expect(
      q(
        `INSERT INTO journal_entry (id, created_at, case_id, kind, occurred_at, summary) VALUES (?, ?, ?, 'note', ?, 'x')`,
        ['0192f000-0000-7000-8000-000000000099', now, '0192f000-0000-7000-8000-0000000000ff', now]
      )
    ).rejects.toThrow(/FOREIGN KEY/)
  })

  it('back up an existing database file before migrating it', async () => {
    const dir = tempDir()
    cleanups.push(dir.remove)
    // An existing file from an older version, holding data, with migrations still to apply.
    await new Promise<void>((resolve, reject) => {
      const raw = new Sqlite(join(dir.path, DATABASE_FILE_NAME))
      raw.exec("CREATE TABLE legacy_note (text TEXT); INSERT INTO legacy_note VALUES ('à garder');", (err) =>
        raw.close(() => (err ? reject(err) : resolve()))
      )
    })
    const db = await Database.open(dir.path)
    cleanups.push(() => db.close())
    const backups = existsSync(join(dir.path, 'backups')) ? readdirSync(join(dir.path, 'backups')) : []
    expect(backups).toHaveLength(1)
    expect(backups[0]).toMatch(/^pre-migration-.*\.sqlite$/)
    const saved = await new Promise<Array<{ text: string }>>((resolve, reject) => {
      const raw = new Sqlite(join(dir.path, 'backups', backups[0]!))
      raw.all('SELECT text FROM legacy_note', (err, rows) =>
        raw.close(() => (err ? reject(err) : resolve(rows as never)))
      )
    })
    expect(saved).toEqual([{ text: 'à garder' }])
    // A brand-new database has nothing to back up.
    const fresh = tempDir()
    cleanups.push(fresh.remove)
    const freshDb = await Database.open(fresh.path)
    cleanups.push(() => freshDb.close())
    expect(existsSync(join(fresh.path, 'backups'))).toBe(false)
  })
})
