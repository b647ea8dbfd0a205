import type { EntityManager, SelectQueryBuilder } from 'typeorm'
import {
  AppError,
  notFound,
  type ChannelParsedInput,
  type RemittanceAlert,
  type RemittanceDto,
  type RemittanceLineDto,
  type RemittanceList,
  type RemittancePreview,
  type RemittanceTotals,
  type SessionUser
} from '@shared/contract'
import { addDays, type CalendarDate } from '@shared/dates/calendar-date'
import type { PaymentMethod, PaymentReceiver } from '@shared/domain/enums'
import { formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import { divRoundHalfUp } from '@shared/money'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { CaseEntity } from '../cases/case.entity'
import { ClientEntity } from '../clients/client.entity'
import { MandateEntity } from '../clients/mandate.entity'
import { businessRule } from './money-errors'
import { PaymentEntity } from './payment.entity'
import { RemittanceEntity, RemittanceLineEntity } from './remittance.entities'

/** VAT on the agency's commission (normal French rate, CGI art. 278). */
export const VAT_RATE_BP = 2000
/** Alert on collected funds this many days before their remittance deadline. */
export const REMITTANCE_ALERT_DAYS = 7

type Period = ChannelParsedInput<'remittances:preview'>

interface LineRow {
  payment_id: string
  case_id: string
  case_reference: string
  received_on: string
  collected_on: string
  method: PaymentMethod
  received_by: PaymentReceiver
  amount_cents: number | string
  commission_rate_bp: number | string
  remittance_delay_days: number | string
}

/**
 * Relevés de reversement (CPCE R124-6): per client and period, the payments collected (by the
 * agency, and directly by the client since commission is due on those too), the commission of
 * each case's mandate, VAT, the net to pay over and its deadline (collection date + the
 * mandate's delay, one month by default). A payment is remitted once.
 */
export class RemittancesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  preview(period: Period): Promise<RemittancePreview> {
    return this.db.read((manager) => this.compute(manager, period))
  }

  create(period: Period, user: SessionUser): Promise<RemittanceDto> {
    return this.db.write(async (manager) => {
      const preview = await this.compute(manager, period)
      if (preview.lines.length === 0) {
        throw businessRule(
          `Aucun encaissement à reverser pour ${preview.clientName} entre le ${formatDate(period.from)} et le ${formatDate(period.to)}.`,
          `No collection to remit for client ${period.clientId}`
        )
      }
      const now = this.clock.now().toISOString()
      const year = period.to.slice(0, 4)
      const existing = await manager
        .createQueryBuilder()
        .select('COUNT(*)', 'n')
        .from(RemittanceEntity, 'r')
        .where('r.reference LIKE :prefix', { prefix: `REV-${year}-%` })
        .getRawOne<{ n: number | string }>()
      const reference = `REV-${year}-${String(Number(existing?.n ?? 0) + 1).padStart(5, '0')}`
      const id = uuid7()
      const remittance: RemittanceEntity = {
        id,
        createdAt: now,
        createdBy: user.id,
        updatedAt: now,
        updatedBy: user.id,
        version: 1,
        reference,
        clientId: period.clientId,
        periodFrom: period.from,
        periodTo: period.to,
        agencyCollectedCents: preview.totals.agencyCollectedCents,
        clientCollectedCents: preview.totals.clientCollectedCents,
        commissionCents: preview.totals.commissionCents,
        vatRateBp: preview.totals.vatRateBp,
        vatCents: preview.totals.vatCents,
        netCents: preview.totals.netCents,
        dueOn: preview.dueOn!,
        status: 'pending',
        paidOn: null,
        transferReference: null
      }
      await manager.insert(RemittanceEntity, remittance)
      const lines = preview.lines.map((line) => ({
        id: uuid7(),
        createdAt: now,
        createdBy: user.id,
        remittanceId: id,
        paymentId: line.paymentId,
        caseId: line.caseId,
        receivedBy: line.receivedBy,
        collectedOn: line.collectedOn,
        amountCents: line.amountCents,
        commissionRateBp: line.commissionRateBp,
        commissionCents: line.commissionCents,
        dueOn: line.dueOn
      }))
      for (let start = 0; start < lines.length; start += 200) {
        await manager.insert(RemittanceLineEntity, lines.slice(start, start + 200))
      }
      return this.dto(manager, remittance)
    })
  }

  markPaid(input: ChannelParsedInput<'remittances:mark-paid'>, user: SessionUser): Promise<RemittanceDto> {
    if (input.paidOn > this.clock.today()) {
      throw businessRule(
        'La date du virement ne peut pas être postérieure à aujourd’hui.',
        'Remittance paid in the future'
      )
    }
    return this.db.write(async (manager) => {
      const remittance = await manager.findOne(RemittanceEntity, { where: { id: input.remittanceId } })
      if (!remittance) throw notFound('Remittance', input.remittanceId, 'Relevé de reversement')
      if (remittance.status === 'paid') {
        throw new AppError(
          'CONFLICT',
          `Ce relevé a déjà été marqué comme reversé le ${formatDate(remittance.paidOn!)}.`,
          `Remittance ${remittance.id} already paid`
        )
      }
      if (input.paidOn < remittance.periodFrom) {
        throw businessRule(
          `Le virement ne peut pas précéder la période du relevé (à partir du ${formatDate(remittance.periodFrom)}).`,
          'Remittance paid before its period'
        )
      }
      const now = this.clock.now().toISOString()
      await manager.update(
        RemittanceEntity,
        { id: remittance.id },
        {
          status: 'paid',
          paidOn: input.paidOn,
          transferReference: input.transferReference || null,
          updatedAt: now,
          updatedBy: user.id,
          version: remittance.version + 1
        }
      )
      const updated = await manager.findOneOrFail(RemittanceEntity, { where: { id: remittance.id } })
      return this.dto(manager, updated)
    })
  }

  list(filter: ChannelParsedInput<'remittances:list'>): Promise<RemittanceList> {
    return this.db.read(async (manager) => {
      const today = this.clock.today()
      const qb = manager
        .createQueryBuilder(RemittanceEntity, 'r')
        .orderBy('r.periodTo', 'DESC')
        .addOrderBy('r.reference', 'DESC')
      if (filter.clientId) qb.andWhere('r.clientId = :clientId', { clientId: filter.clientId })
      if (filter.status) qb.andWhere('r.status = :status', { status: filter.status })
      const remittances = await qb.getMany()
      const names = await this.clientNames(manager)
      const counts: Array<{ remittance_id: string; n: number | string }> = remittances.length
        ? await manager
            .createQueryBuilder()
            .select('rl.remittance_id', 'remittance_id')
            .addSelect('COUNT(*)', 'n')
            .from(RemittanceLineEntity, 'rl')
            .where('rl.remittance_id IN (:...ids)', { ids: remittances.map((r) => r.id) })
            .groupBy('rl.remittance_id')
            .getRawMany()
        : []
      const lineCount = new Map(counts.map((c) => [c.remittance_id, Number(c.n)]))
      return {
        remittances: remittances.map((r) => ({
          ...this.header(r, names.get(r.clientId) ?? '', today),
          lineCount: lineCount.get(r.id) ?? 0
        })),
        alerts: await this.alerts(manager, names, today, filter.clientId),
        alertWindowDays: REMITTANCE_ALERT_DAYS
      }
    })
  }

  private async compute(manager: EntityManager, period: Period): Promise<RemittancePreview> {
    const client = await manager.findOne(ClientEntity, { where: { id: period.clientId } })
    if (!client) throw notFound('Client', period.clientId, 'Client')
    const today = this.clock.today()
    const rows: LineRow[] = await this.unremitted(manager, period.clientId)
      .andWhere('p.collected_on >= :from AND p.collected_on <= :to', { from: period.from, to: period.to })
      .select([
        'p.id AS payment_id',
        'p.case_id AS case_id',
        'c.reference AS case_reference',
        'p.received_on AS received_on',
        'p.collected_on AS collected_on',
        'p.method AS method',
        'p.received_by AS received_by',
        'p.amount_cents AS amount_cents',
        'm.commission_rate_bp AS commission_rate_bp',
        'm.remittance_delay_days AS remittance_delay_days'
      ])
      .orderBy('p.collected_on', 'ASC')
      .addOrderBy('p.created_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getRawMany()
    const lines: RemittanceLineDto[] = rows.map((row) => {
      const amountCents = Number(row.amount_cents)
      const commissionRateBp = Number(row.commission_rate_bp)
      const dueOn = addDays(row.collected_on, Number(row.remittance_delay_days))
      return {
        paymentId: row.payment_id,
        caseId: row.case_id,
        caseReference: row.case_reference,
        receivedOn: row.received_on,
        collectedOn: row.collected_on,
        method: row.method,
        receivedBy: row.received_by,
        amountCents,
        commissionRateBp,
        commissionCents: commissionOf(amountCents, commissionRateBp),
        dueOn,
        late: row.received_by === 'agency' && dueOn < today
      }
    })
    const earlier = await this.unremitted(manager, period.clientId)
      .andWhere('p.collected_on < :from', { from: period.from })
      .andWhere("p.received_by = 'agency'")
      .select('COUNT(*)', 'n')
      .addSelect('COALESCE(SUM(p.amount_cents), 0)', 'amount')
      .addSelect('MIN(p.collected_on)', 'oldest')
      .getRawOne<{ n: number | string; amount: number | string; oldest: string | null }>()
    return {
      clientId: client.id,
      clientName: client.legalName,
      periodFrom: period.from,
      periodTo: period.to,
      lines,
      totals: remittanceTotals(lines),
      dueOn: remittanceDueOn(lines),
      earlierUnremitted: {
        count: Number(earlier?.n ?? 0),
        amountCents: Number(earlier?.amount ?? 0),
        oldestCollectedOn: earlier?.oldest ?? null
      }
    }
  }

  /** Collected payments of a client's cases not in any remittance yet. */
  private unremitted(manager: EntityManager, clientId: string | undefined): SelectQueryBuilder<object> {
    const qb = manager
      .createQueryBuilder()
      .from(PaymentEntity, 'p')
      .innerJoin(CaseEntity, 'c', 'c.id = p.case_id')
      .innerJoin(MandateEntity, 'm', 'm.id = c.mandate_id')
      .leftJoin(RemittanceLineEntity, 'rl', 'rl.payment_id = p.id')
      .where('rl.id IS NULL')
      .andWhere('p.collected_on IS NOT NULL')
    if (clientId) qb.andWhere('c.client_id = :clientId', { clientId })
    return qb
  }

  /** Per client, collected agency funds not remitted whose deadline is near or past. */
  private async alerts(
    manager: EntityManager,
    names: Map<string, string>,
    today: CalendarDate,
    clientId: string | undefined
  ): Promise<RemittanceAlert[]> {
    const groups: Array<{
      client_id: string
      delay: number | string
      n: number | string
      amount: number | string
      oldest: string
    }> = await this.unremitted(manager, clientId)
      .andWhere("p.received_by = 'agency'")
      .select('c.client_id', 'client_id')
      .addSelect('m.remittance_delay_days', 'delay')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(p.amount_cents)', 'amount')
      .addSelect('MIN(p.collected_on)', 'oldest')
      .groupBy('c.client_id')
      .addGroupBy('m.remittance_delay_days')
      .getRawMany()
    const byClient = new Map<string, RemittanceAlert>()
    for (const g of groups) {
      const due = addDays(g.oldest, Number(g.delay))
      const alert = byClient.get(g.client_id) ?? {
        clientId: g.client_id,
        clientName: names.get(g.client_id) ?? '',
        paymentCount: 0,
        amountCents: 0,
        earliestDueOn: due,
        late: false
      }
      alert.paymentCount += Number(g.n)
      alert.amountCents += Number(g.amount)
      if (due < alert.earliestDueOn) alert.earliestDueOn = due
      alert.late = alert.earliestDueOn < today
      byClient.set(g.client_id, alert)
    }
    const limit = addDays(today, REMITTANCE_ALERT_DAYS)
    return [...byClient.values()]
      .filter((a) => a.earliestDueOn <= limit && a.amountCents > 0)
      .sort((a, b) => (a.earliestDueOn < b.earliestDueOn ? -1 : a.earliestDueOn > b.earliestDueOn ? 1 : 0))
  }

  private async clientNames(manager: EntityManager): Promise<Map<string, string>> {
    const clients = await manager.find(ClientEntity, { select: { id: true, legalName: true } })
    return new Map(clients.map((c) => [c.id, c.legalName]))
  }

  private header(
    r: RemittanceEntity,
    clientName: string,
    today: CalendarDate
  ): Omit<RemittanceDto, 'lines' | 'earlierUnremitted'> {
    return {
      id: r.id,
      reference: r.reference,
      clientId: r.clientId,
      clientName,
      periodFrom: r.periodFrom,
      periodTo: r.periodTo,
      totals: {
        agencyCollectedCents: r.agencyCollectedCents,
        clientCollectedCents: r.clientCollectedCents,
        commissionCents: r.commissionCents,
        vatRateBp: r.vatRateBp,
        vatCents: r.vatCents,
        netCents: r.netCents,
        toRemitCents: Math.max(0, r.netCents),
        dueByClientCents: Math.max(0, -r.netCents)
      },
      status: r.status,
      dueOn: r.dueOn,
      paidOn: r.paidOn,
      transferReference: r.transferReference,
      late: r.status === 'pending' ? r.dueOn < today : r.paidOn! > r.dueOn,
      createdAt: r.createdAt
    }
  }

  private async dto(manager: EntityManager, r: RemittanceEntity): Promise<RemittanceDto> {
    const today = this.clock.today()
    const client = await manager.findOneOrFail(ClientEntity, { where: { id: r.clientId } })
    const rows: Array<{
      payment_id: string
      case_id: string
      case_reference: string
      received_on: string
      method: PaymentMethod
      received_by: PaymentReceiver
      collected_on: string
      amount_cents: number | string
      commission_rate_bp: number | string
      commission_cents: number | string
      due_on: string
    }> = await manager
      .createQueryBuilder()
      .from(RemittanceLineEntity, 'rl')
      .innerJoin(PaymentEntity, 'p', 'p.id = rl.payment_id')
      .innerJoin(CaseEntity, 'c', 'c.id = rl.case_id')
      .select([
        'rl.payment_id AS payment_id',
        'rl.case_id AS case_id',
        'c.reference AS case_reference',
        'p.received_on AS received_on',
        'p.method AS method',
        'rl.received_by AS received_by',
        'rl.collected_on AS collected_on',
        'rl.amount_cents AS amount_cents',
        'rl.commission_rate_bp AS commission_rate_bp',
        'rl.commission_cents AS commission_cents',
        'rl.due_on AS due_on'
      ])
      .where('rl.remittance_id = :id', { id: r.id })
      .orderBy('rl.collected_on', 'ASC')
      .addOrderBy('rl.created_at', 'ASC')
      .getRawMany()
    const header = this.header(r, client.legalName, today)
    return {
      ...header,
      lines: rows.map((row) => ({
        paymentId: row.payment_id,
        caseId: row.case_id,
        caseReference: row.case_reference,
        receivedOn: row.received_on,
        collectedOn: row.collected_on,
        method: row.method,
        receivedBy: row.received_by,
        amountCents: Number(row.amount_cents),
        commissionRateBp: Number(row.commission_rate_bp),
        commissionCents: Number(row.commission_cents),
        dueOn: row.due_on,
        late: row.received_by === 'agency' && (r.status === 'pending' ? row.due_on < today : r.paidOn! > row.due_on)
      })),
      earlierUnremitted: { count: 0, amountCents: 0, oldestCollectedOn: null }
    }
  }
}

/** Commission on one payment, rounded half-up to the cent (a reversal mirrors it exactly). */
export function commissionOf(amountCents: number, rateBp: number): number {
  return Number(divRoundHalfUp(BigInt(amountCents) * BigInt(rateBp), 10_000n))
}

/** Totals are sums of the lines shown; VAT is computed once, on the commission total. */
export function remittanceTotals(lines: readonly RemittanceLineDto[]): RemittanceTotals {
  const sum = (receivedBy: PaymentReceiver | null, pick: (l: RemittanceLineDto) => number) =>
    lines.filter((l) => receivedBy === null || l.receivedBy === receivedBy).reduce((s, l) => s + pick(l), 0)
  const agencyCollectedCents = sum('agency', (l) => l.amountCents)
  const commissionCents = sum(null, (l) => l.commissionCents)
  const vatCents = Number(divRoundHalfUp(BigInt(commissionCents) * BigInt(VAT_RATE_BP), 10_000n))
  const netCents = agencyCollectedCents - commissionCents - vatCents
  return {
    agencyCollectedCents,
    clientCollectedCents: sum('client', (l) => l.amountCents),
    commissionCents,
    vatRateBp: VAT_RATE_BP,
    vatCents,
    netCents,
    toRemitCents: Math.max(0, netCents),
    dueByClientCents: Math.max(0, -netCents)
  }
}

/**
 * Deadline of a statement: the earliest deadline of the funds the agency holds; with none (only
 * direct payments, the client owes the commission), the earliest of all lines.
 */
function remittanceDueOn(lines: readonly RemittanceLineDto[]): CalendarDate | null {
  const agency = lines.filter((l) => l.receivedBy === 'agency')
  const pool = agency.length ? agency : lines
  return pool.reduce<CalendarDate | null>((min, l) => (min === null || l.dueOn < min ? l.dueOn : min), null)
}
