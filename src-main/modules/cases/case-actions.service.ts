import type { EntityManager } from 'typeorm'
import {
  AppError,
  notFound,
  type CaseActionResult,
  type CaseState,
  type ChannelName,
  type ChannelParsedInput,
  type SessionUser
} from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { CASE_PHASES, CLOSURE_REASONS, SUSPENSION_REASONS, type SuspensionReason } from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import type { Author, JournalService } from '../journal/journal.service'
import { assertScreened } from '../journal/screen-comments'
import { refreshCasePrescriptions } from '../money/case-prescription'
import { UserEntity } from '../users/user.entity'
import { lockCase, readCaseState, updateCase } from './case-state'

type Input<C extends ChannelName> = ChannelParsedInput<C>

function rule(userMessage: string, logMessage: string): AppError {
  return new AppError('BUSINESS_RULE', userMessage, logMessage)
}

/** Suspensions under which no court action or enforcement may be started (L622-21, L722-2). */
const FREEZING_REASONS: readonly SuspensionReason[] = ['collective_proceedings', 'over_indebtedness']

/**
 * The actions of the case file. Each one writes its change and its journal entry in ONE
 * transaction, keeps the case's summary columns in step, and is refused (CONFLICT, with the
 * current value) when the case changed since the version the collector was looking at.
 */
