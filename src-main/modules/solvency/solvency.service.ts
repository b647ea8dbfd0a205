import type { EntityManager } from 'typeorm'
import {
  AppError,
  notFound,
  type AssessmentDto,
  type CaseState,
  type ChannelParsedInput,
  type DeadlineDto,
  type ProceedingRecorded,
  type RepaymentCapacity,
  type SessionUser,
  type SolvencyFactDto,
  type SolvencyFactFields,
  type SolvencyView
} from '@shared/contract'
import { addMonths } from '@shared/dates/calendar-date'
import {
  EMPLOYMENT_STATUSES,
  HOUSING_TENURES,
  INCOME_RANGES,
  PROCEEDING_KINDS,
  SOLVENCY_ASSESSMENTS,
  SOLVENCY_CATEGORIES,
  type IncomeRange,
  type SolvencyCategory
} from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import {
  deadlineCountdown,
  isCollective,
  isCreditorOutsideMetropole,
  proceedingDeadline
} from '@shared/proceedings/deadlines'
import { suggestCapacity, type CapacitySuggestion } from '@shared/solvency/capacity'
import { solvencyFactAmountCents } from '@shared/solvency/fact-amount'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import type { CaseActionsService } from '../cases/case-actions.service'
import { toDeadlineDto, toProceedingDto } from '../cases/case-file.service'
import { lockCase, readCaseState } from '../cases/case-state'
import { SolvencyNoteEntity } from '../debtors/solvency-note.entity'
import type { Author, JournalService } from '../journal/journal.service'
import { assertScreened } from '../journal/screen-comments'
import { CaseDeadlineEntity } from './case-deadline.entity'
import { ProceedingEntity } from './proceeding.entity'
import { SolvencyAssessmentEntity } from './solvency-assessment.entity'

type Row = Record<string, unknown>

function rule(userMessage: string, logMessage: string): AppError {
  return new AppError('BUSINESS_RULE', userMessage, logMessage)
}

const value = (cents: number | undefined) => (cents !== undefined ? `, valeur estimée ${formatCents(cents)}` : '')

/** French one-liner of a structured fact: the note's summary, what older screens and letters read. */
export function factSummary(fields: SolvencyFactFields, comment: string | undefined): string {
  let text: string
  switch (fields.category) {
    case 'employment':
      text = EMPLOYMENT_STATUSES.labels[fields.status] + (fields.employer ? ` — employeur : ${fields.employer}` : '')
      break
    case 'income':
      text =
        'Revenus mensuels nets : ' +
        (fields.monthlyCents !== undefined
          ? formatCents(fields.monthlyCents)
          : INCOME_RANGES.labels[fields.range as IncomeRange])
      break
    case 'charges':
      text = `Charges mensuelles : ${formatCents(fields.monthlyCents)}`
      break
    case 'household':
      text =
        `${fields.dependants} personne${fields.dependants > 1 ? 's' : ''} à charge` +
        (fields.livesInCouple === undefined ? '' : fields.livesInCouple ? ', vit en couple' : ', vit seul(e)')
      break
    case 'real_estate':
      text = HOUSING_TENURES.labels[fields.tenure] + value(fields.estimatedValueCents)
      break
    case 'vehicle':
      text = `Véhicule : ${fields.description}${value(fields.estimatedValueCents)}`
      break
    case 'bank_account':
      text = `Compte bancaire : ${fields.bank}`
      break
    case 'assets':
      text = `Patrimoine : ${fields.description}${value(fields.estimatedValueCents)}`
      break
    case 'other_debts':
      text =
        'Autre dette' +
        (fields.creditor ? ` envers ${fields.creditor}` : '') +
        (fields.amountCents !== undefined ? ` : ${formatCents(fields.amountCents)}` : '')
      break
    case 'company_health':
    case 'other':
      return comment ?? SOLVENCY_CATEGORIES.labels[fields.category]
  }
  return comment ? `${text} — ${comment}` : text
}

