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
  type ImportAssignment,
  type ImportErrorReport,
  type ImportPreview,
  type ImportPreviewRow,
  type ImportProblem,
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
import { plannerHintsFor } from '../search/planner-hints'
import { isPostgres } from '../../db/dialect'
import { writeErrorReport } from './error-report'
import { openImportFile, type FileRow, type OpenedImportFile } from './file-reader'
import {
  allProblems,
  planImport,
  plannedAdditions,
  plannedCaseIds,
  plannedCases,
  plannedClaims,
  plannedContacts,
  plannedDebtors,
  planProblems,
  planRows,
  problemCount,
  problemsOfRows,
  recordNewIds,
  stageRows,
  type PlannedDebtor
} from './planner'
import { RowReader } from './row-reader'
import { StageDb } from './staging'

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
/** SQLite page cache during an import's commit (see commit). */
const IMPORT_CACHE_KIB = 48 * 1024
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

interface Stage {
  /** Upload and mapping the rows were read with. */
  key: string
  db: StageDb
  headers: string[]
  rowCount: number
  /** The last plan, valid while nothing was written since (same `total_changes()`). */
  plan: { key: string; mark: number; counts: ImportCounts } | null
}

type PlanTarget = { uploadId: string; clientId: string; mandateId: string; mapping: ColumnMapping }

export class ImportsService {
  /**
   * The rows of the last file read, staged on disk with the mapping they were read with: the
   * file is read once (when analysed, with the proposed mapping) and again only if the user
   * changes the mapping. Memory stays the same whatever the file's size.
   */
  private stage: Stage | null = null
  private stageQueue: Promise<unknown> = Promise.resolve()

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
    this.removeOldUploads()
    const uploadId = importId()
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

