import { createHash } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { EntityManager } from 'typeorm'
import {
  AppError,
  notFound,
  type ChannelParsedInput,
  type DunningActionDto,
  type DunningBatchDetail,
  type DunningBatchSummary,
  type DunningJobStatus,
  type DunningPending,
  type DunningPreview,
  type DunningPreviewError,
  type DunningPreviewItem,
  type DunningScenarioDto,
  type SessionUser
} from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { CASE_PHASES, type CasePhase, type CaseStatus } from '@shared/domain/enums'
import type { PartyKind } from '@shared/money'
import {
  DUNNING_CHANNEL_LABELS,
  DUNNING_TEMPLATE_LABELS,
  decideDunning,
  orderedSteps,
  type DunningCaseFacts,
  type DunningChannel,
  type DunningStepDef
} from '@shared/dunning/scenario'
import { formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import { databaseAppError } from '../../db/db-errors'
import type { Clock } from '../../platform/clock'
import { BackgroundWork } from '../../platform/background'
import { log } from '../../platform/log'
import { readCaseState, updateCase } from '../cases/case-state'
import { appendJournalEntry, type Author } from '../journal/journal.service'
import type { StatementService } from '../money/statement.service'
import { DunningActionEntity, DunningBatchEntity, DunningScenarioEntity, DunningStepEntity } from './dunning.entities'
import { mergePrintFile, printOrder, type PrintLetter } from './print-file'

/** What the engine needs of the documents module (DocumentsService implements it). */
export interface LetterPort {
  renderLetter(
    manager: EntityManager,
    req: { caseId: string; templateCode: string; at: string; extra?: Record<string, string> }
  ): Promise<{ pdf: Buffer; templateVersion: number; text: string }>
  /**
   * Optional split of renderLetter, for a batch: prepareLetter reads and checks (refusals are
   * thrown there), renderPrepared makes the PDF outside the read (in a worker thread).
   */
  prepareLetter?(
    manager: EntityManager,
    req: { caseId: string; templateCode: string; at: string; extra?: Record<string, string> }
  ): Promise<unknown>
  renderPrepared?(letter: never): Promise<{ pdf: Buffer; templateVersion: number; text: string }>
  storeGenerated(
    manager: EntityManager,
    req: {
      caseId: string
      templateCode: string
      templateVersion: number
      pdf: Buffer
      title: string
      channel: 'letter' | 'registered_letter' | 'email' | 'sms'
      batchId?: string | null
      /** The journal line's wording: one entry for the step and its document. */
      summary?: string
      details?: Record<string, unknown>
    }
  ): Promise<{ documentId: string; sha256: string; journalEntryId?: string }>
}

type Row = Record<string, unknown>

interface CaseRow {
  id: string
  reference: string
  status: CaseStatus
  phase: CasePhase
  balanceCents: number
  debtorKind: PartyKind
  debtorName: string
  clientName: string
  scenarioCode: string | null
  anchorDueOn: string | null
  openClaims: number
  disputedClaims: number
  planOnTrack: boolean
  postalCode: string | null
  city: string | null
  hasEmail: boolean
  hasMobile: boolean
}

interface Scenario {
  id: string
  code: string
  isDefault: boolean
  steps: DunningStepDef[]
}

/** Letters rendering at once in a run (the PDF workers' queue); bounds the memory they hold. */
const RENDER_WINDOW = 8

/** One line of a run, prepared outside the transaction. */
interface Prepared {
  item: DunningPreviewItem
  city: string | null
  letter: { pdf: Buffer; templateVersion: number } | null
}

export interface RunOptions {
  onProgress?: (done: number, total: number) => void
  isCancelled?: () => boolean
  /** Only these preview lines ("caseId:stepId"); all of the preview when absent. */
  confirm?: ReadonlySet<string> | null
  /** All of the preview but these lines. */
  exclude?: ReadonlySet<string> | null
}

export interface RunResult {
  at: CalendarDate
  batchId: string | null
  actions: number
  letters: number
  failures: DunningPreviewError[]
  printFile: string | null
  durationMs: number
  cancelled: boolean
}

class Cancelled extends Error {
  constructor() {
    super('Dunning run cancelled')
  }
}

const MANAGER_ROLES = new Set(['admin', 'manager'])
const SAMPLES_PER_REASON = 5
/** Letters of a preview whose statement is computed (a few ms each). */
const PREVIEW_STATEMENT_CHECKS = 3000
/** Cases per read of the background count (kept under SQLite's bound-parameter limit). */
const PENDING_SLICE = 2000

interface PreviewRange {
  /** Cases after this reference (null: from the first). */
  after: string | null
  limit: number
}
/** Preview lines sent to the renderer (the whole preview is confirmed, with exclusions). */
const PREVIEW_ITEMS_SHOWN = 1000
const DOCUMENT_CHANNELS = new Set<DunningChannel>(['letter', 'registered_letter', 'email', 'sms'])
const PRINTED_CHANNELS = new Set<DunningChannel>(['letter', 'registered_letter'])

export const itemKey = (item: { caseId: string; stepId: string }): string => `${item.caseId}:${item.stepId}`

function toStep(row: DunningStepEntity): DunningStepDef {
  return {
    id: row.id,
    position: row.position,
    name: row.name,
    delayDays: row.delayDays,
    delayFrom: row.delayFrom,
    channel: row.channel,
    templateCode: row.templateCode,
    debtorCondition: row.debtorCondition,
    minBalanceCents: row.minBalanceCents === null ? null : Number(row.minBalanceCents),
    phaseChange: row.phaseChange
  }
}

function partyKindOf(kind: string, actsProfessionally: unknown): PartyKind {
  if (Number(actsProfessionally) === 1 || actsProfessionally === true) return 'professional'
  return kind === 'individual' ? 'consumer' : 'non_professional'
}

function requireManager(user: SessionUser): void {
  if (!MANAGER_ROLES.has(user.role)) {
    throw new AppError(
      'FORBIDDEN',
      'Seul un responsable ou un administrateur peut lancer les relances ou modifier les scénarios.',
      `User ${user.id} (${user.role}) refused a dunning action`
    )
  }
}

/**
 * The dunning engine: scenarios (Paramètres), the daily preview of the steps due per case, and
 * the confirmed run that renders the letters, merges the print file and records everything.
 *
 * A run renders every letter first, outside any transaction (reads only, the app stays usable,
 * a cancel stops it between two letters), then writes the batch, documents, steps taken, phase
 * changes and journal entries in ONE transaction at the end. A cancelled or failed run
 * therefore leaves no row at all; only the stored files of a transaction that rolled back would
 * remain, unreferenced (content-addressed, harmless). The unique (case, step) key makes a
 * second run, or two runs racing, unable to take a step twice.
 */
export class DunningService {
  private readonly jobs = new Map<string, { status: DunningJobStatus; cancel: boolean }>()
  /** Runs started from the screen and the badge's count: close() stops and awaits them. */
  private readonly background = new BackgroundWork()
  /** Set by create-app once the documents module exists; tests may put a fake here. */
  letters: LetterPort | null = null

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly statements: StatementService
  ) {}

  /* ------------------------------------------------------------ scenarios */

  private async loadScenarios(manager: EntityManager): Promise<Scenario[]> {
    const scenarios = await manager.find(DunningScenarioEntity, { order: { name: 'ASC' } })
    const steps = await manager.find(DunningStepEntity, { where: { retired: false } })
    return scenarios
      .filter((s) => s.active)
      .map((s) => ({
        id: s.id,
        code: s.code,
        isDefault: s.isDefault,
        steps: orderedSteps(steps.filter((step) => step.scenarioId === s.id).map(toStep))
      }))
  }

  scenarios(): Promise<DunningScenarioDto[]> {
    return this.db.read((manager) => this.scenarioDtos(manager))
  }

  private async scenarioDtos(manager: EntityManager): Promise<DunningScenarioDto[]> {
    const scenarios = await manager.find(DunningScenarioEntity, { order: { isDefault: 'DESC', name: 'ASC' } })
    const steps = await manager.find(DunningStepEntity, { where: { retired: false } })
    const counts: Row[] = await manager.query(
      `SELECT dunning_scenario_code AS code, COUNT(*) AS n FROM mandate WHERE status = 'active' GROUP BY dunning_scenario_code`
    )
    const byCode = new Map(counts.map((r) => [r.code === null ? null : String(r.code), Number(r.n)]))
    const known = new Set(scenarios.map((s) => s.code))
    const orphans = [...byCode.entries()]
      .filter(([code]) => code === null || !known.has(code))
      .reduce((sum, [, n]) => sum + n, 0)
    return scenarios.map((s) => ({
      id: s.id,
      code: s.code,
      name: s.name,
      description: s.description,
      isDefault: s.isDefault,
      active: s.active,
      version: s.version,
      steps: orderedSteps(steps.filter((step) => step.scenarioId === s.id).map(toStep)),
      mandateCount: (byCode.get(s.code) ?? 0) + (s.isDefault ? orphans : 0)
    }))
  }

  saveScenario(input: ChannelParsedInput<'dunning:save-scenario'>, user: SessionUser): Promise<DunningScenarioDto> {
    requireManager(user)
    return this.db.write(async (manager) => {
      const now = this.clock.now().toISOString()
      const sameCode = await manager.findOne(DunningScenarioEntity, { where: { code: input.code } })
      if (sameCode && sameCode.id !== input.id) {
        throw new AppError(
          'CONFLICT',
          `Le code « ${input.code} » est déjà celui d’un autre scénario.`,
          'Duplicate code'
        )
      }
      let scenarioId = input.id
      if (scenarioId) {
        const current = await manager.findOne(DunningScenarioEntity, { where: { id: scenarioId } })
        if (!current) throw notFound('DunningScenario', scenarioId, 'Scénario')
        if (input.version !== null && current.version !== input.version) {
          throw new AppError(
            'CONFLICT',
            `Le scénario « ${current.name} » a été modifié entre-temps. Rechargez-le puis recommencez.`,
            `Scenario ${scenarioId} at version ${current.version}, edit based on ${input.version}`
          )
        }
        if (current.isDefault && !input.isDefault) {
          throw new AppError(
            'BUSINESS_RULE',
            'Un scénario doit rester le scénario par défaut : choisissez-en un autre comme défaut.',
            'Default scenario unset'
          )
        }
        if (current.isDefault && !input.active) {
          throw new AppError('BUSINESS_RULE', 'Le scénario par défaut ne peut pas être désactivé.', 'Default off')
        }
        if (current.code !== input.code) {
          await manager.query(`UPDATE mandate SET dunning_scenario_code = ? WHERE dunning_scenario_code = ?`, [
            input.code,
            current.code
          ])
        }
        await manager.update(
          DunningScenarioEntity,
          { id: scenarioId },
          {
            code: input.code,
            name: input.name,
            description: input.description,
            isDefault: input.isDefault,
            active: input.active,
            updatedAt: now,
            updatedBy: user.id,
            version: current.version + 1
          }
        )
      } else {
        scenarioId = uuid7()
        await manager.insert(DunningScenarioEntity, {
          id: scenarioId,
          createdAt: now,
          createdBy: user.id,
          updatedAt: now,
          updatedBy: user.id,
          version: 1,
          code: input.code,
          name: input.name,
          description: input.description,
          isDefault: input.isDefault,
          active: input.active
        })
      }
      if (input.isDefault) {
        await manager.query(`UPDATE dunning_scenario SET is_default = FALSE WHERE id <> ? AND is_default = TRUE`, [
          scenarioId
        ])
      }
      const existing = await manager.find(DunningStepEntity, { where: { scenarioId } })
      const byId = new Map(existing.map((s) => [s.id, s]))
      const kept = new Set<string>()
      for (const [index, step] of input.steps.entries()) {
        const values = {
          position: index + 1,
          name: step.name,
          delayDays: step.delayDays,
          delayFrom: step.delayFrom,
          channel: step.channel,
          templateCode: step.channel === 'call' ? null : step.templateCode,
          debtorCondition: step.debtorCondition,
          minBalanceCents: step.minBalanceCents,
          phaseChange: step.phaseChange,
          retired: false,
          updatedAt: now,
          updatedBy: user.id
        }
        const current = step.id ? byId.get(step.id) : undefined
        if (step.id && !current) throw notFound('DunningStep', step.id, 'Étape')
        if (current) {
          kept.add(current.id)
          await manager.update(DunningStepEntity, { id: current.id }, { ...values, version: current.version + 1 })
        } else {
          await manager.insert(DunningStepEntity, {
            id: uuid7(),
            createdAt: now,
            createdBy: user.id,
            version: 1,
            scenarioId,
            ...values
          })
        }
      }
      for (const step of existing) {
        if (!kept.has(step.id) && !step.retired) {
          // Retired, not deleted: the steps taken on cases keep pointing at it.
          await manager.update(
            DunningStepEntity,
            { id: step.id },
            { retired: true, updatedAt: now, updatedBy: user.id, version: step.version + 1 }
          )
        }
      }
      const dtos = await this.scenarioDtos(manager)
      return dtos.find((d) => d.id === scenarioId)!
    })
  }

  mandates(): Promise<Array<{ id: string; reference: string; clientName: string; scenarioCode: string | null }>> {
    return this.db.read(async (manager) => {
      const rows: Row[] = await manager.query(
        `SELECT m.id, m.reference, c.legal_name AS client_name, m.dunning_scenario_code AS code
           FROM mandate m JOIN client c ON c.id = m.client_id
          WHERE m.status = 'active' ORDER BY c.legal_name, m.reference`
      )
      return rows.map((r) => ({
        id: String(r.id),
        reference: String(r.reference),
        clientName: String(r.client_name),
        scenarioCode: r.code === null ? null : String(r.code)
      }))
    })
  }

  setMandateScenario(
    input: ChannelParsedInput<'dunning:set-mandate-scenario'>,
    user: SessionUser
  ): Promise<{ mandateId: string; scenarioCode: string | null }> {
    requireManager(user)
    return this.db.write(async (manager) => {
      if (input.scenarioCode !== null) {
        const scenario = await manager.findOne(DunningScenarioEntity, { where: { code: input.scenarioCode } })
        if (!scenario || !scenario.active) throw notFound('DunningScenario', input.scenarioCode, 'Scénario')
      }
      const result = await manager.query(
        `UPDATE mandate SET dunning_scenario_code = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?`,
        [input.scenarioCode, this.clock.now().toISOString(), user.id, input.mandateId]
      )
      void result
      return { mandateId: input.mandateId, scenarioCode: input.scenarioCode }
    })
  }

  /* -------------------------------------------------------------- preview */

  /**
   * Every case not closed, with the facts the decision needs, in one query; or one slice of
   * them in reference order (`range`), so that a background count leaves the connection to
   * the user between slices.
   */
  private async caseRows(
    manager: EntityManager,
    at: CalendarDate,
    range: PreviewRange | null = null
  ): Promise<CaseRow[]> {
    const unpaid = `cl.principal_cents > COALESCE((SELECT SUM(a.amount_cents) FROM allocation a WHERE a.claim_id = cl.id AND a.component = 'principal'), 0)`
    const rows: Row[] = await manager.query(
      `SELECT c.id, c.reference, c.status, c.phase, c.balance_cents, d.kind AS debtor_kind,
              d.acts_professionally, d.display_name AS debtor_name, cl2.legal_name AS client_name,
              m.dunning_scenario_code AS scenario_code,
              (SELECT MIN(cl.due_on) FROM claim cl WHERE cl.case_id = c.id AND cl.disputed = FALSE AND ${unpaid}) AS anchor,
              (SELECT COUNT(*) FROM claim cl WHERE cl.case_id = c.id AND ${unpaid}) AS open_claims,
              (SELECT COUNT(*) FROM claim cl WHERE cl.case_id = c.id AND cl.disputed = TRUE AND ${unpaid}) AS disputed_claims,
              EXISTS (SELECT 1 FROM payment_plan pl WHERE pl.case_id = c.id AND pl.status = 'active'
                        AND NOT EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id
                                          AND i.status IN ('missed', 'partial') AND i.due_on < ?)) AS plan_on_track,
              (SELECT a.postal_code || char(31) || a.city FROM debtor_address a WHERE a.debtor_id = c.debtor_id
                  AND (a.valid_to IS NULL OR a.valid_to >= ?) ORDER BY a.valid_from DESC LIMIT 1) AS address,
              EXISTS (SELECT 1 FROM debtor_email e WHERE e.debtor_id = c.debtor_id AND e.status <> 'invalid') AS has_email,
              EXISTS (SELECT 1 FROM debtor_phone p WHERE p.debtor_id = c.debtor_id AND p.kind = 'mobile' AND p.status <> 'invalid') AS has_mobile
         FROM collection_case c
         JOIN debtor d ON d.id = c.debtor_id
         JOIN client cl2 ON cl2.id = c.client_id
         JOIN mandate m ON m.id = c.mandate_id
        WHERE c.status <> 'closed'${range?.after != null ? ' AND c.reference > ?' : ''}
        ORDER BY c.reference${range ? ' LIMIT ?' : ''}`,
      [at, at, ...(range?.after != null ? [range.after] : []), ...(range ? [range.limit] : [])]
    )
    return rows.map((r) => {
      const [postalCode, city] = r.address === null ? [null, null] : String(r.address).split('\u001f')
      return {
        id: String(r.id),
        reference: String(r.reference),
        status: r.status as CaseStatus,
        phase: r.phase as CasePhase,
        balanceCents: Number(r.balance_cents),
        debtorKind: partyKindOf(String(r.debtor_kind), r.acts_professionally),
        debtorName: String(r.debtor_name),
        clientName: String(r.client_name),
        scenarioCode: r.scenario_code === null ? null : String(r.scenario_code),
        anchorDueOn: r.anchor === null ? null : String(r.anchor),
        openClaims: Number(r.open_claims),
        disputedClaims: Number(r.disputed_claims),
        planOnTrack: Number(r.plan_on_track) === 1,
        postalCode: postalCode ?? null,
        city: city ?? null,
        hasEmail: Number(r.has_email) === 1,
        hasMobile: Number(r.has_mobile) === 1
      }
    })
  }

  /** The preview at `at`, with the case rows of its items (for the run). */
  private async computePreview(
    manager: EntityManager,
    at: CalendarDate,
    statementChecks = PREVIEW_STATEMENT_CHECKS,
    range: PreviewRange | null = null
  ): Promise<{ preview: DunningPreview; cases: Map<string, CaseRow>; lastReference: string | null }> {
    const started = Date.now()
    const scenarios = await this.loadScenarios(manager)
    const byCode = new Map(scenarios.map((s) => [s.code, s]))
    const fallback = scenarios.find((s) => s.isDefault) ?? null
    const cases = await this.caseRows(manager, at, range)
    const takenRows: Row[] = range
      ? cases.length === 0
        ? []
        : await manager.query(
            `SELECT case_id, step_id, taken_on FROM dunning_action WHERE case_id IN (${cases.map(() => '?').join(', ')})`,
            cases.map((c) => c.id)
          )
      : await manager.query(`SELECT case_id, step_id, taken_on FROM dunning_action`)
    const taken = new Map<string, Map<string, string>>()
    for (const r of takenRows) {
      const caseId = String(r.case_id)
      let map = taken.get(caseId)
      if (!map) taken.set(caseId, (map = new Map()))
      map.set(String(r.step_id), String(r.taken_on))
    }
    const items: DunningPreviewItem[] = []
    const errors: DunningPreviewError[] = []
    const skipped: DunningPreview['skipped'] = {}
    const samples: DunningPreview['skippedSamples'] = []
    const sampleCount = new Map<string, number>()
    const skip = (row: CaseRow, code: keyof DunningPreview['skipped'], reason: string) => {
      skipped[code] = (skipped[code] ?? 0) + 1
      const n = sampleCount.get(code) ?? 0
      if (n < SAMPLES_PER_REASON) {
        samples.push({ caseId: row.id, caseReference: row.reference, code, reason })
        sampleCount.set(code, n + 1)
      }
    }
    const byCase = new Map<string, CaseRow>()
    for (const row of cases) {
      const scenario = (row.scenarioCode ? byCode.get(row.scenarioCode) : undefined) ?? fallback
      const facts: DunningCaseFacts = {
        status: row.status,
        phase: row.phase,
        debtorKind: row.debtorKind,
        balanceCents: row.balanceCents,
        anchorDueOn: row.anchorDueOn,
        openClaimCount: row.openClaims,
        disputedClaimCount: row.disputedClaims,
        planOnTrack: row.planOnTrack,
        taken: taken.get(row.id) ?? new Map()
      }
      const decision = decideDunning(scenario?.steps ?? [], facts, at)
      if (decision.kind === 'skip') {
        skip(row, decision.code, decision.reason)
        continue
      }
      if (decision.kind === 'waiting') {
        skip(row, 'waiting', `${decision.step.name} le ${formatDate(decision.dueOn)}`)
        continue
      }
      const step = decision.step
      const names = new Map(scenario!.steps.map((s) => [s.id, s.name]))
      const item: DunningPreviewItem = {
        caseId: row.id,
        caseReference: row.reference,
        debtorName: row.debtorName,
        clientName: row.clientName,
        postalCode: row.postalCode,
        balanceCents: row.balanceCents,
        scenarioCode: scenario!.code,
        stepId: step.id,
        stepName: step.name,
        channel: step.channel,
        templateCode: step.templateCode,
        phaseChange: step.phaseChange,
        dueOn: decision.dueOn,
        caughtUp: decision.skippedStepIds.map((id) => names.get(id) ?? id)
      }
      const problem = this.contactProblem(row, step.channel)
      if (problem) {
        errors.push({ caseId: row.id, caseReference: row.reference, stepName: step.name, reason: problem })
        continue
      }
      items.push(item)
      byCase.set(row.id, row)
    }
    // What the manager confirms: the steps due, before the statement checks (a run skips them).
    const fingerprint = createHash('sha256').update(items.map(itemKey).sort().join('\n')).digest('hex')
    // Letters quote the statement: a case whose statement cannot be computed at this date
    // (a rate semester missing…) or with nothing demandable is reported with the reason instead
    // of failing the run. Past `statementChecks` letters (a first run on a large portfolio), the
    // letters are listed unchecked: generation checks each one anyway and reports its refusal.
    const kept: DunningPreviewItem[] = []
    let checked = 0
    let unchecked = 0
    for (const item of items) {
      if (item.templateCode === null || checked >= statementChecks) {
        if (item.templateCode !== null) unchecked++
        kept.push(item)
        continue
      }
      checked++
      try {
        const statement = await this.statements.compute(manager, item.caseId, at)
        if (statement.demandableBalanceCents <= 0) {
          errors.push({
            caseId: item.caseId,
            caseReference: item.caseReference,
            stepName: item.stepName,
            reason:
              statement.timeBarredBalanceCents > 0
                ? 'Créances prescrites : aucune somme ne peut être réclamée'
                : 'Aucune somme exigible à cette date'
          })
          byCase.delete(item.caseId)
          continue
        }
        kept.push(item)
      } catch (error) {
        errors.push({
          caseId: item.caseId,
          caseReference: item.caseReference,
          stepName: item.stepName,
          reason: userMessage(error)
        })
        byCase.delete(item.caseId)
      }
    }
    return {
      preview: {
        at,
        items: kept,
        errors,
        skipped,
        skippedSamples: samples,
        totalItems: kept.length,
        byChannel: countByChannel(kept),
        fingerprint,
        casesExamined: cases.length,
        uncheckedLetters: unchecked,
        durationMs: Date.now() - started
      },
      cases: byCase,
      lastReference: cases.at(-1)?.reference ?? null
    }
  }

  private contactProblem(row: CaseRow, channel: DunningChannel): string | null {
    if (PRINTED_CHANNELS.has(channel) && !row.postalCode) return 'Aucune adresse postale connue pour le débiteur'
    if (channel === 'email' && !row.hasEmail) return 'Aucune adresse e-mail valide pour le débiteur'
    if (channel === 'sms' && !row.hasMobile) return 'Aucun numéro de mobile valide pour le débiteur'
    return null
  }

  /** The preview at a date; `shown` lines at most (the renderer shows a page; the CLI all). */
  preview(input: { at?: CalendarDate }, shown = PREVIEW_ITEMS_SHOWN): Promise<DunningPreview> {
    const at = input.at ?? this.clock.today()
    return this.db.read(async (manager) => {
      const { preview } = await this.computePreview(manager, at)
      if (at === this.clock.today()) this.pending = { at, steps: preview.totalItems, computedAt: this.now() }
      return preview.items.length > shown ? { ...preview, items: preview.items.slice(0, shown) } : preview
    })
  }

  /* ------------------------------------------------- steps awaiting confirmation */

  private pending: DunningPending | null = null
  private pendingStale = false
  private pendingRun: Promise<void> | null = null

  private now(): string {
    return this.clock.now().toISOString()
  }

  /**
   * Computes today's preview in the background (start-up, then hourly: see
   * scheduleDunningPreview) and keeps only its count, for the navigation's badge. Generates
   * nothing: a run still needs a manager's confirmation of the preview.
   */
  refreshPending(options: { slice?: number; force?: boolean } = {}): Promise<void> {
    if (this.pendingRun) return this.pendingRun
    if (this.background.stopping) return Promise.resolve()
    const at = this.clock.today()
    if (this.pending?.at === at && !this.pendingStale && !options.force) return Promise.resolve()
    const sliceSize = options.slice ?? PENDING_SLICE
    this.pendingRun = (async () => {
      try {
        this.pendingStale = false
        // Slice by slice, each its own short read: at 200,000 cases the whole preview holds the
        // one connection for tens of seconds, which a collector would feel in every screen. The
        // badge counts the steps due; the statement checks are left to the preview itself.
        let steps = 0
        let after: string | null = null
        for (;;) {
          if (this.background.stopping) return // app closing: counted again at the next start
          const range: PreviewRange = { after, limit: sliceSize }
          const slice = await this.db.read((manager) => this.computePreview(manager, at, 0, range))
          steps += slice.preview.totalItems
          if (slice.preview.casesExamined < sliceSize || slice.lastReference === null) break
          after = slice.lastReference
        }
        this.pending = { at, steps, computedAt: this.now() }
      } finally {
        this.pendingRun = null
      }
    })()
    this.background.track(this.pendingRun.catch(() => undefined))
    return this.pendingRun
  }

  /**
   * The app closes: the badge's count stops after its slice, running generations are cancelled
   * (a cancelled run records nothing: its steps stay due, offered again by the next preview);
   * resolves once none of them runs any more.
   */
  async stop(): Promise<void> {
    this.background.stopping = true
    for (const job of this.jobs.values()) if (job.status.state === 'running') job.cancel = true
    await this.background.idle()
  }

  /** The last count of today's steps awaiting confirmation (null until computed once today). */
  pendingSummary(): DunningPending {
    const today = this.clock.today()
    if (this.pending?.at !== today || this.pendingStale)
      this.refreshPending().catch((error: unknown) => log.error('Dunning: pending steps not counted', error))
    return this.pending?.at === today ? { ...this.pending } : { at: today, steps: null, computedAt: null }
  }

  /* ------------------------------------------------------------------ run */

  /**
   * A confirmed run, awaited (CLI, tests, benchmark; the UI goes through `start`). The preview
   * is computed again at `at`: only the confirmed lines that are still due are done.
   */
  async run(at: CalendarDate, user: SessionUser, options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now()
    // No statement here: renderLetter computes and checks each letter's own.
    const { preview, cases } = await this.db.read((manager) => this.computePreview(manager, at, 0))
    return this.execute(at, selectItems(preview, options), cases, user, options, started)
  }

  /** Renders, merges and writes the given lines (the benchmark calls it with its own lines). */
  async execute(
    at: CalendarDate,
    items: readonly DunningPreviewItem[],
    cases: ReadonlyMap<string, { city: string | null }>,
    user: SessionUser,
    options: RunOptions,
    started = Date.now()
  ): Promise<RunResult> {
    const failures: DunningPreviewError[] = []
    const prepared: Prepared[] = []
    const result = (partial: Partial<RunResult>): RunResult => ({
      at,
      batchId: null,
      actions: 0,
      letters: 0,
      failures,
      printFile: null,
      durationMs: Date.now() - started,
      cancelled: false,
      ...partial
    })
    options.onProgress?.(0, items.length)
    // Pipeline: this thread reads and checks letter i+1, i+2… while the PDF workers render the
    // letters before it; at most RENDER_WINDOW renders outstanding (memory stays bounded).
    // Lines and failures are kept in the preview's order whatever order renders finish in.
    const lines: (Prepared | DunningPreviewError | null)[] = new Array<null>(items.length).fill(null)
    const outstanding = new Set<Promise<void>>()
    let done = 0
    const finished = () => options.onProgress?.(++done, items.length)
    const failure = (item: DunningPreviewItem, reason: string): DunningPreviewError => ({
      caseId: item.caseId,
      caseReference: item.caseReference,
      stepName: item.stepName,
      reason
    })
    const settle = async () => {
      await Promise.all(outstanding)
    }
    for (const [index, item] of items.entries()) {
      if (options.isCancelled?.()) {
        await settle()
        return result({ cancelled: true })
      }
      const city = cases.get(item.caseId)?.city ?? null
      if (!(DOCUMENT_CHANNELS.has(item.channel) && item.templateCode)) {
        lines[index] = { item, letter: null, city }
        finished()
        continue
      }
      const port = this.letters
      if (!port) {
        lines[index] = failure(
          item,
          'Le module des courriers n’est pas disponible : aucun courrier ne peut être généré.'
        )
        continue
      }
      const req = { caseId: item.caseId, templateCode: item.templateCode, at }
      let render: Promise<{ pdf: Buffer; templateVersion: number }>
      try {
        if (port.prepareLetter && port.renderPrepared) {
          const preparedLetter = await this.db.read((manager) => port.prepareLetter!(manager, req))
          render = port.renderPrepared(preparedLetter as never)
        } else {
          render = Promise.resolve(await this.db.read((manager) => port.renderLetter(manager, req)))
        }
      } catch (error) {
        lines[index] = failure(item, userMessage(error))
        continue
      }
      const task: Promise<void> = render.then(
        (rendered) => {
          lines[index] = { item, letter: { pdf: rendered.pdf, templateVersion: rendered.templateVersion }, city }
          finished()
        },
        (error: unknown) => {
          lines[index] = failure(item, userMessage(error))
        }
      )
      outstanding.add(task)
      void task.finally(() => outstanding.delete(task))
      if (outstanding.size >= RENDER_WINDOW) await Promise.race(outstanding)
    }
    await settle()
    for (const line of lines) {
      if (!line) continue
      if ('item' in line) prepared.push(line)
      else failures.push(line)
    }
    if (options.isCancelled?.()) return result({ cancelled: true })
    if (prepared.length === 0) return result({})

    const batchId = uuid7()
    const printed = prepared.filter((p) => p.letter && PRINTED_CHANNELS.has(p.item.channel))
    let printPath: string | null = null
    let printSha: string | null = null
    let printAbsolute: string | null = null
    if (printed.length > 0) {
      const pdf = await mergePrintFile(
        printed.map((p) => toPrintLetter(p)),
        { runOn: at, batchLabel: `lot ${batchId.slice(-8)}` }
      )
      printPath = join('dunning', 'print', `${at}-${batchId}.pdf`)
      printAbsolute = join(this.db.dataDir, printPath)
      mkdirSync(dirname(printAbsolute), { recursive: true })
      writeFileSync(printAbsolute, pdf, { flag: 'wx' })
      printSha = createHash('sha256').update(pdf).digest('hex')
    }
    if (options.isCancelled?.()) {
      if (printAbsolute) rmSync(printAbsolute, { force: true })
      return result({ cancelled: true })
    }

    const author: Author = { userId: user.id, now: this.clock.now().toISOString() }
    let written = 0
    try {
      written = await this.db.write(async (manager) => {
        await manager.insert(DunningBatchEntity, {
          id: batchId,
          createdAt: author.now,
          createdBy: user.id,
          runOn: at,
          actionCount: 0,
          letterCount: printed.length,
          printPath,
          printSha256: printSha,
          durationMs: 0
        })
        let count = 0
        for (const p of prepared) {
          if (await this.writeAction(manager, p, batchId, at, author)) count++
        }
        if (options.isCancelled?.()) throw new Cancelled()
        await manager.update(
          DunningBatchEntity,
          { id: batchId },
          { actionCount: count, durationMs: Date.now() - started }
        )
        return count
      })
    } catch (error) {
      if (printAbsolute) rmSync(printAbsolute, { force: true })
      if (error instanceof Cancelled) return result({ cancelled: true })
      throw error
    }
    // The badge's count changed: counted again now, in the background.
    this.pendingStale = true
    this.refreshPending().catch((error: unknown) => log.error('Dunning: pending steps not counted', error))
    log.info(`Dunning run ${at}: ${written} steps taken in batch ${batchId} (${Date.now() - started} ms)`)
    return result({ batchId, actions: written, letters: printed.length, printFile: printPath })
  }

  /** One step taken, in the run's transaction; false when it was taken meanwhile. */
  private async writeAction(
    manager: EntityManager,
    p: Prepared,
    batchId: string,
    at: CalendarDate,
    author: Author
  ): Promise<boolean> {
    const { item, letter } = p
    const already: Row[] = await manager.query(`SELECT 1 FROM dunning_action WHERE case_id = ? AND step_id = ?`, [
      item.caseId,
      item.stepId
    ])
    if (already.length > 0) return false
    const what =
      item.channel === 'call'
        ? `tâche d’appel créée dans l’agenda`
        : `${DUNNING_CHANNEL_LABELS[item.channel].toLowerCase()} généré${item.channel === 'registered_letter' || item.channel === 'letter' ? ', à poster' : ', à envoyer'}`
    const summary = `Relance « ${item.stepName} » : ${what}${item.caughtUp.length ? ` (étapes passées : ${item.caughtUp.join(', ')})` : ''}`
    const details = {
      dunning: true,
      batchId,
      stepId: item.stepId,
      scenario: item.scenarioCode,
      channel: item.channel,
      templateCode: item.templateCode,
      dueOn: item.dueOn,
      caughtUp: item.caughtUp
    }
    let documentId: string | null = null
    let journalEntryId: string | null = null
    if (letter && item.templateCode && this.letters) {
      // One journal entry for the step and its letter: the documents module writes it with the
      // document's facts (reference, SHA-256, template version) and the step's.
      const stored = await this.letters.storeGenerated(manager, {
        caseId: item.caseId,
        templateCode: item.templateCode,
        templateVersion: letter.templateVersion,
        pdf: letter.pdf,
        title: `${DUNNING_TEMPLATE_LABELS[item.templateCode] ?? item.stepName} du ${formatDate(at)}`,
        channel: item.channel as 'letter' | 'registered_letter' | 'email' | 'sms',
        batchId,
        summary,
        details
      })
      documentId = stored.documentId
      journalEntryId = stored.journalEntryId ?? null
    }
    // A call task, or a port that does not journal: the step's own entry.
    journalEntryId ??= await appendJournalEntry(
      manager,
      {
        caseId: item.caseId,
        kind:
          item.channel === 'call'
            ? 'next_action'
            : item.channel === 'letter' || item.channel === 'registered_letter'
              ? 'letter'
              : item.channel,
        summary,
        details,
        relatedId: documentId
      },
      author
    )
    await manager.insert(DunningActionEntity, {
      id: uuid7(),
      createdAt: author.now,
      createdBy: author.userId,
      updatedAt: author.now,
      updatedBy: author.userId,
      version: 1,
      caseId: item.caseId,
      stepId: item.stepId,
      batchId,
      takenOn: at,
      channel: item.channel,
      stepName: item.stepName,
      documentId,
      journalEntryId,
      sentOn: null,
      trackingNumber: null,
      completedOn: null,
      completedAt: null
    })
    if (item.phaseChange) {
      const state = await readCaseState(manager, item.caseId)
      if (state.phase !== item.phaseChange) {
        await updateCase(manager, state, { phase: item.phaseChange }, author)
        await appendJournalEntry(
          manager,
          {
            caseId: item.caseId,
            kind: 'phase_change',
            summary: `Phase : ${CASE_PHASES.labels[state.phase]} → ${CASE_PHASES.labels[item.phaseChange]} — scénario de relance (${item.stepName})`,
            details: { from: state.phase, to: item.phaseChange, reason: `Scénario ${item.scenarioCode}`, batchId }
          },
          author
        )
      }
    }
    return true
  }

  /* ----------------------------------------------------------------- jobs */

  /** Starts a confirmed run in the background; the renderer polls `job`. */
  async start(input: ChannelParsedInput<'dunning:start'>, user: SessionUser): Promise<DunningJobStatus> {
    requireManager(user)
    const running = [...this.jobs.values()].find((j) => j.status.state === 'running' || j.status.state === 'writing')
    if (running) {
      throw new AppError(
        'CONFLICT',
        'Un lot de relances est déjà en cours de génération : attendez sa fin ou annulez-le.',
        'Dunning job already running'
      )
    }
    // The steps due now must be those the manager saw: anything changed since (a payment, another
    // run, a new case) and the preview must be looked at again.
    const started = Date.now()
    const { preview, cases } = await this.db.read((manager) => this.computePreview(manager, input.at, 0))
    if (preview.fingerprint !== input.fingerprint) {
      throw new AppError(
        'CONFLICT',
        'Les relances dues ont changé depuis l’aperçu (paiement, autre génération, nouveau dossier…) : prévisualisez à nouveau avant de confirmer.',
        `Dunning preview fingerprint mismatch at ${input.at}`
      )
    }
    const keys = new Set(input.keys)
    const items = selectItems(preview, {
      confirm: input.selection === 'only' ? keys : null,
      exclude: input.selection === 'all_except' ? keys : null
    })
    if (items.length === 0) {
      throw new AppError('VALIDATION', 'Aucune étape sélectionnée.', 'Empty dunning selection')
    }
    const jobId = uuid7()
    const job = {
      cancel: false,
      status: {
        jobId,
        at: input.at,
        state: 'running',
        total: items.length,
        done: 0,
        batchId: null,
        failures: [],
        message: null,
        startedAt: this.clock.now().toISOString(),
        finishedAt: null
      } as DunningJobStatus
    }
    this.jobs.set(jobId, job)
    const execution = this.execute(
      input.at,
      items,
      cases,
      user,
      {
        isCancelled: () => job.cancel,
        onProgress: (done, total) => {
          job.status.done = done
          job.status.total = total
          if (done === total && total > 0) job.status.state = 'writing'
        }
      },
      started
    ).then(
      (result) => {
        job.status.state = result.cancelled ? 'cancelled' : 'done'
        job.status.batchId = result.batchId
        job.status.failures = result.failures
        job.status.message = result.cancelled
          ? 'Génération annulée : rien n’a été enregistré.'
          : `${result.actions} étape(s) enregistrée(s), ${result.letters} courrier(s) à imprimer.`
        job.status.finishedAt = this.clock.now().toISOString()
      },
      (error: unknown) => {
        log.error('Dunning run failed', error)
        job.status.state = 'failed'
        job.status.message = userMessage(error)
        job.status.finishedAt = this.clock.now().toISOString()
      }
    )
    this.background.track(execution)
    return { ...job.status }
  }

  job(jobId: string): DunningJobStatus {
    const job = this.jobs.get(jobId)
    if (!job) throw notFound('DunningJob', jobId, 'Génération')
    return { ...job.status, failures: [...job.status.failures] }
  }

  cancel(jobId: string, user: SessionUser): DunningJobStatus {
    requireManager(user)
    const job = this.jobs.get(jobId)
    if (!job) throw notFound('DunningJob', jobId, 'Génération')
    if (job.status.state === 'running' || job.status.state === 'writing') job.cancel = true
    return this.job(jobId)
  }

  /* -------------------------------------------------------------- batches */

  batches(limit: number): Promise<DunningBatchSummary[]> {
    return this.db.read(async (manager) => {
      const rows: Row[] = await manager.query(
        `SELECT b.*, (SELECT COUNT(*) FROM dunning_action a WHERE a.batch_id = b.id
                        AND a.channel IN ('letter', 'registered_letter') AND a.sent_on IS NULL) AS unsent,
                (SELECT COUNT(*) FROM letter l WHERE l.batch_id = b.id AND l.channel IN ('email', 'sms')
                        AND l.status = 'generated') AS unsent_messages
           FROM dunning_batch b ORDER BY b.created_at DESC, b.id DESC LIMIT ?`,
        [limit]
      )
      return rows.map(batchSummary)
    })
  }

  batch(batchId: string): Promise<DunningBatchDetail> {
    return this.db.read(async (manager) => {
      const rows: Row[] = await manager.query(
        `SELECT b.*, (SELECT COUNT(*) FROM dunning_action a WHERE a.batch_id = b.id
                        AND a.channel IN ('letter', 'registered_letter') AND a.sent_on IS NULL) AS unsent,
                (SELECT COUNT(*) FROM letter l WHERE l.batch_id = b.id AND l.channel IN ('email', 'sms')
                        AND l.status = 'generated') AS unsent_messages
           FROM dunning_batch b WHERE b.id = ?`,
        [batchId]
      )
      if (!rows[0]) throw notFound('DunningBatch', batchId, 'Lot de relances')
      const actions: Row[] = await manager.query(
        `SELECT a.*, c.reference, d.display_name AS debtor_name,
                (SELECT ad.postal_code FROM debtor_address ad WHERE ad.debtor_id = c.debtor_id
                  ORDER BY ad.valid_to IS NULL DESC, ad.valid_from DESC LIMIT 1) AS postal_code
           FROM dunning_action a JOIN collection_case c ON c.id = a.case_id JOIN debtor d ON d.id = c.debtor_id
          WHERE a.batch_id = ?`,
        [batchId]
      )
      const dtos: DunningActionDto[] = actions.map((a) => ({
        id: String(a.id),
        caseId: String(a.case_id),
        caseReference: String(a.reference),
        debtorName: String(a.debtor_name),
        postalCode: a.postal_code === null ? null : String(a.postal_code),
        stepName: String(a.step_name),
        channel: a.channel as DunningChannel,
        takenOn: String(a.taken_on),
        documentId: a.document_id === null ? null : String(a.document_id),
        journalEntryId: a.journal_entry_id === null ? null : String(a.journal_entry_id),
        sentOn: a.sent_on === null ? null : String(a.sent_on),
        trackingNumber: a.tracking_number === null ? null : String(a.tracking_number),
        completedOn: a.completed_on === null ? null : String(a.completed_on)
      }))
      dtos.sort(
        (a, b) =>
          (a.postalCode ?? '~').localeCompare(b.postalCode ?? '~') ||
          a.debtorName.localeCompare(b.debtorName, 'fr') ||
          a.caseReference.localeCompare(b.caseReference)
      )
      return { ...batchSummary(rows[0]), actions: dtos }
    })
  }

  async printFile(batchId: string): Promise<{ fileName: string; base64: string; absolutePath: string }> {
    const batch = await this.db.read((manager) => manager.findOne(DunningBatchEntity, { where: { id: batchId } }))
    if (!batch) throw notFound('DunningBatch', batchId, 'Lot de relances')
    if (!batch.printPath) {
      throw new AppError(
        'NOT_FOUND',
        'Ce lot ne contient aucun courrier à imprimer.',
        `Batch ${batchId} has no print file`
      )
    }
    const absolutePath = join(this.db.dataDir, batch.printPath)
    const { readFileSync } = await import('node:fs')
    const data = readFileSync(absolutePath)
    if (createHash('sha256').update(data).digest('hex') !== batch.printSha256) {
      throw new AppError(
        'BUSINESS_RULE',
        'Le fichier d’impression de ce lot a été modifié depuis sa génération : il n’est plus fiable.',
        `Print file hash mismatch for batch ${batchId}`
      )
    }
    return { fileName: `relances-${batch.runOn}.pdf`, base64: data.toString('base64'), absolutePath }
  }

  markSent(input: ChannelParsedInput<'dunning:mark-sent'>, user: SessionUser): Promise<{ updated: number }> {
    return this.db.write(async (manager) => {
      const actions = await manager.find(DunningActionEntity, { where: { batchId: input.batchId } })
      if (actions.length === 0) throw notFound('DunningBatch', input.batchId, 'Lot de relances')
      // Letters only: e-mails and SMS are sent (and recorded) from the batch's outbox (batch-send.service.ts).
      const toSend = actions.filter(
        (a) => (a.channel === 'letter' || a.channel === 'registered_letter') && a.sentOn === null
      )
      const missing = toSend.filter((a) => a.channel === 'registered_letter' && !input.tracking[a.id])
      if (missing.length > 0) {
        throw new AppError(
          'VALIDATION',
          `Numéro de suivi manquant pour ${missing.length} lettre(s) recommandée(s) : saisissez-les avant de marquer le lot envoyé.`,
          `Missing tracking numbers for ${missing.map((a) => a.id).join(', ')}`
        )
      }
      const early = toSend.find((a) => input.sentOn < a.takenOn)
      if (early) {
        throw new AppError(
          'VALIDATION',
          `La date d’envoi ne peut pas précéder la date des courriers (${formatDate(early.takenOn)}).`,
          'Sent before letter date'
        )
      }
      const author: Author = { userId: user.id, now: this.clock.now().toISOString() }
      for (const action of toSend) {
        const tracking = action.channel === 'registered_letter' ? input.tracking[action.id]!.toUpperCase() : null
        await manager.update(
          DunningActionEntity,
          { id: action.id },
          {
            sentOn: input.sentOn,
            trackingNumber: tracking,
            updatedAt: author.now,
            updatedBy: user.id,
            version: action.version + 1
          }
        )
        if (action.documentId) {
          // The documents module's letter register follows (later letters quote the first one's sending date).
          await manager.query(
            `UPDATE letter SET status = 'sent', sent_on = ?, tracking_number = ?, updated_at = ?, updated_by = ?,
                    version = version + 1
              WHERE document_id = ? AND sent_on IS NULL`,
            [input.sentOn, tracking, author.now, user.id, action.documentId]
          )
        }
        await appendJournalEntry(
          manager,
          {
            caseId: action.caseId,
            kind: action.channel === 'email' ? 'email' : action.channel === 'sms' ? 'sms' : 'letter',
            summary: `« ${action.stepName} » envoyé le ${formatDate(input.sentOn)}${tracking ? ` — LRAR n° ${tracking}` : ''}`,
            details: { dunning: true, actionId: action.id, sentOn: input.sentOn, trackingNumber: tracking },
            relatedId: action.documentId
          },
          author
        )
      }
      return { updated: toSend.length }
    })
  }

  completeTask(actionId: string, user: SessionUser): Promise<{ actionId: string; completedOn: CalendarDate }> {
    return this.db.write(async (manager) => {
      const action = await manager.findOne(DunningActionEntity, { where: { id: actionId } })
      if (!action || action.channel !== 'call') throw notFound('DunningTask', actionId, 'Tâche de relance')
      const today = this.clock.today()
      if (action.completedOn === null) {
        const now = this.clock.now().toISOString()
        await manager.update(
          DunningActionEntity,
          { id: actionId },
          { completedOn: today, completedAt: now, updatedAt: now, updatedBy: user.id, version: action.version + 1 }
        )
      }
      return { actionId, completedOn: action.completedOn ?? today }
    })
  }
}