export class CaseActionsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly journal: JournalService
  ) {}

  private author(user: SessionUser): Author {
    return { userId: user.id, now: this.clock.now().toISOString() }
  }

  private async done(manager: EntityManager, caseId: string, entryId: string): Promise<CaseActionResult> {
    return { entryId, case: await readCaseState(manager, caseId) }
  }

  addNote(input: Input<'case:add-note'>, user: SessionUser): Promise<CaseActionResult> {
    assertScreened({ text: input.text })
    return this.db.write(async (manager) => {
      const author = this.author(user)
      await readCaseState(manager, input.caseId) // exists
      const entryId = await this.journal.append(
        manager,
        { caseId: input.caseId, kind: 'note', summary: input.text },
        author
      )
      return this.done(manager, input.caseId, entryId)
    })
  }

  changePhase(input: Input<'case:change-phase'>, user: SessionUser): Promise<CaseActionResult> {
    assertScreened({ reason: input.reason })
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const state = await lockCase(manager, input.caseId, input.expectedVersion, 'phase')
      if (state.status === 'closed') {
        throw rule('Ce dossier est clôturé : sa phase ne change plus.', 'Phase change on a closed case')
      }
      if (state.phase === input.phase) {
        throw rule(
          `Le dossier est déjà en phase « ${CASE_PHASES.labels[input.phase]} ».`,
          'Phase change to the same phase'
        )
      }
      if (
        state.status === 'suspended' &&
        state.suspensionReason &&
        FREEZING_REASONS.includes(state.suspensionReason) &&
        (input.phase === 'judicial' || input.phase === 'enforcement')
      ) {
        throw rule(
          state.suspensionReason === 'collective_proceedings'
            ? 'Le débiteur est en procédure collective : aucune action en justice ni mesure d’exécution ne peut être engagée pour une créance antérieure (C. com. L622-21). Déclarez la créance au mandataire.'
            : 'Le dossier de surendettement du débiteur est recevable : les procédures d’exécution sont suspendues (C. consom. L722-2).',
          'Court or enforcement phase refused under proceedings'
        )
      }
      await updateCase(manager, state, { phase: input.phase }, author)
      const entryId = await this.journal.append(
        manager,
        {
          caseId: state.id,
          kind: 'phase_change',
          summary: `Phase : ${CASE_PHASES.labels[state.phase]} → ${CASE_PHASES.labels[input.phase]} — ${input.reason}`,
          details: { from: state.phase, to: input.phase, reason: input.reason }
        },
        author
      )
      return this.done(manager, state.id, entryId)
    })
  }

  assign(input: Input<'case:assign'>, user: SessionUser): Promise<CaseActionResult> {
    assertScreened({ reason: input.reason })
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const state = await lockCase(manager, input.caseId, input.expectedVersion, 'collector')
      if (state.status === 'closed') {
        throw rule('Ce dossier est clôturé : il ne peut plus être réaffecté.', 'Assignment of a closed case')
      }
      if (state.collectorId === input.collectorId) {
        throw rule(
          input.collectorId
            ? `Le dossier est déjà affecté à ${state.collectorName}.`
            : 'Le dossier n’est affecté à personne.',
          'Assignment to the same collector'
        )
      }
      let collectorName: string | null = null
      if (input.collectorId) {
        const collector = await manager.findOne(UserEntity, { where: { id: input.collectorId } })
        if (!collector) throw notFound('User', input.collectorId, 'Utilisateur')
        if (!collector.active) {
          throw rule(`${collector.displayName} n’est plus actif : choisissez un autre chargé.`, 'Inactive collector')
        }
        collectorName = collector.displayName
      }
      await updateCase(manager, state, { collectorId: input.collectorId }, author)
      const entryId = await this.journal.append(
        manager,
        {
          caseId: state.id,
          kind: 'assignment',
          summary:
            `Dossier affecté à ${collectorName ?? 'personne'} (auparavant : ${state.collectorName ?? 'personne'})` +
            (input.reason ? ` — ${input.reason}` : ''),
          details: {
            fromId: state.collectorId,
            fromName: state.collectorName,
            toId: input.collectorId,
            toName: collectorName,
            reason: input.reason ?? null
          }
        },
        author
      )
      return this.done(manager, state.id, entryId)
    })
  }

  suspend(input: Input<'case:suspend'>, user: SessionUser): Promise<CaseActionResult> {
    assertScreened({ comment: input.comment })
    const today = this.clock.today()
    if (input.reviewOn && input.reviewOn < today) {
      throw rule('La date de revue ne peut pas être passée.', 'Review date in the past')
    }
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const state = await lockCase(manager, input.caseId, input.expectedVersion, 'status')
      const entryId = await this.suspendIn(
        manager,
        state,
        { reason: input.reason, comment: input.comment, reviewOn: input.reviewOn ?? undefined, details: {} },
        author
      )
      return this.done(manager, state.id, entryId)
    })
  }

  /**
   * Suspends a case inside the caller's transaction (the proceedings module uses it too): the
   * status stops the dunning, the review date becomes the next action.
   */
  async suspendIn(
    manager: EntityManager,
    state: CaseState,
    suspension: {
      reason: SuspensionReason
      comment: string
      /** The case's next action from now on; undefined keeps the current one. */
      reviewOn: CalendarDate | null | undefined
      details: Record<string, unknown>
      relatedId?: string | null
    },
    author: Author
  ): Promise<string> {
    if (state.status === 'closed') {
      throw rule(
        `Le dossier ${state.reference} est clôturé : il ne peut pas être suspendu.`,
        'Suspension of a closed case'
      )
    }
    if (state.status === 'suspended' && state.suspensionReason === suspension.reason) {
      throw rule(
        `Le dossier est déjà suspendu (${SUSPENSION_REASONS.labels[suspension.reason]}).`,
        'Suspension for the same reason'
      )
    }
    await updateCase(
      manager,
      state,
      {
        status: 'suspended',
        suspensionReason: suspension.reason,
        ...(suspension.reviewOn !== undefined ? { nextActionOn: suspension.reviewOn } : {})
      },
      author
    )
    return this.journal.append(
      manager,
      {
        caseId: state.id,
        kind: 'status_change',
        summary: `Dossier suspendu : ${SUSPENSION_REASONS.labels[suspension.reason]} — ${suspension.comment}`,
        details: {
          from: state.status,
          to: 'suspended',
          previousReason: state.suspensionReason,
          reason: suspension.reason,
          comment: suspension.comment,
          reviewOn: suspension.reviewOn ?? null,
          ...suspension.details
        },
        relatedId: suspension.relatedId ?? null
      },
      author
    )
  }

  resume(input: Input<'case:resume'>, user: SessionUser): Promise<CaseActionResult> {
    assertScreened({ comment: input.comment })
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const state = await lockCase(manager, input.caseId, input.expectedVersion, 'status')
      if (state.status !== 'suspended') {
        throw rule('Ce dossier n’est pas suspendu.', 'Resume of a case that is not suspended')
      }
      await updateCase(manager, state, { status: 'open', suspensionReason: null }, author)
      const entryId = await this.journal.append(
        manager,
        {
          caseId: state.id,
          kind: 'status_change',
          summary: `Reprise du recouvrement (suspendu : ${SUSPENSION_REASONS.labels[state.suspensionReason!]}) — ${input.comment}`,
          details: { from: 'suspended', to: 'open', previousReason: state.suspensionReason, comment: input.comment }
        },
        author
      )
      return this.done(manager, state.id, entryId)
    })
  }

  close(input: Input<'case:close'>, user: SessionUser): Promise<CaseActionResult> {
    assertScreened({ comment: input.comment })
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const state = await lockCase(manager, input.caseId, input.expectedVersion, 'status')
      if (state.status === 'closed') throw rule('Ce dossier est déjà clôturé.', 'Close of a closed case')
      if (input.reason === 'paid' && state.balanceCents > 0) {
        throw rule(
          `Le solde en principal n’est pas réglé (${formatCents(state.balanceCents)} restent dus) : clôturez en « Paiement partiel », « Irrécouvrable » ou « Restitué au client ».`,
          'Close as paid with a balance'
        )
      }
      if (input.reason === 'partially_paid' && state.paidCents <= 0) {
        throw rule(
          'Aucun paiement n’est enregistré sur ce dossier : il ne peut pas être clôturé en paiement partiel.',
          'Partial without payment'
        )
      }
      const today = this.clock.today()
      await updateCase(
        manager,
        state,
        { status: 'closed', phase: 'closed', closureReason: input.reason, closedOn: today, nextActionOn: null },
        author
      )
      // A closed case's claims are no longer counted down (claim.prescription_on back to null).
      await refreshCasePrescriptions(manager, [state.id], today)
      const entryId = await this.journal.append(
        manager,
        {
          caseId: state.id,
          kind: 'status_change',
          summary:
            `Dossier clôturé : ${CLOSURE_REASONS.labels[input.reason]}` + (input.comment ? ` — ${input.comment}` : ''),
          details: {
            from: state.status,
            to: 'closed',
            phaseFrom: state.phase,
            phaseTo: 'closed',
            reason: input.reason,
            comment: input.comment ?? null,
            balanceCents: state.balanceCents
          }
        },
        author
      )
      return this.done(manager, state.id, entryId)
    })
  }

  setNextAction(input: Input<'case:set-next-action'>, user: SessionUser): Promise<CaseActionResult> {
    assertScreened({ comment: input.comment })
    const today = this.clock.today()
    if (input.nextActionOn && input.nextActionOn < today) {
      throw rule('La prochaine action ne peut pas être datée dans le passé.', 'Next action in the past')
    }
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const state = await lockCase(manager, input.caseId, input.expectedVersion, 'nextAction')
      if (state.status === 'closed')
        throw rule('Ce dossier est clôturé : plus d’action à prévoir.', 'Next action on closed')
      const entryId = await this.setNextActionIn(manager, state, input.nextActionOn, input.comment ?? null, author)
      return this.done(manager, state.id, entryId)
    })
  }

  async setNextActionIn(
    manager: EntityManager,
    state: CaseState,
    nextActionOn: CalendarDate | null,
    comment: string | null,
    author: Author
  ): Promise<string> {
    await updateCase(manager, state, { nextActionOn }, author)
    const text = nextActionOn ? `Prochaine action le ${formatDate(nextActionOn)}` : 'Prochaine action retirée'
    return this.journal.append(
      manager,
      {
        caseId: state.id,
        kind: 'next_action',
        summary: text + (comment ? ` — ${comment}` : ''),
        details: { from: state.nextActionOn, to: nextActionOn, comment }
      },
      author
    )
  }

  correctEntry(input: Input<'journal:correct'>, user: SessionUser): Promise<CaseActionResult> {
    assertScreened({ text: input.text, reason: input.reason })
    return this.db.write(async (manager) => {
      const author = this.author(user)
      const { entryId, caseId } = await this.journal.appendCorrection(manager, input, author)
      return this.done(manager, caseId, entryId)
    })
  }
}
