import { createHash, randomBytes } from 'node:crypto'
import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Audit trail without personal data in its hash chain (issue 7): a debtor's identity, contacts
 * and the free texts about them move to `audit_personal` (erasable when the debtor is
 * anonymised); `audit_entry` keeps a marker in their place, the debtor (`subject_id`) and a salted
 * SHA-256 of them (`personal_sha256`) that the chain covers.
 *
 * Existing entries are split the same way, then the whole chain is sealed again with the new
 * hash (it must cover the two new columns): the old chain is verified first and the result is
 * recorded in a last, chained `reseal` entry (head hash before, entries checked, first broken
 * row if any), so a trail altered before this migration still says so. Personal values of
 * debtors already anonymised are dropped at once.
 *
 * Self-contained on purpose (its own copy of the column list and of both hash formats): a later
 * change to the audit module must not change what this migration did.
 */

const GENESIS = '0'.repeat(64)
const MARK = '[donnée personnelle]'

/** personal-columns.ts as of this migration. */
const PERSONAL: Record<string, { subject: 'self' | 'debtor_id' | 'case_id' | 'payment_id'; columns: string[] }> = {
  debtor: {
    subject: 'self',
    columns: ['civility', 'first_name', 'last_name', 'legal_name', 'display_name', 'siren', 'siret', 'birth_date']
  },
  debtor_address: { subject: 'debtor_id', columns: ['line1', 'line2', 'postal_code', 'city', 'source'] },
  debtor_phone: { subject: 'debtor_id', columns: ['number', 'source'] },
  debtor_email: { subject: 'debtor_id', columns: ['address', 'source'] },
  collection_case: { subject: 'debtor_id', columns: ['debtor_sort_name'] },
  claim: { subject: 'case_id', columns: ['description'] },
  journal_entry: { subject: 'case_id', columns: ['summary', 'details'] },
  solvency_note: { subject: 'debtor_id', columns: ['summary', 'facts', 'source'] },
  solvency_assessment: { subject: 'debtor_id', columns: ['comment'] },
  payment: { subject: 'case_id', columns: ['reference', 'note'] },
  allocation: { subject: 'payment_id', columns: ['reason'] },
  letter: { subject: 'case_id', columns: ['text', 'recipient'] },
  document: { subject: 'case_id', columns: ['title'] },
  legal_event: { subject: 'case_id', columns: ['note'] },
  insolvency_proceeding: { subject: 'debtor_id', columns: ['comment'] },
  case_deadline: { subject: 'case_id', columns: ['note'] }
}

type Row = Record<string, unknown>

const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256')
  parts.forEach((p, i) => (i === 0 ? hash.update(p) : hash.update('\n').update(p)))
  return hash.digest('hex')
}

function oldHash(previous: string, r: Row): string {
  return sha256(
    previous,
    JSON.stringify([r.seq, r.at, r.user_id, r.action, r.table_name, r.row_id, r.operation, r.before_json, r.after_json])
  )
}

function newHash(previous: string, r: Row): string {
  return sha256(
    previous,
    JSON.stringify([
      r.seq,
      r.at,
      r.user_id,
      r.action,
      r.table_name,
      r.row_id,
      r.operation,
      r.before_json,
      r.after_json,
      r.subject_id ?? null,
      r.personal_sha256 ?? null
    ])
  )
}

