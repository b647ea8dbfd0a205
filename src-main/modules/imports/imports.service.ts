import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm'
import {
  AppError,
  IMPORT_MAX_FILE_BYTES,
  IMPORT_MAX_PROBLEMS,
  type ChannelParsedInput,
  type ImportAnalysis,
  type ImportBatchSummary,
  type ImportCounts,
  type ImportErrorReport,
  type ImportPreview,
  type ImportSetup,
  type SessionUser
} from '@shared/contract'
import { importId } from './ids'
import {
  applySavedMapping,
  detectMapping,
  IMPORT_FIELDS,
  mappingProblems,
  toSavedMapping,
  type ColumnMapping,
  type ImportField,
  type SavedMapping
} from '@shared/imports/mapping'
import { cellText } from '@shared/imports/values'
import { bulkInsert } from '../../db/bulk-insert'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import { CaseEntity } from '../cases/case.entity'
import { ClaimEntity } from '../cases/claim.entity'
import { DebtorAddressEntity, DebtorEmailEntity, DebtorPhoneEntity } from '../debtors/debtor-contact.entity'
import { DebtorEntity } from '../debtors/debtor.entity'
import { appendJournalEntry, type Author } from '../journal/journal.service'
import { refreshCasePrescriptions } from '../money/case-prescription'
import { refreshCaseSummary } from '../money/case-summary'
import type { SearchIndex } from '../search/search-index'
import { nameSortKey } from '../search/search-text'
import { sqlitePlannerHints } from '../search/planner-hints'
import { writeErrorReport } from './error-report'
import { openImportFile, type ImportFileInfo } from './file-reader'
import { planImport, type ImportPlan, type PlannedClaim } from './planner'
import { RowReader, type ReadRow } from './row-reader'

interface UploadMeta {
  uploadId: string
  clientId: string
  fileName: string
  sha256: string
  size: number
  createdAt: string
}

/** Uploaded files are kept this long for the preview and commit steps. */
const UPLOAD_TTL_MS = 2 * 24 * 3600 * 1000
const SAMPLE_ROWS = 5
/** New cases from which an import loads the search index in bulk (see commit). */
const BULK_INDEX_MIN_CASES = 5_000
const MAPPINGS_KEY = (clientId: string) => `imports.mappings.${clientId}`

/** Tables a case, claim or debtor may be referenced by that an undo must never lose. */
const FRENCH_TABLES: Record<string, string> = {
  journal_entry: 'entrée au journal',
  payment: 'paiement',
  allocation: 'imputation de paiement',
  payment_promise: 'promesse de paiement',
  payment_plan: 'échéancier',
  document: 'document',
  case_deadline: 'échéance de procédure',
  remittance_line: 'reversement',
  solvency_note: 'note de solvabilité',
  solvency_assessment: 'évaluation de solvabilité',
  insolvency_proceeding: 'procédure collective'
}
const OWN_TABLES = new Set(['import_batch', 'import_batch_record'])

