import { createServer, type Server, type Socket, connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import sqlite3 from 'sqlite3'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { RemittanceEntity } from '../../../src-main/modules/money/remittance.entities'
import { openTempApp, tempDir, TEST_NOW } from '../helpers/temp-app'
import { tempPostgresDatabase, testingOnPostgres, testPostgresUrl } from '../helpers/temp-pg'
import { refusal, seedCase, seedClient, type SeededCase } from '../money/fixtures'

/**
 * Database driver errors reach the user as French messages (src-main/db/db-errors.ts), on both
 * engines, through real channels. Each error is raised by the engine itself: a trigger on the
 * journal makes the note's transaction break a real constraint (unique index, foreign key,
 * CHECK) or fail with a serialization failure on every write attempt, another process holds the
 * SQLite file, a second PostgreSQL session terminates the channel's connection, and a TCP proxy
 * between the app and the server is cut.
 */

let app: RecouvraApp
let dispose: () => Promise<void>
let first: SeededCase
let second: SeededCase
const postgres = testingOnPostgres()

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
  const client = await seedClient(app)
  first = await seedCase(app, { client, claims: [{ principalCents: 100_000, dueOn: '2026-01-15' }] })
  second = await seedCase(app, { client, claims: [{ principalCents: 50_000, dueOn: '2026-02-15' }] })
})
afterAll(() => dispose())

/** Runs `work` with a trigger that executes `statement` after each journal entry is inserted. */
async function withJournalFault<T>(statement: string, work: () => Promise<T>): Promise<T> {
  await app.db.write(async (m) => {
    if (postgres) {
      await m.query(
        `CREATE FUNCTION journal_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${statement}; RETURN NEW; END $$`
      )
      await m.query(
        'CREATE TRIGGER journal_fault AFTER INSERT ON journal_entry FOR EACH ROW EXECUTE FUNCTION journal_fault()'
      )
    } else {
      await m.query(`CREATE TRIGGER journal_fault AFTER INSERT ON journal_entry BEGIN ${statement}; END`)
    }
  })
  try {
    return await work()
  } finally {
    await app.db.write(async (m) => {
      await m.query(postgres ? 'DROP TRIGGER journal_fault ON journal_entry' : 'DROP TRIGGER journal_fault')
      if (postgres) await m.query('DROP FUNCTION journal_fault()')
    })
  }
}

async function notes(caseId: string, target = app): Promise<string[]> {
  const rows: Array<{ summary: string }> = await target.db.read((m) =>
    m.query(`SELECT summary FROM journal_entry WHERE case_id = '${caseId}' AND kind = 'note' ORDER BY id`)
  )
  return rows.map((r) => r.summary)
}

