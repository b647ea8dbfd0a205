import type { EntityManager } from 'typeorm'
import {
  AppError,
  notFound,
  type CallCheck,
  type CallLogged,
  type ChannelParsedInput,
  type PromiseSummary,
  type SessionUser
} from '@shared/contract'
import { callWarnings, type CallWarning } from '@shared/calls/call-policy'
import { debtorLocale, type DebtorLocale } from '@shared/calls/holidays'
import { formatPhone } from '@shared/calls/phone'
import { todayInParis } from '@shared/dates/calendar-date'
import { CALL_ANSWERERS, CALL_OUTCOMES, type CallDirection } from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import { lockCasesForWrite, lockPhoneForWrite } from '../../db/row-locks'
import type { Clock } from '../../platform/clock'
import { readCaseState, updateCase, type CaseChanges } from '../cases/case-state'
import { debtorCallStats } from '../cases/case-file.service'
import { DebtorPhoneEntity } from '../debtors/debtor-contact.entity'
import type { Author, JournalService } from '../journal/journal.service'
import { assertScreened } from '../journal/screen-comments'
import { insertPromise } from '../plans/promises.service'

/** A call may be logged a little after the form's clock: tolerate clock skew, not the future. */
const FUTURE_TOLERANCE_MS = 60_000

function rule(userMessage: string, logMessage: string): AppError {
  return new AppError('BUSINESS_RULE', userMessage, logMessage)
}

interface CallTarget {
  debtorId: string
  locale: DebtorLocale
}

async function callTarget(manager: EntityManager, caseId: string): Promise<CallTarget> {
  const rows: Array<{ debtor_id: string }> = await manager.query('SELECT debtor_id FROM collection_case WHERE id = ?', [
    caseId
  ])
  if (!rows[0]) throw notFound('Case', caseId, 'Dossier')
  const debtorId = rows[0].debtor_id
  const [address] = (await manager.query(
    `SELECT postal_code, country FROM debtor_address WHERE debtor_id = ? AND valid_to IS NULL
      ORDER BY valid_from DESC LIMIT 1`,
    [debtorId]
  )) as Array<{ postal_code: string; country: string }>
  return {
    debtorId,
    locale: debtorLocale(address ? { postalCode: address.postal_code, country: address.country } : null)
  }
}

/**
 * Call logging: one journal entry per call with its structured outcome, written in the same
 * transaction as what the call changes (last contact, next action, a promise, a phone found to
 * be wrong). Calls outside the agency's call policy need a reason, which is logged with them.
 */