function selectItems(preview: DunningPreview, options: Pick<RunOptions, 'confirm' | 'exclude'>): DunningPreviewItem[] {
  return preview.items.filter(
    (i) => (!options.confirm || options.confirm.has(itemKey(i))) && !options.exclude?.has(itemKey(i))
  )
}

function countByChannel(items: readonly DunningPreviewItem[]): Partial<Record<DunningChannel, number>> {
  const counts: Partial<Record<DunningChannel, number>> = {}
  for (const item of items) counts[item.channel] = (counts[item.channel] ?? 0) + 1
  return counts
}

function toPrintLetter(p: Prepared): PrintLetter {
  return {
    caseReference: p.item.caseReference,
    debtorName: p.item.debtorName,
    postalCode: p.item.postalCode,
    city: p.city,
    stepName: p.item.stepName,
    channel: p.item.channel,
    balanceCents: p.item.balanceCents,
    pdf: p.letter!.pdf
  }
}

function batchSummary(r: Row): DunningBatchSummary {
  return {
    id: String(r.id),
    runOn: String(r.run_on),
    createdAt: String(r.created_at),
    actionCount: Number(r.action_count),
    letterCount: Number(r.letter_count),
    hasPrintFile: r.print_path !== null,
    durationMs: Number(r.duration_ms),
    unsentLetters: Number(r.unsent ?? 0),
    unsentMessages: Number(r.unsent_messages ?? 0)
  }
}

/**
 * The French message of an AppError (or of a missing rate), of a database driver error (the
 * dispatcher's mapping: busy file, server unreachable…), a generic one otherwise.
 */
export function userMessage(error: unknown): string {
  if (error instanceof AppError) return error.userMessage
  const message = (error as { userMessage?: string } | null)?.userMessage
  if (message) return message
  const mapped = databaseAppError(error, 'Dunning')
  if (mapped) {
    log.warn(mapped.message)
    return mapped.userMessage
  }
  log.error('Dunning: unexpected error', error)
  return 'Erreur inattendue pendant la préparation (voir le journal technique).'
}

export { printOrder }

/**
 * The daily engine at start-up: today's preview counted in the background, then again every
 * hour (a new day, or after a run); like scheduleDailyBackups. Nothing is generated.
 */
export function scheduleDunningPreview(dunning: DunningService, everyMs = 60 * 60 * 1000): () => void {
  const run = () => {
    dunning.refreshPending().catch((error: unknown) => log.error('Dunning: pending steps not counted', error))
  }
  run()
  const timer = setInterval(run, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