export class ImportsService {
  /** The last plan shown, valid while nothing was written since (same `total_changes()`). */
  private cached: { key: string; mark: number; plan: ImportPlan } | null = null
  /**
   * The rows of the last file read, with the mapping they were read with: the file is read once
   * (when analysed, with the proposed mapping) and again only if the user changes the mapping.
   * Reading a 100,000-row workbook takes seconds; keeping its rows costs ~150 MB, for one file.
   */
  private rowsCache: { key: string; read: ReadRow[]; info: ImportFileInfo } | null = null

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly search: SearchIndex
  ) {}

  private get uploadsDir(): string {
    return join(this.db.dataDir, 'imports', 'uploads')
  }

  /* ---------------------------------------------------------------------------- setup */

  async setup(clientId: string): Promise<ImportSetup> {
    return this.db.read(async (manager) => {
      await this.client(manager, clientId)
      const mandates: Array<{ id: string; reference: string; signed_on: string; status: string }> = await manager.query(
        `SELECT id, reference, signed_on, status FROM mandate WHERE client_id = ? ORDER BY status = 'active' DESC, signed_on DESC`,
        [clientId]
      )
      return {
        mandates: mandates.map((m) => ({ id: m.id, reference: m.reference, signedOn: m.signed_on, status: m.status })),
        savedMappings: await this.savedMappings(manager, clientId)
      }
    })
  }

  /* -------------------------------------------------------------------------- analyze */

  async analyze(input: ChannelParsedInput<'imports:analyze'>): Promise<ImportAnalysis> {
    const bytes = Buffer.from(input.contentBase64, 'base64')
    return this.analyzeBytes(bytes, input.fileName, input.clientId, input.mappingName)
  }

  async analyzeBytes(
    bytes: Buffer,
    fileName: string,
    clientId: string,
    mappingName: string | null = null
  ): Promise<ImportAnalysis> {
    if (bytes.length === 0) throw new AppError('VALIDATION', 'Le fichier est vide.', 'Empty upload')
    if (bytes.length > IMPORT_MAX_FILE_BYTES) {
      throw new AppError('VALIDATION', 'Fichier trop volumineux (25 Mo au plus).', `Upload of ${bytes.length} bytes`)
    }
    const saved = await this.db.read(async (manager) => {
      await this.client(manager, clientId)
      return this.savedMappings(manager, clientId)
    })
    if (mappingName !== null && !saved.some((m) => m.name === mappingName)) {
      throw new AppError(
        'NOT_FOUND',
        `Aucun modèle de colonnes « ${mappingName} » n’est enregistré pour ce client.`,
        `Mapping ${mappingName} not found`
      )
    }
    const file = await openImportFile(bytes, fileName)
    const chosen = mappingName !== null ? saved.find((m) => m.name === mappingName) : saved[0]
    const mapping = chosen ? applySavedMapping(chosen.mapping, file.headers) : detectMapping(file.headers)
    // The rows are read now with the proposed mapping: the preview will not read the file again.
    const reader =
      mappingProblems(mapping).length === 0 ? new RowReader(mapping, file.headers, this.clock.today()) : null
    const read: ReadRow[] = []
    const sampleRows: string[][] = []
    let rowCount = 0
    this.rowsCache = null
    this.cached = null
    for await (const row of file.rows) {
      if (sampleRows.length < SAMPLE_ROWS) sampleRows.push(file.headers.map((_, i) => cellText(row.cells[i])))
      if (reader) read.push(reader.read(row))
      rowCount++
    }

    this.removeOldUploads()
    const uploadId = importId()
    if (reader) this.rowsCache = { key: JSON.stringify([uploadId, mapping]), read, info: file }
    mkdirSync(this.uploadsDir, { recursive: true })
    const meta: UploadMeta = {
      uploadId,
      clientId,
      fileName,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      createdAt: this.clock.now().toISOString()
    }
    writeFileSync(join(this.uploadsDir, `${uploadId}.bin`), bytes)
    writeFileSync(join(this.uploadsDir, `${uploadId}.json`), JSON.stringify(meta))
    return {
      uploadId,
      fileName,
      format: file.format,
      encoding: file.encoding,
      separator: file.separator,
      sheetName: file.sheetName,
      headers: file.headers,
      sampleRows,
      rowCount,
      mapping,
      mappingName: chosen?.name ?? null
    }
  }

  /* -------------------------------------------------------------------------- preview */

  async preview(input: ChannelParsedInput<'imports:preview'>): Promise<ImportPreview> {
    const plan = await this.plan(input)
    const rows = input.onlyProblems ? plan.rows.filter((row) => row.severity !== null) : plan.rows
    return {
      uploadId: input.uploadId,
      counts: plan.counts,
      problems: plan.problems.slice(0, IMPORT_MAX_PROBLEMS),
      problemCount: plan.problems.length,
      rows: rows.slice(input.rowsOffset, input.rowsOffset + input.rowsLimit),
      rowsOffset: input.rowsOffset,
      rowsTotal: rows.length
    }
  }

  /** The whole plan (tests, CLI): what the preview pages through. */
  async plan(input: {
    uploadId: string
    clientId: string
    mandateId: string
    mapping: ColumnMapping
  }): Promise<ImportPlan> {
    const upload = this.upload(input.uploadId, input.clientId)
    const key = JSON.stringify([input.uploadId, input.clientId, input.mandateId, input.mapping])
    const mark = await this.db.read((manager) => sqlitePlannerHints.writeMark(manager))
    if (this.cached?.key === key && this.cached.mark === mark) return this.cached.plan
    const { read, info } = await this.readRows(upload, input.mapping)
    const plan = await this.db.read(async (manager) => {
      await this.mandate(manager, input.clientId, input.mandateId)
      return planImport(manager, read, { clientId: input.clientId, columnOf: columnOf(input.mapping, info.headers) })
    })
    this.cached = { key, mark, plan }
    return plan
  }

  /* --------------------------------------------------------------------------- commit */

  async commit(input: ChannelParsedInput<'imports:commit'>, user: SessionUser): Promise<ImportBatchSummary> {
    const started = performance.now()
    const upload = this.upload(input.uploadId, input.clientId)
    const { read, info } = await this.readRows(upload, input.mapping)
    const author: Author = { userId: user.id, now: this.clock.now().toISOString() }
    const today = this.clock.today()
    const batchId = importId()
    const previewed = this.cached
    const previewKey = JSON.stringify([input.uploadId, input.clientId, input.mandateId, input.mapping])
    this.cached = null
    const steps: string[] = []
    let mark = performance.now()
    const step = (name: string) => {
      const now = performance.now()
      steps.push(`${name} ${Math.round(now - mark)} ms`)
      mark = now
    }
    step('read')
    // Enqueued together, nothing can run between this read and the transaction: if nothing was
    // written since the preview, its plan still holds (bulkWrite's own set-up writes come after).
    const markBefore = this.db.read((manager) => sqlitePlannerHints.writeMark(manager))
    await this.db.bulkWrite(async (manager) => {
      const { client, mandate } = await this.mandate(manager, input.clientId, input.mandateId)
      const unchanged = previewed?.key === previewKey && previewed.mark === (await markBefore)
      const plan = unchanged
        ? previewed.plan
        : await planImport(manager, read, {
            clientId: input.clientId,
            columnOf: columnOf(input.mapping, info.headers)
          })
      const { counts } = plan
      step('plan')
      if (counts.errorRows > 0 && !input.skipErrorRows) {
        throw new AppError(
          'BUSINESS_RULE',
          `${counts.errorRows} ligne(s) en erreur : corrigez le fichier, ou importez sans elles en cochant « Ignorer les lignes en erreur ».`,
          `Import refused: ${counts.errorRows} error rows`
        )
      }
      if (counts.importedRows === 0) {
        throw new AppError('BUSINESS_RULE', 'Aucune ligne à importer.', 'Import with no valid row')
      }
      const source = `Import ${upload.fileName}`.slice(0, 100)
      const stamp = {
        createdAt: author.now,
        createdBy: author.userId,
        updatedAt: author.now,
        updatedBy: author.userId,
        version: 1
      }
      const records: Array<[string, string, number | null]> = []

      await insertRows(
        manager,
        DebtorEntity,
        plan.debtors.map((d) => {
          records.push(['debtor', d.id, null])
          return {
            id: d.id,
            ...stamp,
            kind: d.first.kind,
            civility: d.first.civility,
            firstName: d.first.firstName,
            lastName: d.first.lastName,
            legalName: d.first.legalName,
            displayName: d.first.displayName,
            siren: d.first.siren,
            siret: d.first.siret,
            birthDate: null,
            actsProfessionally: d.first.kind === 'company'
          }
        })
      )
      const addresses: object[] = []
      const phones: object[] = []
      const emails: object[] = []
      for (const d of plan.debtors) {
        if (d.address) {
          const id = importId()
          addresses.push({
            id,
            ...stamp,
            debtorId: d.id,
            ...d.address,
            country: 'FR',
            validFrom: today,
            validTo: null,
            source
          })
        }
        for (const number of d.phones) {
          const id = importId()
          phones.push({
            id,
            ...stamp,
            debtorId: d.id,
            number,
            kind: /^\+33[67]/.test(number) ? 'mobile' : d.first.kind === 'company' ? 'work' : 'landline',
            status: 'unverified',
            statusChangedAt: null,
            source
          })
        }
        for (const address of d.emails) {
          const id = importId()
          emails.push({ id, ...stamp, debtorId: d.id, address, status: 'unverified', source })
        }
      }
      step('debtors')
      await insertRows(manager, DebtorAddressEntity, addresses)
      await insertRows(manager, DebtorPhoneEntity, phones)
      await insertRows(manager, DebtorEmailEntity, emails)

      step('contacts')
      let sequence = await nextReferenceNumber(manager, today.slice(0, 4))
      // Claims are recorded only when they join an existing case: those of the batch's own cases
      // are found through their case (and carry the batch's instant).
      const claimRow = (claim: PlannedClaim, caseId: string, professional: boolean, existingCase = false) => {
        if (existingCase) records.push(['claim', claim.id, null])
        const b2b = professional && client.actsProfessionally
        return {
          id: claim.id,
          ...stamp,
          caseId,
          clientId: input.clientId,
          invoiceNumber: claim.invoiceNumber,
          issuedOn: claim.issuedOn,
          dueOn: claim.dueOn,
          principalCents: claim.amountCents,
          interestBasis: b2b ? 'b2b_penalty' : 'legal',
          contractualRateBp: null,
          interestFrom: null,
          indemnityApplies: b2b,
          disputed: false,
          description: claim.description
        }
      }
      const claims: object[] = []
      const cases = plan.cases.map((planned) => {
        records.push(['case', planned.id, 1])
        const principal = planned.claims.reduce((sum, claim) => sum + claim.amountCents, 0)
        for (const claim of planned.claims) claims.push(claimRow(claim, planned.id, planned.debtorProfessional))
        return {
          id: planned.id,
          ...stamp,
          reference: `REC-${today.slice(0, 4)}-${String(sequence++).padStart(6, '0')}`,
          clientId: input.clientId,
          mandateId: mandate.id,
          debtorId: planned.debtorId,
          collectorId: null,
          phase: 'amicable',
          status: 'open',
          suspensionReason: null,
          closureReason: null,
          priority: 'normal',
          openedOn: today,
          closedOn: null,
          nextActionOn: today,
          principalCents: principal,
          paidCents: 0,
          balanceCents: principal,
          claimCount: planned.claims.length,
          prescribedClaims: 0,
          oldestDueOn: planned.claims.reduce((min, claim) => (claim.dueOn < min ? claim.dueOn : min), '9999-12-31'),
          lastContactAt: null,
          lastContactOutcome: null,
          debtorSortName: nameSortKey(planned.displayName)
        }
      })
      for (const addition of plan.additions) {
        for (const claim of addition.claims)
          claims.push(claimRow(claim, addition.caseId, addition.debtorProfessional, true))
      }
      const load = async () => {
        await insertRows(manager, CaseEntity, cases)
        step('cases')
        await insertRows(manager, ClaimEntity, claims)
        step('claims')
      }
      // The search index, in the same transaction. A large import next to a smaller portfolio is
      // loaded in bulk (the portfolio's indexes built once after the rows, the search index
      // rebuilt in one pass: 4.4 s instead of 16.7 s for 40,000 new cases); otherwise the new cases
      // and those that got claims are indexed one chunk at a time.
      const [existing] = await manager.query('SELECT COUNT(*) AS n FROM collection_case')
      const bulk = cases.length >= BULK_INDEX_MIN_CASES && cases.length * 2 >= Number(existing.n)
      if (bulk) await this.search.bulkLoad(manager, load, { sortKeys: false })
      else {
        await load()
        await this.search.indexCases(manager, [...plan.cases.map((c) => c.id), ...plan.additions.map((a) => a.caseId)])
      }
      step(bulk ? 'search index (bulk)' : 'search index')
      await refreshCasePrescriptions(
        manager,
        plan.cases.map((c) => c.id)
      )
      step('prescription')

      await manager.query(
        `INSERT INTO import_batch (id, created_at, created_by, client_id, mandate_id, file_name, file_sha256, mapping, counts, status)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'committed')`,
        [
          batchId,
          author.now,
          author.userId,
          input.clientId,
          mandate.id,
          upload.fileName,
          upload.sha256,
          JSON.stringify(toSavedMapping(input.mapping, info.headers)),
          JSON.stringify(counts)
        ]
      )
      // Existing open cases: their summary follows the new claims, and their journal says so.
      for (const addition of plan.additions) {
        await refreshCaseSummary(manager, addition.caseId, author)
        await appendJournalEntry(
          manager,
          {
            caseId: addition.caseId,
            kind: 'system',
            summary:
              `Import du fichier « ${upload.fileName} » : ${addition.claims.length} créance(s) ajoutée(s) (${addition.claims.map((c) => c.invoiceNumber).join(', ')})`.slice(
                0,
                1000
              ),
            details: { importBatchId: batchId, invoiceNumbers: addition.claims.map((c) => c.invoiceNumber) },
            relatedId: batchId
          },
          author
        )
        const [row] = await manager.query('SELECT version FROM collection_case WHERE id = ?', [addition.caseId])
        records.push(['touched_case', addition.caseId, Number(row.version)])
      }
      await bulkInsert(
        manager,
        'import_batch_record',
        ['batch_id', 'kind', 'record_id', 'case_version'],
        records.map(([kind, id, version]) => [batchId, kind, id, version])
      )
      step('batch records')
      if (input.saveMappingAs) {
        await this.saveMapping(
          manager,
          input.clientId,
          input.saveMappingAs,
          toSavedMapping(input.mapping, info.headers),
          author
        )
      }
    })
    step('transaction end')
    this.rowsCache = null
    log.info(
      `Import ${batchId}: ${read.length} rows from ${upload.fileName} committed in ${Math.round(performance.now() - started)} ms (${steps.join(', ')})`
    )
    const [summary] = await this.list({ clientId: null, batchId })
    return summary!
  }

  /* ---------------------------------------------------------------------- error report */

  async errorReport(input: ChannelParsedInput<'imports:error-report'>): Promise<ImportErrorReport> {
    const plan = await this.plan(input)
    const upload = this.upload(input.uploadId, input.clientId)
    const file = await openImportFile(readFileSync(this.uploadPath(upload.uploadId)), upload.fileName)
    const buffer = await writeErrorReport(file, plan.problems)
    const base = upload.fileName.replace(/\.[^.]+$/, '')
    return {
      fileName: `${base} - lignes à corriger.xlsx`,
      contentBase64: buffer.toString('base64'),
      problemCount: plan.problems.length
    }
  }

  /* ----------------------------------------------------------------------- list, undo */

  async list(input: { clientId: string | null; batchId?: string }): Promise<ImportBatchSummary[]> {
    return this.db.read(async (manager) => {
      const where: string[] = []
      const params: unknown[] = []
      if (input.clientId) {
        where.push('b.client_id = ?')
        params.push(input.clientId)
      }
      if (input.batchId) {
        where.push('b.id = ?')
        params.push(input.batchId)
      }
      const rows: BatchRow[] = await manager.query(
        `SELECT b.*, cl.legal_name AS client_name, m.reference AS mandate_reference, u.display_name AS created_by_name
          FROM import_batch b JOIN client cl ON cl.id = b.client_id JOIN mandate m ON m.id = b.mandate_id
          LEFT JOIN app_user u ON u.id = b.created_by
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY b.created_at DESC, b.id DESC LIMIT 100`,
        params
      )
      const summaries: ImportBatchSummary[] = []
      for (const row of rows) {
        const blocked = row.status === 'committed' ? await undoBlockers(manager, row) : 'Import déjà annulé.'
        summaries.push(toSummary(row, blocked))
      }
      return summaries
    })
  }

  async undo(batchId: string, user: SessionUser): Promise<ImportBatchSummary> {
    const author: Author = { userId: user.id, now: this.clock.now().toISOString() }
    await this.db.write(async (manager) => {
      const [row]: BatchRow[] = await manager.query('SELECT * FROM import_batch WHERE id = ?', [batchId])
      if (!row) throw new AppError('NOT_FOUND', 'Import introuvable.', `Import batch ${batchId} not found`)
      if (row.status !== 'committed') {
        throw new AppError('BUSINESS_RULE', 'Cet import a déjà été annulé.', `Batch ${batchId} already undone`)
      }
      const blocked = await undoBlockers(manager, row)
      if (blocked) throw new AppError('BUSINESS_RULE', blocked, `Undo of batch ${batchId} refused`)

      const ids = async (kind: string): Promise<string[]> =>
        (
          (await manager.query('SELECT record_id FROM import_batch_record WHERE batch_id = ? AND kind = ?', [
            batchId,
            kind
          ])) as Array<{ record_id: string }>
        ).map((r) => r.record_id)
      const recordsOf = (kind: string) =>
        `SELECT record_id FROM import_batch_record WHERE batch_id = '${batchId}' AND kind = '${kind}'`
      const touched = await ids('touched_case')
      const createdCases = await ids('case')

      const removedInvoices: Array<{ case_id: string; invoice_number: string }> = await manager.query(
        `SELECT case_id, invoice_number FROM claim WHERE id IN (${recordsOf('claim')}) AND case_id IN (${recordsOf('touched_case')})`
      )
      await manager.query(`DELETE FROM claim WHERE id IN (${recordsOf('claim')}) OR case_id IN (${recordsOf('case')})`)
      for (const caseId of touched) {
        await refreshCaseSummary(manager, caseId, author)
        const invoices = removedInvoices.filter((r) => r.case_id === caseId).map((r) => r.invoice_number)
        await appendJournalEntry(
          manager,
          {
            caseId,
            kind: 'system',
            summary:
              `Import du fichier « ${row.file_name} » annulé : créance(s) retirée(s) (${invoices.join(', ')})`.slice(
                0,
                1000
              ),
            details: { importBatchId: batchId, undone: true, invoiceNumbers: invoices },
            relatedId: batchId
          },
          author
        )
      }
      await this.search.indexCases(manager, touched)
      for (const caseId of createdCases) await this.search.removeCase(manager, caseId)
      await manager.query(`DELETE FROM collection_case WHERE id IN (${recordsOf('case')})`)
      // The contacts the import gave its new debtors (same instant and source); any added later
      // by a collector stay, and keep their debtor (see below).
      for (const table of ['debtor_address', 'debtor_phone', 'debtor_email']) {
        await manager.query(
          `DELETE FROM ${table} WHERE debtor_id IN (${recordsOf('debtor')}) AND created_at = ? AND source = ?`,
          [row.created_at, `Import ${row.file_name}`.slice(0, 100)]
        )
      }
      // The batch's debtors go only if nothing else refers to them any more.
      const references = await referencing(manager, 'debtor')
      const unused = references.map(
        (r) => `NOT EXISTS (SELECT 1 FROM "${r.table}" x WHERE x."${r.column}" = debtor.id)`
      )
      await manager.query(
        `DELETE FROM debtor WHERE id IN (${recordsOf('debtor')})${unused.length ? ` AND ${unused.join(' AND ')}` : ''}`
      )
      await manager.query(`UPDATE import_batch SET status = 'undone', undone_at = ?, undone_by = ? WHERE id = ?`, [
        author.now,
        author.userId,
        batchId
      ])
    })
    this.cached = null
    const [summary] = await this.list({ clientId: null, batchId })
    return summary!
  }

  /* -------------------------------------------------------------------------- helpers */

  private async readRows(
    upload: UploadMeta,
    mapping: ColumnMapping
  ): Promise<{ read: ReadRow[]; info: ImportFileInfo }> {
    const key = JSON.stringify([upload.uploadId, mapping])
    if (this.rowsCache?.key === key) return this.rowsCache
    const file = await openImportFile(readFileSync(this.uploadPath(upload.uploadId)), upload.fileName)
    const invalid = IMPORT_FIELDS.filter((field) => {
      const index = mapping[field]
      return index !== null && index >= file.headers.length
    })
    const problems = mappingProblems(mapping)
    if (invalid.length > 0) problems.push('Le modèle de colonnes désigne des colonnes absentes du fichier.')
    if (problems.length > 0) {
      throw new AppError('VALIDATION', problems.join(' '), `Invalid mapping: ${problems.length} problem(s)`)
    }
    const reader = new RowReader(mapping, file.headers, this.clock.today())
    const read: ReadRow[] = []
    this.rowsCache = null
    for await (const row of file.rows) read.push(reader.read(row))
    this.rowsCache = { key, read, info: file }
    return this.rowsCache
  }

  private uploadPath(uploadId: string): string {
    return join(this.uploadsDir, `${uploadId}.bin`)
  }

  private upload(uploadId: string, clientId: string): UploadMeta {
    const metaPath = join(this.uploadsDir, `${uploadId}.json`)
    if (!existsSync(metaPath) || !existsSync(this.uploadPath(uploadId))) {
      throw new AppError(
        'NOT_FOUND',
        'Le fichier envoyé n’est plus disponible : choisissez-le à nouveau.',
        `Upload ${uploadId} not found`
      )
    }
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as UploadMeta
    if (meta.clientId !== clientId) {
      throw new AppError(
        'VALIDATION',
        'Ce fichier a été envoyé pour un autre client.',
        `Upload ${uploadId} client mismatch`
      )
    }
    return meta
  }

  private removeOldUploads(): void {
    if (!existsSync(this.uploadsDir)) return
    const limit = Date.now() - UPLOAD_TTL_MS
    for (const name of readdirSync(this.uploadsDir)) {
      const path = join(this.uploadsDir, name)
      try {
        if (statSync(path).mtimeMs < limit) rmSync(path, { force: true })
      } catch {
        // Another process removed it: nothing to do.
      }
    }
  }

  private async client(manager: EntityManager, clientId: string): Promise<{ id: string; actsProfessionally: boolean }> {
    const [row] = await manager.query('SELECT id, acts_professionally FROM client WHERE id = ?', [clientId])
    if (!row) throw new AppError('NOT_FOUND', 'Client introuvable.', `Client ${clientId} not found`)
    return { id: row.id, actsProfessionally: !!row.acts_professionally }
  }

  private async mandate(
    manager: EntityManager,
    clientId: string,
    mandateId: string
  ): Promise<{ client: { id: string; actsProfessionally: boolean }; mandate: { id: string } }> {
    const client = await this.client(manager, clientId)
    const [row] = await manager.query('SELECT id, status FROM mandate WHERE id = ? AND client_id = ?', [
      mandateId,
      clientId
    ])
    if (!row) throw new AppError('NOT_FOUND', 'Mandat introuvable pour ce client.', `Mandate ${mandateId} not found`)
    if (row.status !== 'active') {
      throw new AppError(
        'BUSINESS_RULE',
        'Ce mandat n’est plus actif : aucun dossier ne peut y être ouvert.',
        `Mandate ${mandateId} inactive`
      )
    }
    return { client, mandate: { id: row.id } }
  }

  private async savedMappings(manager: EntityManager, clientId: string): Promise<ImportSetup['savedMappings']> {
    const [row] = await manager.query('SELECT value FROM app_setting WHERE key = ?', [MAPPINGS_KEY(clientId)])
    if (!row) return []
    try {
      return JSON.parse(row.value) as ImportSetup['savedMappings']
    } catch {
      return []
    }
  }

  private async saveMapping(
    manager: EntityManager,
    clientId: string,
    name: string,
    mapping: SavedMapping,
    author: Author
  ): Promise<void> {
    const saved = (await this.savedMappings(manager, clientId)).filter((m) => m.name !== name)
    const value = JSON.stringify([{ name, mapping, savedAt: author.now }, ...saved].slice(0, 20))
    await manager.query(
      `INSERT INTO app_setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [MAPPINGS_KEY(clientId), value, author.now, author.userId]
    )
  }
}

function columnOf(mapping: ColumnMapping, headers: readonly string[]): (field: ImportField) => string | null {
  return (field) => {
    const index = mapping[field]
    return index === null ? null : (headers[index] ?? null)
  }
}

/** Rows turned into value lists at a time (memory: never every row of a 100,000-row import at once). */
const INSERT_SLICE = 5_000

/** Multi-row INSERTs of entity rows, columns in the entity's own order (SQL names from its metadata). */
async function insertRows(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  rows: readonly object[]
): Promise<void> {
  if (rows.length === 0) return
  const metadata = manager.connection.getMetadata(entity)
  const columns = metadata.columns
  for (let start = 0; start < rows.length; start += INSERT_SLICE) {
    await bulkInsert(
      manager,
      metadata.tableName,
      columns.map((column) => column.databaseName),
      rows
        .slice(start, start + INSERT_SLICE)
        .map((row) => columns.map((column) => (row as Record<string, unknown>)[column.propertyName] ?? null))
    )
  }
}

/** The next free number of this year's case references (REC-2026-000123). */
async function nextReferenceNumber(manager: EntityManager, year: string): Promise<number> {
  const [row] = await manager.query(
    `SELECT MAX(CAST(substr(reference, 10) AS INTEGER)) AS n FROM collection_case WHERE reference LIKE ?`,
    [`REC-${year}-%`]
  )
  return Number(row?.n ?? 0) + 1
}

interface BatchRow {
  id: string
  created_at: string
  created_by: string | null
  created_by_name?: string | null
  client_id: string
  client_name?: string
  mandate_reference?: string
  file_name: string
  counts: string
  status: 'committed' | 'undone'
  undone_at: string | null
}

function toSummary(row: BatchRow, undoBlockedReason: string | null): ImportBatchSummary {
  return {
    id: row.id,
    createdAt: row.created_at,
    createdByName: row.created_by_name ?? null,
    clientId: row.client_id,
    clientName: row.client_name ?? '',
    mandateReference: row.mandate_reference ?? '',
    fileName: row.file_name,
    status: row.status,
    counts: JSON.parse(row.counts) as ImportCounts,
    undoneAt: row.undone_at,
    undoBlockedReason
  }
}

/** Every (table, column) with a foreign key to `table`, read from the schema itself. */
async function referencing(manager: EntityManager, table: string): Promise<Array<{ table: string; column: string }>> {
  const rows: Array<{ tbl: string; col: string }> = await manager.query(
    `SELECT m.name AS tbl, f."from" AS col FROM sqlite_master m, pragma_foreign_key_list(m.name) f
      WHERE m.type = 'table' AND f."table" = ?`,
    [table]
  )
  return rows.filter((r) => !OWN_TABLES.has(r.tbl)).map((r) => ({ table: r.tbl, column: r.col }))
}

/**
 * Why a batch can no longer be undone, or null. A batch's cases must not have been worked on:
 * nothing else refers to the cases it opened (journal, payments, promises, documents… and any
 * table added later, found through the schema's foreign keys), they were not changed
 * (assigned, moved to another phase: their version is still the one the import left); the
 * existing cases it added claims to have nothing new since the import but the import's own
 * journal entry; no payment was allocated to its claims.
 */
async function undoBlockers(manager: EntityManager, batch: BatchRow): Promise<string | null> {
  const recordsOf = (kind: string) =>
    `SELECT record_id FROM import_batch_record WHERE batch_id = ? AND kind = '${kind}'`
  const describe = async (caseId: string, what: string) => {
    const [c] = await manager.query('SELECT reference FROM collection_case WHERE id = ?', [caseId])
    return `Annulation impossible : le dossier ${c?.reference ?? ''} a été travaillé depuis l’import (${what}).`
  }
  const [changed] = await manager.query(
    `SELECT c.id FROM collection_case c JOIN import_batch_record r ON r.record_id = c.id AND r.batch_id = ?
      WHERE r.kind IN ('case', 'touched_case') AND c.version <> r.case_version LIMIT 1`,
    [batch.id]
  )
  if (changed) return describe(changed.id, 'dossier modifié')
  for (const ref of await referencing(manager, 'collection_case')) {
    if (ref.table === 'claim') {
      const [foreign] = await manager.query(
        `SELECT case_id FROM claim WHERE case_id IN (${recordsOf('case')}) AND created_at <> ? LIMIT 1`,
        [batch.id, batch.created_at]
      )
      if (foreign) return describe(foreign.case_id, 'créance ajoutée')
      continue
    }
    const what = FRENCH_TABLES[ref.table] ?? 'enregistrement lié'
    const [created] = await manager.query(
      `SELECT "${ref.column}" AS case_id FROM "${ref.table}" WHERE "${ref.column}" IN (${recordsOf('case')}) LIMIT 1`,
      [batch.id]
    )
    if (created) return describe(created.case_id, what)
    const ownJournal = ref.table === 'journal_entry' ? ` AND (related_id IS NULL OR related_id <> ?)` : ''
    const [touched] = await manager.query(
      `SELECT "${ref.column}" AS case_id FROM "${ref.table}" WHERE "${ref.column}" IN (${recordsOf('touched_case')})
        AND created_at > ?${ownJournal} LIMIT 1`,
      ref.table === 'journal_entry' ? [batch.id, batch.created_at, batch.id] : [batch.id, batch.created_at]
    )
    if (touched) return describe(touched.case_id, what)
  }
  for (const ref of await referencing(manager, 'claim')) {
    const [used] = await manager.query(
      `SELECT 1 AS x FROM "${ref.table}" WHERE "${ref.column}" IN (${recordsOf('claim')})
        OR "${ref.column}" IN (SELECT id FROM claim WHERE case_id IN (${recordsOf('case')})) LIMIT 1`,
      [batch.id, batch.id]
    )
    if (used)
      return `Annulation impossible : une créance de cet import a reçu un ${FRENCH_TABLES[ref.table] ?? 'enregistrement lié'}.`
  }
  return null
}
