import { In, type EntityManager } from 'typeorm'
import {
  notFound,
  type ChannelParsedInput,
  type PromiseEvaluationResult,
  type PromiseSummary,
  type SessionUser
} from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { formatCents, formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { CaseEntity } from '../cases/case.entity'
import { JournalEntryEntity } from '../journal/journal-entry.entity'
import { appendJournalEntry, authorOf, type Author } from '../journal/journal.service'
import { businessRule } from '../money/money-errors'
import {
  DEFAULT_PROMISE_GRACE_DAYS,
  countedPaymentsByCase,
  PROMISE_GRACE_DAYS_SETTING,
  evaluatePromises,
  promiseOutcomes,
  promiseSummary,
  readDaysSetting
} from './evaluation'
import { PromiseEntity } from './plan.entities'

/** Cases re-evaluated per batch by the daily check. */
const BATCH = 500

/** Promises to pay: kept, partly kept or broken according to the payments that arrive. */
export class PromisesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  list(caseId: string): Promise<PromiseSummary[]> {
    return this.db.read(async (manager) => {
      if (!(await manager.exists(CaseEntity, { where: { id: caseId } }))) throw notFound('Case', caseId, 'Dossier')
      const promises = await manager.find(PromiseEntity, {
        where: { caseId },
        order: { dueOn: 'ASC', createdAt: 'ASC', id: 'ASC' }
      })
      const grace = await readDaysSetting(manager, PROMISE_GRACE_DAYS_SETTING, DEFAULT_PROMISE_GRACE_DAYS)
      const payments = (await countedPaymentsByCase(manager, [caseId])).get(caseId) ?? []
      const outcomes = promiseOutcomes(promises, payments, this.clock.today(), grace)
      return promises.map((p) => promiseSummary(p, outcomes.get(p.id)?.paidCents ?? 0))
    })
  }

  create(input: ChannelParsedInput<'promises:create'>, user: SessionUser): Promise<PromiseSummary> {
    const today = this.clock.today()
    const madeOn = input.madeOn ?? today
    if (madeOn > today)
      throw businessRule('Une promesse ne peut pas être datée de demain.', 'Promise made in the future')
    if (input.dueOn < madeOn) {
      throw businessRule('L’échéance de la promesse précède le jour où elle a été faite.', 'Promise due before made')
    }
    return this.db.write(async (manager) => {
      const author = authorOf(user, this.clock)
      if (!(await manager.exists(CaseEntity, { where: { id: input.caseId } }))) {
        throw notFound('Case', input.caseId, 'Dossier')
      }
      const id = uuid7()
      let journalEntryId = input.journalEntryId ?? null
      if (journalEntryId) {
        const entry = await manager.findOne(JournalEntryEntity, { where: { id: journalEntryId } })
        if (!entry || entry.caseId !== input.caseId) {
          throw businessRule('L’entrée de journal indiquée n’appartient pas à ce dossier.', 'Journal entry not in case')
        }
      } else {
        journalEntryId = await appendJournalEntry(
          manager,
          {
            caseId: input.caseId,
            kind: 'promise',
            summary: `Promesse de paiement : ${formatCents(input.amountCents)} au plus tard le ${formatDate(input.dueOn)}`,
            details: { promiseId: id, amountCents: input.amountCents, dueOn: input.dueOn, madeOn },
            relatedId: id
          },
          author
        )
      }
      return insertPromise(
        manager,
        { id, caseId: input.caseId, amountCents: input.amountCents, dueOn: input.dueOn, madeOn, journalEntryId },
        author,
        today
      )
    })
  }

  /**
   * The daily check: every case holding a pending promise has its promises re-evaluated at
   * `at`; the promises whose status changed are returned for the agenda. One write (the
   * channel, the CLI); the app's own daily run goes slice by slice (DailyMoneyChecks).
   */
  evaluate(at: CalendarDate | undefined, user: SessionUser): Promise<PromiseEvaluationResult> {
    const day = at ?? this.clock.today()
    return this.db.write(async (manager) => {
      const author = authorOf(user, this.clock)
      const graceDays = await readDaysSetting(manager, PROMISE_GRACE_DAYS_SETTING, DEFAULT_PROMISE_GRACE_DAYS)
      let evaluated = 0
      const changed: PromiseEvaluationResult['changed'] = []
      let after = ''
      for (;;) {
        const slice = await evaluatePromiseSlice(manager, day, author, after, BATCH)
        evaluated += slice.evaluated
        changed.push(...slice.changed)
        if (slice.last === null) break
        after = slice.last
      }
      return { at: day, graceDays, evaluated, changed }
    })
  }
}

/**
 * One slice of the daily promise check, in the caller's transaction: the next `limit` cases
 * (by id, after `after`) holding a pending promise have their promises evaluated at `day`.
 * Idempotent: a case evaluated twice the same day changes nothing the second time. `last` is
 * the slice's last case id, null once no case is left.
 */
export async function evaluatePromiseSlice(
  manager: EntityManager,
  day: CalendarDate,
  author: Author,
  after: string,
  limit: number
): Promise<{ last: string | null; evaluated: number; changed: PromiseEvaluationResult['changed'] }> {
  const rows: Array<{ case_id: string }> = await manager
    .createQueryBuilder()
    .select('DISTINCT p.case_id', 'case_id')
    .from(PromiseEntity, 'p')
    .where('p.status = :status', { status: 'pending' })
    .andWhere('p.case_id > :after', { after })
    .orderBy('p.case_id', 'ASC')
    .limit(limit)
    .getRawMany()
  const batch = rows.map((r) => r.case_id)
  if (batch.length === 0) return { last: null, evaluated: 0, changed: [] }
  const payments = await countedPaymentsByCase(manager, batch)
  const result = await evaluatePromises(manager, batch, payments, day, author)
  const changed: PromiseEvaluationResult['changed'] = []
  if (result.changed.length > 0) {
    const cases = await manager.find(CaseEntity, {
      where: { id: In([...new Set(result.changed.map((c) => c.summary.caseId))]) },
      select: { id: true, reference: true }
    })
    const reference = new Map(cases.map((c) => [c.id, c.reference]))
    for (const c of result.changed) {
      changed.push({ ...c.summary, caseReference: reference.get(c.summary.caseId) ?? '', previousStatus: c.previous })
    }
  }
  return { last: batch.length < limit ? null : batch[batch.length - 1]!, evaluated: result.summaries.length, changed }
}

/**
 * Inserts a pending promise in the caller's transaction and evaluates it at once against the
 * payments already received (a promise made after the money arrived is kept on the spot).
 * Shared by promises:create and the call form's "promise to pay" outcome.
 */
export async function insertPromise(
  manager: EntityManager,
  promise: {
    id: string
    caseId: string
    amountCents: number
    dueOn: string
    madeOn: string
    journalEntryId: string | null
  },
  author: Author,
  today: string
): Promise<PromiseSummary> {
  await manager.insert(PromiseEntity, {
    ...promise,
    createdAt: author.now,
    createdBy: author.userId,
    updatedAt: author.now,
    updatedBy: author.userId,
    version: 1,
    status: 'pending'
  })
  const payments = await countedPaymentsByCase(manager, [promise.caseId])
  const { summaries } = await evaluatePromises(manager, [promise.caseId], payments, today, author)
  const summary = summaries.find((s) => s.id === promise.id)
  if (!summary) throw new Error(`Promise ${promise.id} missing after its insert`)
  return summary
}