export class AuditPersonalData1763858713000 implements MigrationInterface {
  name = 'AuditPersonalData1763858713000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string, parameters?: unknown[]) => queryRunner.query(sql, parameters) as Promise<Row[]>
    await q(
      `CREATE TABLE "audit_personal" ("seq" integer PRIMARY KEY NOT NULL, "subject_id" varchar(36) NOT NULL, "salt" varchar(32) NOT NULL, "before_json" text, "after_json" text)`
    )
    await q(`CREATE INDEX "ix_audit_personal_subject" ON "audit_personal" ("subject_id") `)
    await q(
      `CREATE TRIGGER "trg_audit_personal_no_update" BEFORE UPDATE ON "audit_personal" BEGIN SELECT RAISE(ABORT, 'audit_personal is append-only (rows are only erased)'); END`
    )
    await q(`ALTER TABLE "audit_entry" ADD COLUMN "subject_id" varchar(36)`)
    await q(`ALTER TABLE "audit_entry" ADD COLUMN "personal_sha256" varchar(64)`)
    await q(`CREATE INDEX "ix_audit_entry_subject" ON "audit_entry" ("subject_id") `)
    await this.reseal(q)
  }

  private async reseal(q: (sql: string, parameters?: unknown[]) => Promise<Row[]>): Promise<void> {
    const count = (await q('SELECT COUNT(*) AS n FROM audit_entry')) as Array<{ n: number }>
    if (Number(count[0]?.n ?? 0) === 0) return
    const debtorOf = new Map<string, string | null>()
    const lookup = async (link: string, id: string): Promise<string | null> => {
      if (link === 'self' || link === 'debtor_id') return id
      const key = `${link}:${id}`
      if (!debtorOf.has(key)) {
        const rows =
          link === 'case_id'
            ? await q('SELECT debtor_id FROM collection_case WHERE id = ?', [id])
            : await q('SELECT c.debtor_id FROM payment p JOIN collection_case c ON c.id = p.case_id WHERE p.id = ?', [
                id
              ])
        debtorOf.set(key, (rows[0]?.debtor_id as string | undefined) ?? null)
      }
      return debtorOf.get(key)!
    }
    // Subjects of rows seen whole (insert, delete), for later updates that list changed columns only.
    const rowSubject = new Map<string, string>()
    const subjectOfRow = async (table: string, rowId: string | null, json: Row[]): Promise<string | null> => {
      const spec = PERSONAL[table]!
      for (const row of json) {
        const value = spec.subject === 'self' ? row.id : row[spec.subject]
        if (typeof value === 'string') return lookup(spec.subject, value)
      }
      if (rowId === null) return null
      if (spec.subject === 'self') return rowId
      const known = rowSubject.get(`${table}:${rowId}`)
      if (known) return known
      const live = await q(`SELECT "${spec.subject}" AS v FROM "${table}" WHERE id = ?`, [rowId])
      const value = live[0]?.v
      return typeof value === 'string' ? lookup(spec.subject, value) : null
    }

    await q('DROP TRIGGER IF EXISTS "trg_audit_entry_no_update"')
    let oldPrevious = GENESIS
    let newPrevious = GENESIS
    let brokenAt: number | null = null
    let expected = 1
    let last = 0
    for (;;) {
      const rows = await q('SELECT * FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT 2000', [last])
      if (rows.length === 0) break
      for (const r of rows) {
        const seq = Number(r.seq)
        last = seq
        if (brokenAt === null && (seq !== expected || oldHash(oldPrevious, r) !== r.hash)) brokenAt = seq
        oldPrevious = r.hash as string
        expected = seq + 1
        const table = r.table_name as string
        const spec = PERSONAL[table]
        let before = (r.before_json as string | null) ?? null
        let after = (r.after_json as string | null) ?? null
        let subjectId: string | null = null
        let digest: string | null = null
        if (spec && (before !== null || after !== null)) {
          const b = before === null ? null : (JSON.parse(before) as Row)
          const a = after === null ? null : (JSON.parse(after) as Row)
          const rowId = (r.row_id as string | null) ?? null
          subjectId = await subjectOfRow(
            table,
            rowId,
            [a, b].filter((x): x is Row => x !== null)
          )
          if (subjectId !== null && rowId !== null) rowSubject.set(`${table}:${rowId}`, subjectId)
          const take = (row: Row | null) => {
            if (!row) return null
            const personal: Row = {}
            for (const c of spec.columns) {
              if (row[c] === undefined || row[c] === null || row[c] === MARK) continue
              personal[c] = row[c]
              row[c] = MARK
            }
            return Object.keys(personal).length > 0 ? JSON.stringify(personal) : null
          }
          const pBefore = subjectId ? take(b) : null
          const pAfter = subjectId ? take(a) : null
          if (pBefore !== null || pAfter !== null) {
            const salt = randomBytes(16).toString('hex')
            digest = sha256(salt, JSON.stringify([pBefore, pAfter]))
            before = b === null ? null : JSON.stringify(b)
            after = a === null ? null : JSON.stringify(a)
            await q(
              'INSERT INTO audit_personal (seq, subject_id, salt, before_json, after_json) VALUES (?, ?, ?, ?, ?)',
              [seq, subjectId, salt, pBefore, pAfter]
            )
          } else subjectId = null
        }
        const sealed = { ...r, before_json: before, after_json: after, subject_id: subjectId, personal_sha256: digest }
        newPrevious = newHash(newPrevious, sealed)
        await q(
          'UPDATE audit_entry SET before_json = ?, after_json = ?, subject_id = ?, personal_sha256 = ?, hash = ? WHERE seq = ?',
          [before, after, subjectId, digest, newPrevious, seq]
        )
      }
    }
    await q(
      `CREATE TRIGGER "trg_audit_entry_no_update" BEFORE UPDATE ON "audit_entry" BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END`
    )
    const seal: Row = {
      seq: last + 1,
      at: new Date().toISOString(),
      user_id: null,
      action: 'system',
      table_name: 'audit_entry',
      row_id: null,
      operation: 'reseal',
      before_json: JSON.stringify({ headHash: oldPrevious, entries: last }),
      after_json: JSON.stringify({
        reason: 'Données personnelles sorties de la chaîne (table audit_personal, effaçable)',
        previousChainIntact: brokenAt === null,
        firstBrokenSeq: brokenAt
      }),
      subject_id: null,
      personal_sha256: null
    }
    await q(
      'INSERT INTO audit_entry (seq, at, user_id, action, table_name, row_id, operation, before_json, after_json, subject_id, personal_sha256, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        seal.seq,
        seal.at,
        null,
        seal.action,
        seal.table_name,
        null,
        seal.operation,
        seal.before_json,
        seal.after_json,
        null,
        null,
        newHash(newPrevious, seal)
      ]
    )
    // Debtors anonymised before this migration: their personal values go now.
    await q(
      `DELETE FROM audit_personal WHERE subject_id IN
       (SELECT row_id FROM audit_entry WHERE operation = 'anonymise' AND table_name = 'debtor')`
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The chain is sealed with the new hash format: going back would leave it unverifiable.
    await queryRunner.query(`DROP TRIGGER "trg_audit_personal_no_update"`)
    await queryRunner.query(`DROP INDEX "ix_audit_entry_subject"`)
    await queryRunner.query(`DROP TABLE "audit_personal"`)
    await queryRunner.query(`ALTER TABLE "audit_entry" DROP COLUMN "personal_sha256"`)
    await queryRunner.query(`ALTER TABLE "audit_entry" DROP COLUMN "subject_id"`)
  }
}