    return this.exclusive(async () => {
      const file = await openImportFile(bytes, fileName)
      const chosen = mappingName !== null ? saved.find((m) => m.name === mappingName) : saved[0]
      const mapping = chosen ? applySavedMapping(chosen.mapping, file.headers) : detectMapping(file.headers)
      const sampleRows: string[][] = []
      const sample = (row: FileRow) => {
        if (sampleRows.length < SAMPLE_ROWS) sampleRows.push(file.headers.map((_, i) => cellText(row.cells[i])))
      }
      let rowCount = 0
      if (mappingProblems(mapping).length === 0) {
        // The rows are staged now with the proposed mapping: the preview will not read the file again.
        rowCount = (await this.stageFile(meta, mapping, file, sample)).rowCount
      } else {
        for await (const row of file.rows) {
          sample(row)
          rowCount++
        }
      }
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
    })
  }

  /* -------------------------------------------------------------------------- preview */

  async preview(input: ChannelParsedInput<'imports:preview'>): Promise<ImportPreview> {
    return this.exclusive(async () => {
      const { stage, counts } = await this.planned(input)
      const { rows, total } = await planRows(stage.db, input.rowsOffset, input.rowsLimit, input.onlyProblems)
      return {
        uploadId: input.uploadId,
        counts,
        problems: await planProblems(stage.db, 0, IMPORT_MAX_PROBLEMS),
        problemCount: await problemCount(stage.db),
        rows,
        rowProblems: await problemsOfRows(
          stage.db,
          rows.filter((r) => r.severity !== null).map((r) => r.row)
        ),
        rowsOffset: input.rowsOffset,
        rowsTotal: total
      }
    })
  }

  /**
   * The whole plan at once: counts, every problem, every row, the new debtors. For tests and
   * small files only (it holds them all in memory); the wizard pages through `preview`.
   */
  async plan(input: PlanTarget): Promise<{
    counts: ImportCounts
    problems: ImportProblem[]
    rows: ImportPreviewRow[]
    debtors: PlannedDebtor[]
  }> {
    return this.exclusive(async () => {
      const { stage, counts } = await this.planned(input)
      const problems: ImportProblem[] = []
      for await (const page of allProblems(stage.db)) problems.push(...page)
      const { rows } = await planRows(stage.db, 0, Number.MAX_SAFE_INTEGER, false)
      const debtors: PlannedDebtor[] = []
      for await (const page of plannedDebtors(stage.db)) debtors.push(...page)
      return { counts, problems, rows, debtors }
    })
  }

  /** Every problem of the plan, a page at a time (CLI). */
  async *problems(input: PlanTarget): AsyncGenerator<ImportProblem[]> {
    const stage = await this.exclusive(async () => (await this.planned(input)).stage)
    for await (const page of allProblems(stage.db)) yield page
  }

  /** The staged rows of the upload with this mapping, planned against the database as it is now. */
  private async planned(input: PlanTarget): Promise<{ stage: Stage; counts: ImportCounts }> {
    const upload = this.upload(input.uploadId, input.clientId)
    const stage = await this.stageFor(upload, input.mapping)
    const key = JSON.stringify([input.clientId, input.mandateId])
    const mark = await this.db.read((manager) => plannerHintsFor(manager).writeMark(manager))
    if (stage.plan?.key === key && stage.plan.mark === mark) return { stage, counts: stage.plan.counts }
    stage.plan = null
    const counts = await this.db.read(async (manager) => {
      await this.mandate(manager, input.clientId, input.mandateId)
      return planImport(manager, stage.db, {
        clientId: input.clientId,
        columnOf: columnOf(input.mapping, stage.headers)
      })
    })
    stage.plan = { key, mark, counts }
    return { stage, counts }
  }

  /* --------------------------------------------------------------------------- commit */

  async commit(input: ChannelParsedInput<'imports:commit'>, user: SessionUser): Promise<ImportBatchSummary> {
    return this.exclusive(() => this.commitStaged(input, user))
  }

  private async commitStaged(
    input: ChannelParsedInput<'imports:commit'>,
    user: SessionUser
  ): Promise<ImportBatchSummary> {
    const started = performance.now()
    const upload = this.upload(input.uploadId, input.clientId)
    const stage = await this.stageFor(upload, input.mapping)
    const author: Author = { userId: user.id, now: this.clock.now().toISOString() }
    const today = this.clock.today()
    const batchId = importId()
    const planKey = JSON.stringify([input.clientId, input.mandateId])
    const previewed = stage.plan
    stage.plan = null
    const steps: string[] = []
    let mark = performance.now()
    const step = (name: string) => {
      const now = performance.now()
      steps.push(`${name} ${Math.round(now - mark)} ms`)
      mark = now
    }
    step('stage')
    // Enqueued together, nothing can run between this read and the transaction: if nothing was
    // written since the preview, its plan still holds (bulkWrite's own set-up writes come after).
    const markBefore = this.db.read((manager) => plannerHintsFor(manager).writeMark(manager))
    let counts: ImportCounts | null = null
    await this.db.bulkWrite(async (manager) => {
      // Memory: the rows come from the staging file a page at a time, so what is left to grow is
      // SQLite's page cache. bulkWrite's 256 MiB would hold most of a 100,000-row import; 48 MiB
      // keeps the import's memory flat whatever the file's size (restored after by bulkWrite).
      if (!isPostgres(manager)) await manager.query(`PRAGMA cache_size = -${IMPORT_CACHE_KIB}`)
      const { client, mandate } = await this.mandate(manager, input.clientId, input.mandateId)
      const collectorOf = await this.assigner(manager, input.assignment)
      // PostgreSQL: other workstations write too; the counter is read again under this write's lock.
      const markNow = isPostgres(manager) ? await plannerHintsFor(manager).writeMark(manager) : await markBefore
      const unchanged = previewed?.key === planKey && previewed.mark === markNow
      counts = unchanged
        ? previewed.counts
        : await planImport(manager, stage.db, {
            clientId: input.clientId,
            columnOf: columnOf(input.mapping, stage.headers)
          })
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
          JSON.stringify(toSavedMapping(input.mapping, stage.headers)),
          JSON.stringify(counts)
        ]
      )
      const record = (rows: Array<[string, string, number | null]>) =>
        bulkInsert(
          manager,
          'import_batch_record',
          ['batch_id', 'kind', 'record_id', 'case_version'],
          rows.map(([kind, id, version]) => [batchId, kind, id, version])
        )

      // New debtors and their contacts, a page at a time.
      for await (const page of plannedDebtors(stage.db)) {
        const ids: Array<[string, string]> = page.map((d) => [d.key, importId()])
        const debtors = page.map((d, i) => ({
          id: ids[i]![1],
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
        }))
        const addresses: object[] = []
        const phones: object[] = []
        const emails: object[] = []
        page.forEach((d, i) => {
          const debtorId = ids[i]![1]
          if (d.address) {
            addresses.push({
              id: importId(),
              ...stamp,
              debtorId,
              ...d.address,
              country: 'FR',
              validFrom: today,
              validTo: null,
              source
            })
          }
          for (const number of d.phones) phones.push(phoneRow(number, debtorId, d.first.kind, stamp, source))
          for (const address of d.emails) emails.push(emailRow(address, debtorId, stamp, source))
        })
        await insertRows(manager, DebtorEntity, debtors)
        await insertRows(manager, DebtorAddressEntity, addresses)
        await insertRows(manager, DebtorPhoneEntity, phones)
        await insertRows(manager, DebtorEmailEntity, emails)
        await record(ids.map(([, id]) => ['debtor', id, null]))
        await recordNewIds(stage.db, 'grp', ids)
      }
      step('debtors')

      // New phones and e-mails of debtors already known: new rows, recorded for the undo.
      const enriched = new Set<string>()
      for await (const page of plannedContacts(stage.db)) {
        const phones: Array<{ id: string }> = []
        const emails: Array<{ id: string }> = []
        for (const contact of page) {
          enriched.add(contact.debtorId)
          if (contact.kind === 'phone') phones.push(phoneRow(contact.value, contact.debtorId, null, stamp, source))
          else emails.push(emailRow(contact.value, contact.debtorId, stamp, source))
        }
        await insertRows(manager, DebtorPhoneEntity, phones)
        await insertRows(manager, DebtorEmailEntity, emails)
        await record([
          ...phones.map((p): [string, string, null] => ['phone', p.id, null]),
          ...emails.map((e): [string, string, null] => ['email', e.id, null])
        ])
      }
      step('contacts')

      let sequence = await nextReferenceNumber(manager, today.slice(0, 4))
      let caseIndex = 0
      const loadCases = async () => {
        for await (const page of plannedCases(stage.db)) {
          const ids: Array<[string, string]> = page.map((c) => [c.debtorRef, importId()])
          const cases = page.map((planned, i) => ({
            id: ids[i]![1],
            ...stamp,
            reference: `REC-${today.slice(0, 4)}-${String(sequence++).padStart(6, '0')}`,
            clientId: input.clientId,
            mandateId: mandate.id,
            debtorId: planned.debtorId,
            collectorId: collectorOf(caseIndex++),
            phase: 'amicable',
            status: 'open',
            suspensionReason: null,
            closureReason: null,
            priority: 'normal',
            openedOn: today,
            closedOn: null,
            nextActionOn: today,
            principalCents: planned.principalCents,
            paidCents: 0,
            balanceCents: planned.principalCents,
            claimCount: planned.claims,
            prescribedClaims: 0,
            oldestDueOn: planned.oldestDueOn,
            lastContactAt: null,
            lastContactOutcome: null,
            debtorSortName: nameSortKey(planned.displayName)
          }))
          await insertRows(manager, CaseEntity, cases)
          await record(ids.map(([, id]) => ['case', id, 1]))
          await recordNewIds(stage.db, 'new_case', ids)
        }
        step('cases')
        for await (const page of plannedClaims(stage.db)) {
          // Claims are recorded only when they join an existing case: those of the batch's own
          // cases are found through their case (and carry the batch's instant).
          const claims = page.map((claim) => {
            const b2b = claim.professional && client.actsProfessionally
            return {
              id: importId(),
              ...stamp,
              caseId: claim.caseId,
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
          })
          await insertRows(manager, ClaimEntity, claims)
          await record(
            claims.flatMap((claim, i): Array<[string, string, null]> =>
              page[i]!.existingCase ? [['claim', claim.id, null]] : []
            )
          )
        }
        step('claims')
      }
      // The search index, in the same transaction. A large import next to a smaller portfolio is
      // loaded in bulk (the portfolio's indexes built once after the rows, the search index
      // rebuilt in one pass: 4.4 s instead of 16.7 s for 40,000 new cases); otherwise the new cases
      // and those that got claims are indexed one page at a time.
      const [existing] = await manager.query('SELECT COUNT(*) AS n FROM collection_case')
      const bulk = counts.newCases >= BULK_INDEX_MIN_CASES && counts.newCases * 2 >= Number(existing.n)
      if (bulk) await this.search.bulkLoad(manager, loadCases, { sortKeys: false })
      else {
        await loadCases()
        for await (const page of plannedCaseIds(stage.db)) await this.search.indexCases(manager, page)
      }
      // Debtors given new contacts: their cases are found by those numbers and addresses too.
      for (const debtorId of enriched) await this.search.indexDebtor(manager, debtorId)
      step(bulk ? 'search index (bulk)' : 'search index')
      for await (const page of plannedCaseIds(stage.db, { newOnly: true }))
        await refreshCasePrescriptions(manager, page)
      step('prescription')

      // Existing open cases: their summary follows the new claims, and their journal says so.
      for await (const page of plannedAdditions(stage.db)) {
        const touched: Array<[string, string, number]> = []
        for (const addition of page) {
          await refreshCaseSummary(manager, addition.caseId, author)
          await appendJournalEntry(
            manager,
            {
              caseId: addition.caseId,
              kind: 'system',
              summary:
                `Import du fichier « ${upload.fileName} » : ${addition.invoiceNumbers.length} créance(s) ajoutée(s) (${addition.invoiceNumbers.join(', ')})`.slice(
                  0,
                  1000
                ),
              details: { importBatchId: batchId, invoiceNumbers: addition.invoiceNumbers },
              relatedId: batchId
            },
            author
          )
          const [row] = await manager.query('SELECT version FROM collection_case WHERE id = ?', [addition.caseId])
          touched.push(['touched_case', addition.caseId, Number(row.version)])
        }
        await record(touched)
      }
      step('batch records')
      if (input.saveMappingAs) {
        await this.saveMapping(
          manager,
          input.clientId,
          input.saveMappingAs,
          toSavedMapping(input.mapping, stage.headers),
          author
        )
      }
    })
    step('transaction end')
    await this.dropStage()
    log.info(
      `Import ${batchId}: ${counts!.rows} rows from ${upload.fileName} committed in ${Math.round(performance.now() - started)} ms (${steps.join(', ')})`
    )
    const [summary] = await this.list({ clientId: null, batchId })
    return summary!
  }

  /** Who gets each new case, in file order (null: nobody yet). Collectors must be active. */
  private async assigner(
    manager: EntityManager,
    assignment: ImportAssignment
  ): Promise<(index: number) => string | null> {
    if (assignment.mode === 'none') return () => null
    const ids = assignment.mode === 'collector' ? [assignment.collectorId] : [...new Set(assignment.collectorIds)]
    const found: Array<{ id: string }> = await manager.query(
      `SELECT id FROM app_user WHERE active = TRUE AND id IN (${ids.map(() => '?').join(', ')})`,
      ids
    )
    if (found.length !== ids.length) {
      throw new AppError(
        'VALIDATION',
        'Gestionnaire introuvable ou inactif : choisissez à nouveau à qui confier les dossiers.',
        `Import assignment: ${ids.length - found.length} unknown or inactive user(s)`
      )
    }
    return (index) => ids[index % ids.length]!
  }

  /* ---------------------------------------------------------------------- error report */

  async errorReport(input: ChannelParsedInput<'imports:error-report'>): Promise<ImportErrorReport> {
    return this.exclusive(async () => {
      const { stage } = await this.planned(input)
      const upload = this.upload(input.uploadId, input.clientId)
      const file = await openImportFile(readFileSync(this.uploadPath(upload.uploadId)), upload.fileName)
      const buffer = await writeErrorReport(file, allProblems(stage.db))
      const base = upload.fileName.replace(/\.[^.]+$/, '')
      return {
        fileName: `${base} - lignes à corriger.xlsx`,
        contentBase64: buffer.toString('base64'),
        problemCount: await problemCount(stage.db)
      }
    })
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
      // Phones and e-mails the import gave debtors already known.
      const enriched: Array<{ debtor_id: string }> = await manager.query(
        `SELECT DISTINCT debtor_id FROM (SELECT debtor_id FROM debtor_phone WHERE id IN (${recordsOf('phone')})
          UNION SELECT debtor_id FROM debtor_email WHERE id IN (${recordsOf('email')}))`
      )
      await manager.query(`DELETE FROM debtor_phone WHERE id IN (${recordsOf('phone')})`)
      await manager.query(`DELETE FROM debtor_email WHERE id IN (${recordsOf('email')})`)
      for (const { debtor_id } of enriched) await this.search.indexDebtor(manager, debtor_id)
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
    const [summary] = await this.list({ clientId: null, batchId })
    return summary!
  }

  /* -------------------------------------------------------------------------- helpers */

  /** Stage work runs one call at a time (a preview, a commit, an error report). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.stageQueue.then(work, work)
    this.stageQueue = run.catch(() => undefined)
    return run
  }

  /** The staged rows of this upload read with this mapping: the file is read again only if they change. */
  private async stageFor(upload: UploadMeta, mapping: ColumnMapping): Promise<Stage> {
    const key = JSON.stringify([upload.uploadId, mapping])
    if (this.stage?.key === key) return this.stage
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
    return this.stageFile(upload, mapping, file)
  }

  private async stageFile(
    upload: UploadMeta,
    mapping: ColumnMapping,
    file: OpenedImportFile,
    onRow?: (row: FileRow) => void
  ): Promise<Stage> {
    await this.dropStage()
    // One import is staged at a time: any other file there was left by a previous run.
    const dir = join(this.db.dataDir, 'imports', 'staging')
    if (existsSync(dir)) for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true })
    const db = await StageDb.open(join(dir, `${upload.uploadId}.sqlite`))
    try {
      const rowCount = await stageRows(db, file.rows, new RowReader(mapping, file.headers, this.clock.today()), onRow)
      this.stage = { key: JSON.stringify([upload.uploadId, mapping]), db, headers: file.headers, rowCount, plan: null }
      return this.stage
    } catch (error) {
      await db.close()
      throw error
    }
  }

  private async dropStage(): Promise<void> {
    const stage = this.stage
    this.stage = null
    await stage?.db.close()
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

type Stamp = { createdAt: string; createdBy: string; updatedAt: string; updatedBy: string; version: number }

/** A phone row from an import (E.164): mobile by its prefix, else work for a company. */
function phoneRow(
  number: string,
  debtorId: string,
  kind: 'company' | 'individual' | null,
  stamp: Stamp,
  source: string
): { id: string } {
  return {
    id: importId(),
    ...stamp,
    debtorId,
    number,
    kind: /^\+33[67]/.test(number) ? 'mobile' : kind === 'company' ? 'work' : 'landline',
    status: 'unverified',
    statusChangedAt: null,
    source
  } as { id: string }
}

function emailRow(address: string, debtorId: string, stamp: Stamp, source: string): { id: string } {
  return { id: importId(), ...stamp, debtorId, address, status: 'unverified', source } as { id: string }
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

/** Batches imported before contacts were added to known debtors have no such counts. */
function withContactCounts(counts: ImportCounts): ImportCounts {
  return { ...counts, newPhones: counts.newPhones ?? 0, newEmails: counts.newEmails ?? 0 }
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
    counts: withContactCounts(JSON.parse(row.counts) as ImportCounts),
    undoneAt: row.undone_at,
    undoBlockedReason
  }
}

/** Every (table, column) with a foreign key to `table`, read from the schema itself. */
async function referencing(manager: EntityManager, table: string): Promise<Array<{ table: string; column: string }>> {
  const rows: Array<{ tbl: string; col: string }> = isPostgres(manager)
    ? await manager.query(
        `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
          WHERE c.contype = 'f' AND c.confrelid = to_regclass($1)`,
        [table]
      )
    : await manager.query(
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
  // Phones and e-mails the batch gave known debtors: not once a collector has worked with them
  // (status changed, marked wrong) or anything refers to them (a call placed to that number…).
  for (const [table, kind, what] of [
    ['debtor_phone', 'phone', 'téléphone'],
    ['debtor_email', 'email', 'adresse e-mail']
  ] as const) {
    const [changedContact] = await manager.query(
      `SELECT 1 AS x FROM ${table} WHERE id IN (${recordsOf(kind)}) AND version > 1 LIMIT 1`,
      [batch.id]
    )
    if (changedContact) return `Annulation impossible : un ${what} ajouté par cet import a été modifié depuis.`
    for (const ref of await referencing(manager, table)) {
      const [used] = await manager.query(
        `SELECT 1 AS x FROM "${ref.table}" WHERE "${ref.column}" IN (${recordsOf(kind)}) LIMIT 1`,
        [batch.id]
      )
      if (used) return `Annulation impossible : un ${what} ajouté par cet import a été utilisé depuis.`
    }
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