describe('database errors as French messages, on the app’s engine', () => {
  it('a duplicate case number (unique index) is named, and nothing is saved', async () => {
    const error = await withJournalFault(
      `UPDATE collection_case SET reference = '${second.reference}' WHERE id = NEW.case_id`,
      () => refusal(app, 'case:add-note', { caseId: first.caseId, text: 'Note qui ne sera pas gardée' })
    )
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain('Ce numéro de dossier existe déjà.')
    expect(error.message).toContain('Rien n’a été enregistré.')
    expect(await notes(first.caseId)).toEqual([])
  })

  it('a remittance number taken by another workstation in the meantime (unique index)', async () => {
    await app.call('money:record-payment', {
      caseId: first.caseId,
      receivedOn: '2026-10-03',
      amountCents: 10_000,
      method: 'cheque',
      receivedBy: 'agency'
    })
    // Another workstation's remittance numbered as this one will number its next (count + 1).
    await app.db.write((m) =>
      m.insert(RemittanceEntity, {
        id: '01900000-0000-7000-8000-00000000aaaa',
        createdAt: TEST_NOW,
        createdBy: null,
        updatedAt: TEST_NOW,
        updatedBy: null,
        version: 1,
        reference: 'REV-2026-00002',
        clientId: first.clientId,
        periodFrom: '2026-01-01',
        periodTo: '2026-01-31',
        agencyCollectedCents: 0,
        clientCollectedCents: 0,
        commissionCents: 0,
        vatRateBp: 2000,
        vatCents: 0,
        netCents: 0,
        dueOn: '2026-03-02',
        status: 'pending',
        paidOn: null,
        transferReference: null
      })
    )
    // 'REV-2026-00002' counts as one: the next number is 00002 again.
    const error = await refusal(app, 'remittances:create', {
      clientId: first.clientId,
      from: '2026-10-01',
      to: '2026-10-31'
    })
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toMatch(/^Ce numéro de reversement existe déjà\. Un autre poste/)
  })

  it('a link to a record that no longer exists (foreign key)', async () => {
    const error = await withJournalFault(
      `UPDATE collection_case SET collector_id = '01900000-0000-7000-8000-0000000dead0' WHERE id = NEW.case_id`,
      () => refusal(app, 'case:add-note', { caseId: first.caseId, text: 'Note liée à un chargé disparu' })
    )
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain('Un élément lié')
    expect(error.message).toContain('Rien n’a été enregistré.')
    expect(await notes(first.caseId)).toEqual([])
  })

  it('a value the database refuses (CHECK constraint)', async () => {
    await app.db.write((m) =>
      m.query('CREATE TABLE fault_probe (v INTEGER CONSTRAINT ck_fault_probe_positive CHECK (v > 0))')
    )
    try {
      const error = await withJournalFault('INSERT INTO fault_probe (v) VALUES (-1)', () =>
        refusal(app, 'case:add-note', { caseId: first.caseId, text: 'Note hors limites' })
      )
      expect(error.code).toBe('VALIDATION')
      expect(error.message).toContain('hors des limites admises')
      expect(error.message).toContain('ck_fault_probe_positive')
    } finally {
      await app.db.write((m) => m.query('DROP TABLE fault_probe'))
    }
    // The same note, once nothing breaks, is saved.
    await app.call('case:add-note', { caseId: first.caseId, text: 'Note enregistrée' })
    expect(await notes(first.caseId)).toHaveLength(1)
  })
})

describe.skipIf(postgres)('SQLite file held by another program', () => {
  it('says the database is busy (SQLITE_BUSY) and nothing was saved; works again after', async () => {
    const other = new sqlite3.Database(app.db.file)
    const run = (sql: string) => new Promise<void>((ok, ko) => other.exec(sql, (e) => (e ? ko(e) : ok())))
    await run('BEGIN IMMEDIATE')
    try {
      const error = await refusal(app, 'case:add-note', { caseId: second.caseId, text: 'Pendant la sauvegarde' })
      expect(error.code).toBe('UNAVAILABLE')
      expect(error.message).toContain('La base de données est occupée')
      expect(error.message).toContain('Rien n’a été enregistré.')
    } finally {
      await run('ROLLBACK')
      await new Promise<void>((ok) => other.close(() => ok()))
    }
    await app.call('case:add-note', { caseId: second.caseId, text: 'Après la sauvegarde' })
    expect(await notes(second.caseId)).toEqual(['Après la sauvegarde'])
  })
})