/** The free-text parts of a fact: all screened, all visible to the debtor on an access request. */
function factTexts(fields: SolvencyFactFields): Record<string, string | undefined> {
  switch (fields.category) {
    case 'employment':
      return { 'fields.employer': fields.employer }
    case 'vehicle':
    case 'assets':
      return { 'fields.description': fields.description }
    case 'bank_account':
      return { 'fields.bank': fields.bank }
    case 'other_debts':
      return { 'fields.creditor': fields.creditor }
    default:
      return {}
  }
}

function toFact(r: Row, superseded: Set<string>): SolvencyFactDto {
  let fields: SolvencyFactFields | null = null
  let comment: string | null = null
  if (r.facts) {
    try {
      const parsed = JSON.parse(String(r.facts)) as { fields?: SolvencyFactFields; comment?: string | null }
      fields = parsed.fields ?? null
      comment = parsed.comment ?? null
    } catch {
      fields = null
    }
  }
  return {
    id: String(r.id),
    category: r.category as SolvencyCategory,
    summary: String(r.summary),
    amountCents: r.amount_cents === null ? null : Number(r.amount_cents),
    observedOn: String(r.observed_on),
    source: r.source === null ? null : String(r.source),
    fields,
    comment,
    caseId: r.case_id === null ? null : String(r.case_id),
    supersedesNoteId: r.supersedes_note_id === null ? null : String(r.supersedes_note_id),
    superseded: superseded.has(String(r.id)),
    createdAt: String(r.created_at),
    createdByName: r.created_by_name === null ? null : String(r.created_by_name)
  }
}

function toAssessment(r: Row): AssessmentDto {
  return {
    id: String(r.id),
    assessment: r.assessment as AssessmentDto['assessment'],
    monthlyCapacityCents: r.monthly_capacity_cents === null ? null : Number(r.monthly_capacity_cents),
    comment: r.comment === null ? null : String(r.comment),
    assessedOn: String(r.assessed_on),
    createdAt: String(r.created_at),
    createdByName: r.created_by_name === null ? null : String(r.created_by_name)
  }
}

/** The capacity suggestion from the facts that stand (not superseded), newest first. */
export function suggestionFromFacts(facts: readonly SolvencyFactDto[]): CapacitySuggestion {
  const standing = facts.filter((f) => !f.superseded)
  const income = standing.find((f) => f.category === 'income')
  const incomeFields = income?.fields?.category === 'income' ? income.fields : null
  const household = standing.find((f) => f.fields?.category === 'household')
  const charges = standing.filter((f) => f.category === 'charges' && f.amountCents !== null)
  return suggestCapacity({
    incomeCents: incomeFields?.monthlyCents ?? (income && !incomeFields ? income.amountCents : null),
    incomeRange: incomeFields?.range ?? null,
    chargesCents: charges.length > 0 ? charges.reduce((sum, f) => sum + f.amountCents!, 0) : null,
    dependants: household?.fields?.category === 'household' ? household.fields.dependants : null
  })
}

/**
 * Solvency (solvabilité): structured, sourced, dated facts about the debtor (append-only), the
 * collector's assessment with a monthly capacity the plan negotiation reads, and collective
 * proceedings or over-indebtedness, which freeze every case against the debtor and open the
 * creditor's legal deadlines.
 */
