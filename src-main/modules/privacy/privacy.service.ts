import { isPostgres } from '../../db/dialect'
import type { EntityManager } from 'typeorm'
import ExcelJS from 'exceljs'
import {
  AppError,
  PRIVACY_RETENTION_DEFAULT_YEARS,
  type AnonymiseResult,
  type DebtorExport,
  type PrivacySettings,
  type RetentionCandidate,
  type RetentionPreview
} from '@shared/contract'
import { addYears } from '@shared/dates/calendar-date'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { erasePersonalAudit, suspendRowAudit } from '../audit/audit-trail'
import { ERASED_TEXT, PERSONAL_COLUMNS } from '../audit/personal-columns'
import { FileStore } from '../documents/file-store'
import { appendJournalEntry } from '../journal/journal.service'
import type { SearchIndex } from '../search/search-index'
import { SettingEntity } from '../settings/setting.entity'
import { collectDebtorData } from './personal-data'

const RETENTION_KEY = 'privacy.retentionYears'
export const ANONYMISED_NAME = 'Débiteur anonymisé'
const SHOWN = 500

export class PrivacyService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly search: SearchIndex
  ) {}

  async settings(): Promise<PrivacySettings> {
    const setting = await this.db.read((m) => m.findOne(SettingEntity, { where: { key: RETENTION_KEY } }))
    const years = setting ? Number(JSON.parse(setting.value)) : NaN
    return { retentionYears: Number.isInteger(years) && years > 0 ? years : PRIVACY_RETENTION_DEFAULT_YEARS }
  }

  async setRetention(retentionYears: number, userId: string): Promise<PrivacySettings> {
    await this.db.write((m) =>
      m.save(SettingEntity, {
        key: RETENTION_KEY,
        value: JSON.stringify(retentionYears),
        updatedAt: this.clock.now().toISOString(),
        updatedBy: userId
      })
    )
    return { retentionYears }
  }

  async preview(): Promise<RetentionPreview> {
    const { retentionYears } = await this.settings()
    const cutoff = addYears(this.clock.today(), -retentionYears)
    const candidates = await this.db.read((m) => this.candidates(m, cutoff, null))
    return { retentionYears, cutoff, total: candidates.length, candidates: candidates.slice(0, SHOWN) }
  }

  /** Debtors with at least one case, all closed before the cutoff, not yet anonymised. */
  private async candidates(
    manager: EntityManager,
    cutoff: string,
    only: string[] | null
  ): Promise<RetentionCandidate[]> {
    const rows = (await manager.query(
      `SELECT d.id, d.display_name, COUNT(c.id) AS cases, MAX(c.closed_on) AS last_closed
       FROM debtor d JOIN collection_case c ON c.debtor_id = d.id
       WHERE d.display_name <> ? ${only ? `AND d.id IN (${only.map(() => '?').join(', ')})` : ''}
       GROUP BY d.id
       HAVING SUM(CASE WHEN c.status = 'closed' AND c.closed_on IS NOT NULL AND c.closed_on < ? THEN 0 ELSE 1 END) = 0
       ORDER BY last_closed, d.display_name`,
      [ANONYMISED_NAME, ...(only ?? []), cutoff]
    )) as Array<{ id: string; display_name: string; cases: number; last_closed: string }>
    return rows.map((r) => ({
      debtorId: r.id,
      displayName: r.display_name,
      cases: Number(r.cases),
      lastClosedOn: r.last_closed
    }))
  }

  /**
   * Anonymises the chosen debtors, each of which must still be past retention: identity and
   * contact details removed, free texts of their cases overwritten, one journal entry per case.
   * The audit trail records one `anonymise` entry per debtor, without the erased values.
   */
  async anonymise(debtorIds: string[], userId: string): Promise<AnonymiseResult> {
    const { retentionYears } = await this.settings()
    const cutoff = addYears(this.clock.today(), -retentionYears)
    const now = this.clock.now().toISOString()
    const done = await this.db.write(async (manager) => {
      const eligible = await this.candidates(manager, cutoff, [...new Set(debtorIds)])
      if (eligible.length !== new Set(debtorIds).size) {
        throw new AppError(
          'BUSINESS_RULE',
          'Certains débiteurs choisis ont un dossier ouvert, clôturé depuis moins de ' +
            `${retentionYears} ans, ou sont déjà anonymisés : rafraîchissez l’aperçu. Rien n’a été modifié.`,
          `Anonymisation refused: ${debtorIds.length - eligible.length} debtor(s) not eligible`
        )
      }
      const ids = eligible.map((e) => e.debtorId)
      const caseRows = (await manager.query(
        `SELECT id, debtor_id FROM collection_case WHERE debtor_id IN (${ids.map(() => '?').join(', ')})`,
        ids
      )) as Array<{ id: string; debtor_id: string }>
      const caseIds = caseRows.map((c) => c.id)
      const list = (values: string[]) => values.map(() => '?').join(', ')

      const paymentIds: string[] = []
      for (let i = 0; i < caseIds.length; i += 500) {
        const chunk = caseIds.slice(i, i + 500)
        const rows = (await manager.query(`SELECT id FROM payment WHERE case_id IN (${list(chunk)})`, chunk)) as Array<{
          id: string
        }>
        paymentIds.push(...rows.map((r) => r.id))
      }
      const keysOf = { self: ids, debtor_id: ids, case_id: caseIds, payment_id: paymentIds }
      const files = await this.storedFiles(manager, caseIds)

      // The erased values must not be copied into the audit trail: row auditing is off, and one
      // summary entry per debtor is staged instead. Freed pages are zeroed (secure_delete), so
      // the values do not linger in the file either.
      if (!isPostgres(manager)) await manager.query('PRAGMA secure_delete = ON')
      await suspendRowAudit(manager, 1)
      try {
        await manager.query(
          `UPDATE debtor SET civility = NULL, first_name = NULL, last_name = NULL, legal_name = NULL, display_name = ?,
             siren = NULL, siret = NULL, birth_date = NULL, updated_at = ?, updated_by = ?, version = version + 1
           WHERE id IN (${list(ids)})`,
          [ANONYMISED_NAME, now, userId, ...ids]
        )
        for (const table of ['debtor_address', 'debtor_phone', 'debtor_email']) {
          await manager.query(`DELETE FROM ${table} WHERE debtor_id IN (${list(ids)})`, ids)
        }
        // Every other personal column (personal-columns.ts): free texts, letters' text and
        // recipient, documents' titles… Evidence tables are append-only: their UPDATE guard is
        // lifted around the statement, in this transaction.
        for (const [table, spec] of Object.entries(PERSONAL_COLUMNS)) {
          if (table === 'debtor' || table === 'collection_case' || table.startsWith('debtor_')) continue
          // Nullability from the entities (both engines), not from SQLite's pragma_table_info.
          const metadata = manager.connection.entityMetadatas.find((m) => m.tableName === table)
          const columns = (metadata?.columns ?? [])
            .filter((c) => spec.columns.includes(c.databaseName))
            .map((c) => ({ name: c.databaseName, nn: c.isNullable ? 0 : 1 }))
          if (columns.length === 0) continue
          const erased = (c: { name: string; nn: number }) =>
            !c.nn ? 'NULL' : spec.json?.includes(c.name) ? "'{}'" : `'${ERASED_TEXT}'`
          const set = columns.map((c) => `"${c.name}" = ${erased(c)}`).join(', ')
          const keys = keysOf[spec.subject]
          for (let i = 0; i < keys.length; i += 500) {
            const chunk = keys.slice(i, i + 500)
            await withoutAppendOnlyGuard(manager, table, () =>
              manager.query(`UPDATE "${table}" SET ${set} WHERE "${spec.subject}" IN (${list(chunk)})`, chunk)
            )
          }
        }
        // The search index and the cases' sort names follow the new name (not audited either).
        for (const id of ids) await this.search.indexDebtor(manager, id)
        await erasePersonalAudit(manager, ids)
        for (const e of eligible) {
          await manager.query(
            `INSERT INTO temp.audit_pending (table_name, row_id, operation, before_json, after_json) VALUES ('debtor', ?, 'anonymise', NULL, ?)`,
            [
              e.debtorId,
              JSON.stringify({
                cases: e.cases,
                lastClosedOn: e.lastClosedOn,
                retentionYears,
                storedFilesErased: files.documents.length
              })
            ]
          )
        }
      } finally {
        await suspendRowAudit(manager, -1)
      }
      for (const c of caseRows) {
        await appendJournalEntry(
          manager,
          {
            caseId: c.id,
            kind: 'system',
            summary: `Données personnelles anonymisées : dossier clôturé depuis plus de ${retentionYears} ans (durée de conservation, RGPD art. 5-1-e).`,
            details: { retentionYears, cutoff }
          },
          { userId, now }
        )
      }
      return { anonymised: ids.length, cases: caseIds.length, files }
    })
    // Once committed: the stored letters and e-mails go (their hash, size and metadata stay as
    // the record that they existed), then nothing erased may linger in the search index's old
    // segments or in the write-ahead log.
    const store = new FileStore(this.db.dataDir, this.db)
    let storedFilesErased = 0
    for (const path of [...done.files.paths, ...done.files.printFiles]) {
      if (await store.remove(path, this.clock.now().toISOString())) storedFilesErased += 1
    }
    // SQLite: merge the FTS segments and empty the WAL, so that erased text lingers in no page.
    if (this.db.dialect === 'sqlite') {
      await this.db.write((m) => m.query("INSERT INTO case_search(case_search) VALUES ('optimize')"))
      await this.db.exclusive((ds) => ds.query('PRAGMA wal_checkpoint(TRUNCATE)'))
    }
    return { anonymised: done.anonymised, cases: done.cases, storedFilesErased }
  }

  /**
   * Stored files of these cases (letters, e-mails, SMS texts, attachments) that no other case
   * refers to, and the dunning print files that hold one of their letters. Retention: the files
   * are evidence while a claim can still be pursued (5 years, C. civ. 2224; 10 for accounting
   * documents, C. com. L123-22 — which the agency's remittance statements, kept, cover); the
   * anonymisation runs only on cases closed longer ago than the retention setting (minimum
   * 1 year, default 5), after which RGPD art. 5-1-e asks for erasure. The document rows keep
   * hash, size, kind and date.
   */
  private async storedFiles(manager: EntityManager, caseIds: string[]) {
    const documents: Array<{ id: string; storage_path: string }> = []
    const printFiles = new Set<string>()
    for (let i = 0; i < caseIds.length; i += 500) {
      const chunk = caseIds.slice(i, i + 500)
      const marks = chunk.map(() => '?').join(', ')
      documents.push(
        ...((await manager.query(`SELECT id, storage_path FROM document WHERE case_id IN (${marks})`, chunk)) as Array<{
          id: string
          storage_path: string
        }>)
      )
      const batches = (await manager.query(
        `SELECT DISTINCT b.print_path FROM letter l JOIN dunning_batch b ON b.id = l.batch_id
         WHERE l.case_id IN (${marks}) AND b.print_path IS NOT NULL`,
        chunk
      )) as Array<{ print_path: string }>
      for (const b of batches) printFiles.add(b.print_path)
    }
    const paths = new Set(documents.map((d) => d.storage_path))
    const ids = new Set(documents.map((d) => d.id))
    const candidates = [...paths]
    for (let i = 0; i < candidates.length; i += 500) {
      const chunk = candidates.slice(i, i + 500)
      const shared = (await manager.query(
        `SELECT id, storage_path FROM document WHERE storage_path IN (${chunk.map(() => '?').join(', ')})`,
        chunk
      )) as Array<{ id: string; storage_path: string }>
      for (const d of shared) if (!ids.has(d.id)) paths.delete(d.storage_path)
    }
    return { documents, paths: [...paths], printFiles: [...printFiles] }
  }

  private async debtorOfCase(reference: string): Promise<string> {
    const rows = (await this.db.read((m) =>
      m.query('SELECT debtor_id FROM collection_case WHERE reference = ?', [reference.toUpperCase()])
    )) as Array<{ debtor_id: string }>
    if (rows.length === 0)
      throw new AppError('NOT_FOUND', `Aucun dossier de référence ${reference}.`, `Case ${reference} not found`)
    return rows[0]!.debtor_id
  }

  /**
   * Access request: every row held on the debtor (the debtor, contacts, cases and everything
   * attached to them: claims, payments, journal, notes, letters…), as JSON and as a workbook
   * with one sheet per table; a journal entry on each case records the answer.
   */
  async exportDebtor(who: { debtorId?: string; caseReference?: string }, userId: string): Promise<DebtorExport> {
    const debtorId = who.debtorId ?? (await this.debtorOfCase(who.caseReference ?? ''))
    const data = await this.db.read((m) => collectDebtorData(m, debtorId))
    const debtor = data.get('debtor')?.[0]
    if (!debtor) throw new AppError('NOT_FOUND', 'Débiteur introuvable.', `Debtor ${debtorId} not found`)
    const today = this.clock.today()
    const now = this.clock.now().toISOString()
    const tables = Object.fromEntries([...data.entries()].filter(([, rows]) => rows.length > 0))
    const counts = Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.length]))
    const json = JSON.stringify(
      {
        nature: 'Réponse à une demande d’accès (RGPD, article 15)',
        generatedAt: now,
        debtorId,
        tables
      },
      null,
      2
    )
    const workbook = new ExcelJS.Workbook()
    workbook.created = new Date(now)
    const readme = workbook.addWorksheet('Lisez-moi')
    readme.addRows([
      ['Demande d’accès aux données personnelles (RGPD, article 15)'],
      [`Débiteur : ${String(debtor.display_name)}`],
      [`Établi le : ${today}`],
      ['Chaque onglet reprend une table de la base : toutes les lignes qui concernent ce débiteur et ses dossiers.'],
      [],
      ['Table', 'Lignes'],
      ...Object.entries(counts)
    ])
    readme.getColumn(1).width = 40
    for (const [table, rows] of Object.entries(tables)) {
      const sheet = workbook.addWorksheet(table.slice(0, 31))
      const columns = Object.keys(rows[0]!)
      sheet.addRow(columns).font = { bold: true }
      for (const row of rows) sheet.addRow(columns.map((c) => (row[c] === null ? '' : (row[c] as string | number))))
    }
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer())
    const caseIds = (data.get('collection_case') ?? []).map((c) => String(c.id))
    if (caseIds.length > 0) {
      await this.db.write(async (manager) => {
        for (const caseId of caseIds) {
          await appendJournalEntry(
            manager,
            {
              caseId,
              kind: 'system',
              summary: 'Droit d’accès : export de toutes les données détenues sur le débiteur (RGPD art. 15).',
              details: { tables: counts }
            },
            { userId, now }
          )
        }
      })
    }
    const slug = String(debtor.display_name)
      .normalize('NFD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 40)
    return { fileBaseName: `acces-${slug || 'debiteur'}-${today}`, json, xlsxBase64: xlsx.toString('base64'), counts }
  }
}

/** Runs `work` with the append-only UPDATE trigger of `table` removed, then puts it back. */
async function withoutAppendOnlyGuard(
  manager: EntityManager,
  table: string,
  work: () => Promise<unknown>
): Promise<void> {
  if (isPostgres(manager)) {
    // PL/pgSQL guard (PgInitialSchema1763856000001): lets this transaction update this table.
    await manager.query("SELECT set_config('recouvra.unguarded', $1, true)", [table])
    try {
      await work()
    } finally {
      await manager.query("SELECT set_config('recouvra.unguarded', '', true)")
    }
    return
  }
  const name = `trg_${table}_no_update`
  const rows = (await manager.query("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [
    name
  ])) as Array<{
    sql: string
  }>
  const sql = rows[0]?.sql
  if (sql) await manager.query(`DROP TRIGGER "${name}"`)
  try {
    await work()
  } finally {
    if (sql) await manager.query(sql)
  }
}