export class CallsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly journal: JournalService
  ) {}

  check(input: ChannelParsedInput<'calls:check'>): Promise<CallCheck> {
    return this.db.read(async (manager) => {
      const target = await callTarget(manager, input.caseId)
      const state = await readCaseState(manager, input.caseId)
      const at = new Date(input.startedAt)
      const stats = await debtorCallStats(manager, target.debtorId, at)
      return {
        warnings: this.warnings(input.direction, at, target, stats, state),
        outboundLast30Days: stats.outboundLast30Days,
        callBackRequested: stats.callBackRequested
      }
    })
  }

  private warnings(
    direction: CallDirection,
    at: Date,
    target: CallTarget,
    stats: { outboundLast30Days: number; callBackRequested: boolean },
    state: { status: CallLogged['case']['status']; suspensionReason: CallLogged['case']['suspensionReason'] }
  ): CallWarning[] {
    return callWarnings({
      at,
      direction,
      locale: target.locale,
      previousOutboundCalls: stats.outboundLast30Days,
      callBackRequested: stats.callBackRequested,
      caseStatus: { status: state.status, suspensionReason: state.suspensionReason }
    })
  }

  log(input: ChannelParsedInput<'calls:log'>, user: SessionUser): Promise<CallLogged> {
    assertScreened({ note: input.note, warningReason: input.warningReason })
    const now = this.clock.now()
    const today = this.clock.today()
    const startedAt = new Date(input.startedAt)
    if (startedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw rule('Un appel ne peut pas être daté dans le futur.', 'Call started in the future')
    }
    if (input.nextActionOn && input.nextActionOn < today) {
      throw rule('La prochaine action ne peut pas être datée dans le passé.', 'Next action in the past')
    }
    const madeOn = todayInParis(startedAt)
    if (input.promise && input.promise.dueOn < madeOn) {
      throw rule('L’échéance de la promesse précède le jour de l’appel.', 'Promise due before the call')
    }

    return this.db.write(
      async (manager) => {
        const author: Author = { userId: user.id, now: now.toISOString() }
        // Agency mode: the case first (its last contact and next action are recomputed), then
        // the phone whose status the call may change; other cases' calls run meanwhile.
        await lockCasesForWrite(manager, [input.caseId])
        if (input.phoneId && (input.answeredBy === 'wrong_number' || input.answeredBy === 'debtor')) {
          await lockPhoneForWrite(manager, input.phoneId)
        }
        const state = await readCaseState(manager, input.caseId)
        const target = await callTarget(manager, input.caseId)

        let phone: DebtorPhoneEntity | null = null
        if (input.phoneId) {
          phone = await manager.findOne(DebtorPhoneEntity, { where: { id: input.phoneId } })
          if (!phone || phone.debtorId !== target.debtorId) {
            throw rule('Ce numéro n’appartient pas au débiteur du dossier.', 'Phone of another debtor')
          }
        } else if (input.direction === 'outbound') {
          throw rule('Choisissez le numéro appelé.', 'Outbound call without a phone')
        }
        if (input.outcome === 'wrong_number' && !phone) {
          throw rule('Indiquez quel numéro est faux.', 'Wrong number without a phone')
        }

        if (input.promise && state.status !== 'open') {
          throw rule(
            state.status === 'closed'
              ? 'Ce dossier est clôturé : une promesse de paiement ne peut plus y être enregistrée.'
              : state.suspensionReason === 'collective_proceedings'
                ? 'Le débiteur est en procédure collective : il ne peut pas payer une créance antérieure au jugement (C. com. L622-7). Aucune promesse ne peut être enregistrée.'
                : state.suspensionReason === 'over_indebtedness'
                  ? 'Le dossier de surendettement est recevable : le débiteur ne peut pas payer ses dettes antérieures (C. consom. L722-5). Aucune promesse ne peut être enregistrée.'
                  : 'Ce dossier est suspendu : reprenez le recouvrement avant d’enregistrer une promesse.',
            'Promise on a case that is not open'
          )
        }
        if (input.nextActionOn && state.status === 'closed') {
          throw rule('Ce dossier est clôturé : plus d’action à prévoir.', 'Next action on a closed case')
        }

        const stats = await debtorCallStats(manager, target.debtorId, startedAt)
        const warnings = this.warnings(input.direction, startedAt, target, stats, state)
        if (warnings.length > 0 && !input.warningReason) {
          throw new AppError(
            'BUSINESS_RULE',
            `Cet appel sort de la politique d’appel du cabinet : ${warnings.map((w) => w.message).join(' ')} Indiquez le motif pour l’enregistrer.`,
            `Call outside policy without a reason: ${warnings.map((w) => w.code).join(', ')}`,
            [
              {
                path: 'warningReason',
                message: 'Motif obligatoire (hors plage, jour férié, fréquence ou dossier arrêté)'
              }
            ]
          )
        }

        const promiseId = input.promise ? uuid7() : null
        const phoneText = phone ? ` ${input.direction === 'inbound' ? 'du' : 'au'} ${formatPhone(phone.number)}` : ''
        const promiseText = input.promise
          ? ` (${formatCents(input.promise.amountCents)} au plus tard le ${formatDate(input.promise.dueOn)})`
          : ''
        const summary =
          `Appel ${input.direction === 'inbound' ? 'entrant' : 'sortant'}${phoneText} — ` +
          `${CALL_ANSWERERS.labels[input.answeredBy]} : ${CALL_OUTCOMES.labels[input.outcome]}${promiseText}` +
          (input.note ? ` — ${input.note}` : '')
        const entryId = await this.journal.append(
          manager,
          {
            caseId: state.id,
            kind: 'call',
            summary,
            occurredAt: startedAt.toISOString(),
            details: {
              direction: input.direction,
              answeredBy: input.answeredBy,
              outcome: input.outcome,
              phoneId: phone?.id ?? null,
              phoneNumber: phone?.number ?? null,
              durationSeconds: input.durationSeconds,
              note: input.note ?? null,
              nextActionOn: input.nextActionOn,
              ...(input.promise
                ? { promiseId, promisedAmountCents: input.promise.amountCents, promisedBy: input.promise.dueOn }
                : {}),
              ...(warnings.length > 0 ? { warnings, warningReason: input.warningReason } : {})
            },
            relatedId: promiseId
          },
          author
        )

        let promise: PromiseSummary | null = null
        if (input.promise && promiseId) {
          promise = await insertPromise(
            manager,
            {
              id: promiseId,
              caseId: state.id,
              amountCents: input.promise.amountCents,
              dueOn: input.promise.dueOn,
              madeOn,
              journalEntryId: entryId
            },
            author,
            today
          )
        }

        let phoneStatusChanged: CallLogged['phoneStatusChanged'] = null
        if (phone) {
          const status =
            input.answeredBy === 'wrong_number'
              ? 'invalid'
              : input.answeredBy === 'debtor' && phone.status === 'unverified'
                ? 'valid'
                : null
          if (status && status !== phone.status) {
            await manager.update(
              DebtorPhoneEntity,
              { id: phone.id, version: phone.version },
              {
                status,
                statusChangedAt: startedAt.toISOString(),
                updatedAt: author.now,
                updatedBy: author.userId,
                version: phone.version + 1
              }
            )
            phoneStatusChanged = { phoneId: phone.id, status }
          }
        }

        const changes: CaseChanges = {}
        if (!state.lastContactAt || startedAt.toISOString() >= state.lastContactAt) {
          changes.lastContactAt = startedAt.toISOString()
          changes.lastContactOutcome = input.outcome
        }
        if (state.status !== 'closed' && input.nextActionOn !== state.nextActionOn) {
          changes.nextActionOn = input.nextActionOn
        }
        if (Object.keys(changes).length > 0) await updateCase(manager, state, changes, author)

        return {
          entryId,
          case: await readCaseState(manager, state.id),
          promise,
          warnings,
          phoneStatusChanged
        }
      },
      { rowLocks: true }
    )
  }
}