describe.skipIf(!postgres)('PostgreSQL server errors', () => {
  /** A second session on the app's database, holding row 1 of a probe table the journal trigger locks. */
  async function blockedNote(
    caseId: string,
    text: string,
    whileBlocked: (session: pg.Client, pid: number) => Promise<void>
  ): Promise<{ code: string; message: string }> {
    await app.db.write(async (m) => {
      await m.query('CREATE TABLE fault_rows (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)')
      await m.query('INSERT INTO fault_rows VALUES (1, 0), (2, 0)')
    })
    const session = new pg.Client({ connectionString: (app.db.dataSource.options as { url?: string }).url })
    await session.connect()
    try {
      return await withJournalFault(
        'UPDATE fault_rows SET v = v + 1 WHERE id = 2; UPDATE fault_rows SET v = v + 1 WHERE id = 1',
        async () => {
          await session.query('BEGIN')
          await session.query('UPDATE fault_rows SET v = v + 1 WHERE id = 1')
          const pending = refusal(app, 'case:add-note', { caseId, text })
          let pid = 0
          for (let i = 0; i < 200 && !pid; i++) {
            const { rows } = await session.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`
            )
            pid = rows[0]?.pid ?? 0
            if (!pid) await new Promise((r) => setTimeout(r, 50))
          }
          expect(pid).toBeGreaterThan(0)
          await whileBlocked(session, pid)
          const error = await pending
          await session.query('ROLLBACK')
          return error
        }
      )
    } finally {
      await session.end()
      await app.db.write((m) => m.query('DROP TABLE fault_rows'))
    }
  }

  it('a serialization failure or deadlock that persists past the write retries (40001) asks to retry, nothing saved', async () => {
    // Database.write runs a write again after a serialization failure or a deadlock; one that
    // happens on every attempt (a trigger raising SQLSTATE 40001) reaches the user.
    const error = await withJournalFault(
      "RAISE EXCEPTION 'could not serialize access due to concurrent update' USING ERRCODE = '40001'",
      () => refusal(app, 'case:add-note', { caseId: second.caseId, text: 'Note en concurrence' })
    )
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain('Un autre poste modifiait les mêmes données au même moment.')
    expect(await notes(second.caseId)).toEqual([])
  })

  it('a connection terminated by the server (57P01) says the server is unreachable; the next call works', async () => {
    const error = await blockedNote(second.caseId, 'Note coupée', async (session, pid) => {
      await session.query('SELECT pg_terminate_backend($1)', [pid])
    })
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain('Le serveur de la base de données est injoignable')
    expect(error.message).toContain('Rien n’a été enregistré.')
    await app.call('case:add-note', { caseId: second.caseId, text: 'Note après reconnexion' })
    expect(await notes(second.caseId)).toEqual(['Note après reconnexion'])
  })

  it('a network cut between the workstation and the server: French message, nothing saved, resumes', async () => {
    const database = await tempPostgresDatabase()
    const server = new URL(database.url)
    const proxy = new CuttableProxy(server.hostname, Number(server.port || 5432))
    const port = await proxy.listen(0)
    const viaProxy = new URL(database.url)
    viaProxy.port = String(port)
    const dir = tempDir()
    const remote = await createApp({ dataDir: dir.path, clock: fixedClock(TEST_NOW), databaseUrl: viaProxy.toString() })
    try {
      const seeded = await seedCase(remote, { claims: [{ principalCents: 20_000, dueOn: '2026-03-01' }] })
      await remote.call('case:add-note', { caseId: seeded.caseId, text: 'Avant la coupure' })
      await proxy.cut()
      for (const text of ['Pendant la coupure', 'Toujours coupé']) {
        const error = await refusal(remote, 'case:add-note', { caseId: seeded.caseId, text })
        expect(error.code).toBe('UNAVAILABLE')
        expect(error.message).toBe(
          'Le serveur de la base de données est injoignable (réseau coupé ou serveur arrêté). Rien n’a été enregistré. Vérifiez la connexion au réseau du cabinet, puis réessayez.'
        )
      }
      // Reads say the same.
      expect((await refusal(remote, 'casefile:get', { caseId: seeded.caseId })).code).toBe('UNAVAILABLE')
      await proxy.listen(port)
      await remote.call('case:add-note', { caseId: seeded.caseId, text: 'Après la coupure' })
      expect(await notes(seeded.caseId, remote)).toEqual(['Avant la coupure', 'Après la coupure'])
    } finally {
      await proxy.cut()
      await remote.close().catch(() => undefined)
      await database.drop()
      dir.remove()
    }
  })

  it('Paramètres › Base de données names a missing database (3D000) and a full server (53300)', async () => {
    const url = new URL(testPostgresUrl()!)
    url.pathname = '/recouvra_no_such_database'
    const missing = await refusal(app, 'database:set-target', { url: url.toString() })
    expect(missing.message).toContain('cette base de données n’existe pas sur le serveur')

    const role = `recouvra_full_${process.pid}`
    const admin = new pg.Client({ connectionString: testPostgresUrl()! })
    await admin.connect()
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`)
      const full = new URL(testPostgresUrl()!)
      full.username = role
      const refused = await refusal(app, 'database:set-target', { url: full.toString() })
      expect(refused.message).toContain('le serveur a atteint son nombre maximal de connexions')
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${role}`)
      await admin.end()
    }
  })
})

/** A TCP relay to the server that can be cut (every socket destroyed, port closed) and restored. */
class CuttableProxy {
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