export class SolvencyService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly journal: JournalService,
    private readonly actions: CaseActionsService
  ) {}

  private author(user: SessionUser): Author {
    return { userId: user.id, now: this.clock.now().toISOString() }
  }

  private async debtorOf(manager: EntityManager, caseId: string): Promise<string> {
    const rows: Row[] = await manager.query('SELECT debtor_id FROM collection_case WHERE id = ?', [caseId])
    if (!rows[0]) throw notFound('Case', caseId, 'Dossier')
    return String(rows[0].debtor_id)
  }

  private async facts(manager: EntityManager, debtorId: string): Promise<SolvencyFactDto[]> {
    const rows: Row[] = await manager.query(
      `SELECT n.*, u.display_name AS created_by_name FROM solvency_note n LEFT JOIN app_user u ON u.id = n.created_by
        WHERE n.debtor_id = ? ORDER BY n.observed_on DESC, n.created_at DESC, n.id DESC`,
      [debtorId]
    )
    const superseded = new Set(rows.filter((r) => r.supersedes_note_id).map((r) => String(r.supersedes_note_id)))
    return rows.map((r) => toFact(r, superseded))
  }

  private async assessments(manager: EntityManager, debtorId: string): Promise<AssessmentDto[]> {
    const rows: Row[] = await manager.query(
      `SELECT a.*, u.display_name AS created_by_name FROM solvency_assessment a
         LEFT JOIN app_user u ON u.id = a.created_by
        WHERE a.debtor_id = ? ORDER BY a.created_at DESC, a.id DESC`,
      [debtorId]
    )
    return rows.map(toAssessment)
  }

  get(caseId: string): Promise<SolvencyView> {
    return this.db.read(async (manager) => {
      const debtorId = await this.debtorOf(manager, caseId)
      const facts = await this.facts(manager, debtorId)
      const history = await this.assessments(manager, debtorId)
      const proceedings = (
        (await manager.query(
          'SELECT * FROM insolvency_proceeding WHERE debtor_id = ? ORDER BY judgment_on DESC, created_at DESC',
          [debtorId]
        )) as Row[]
      ).map(toProceedingDto)
      return {
        debtorId,
        facts,
        assessment: history[0] ?? null,
        history,
        suggestion: suggestionFromFacts(facts),
        proceedings
      }
    })
  }

  capacity(caseId: string): Promise<RepaymentCapacity> {
    return this.db.read(async (manager) => {
      const debtorId = await this.debtorOf(manager, caseId)
      const [latest] = await this.assessments(manager, debtorId)
      if (latest && latest.monthlyCapacityCents !== null) {
        return {
          debtorId,
          assessment: latest.assessment,
          monthlyCapacityCents: latest.monthlyCapacityCents,
          source: 'assessment',
          assessedOn: latest.assessedOn,
          explanation: `Capacité retenue le ${formatDate(latest.assessedOn)} (${SOLVENCY_ASSESSMENTS.labels[latest.assessment]})`
        }
      }
      const suggestion = suggestionFromFacts(await this.facts(manager, debtorId))
      return {
        debtorId,
        assessment: latest?.assessment ?? null,
        monthlyCapacityCents: suggestion.capacityCents,
        source: suggestion.capacityCents === null ? null : 'suggestion',
        assessedOn: latest?.assessedOn ?? null,
        explanation: suggestion.explanation
      }
    })
  }

  addFact(input: ChannelParsedInput<'solvency:add-fact'>, user: SessionUser): Promise<SolvencyFactDto> {
    assertScreened({ comment: input.comment, source: input.source, ...factTexts(input.fields) })
    if (input.observedOn > this.clock.today()) {
      throw rule('Un fait ne peut pas être daté dans le futur.', 'Solvency fact observed in the future')
    }
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const debtorId = await this.debtorOf(manager, input.caseId)
      if (input.supersedesNoteId) {
        const old = await manager.findOne(SolvencyNoteEntity, { where: { id: input.supersedesNoteId } })
        if (!old || old.debtorId !== debtorId) {
          throw rule('Le fait remplacé n’appartient pas à ce débiteur.', 'Superseded note of another debtor')
        }
        const already = await manager.query('SELECT 1 FROM solvency_note WHERE supersedes_note_id = ? LIMIT 1', [
          input.supersedesNoteId
        ])
        if (already.length > 0) throw rule('Ce fait a déjà été remplacé.', 'Note already superseded')
      }
      const id = uuid7()
      const summary = factSummary(input.fields, input.comment || undefined)
      await manager.insert(SolvencyNoteEntity, {
        id,
        createdAt: author.now,
        createdBy: author.userId,
        debtorId,
        caseId: input.caseId,
        category: input.fields.category,
        summary,
        amountCents: solvencyFactAmountCents(input.fields),
        observedOn: input.observedOn,
        source: input.source,
        supersedesNoteId: input.supersedesNoteId ?? null,
        facts: JSON.stringify({ fields: input.fields, comment: input.comment || null })
      })
      await this.journal.append(
        manager,
        {
          caseId: input.caseId,
          kind: 'solvency',
          summary: `Solvabilité — ${SOLVENCY_CATEGORIES.labels[input.fields.category]} : ${summary} (source : ${input.source}, constaté le ${formatDate(input.observedOn)})`,
          details: { noteId: id, category: input.fields.category, supersedesNoteId: input.supersedesNoteId ?? null },
          relatedId: id
        },
        author
      )
      const facts = await this.facts(manager, debtorId)
      return facts.find((f) => f.id === id)!
    })
  }

  assess(input: ChannelParsedInput<'solvency:assess'>, user: SessionUser): Promise<AssessmentDto> {
    assertScreened({ comment: input.comment })
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const debtorId = await this.debtorOf(manager, input.caseId)
      const id = uuid7()
      const today = this.clock.today()
      const capacity = input.assessment === 'insolvent' ? 0 : input.monthlyCapacityCents
      await manager.insert(SolvencyAssessmentEntity, {
        id,
        createdAt: author.now,
        createdBy: author.userId,
        debtorId,
        caseId: input.caseId,
        assessment: input.assessment,
        monthlyCapacityCents: capacity,
        comment: input.comment || null,
        assessedOn: today
      })
      await this.journal.append(
        manager,
        {
          caseId: input.caseId,
          kind: 'solvency',
          summary:
            `Évaluation de solvabilité : ${SOLVENCY_ASSESSMENTS.labels[input.assessment]}` +
            (capacity !== null ? `, capacité de remboursement ${formatCents(capacity)} par mois` : '') +
            (input.comment ? ` — ${input.comment}` : ''),
          details: { assessmentId: id, assessment: input.assessment, monthlyCapacityCents: capacity },
          relatedId: id
        },
        author
      )
      const [latest] = await this.assessments(manager, debtorId)
      return latest!
    })
  }

  recordProceeding(input: ChannelParsedInput<'proceedings:record'>, user: SessionUser): Promise<ProceedingRecorded> {
    assertScreened({
      comment: input.comment,
      court: input.court,
      reference: input.reference,
      administrator: input.administrator
    })
    const today = this.clock.today()
    for (const [date, what] of [
      [input.judgmentOn, 'Le jugement (ou la décision)'],
      [input.bodaccPublishedOn, 'La publication au BODACC'],
      [input.noticeReceivedOn, 'La notification']
    ] as const) {
      if (date && date > today)
        throw rule(`${what} ne peut pas être daté dans le futur.`, 'Proceeding date in the future')
    }
    if (isCollective(input.kind) && input.noticeReceivedOn) {
      throw rule(
        'La date de notification de l’état du passif ne concerne que le surendettement.',
        'Notice on collective'
      )
    }
    if (!isCollective(input.kind) && input.bodaccPublishedOn) {
      throw rule('La publication au BODACC ne concerne que les procédures collectives.', 'BODACC on over-indebtedness')
    }

    return this.db.write(async (manager) => {
      const author = this.author(user)
      const state = await lockCase(manager, input.caseId, input.expectedVersion, 'status')
      const [debtor] = (await manager.query(
        `SELECT d.id, d.kind, d.acts_professionally, d.display_name FROM debtor d
           JOIN collection_case c ON c.debtor_id = d.id WHERE c.id = ?`,
        [input.caseId]
      )) as Row[]
      const debtorId = String(debtor!.id)
      const professional =
        debtor!.kind === 'company' || debtor!.acts_professionally === 1 || debtor!.acts_professionally === true
      if (isCollective(input.kind) && !professional) {
        throw rule(
          'Une procédure collective ne vise qu’une entreprise ou un professionnel. Pour un particulier, enregistrez un surendettement.',
          'Collective proceedings for a consumer'
        )
      }
      if (!isCollective(input.kind) && debtor!.kind === 'company') {
        throw rule(
          'Le surendettement ne concerne que les particuliers. Pour une entreprise, enregistrez une procédure collective.',
          'Over-indebtedness for a company'
        )
      }

      const fields = {
        kind: input.kind,
        judgmentOn: input.judgmentOn,
        bodaccPublishedOn: input.bodaccPublishedOn ?? null,
        noticeReceivedOn: input.noticeReceivedOn ?? null,
        court: input.court || null,
        reference: input.reference || null,
        administrator: input.administrator || null,
        comment: input.comment || null
      }
      let proceedingId: string
      let isNew: boolean
      if (input.proceedingId) {
        const existing = await manager.findOne(ProceedingEntity, { where: { id: input.proceedingId } })
        if (!existing || existing.debtorId !== debtorId) throw notFound('Proceeding', input.proceedingId, 'Procédure')
        if (existing.kind !== input.kind) {
          throw rule(
            'La nature d’une procédure enregistrée ne change pas : enregistrez la nouvelle procédure (conversion en liquidation…).',
            'Proceeding kind change'
          )
        }
        await manager.update(
          ProceedingEntity,
          { id: existing.id },
          { ...fields, updatedAt: author.now, updatedBy: author.userId, version: existing.version + 1 }
        )
        proceedingId = existing.id
        isNew = false
      } else {
        proceedingId = uuid7()
        isNew = true
        await manager.insert(ProceedingEntity, {
          id: proceedingId,
          createdAt: author.now,
          createdBy: author.userId,
          updatedAt: author.now,
          updatedBy: author.userId,
          version: 1,
          debtorId,
          recordedCaseId: input.caseId,
          ...fields
        })
        const label =
          `${PROCEEDING_KINDS.labels[input.kind]} : ${isCollective(input.kind) ? 'jugement' : 'décision de recevabilité'} du ${formatDate(input.judgmentOn)}` +
          (fields.court ? `, ${fields.court}` : '') +
          (fields.reference ? `, réf. ${fields.reference}` : '')
        await manager.insert(SolvencyNoteEntity, {
          id: uuid7(),
          createdAt: author.now,
          createdBy: author.userId,
          debtorId,
          caseId: input.caseId,
          category: 'proceedings',
          summary: label,
          amountCents: null,
          observedOn: input.judgmentOn,
          source: isCollective(input.kind) ? 'Jugement / BODACC' : 'Commission de surendettement',
          supersedesNoteId: null,
          facts: JSON.stringify({ fields: null, comment: fields.comment, proceedingId })
        })
      }

      // Every case against the debtor that is not closed: the current one first.
      const caseRows: Row[] = await manager.query(
        `SELECT c.id, cl.country, cl.postal_code FROM collection_case c JOIN client cl ON cl.id = c.client_id
          WHERE c.debtor_id = ? AND c.status <> 'closed' ORDER BY (c.id = ?) DESC, c.reference`,
        [debtorId, input.caseId]
      )
      const reason = isCollective(input.kind) ? 'collective_proceedings' : 'over_indebtedness'
      const suspendedCaseIds: string[] = []
      const deadlines: DeadlineDto[] = []
      for (const row of caseRows) {
        const caseId = String(row.id)
        const abroad = isCreditorOutsideMetropole({ country: String(row.country), postalCode: String(row.postal_code) })
        const computed = proceedingDeadline(fields, abroad)
        let caseState: CaseState = caseId === state.id ? state : await readCaseState(manager, caseId)

        // The deadline for this case's creditor.
        const [existing] = (await manager.query(
          'SELECT * FROM case_deadline WHERE case_id = ? AND proceeding_id = ? AND completed_on IS NULL',
          [caseId, proceedingId]
        )) as Row[]
        if (computed && existing) {
          await manager.update(
            CaseDeadlineEntity,
            { id: String(existing.id) },
            {
              kind: computed.kind,
              dueOn: computed.dueOn,
              basis: computed.basis,
              updatedAt: author.now,
              updatedBy: author.userId,
              version: Number(existing.version) + 1
            }
          )
        } else if (computed) {
          await manager.insert(CaseDeadlineEntity, {
            id: uuid7(),
            createdAt: author.now,
            createdBy: author.userId,
            updatedAt: author.now,
            updatedBy: author.userId,
            version: 1,
            caseId,
            proceedingId,
            kind: computed.kind,
            dueOn: computed.dueOn,
            basis: computed.basis,
            completedOn: null,
            note: null
          })
        }

        const deadlineText = computed
          ? ` ${computed.kind === 'claim_declaration' ? 'Déclarer la créance au mandataire' : 'Contester l’état du passif'} au plus tard le ${formatDate(computed.dueOn)} (${deadlineCountdown(computed.dueOn, today)}) — ${computed.basis}.`
          : isCollective(input.kind)
            ? ' Délai de déclaration de créance : 2 mois après la publication au BODACC (date à renseigner).'
            : ' Délai de contestation : 30 jours après la notification de l’état du passif (date à renseigner).'
        await this.journal.append(
          manager,
          {
            caseId,
            kind: 'proceedings',
            summary:
              `${isNew ? 'Procédure enregistrée' : 'Procédure mise à jour'} : ${PROCEEDING_KINDS.labels[input.kind]}, ` +
              `${isCollective(input.kind) ? 'jugement' : 'décision'} du ${formatDate(input.judgmentOn)}` +
              (fields.bodaccPublishedOn ? `, BODACC du ${formatDate(fields.bodaccPublishedOn)}` : '') +
              (fields.noticeReceivedOn ? `, état du passif reçu le ${formatDate(fields.noticeReceivedOn)}` : '') +
              '.' +
              deadlineText,
            details: { proceedingId, ...fields, deadline: computed },
            relatedId: proceedingId
          },
          author
        )

        if (caseState.status !== 'suspended' || caseState.suspensionReason !== reason) {
          await this.actions.suspendIn(
            manager,
            caseState,
            {
              reason,
              comment: `${PROCEEDING_KINDS.labels[input.kind]} du ${formatDate(input.judgmentOn)}`,
              // The deadline drives the agenda; without one, review the proceedings in 3 months.
              reviewOn: computed ? null : addMonths(today, 3),
              details: { proceedingId },
              relatedId: proceedingId
            },
            author
          )
          suspendedCaseIds.push(caseId)
          caseState = await readCaseState(manager, caseId)
        }
        const rows = (await manager.query(
          'SELECT * FROM case_deadline WHERE case_id = ? AND proceeding_id = ? ORDER BY due_on',
          [caseId, proceedingId]
        )) as Row[]
        deadlines.push(...rows.map(toDeadlineDto))
      }

      const [proceeding] = (await manager.query('SELECT * FROM insolvency_proceeding WHERE id = ?', [
        proceedingId
      ])) as Row[]
      return {
        proceeding: toProceedingDto(proceeding!),
        suspendedCaseIds,
        deadlines,
        case: await readCaseState(manager, input.caseId)
      }
    })
  }

  completeDeadline(input: ChannelParsedInput<'deadlines:complete'>, user: SessionUser): Promise<DeadlineDto> {
    assertScreened({ note: input.note })
    if (input.completedOn > this.clock.today()) {
      throw rule('La date ne peut pas être dans le futur.', 'Deadline completed in the future')
    }
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const deadline = await manager.findOne(CaseDeadlineEntity, { where: { id: input.deadlineId } })
      if (!deadline) throw notFound('Deadline', input.deadlineId, 'Échéance')
      if (deadline.completedOn) {
        throw rule(`Cette échéance est déjà traitée (le ${formatDate(deadline.completedOn)}).`, 'Deadline already done')
      }
      await manager.update(
        CaseDeadlineEntity,
        { id: deadline.id },
        {
          completedOn: input.completedOn,
          note: input.note || null,
          updatedAt: author.now,
          updatedBy: author.userId,
          version: deadline.version + 1
        }
      )
      const late = input.completedOn > deadline.dueOn
      await this.journal.append(
        manager,
        {
          caseId: deadline.caseId,
          kind: 'proceedings',
          summary:
            (deadline.kind === 'claim_declaration'
              ? `Créance déclarée au mandataire le ${formatDate(input.completedOn)}`
              : `État du passif contesté le ${formatDate(input.completedOn)}`) +
            (late ? ` (après l’échéance du ${formatDate(deadline.dueOn)})` : '') +
            (input.note ? ` — ${input.note}` : ''),
          details: {
            deadlineId: deadline.id,
            kind: deadline.kind,
            dueOn: deadline.dueOn,
            completedOn: input.completedOn
          },
          relatedId: deadline.id
        },
        author
      )
      const [row] = (await manager.query('SELECT * FROM case_deadline WHERE id = ?', [deadline.id])) as Row[]
      return toDeadlineDto(row!)
    })
  }
}
