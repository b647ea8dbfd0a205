import type { SelectQueryBuilder, EntityManager } from 'typeorm'
import {
  notFound,
  type CasePage,
  type CaseSummary,
  type ChannelParsedInput,
  type CaseSortField
} from '@shared/contract'
import { daysBetween, type CalendarDate } from '@shared/dates/calendar-date'
import { CASE_PHASES, CASE_PRIORITIES, CASE_STATUSES } from '@shared/domain/enums'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'

type CaseListInput = ChannelParsedInput<'cases:list'>

interface CaseRow {
  id: string
  reference: string
  debtor_id: string
  debtor_name: string
  debtor_kind: CaseSummary['debtorKind']
  client_id: string
  client_name: string
  phase: CaseSummary['phase']
  status: CaseSummary['status']
  suspension_reason: CaseSummary['suspensionReason']
  closure_reason: CaseSummary['closureReason']
  priority: CaseSummary['priority']
  collector_id: string | null
  collector_name: string | null
  principal_cents: number | string
  paid_cents: number | string
  balance_cents: number | string
  oldest_due_on: string | null
  last_contact_at: string | null
  last_contact_outcome: CaseSummary['lastContactOutcome']
  next_action_on: string | null
  opened_on: string
}

/** Enum columns sort in their business order (amiable before mise en demeure…), not alphabetically. */
function orderOf(column: string, values: readonly string[]): string {
  return `CASE ${column} ${values.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`
}

const SORT_EXPRESSIONS: Record<CaseSortField, { expression: string; invert?: boolean; nullable?: boolean }> = {
  reference: { expression: 'c.reference' },
  debtorName: { expression: 'd.display_name' },
  clientName: { expression: 'cl.legal_name' },
  phase: { expression: orderOf('c.phase', CASE_PHASES.values) },
  status: { expression: orderOf('c.status', CASE_STATUSES.values) },
  priority: { expression: orderOf('c.priority', CASE_PRIORITIES.values) },
  balance: { expression: 'c.balance_cents' },
  // More days past due = an older due date.
  daysPastDue: { expression: 'c.oldest_due_on', invert: true, nullable: true },
  lastContactAt: { expression: 'c.last_contact_at', nullable: true },
  nextActionOn: { expression: 'c.next_action_on', nullable: true },
  collectorName: { expression: 'u.display_name', nullable: true },
  openedOn: { expression: 'c.opened_on' }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`)
}

export class CasesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  async list(query: CaseListInput): Promise<CasePage> {
    const asOf = query.asOf ?? this.clock.today()
    return this.db.read(async (manager) => {
      const rowsQuery = this.filtered(manager, query, true)
        .select(SUMMARY_COLUMNS)
        .offset(query.offset)
        .limit(query.limit)
      const sort = SORT_EXPRESSIONS[query.sort.field]
      const ascending = (query.sort.direction === 'asc') !== Boolean(sort.invert)
      if (sort.nullable) rowsQuery.orderBy(`${sort.expression} IS NULL`, 'ASC') // empty values last, both ways
      rowsQuery.addOrderBy(sort.expression, ascending ? 'ASC' : 'DESC')
      // References are unique: a stable order for paging. (TypeORM keys ORDER BY by expression,
      // so the reference sort itself must not be added twice.)
      if (query.sort.field !== 'reference') rowsQuery.addOrderBy('c.reference', 'ASC')

      const needsDebtorJoin = Boolean(query.filters.text)
      const totals = await this.filtered(manager, query, needsDebtorJoin)
        .select('COUNT(*)', 'total')
        .addSelect('COALESCE(SUM(c.balance_cents), 0)', 'balance')
        .getRawOne<{ total: number | string; balance: number | string }>()
      const rows = await rowsQuery.getRawMany<CaseRow>()
      return {
        rows: rows.map((row) => toSummary(row, asOf)),
        total: Number(totals?.total ?? 0),
        totalBalanceCents: Number(totals?.balance ?? 0),
        offset: query.offset,
        asOf,
        searchIgnored: false
      }
    })
  }

  async getSummary(id: string): Promise<CaseSummary> {
    return this.db.read(async (manager) => {
      const row = await this.joined(manager.createQueryBuilder().from('collection_case', 'c'), true)
        .select(SUMMARY_COLUMNS)
        .where('c.id = :id', { id })
        .getRawOne<CaseRow>()
      if (!row) throw notFound('Case', id, 'Dossier')
      return toSummary(row, this.clock.today())
    })
  }

  private joined(qb: SelectQueryBuilder<object>, withNames: boolean): SelectQueryBuilder<object> {
    qb.innerJoin('debtor', 'd', 'd.id = c.debtor_id')
    if (withNames) {
      qb.innerJoin('client', 'cl', 'cl.id = c.client_id').leftJoin('app_user', 'u', 'u.id = c.collector_id')
    }
    return qb
  }

  private filtered(manager: EntityManager, query: CaseListInput, withJoins: boolean): SelectQueryBuilder<object> {
    const qb = manager.createQueryBuilder().from('collection_case', 'c')
    if (withJoins) this.joined(qb, true)
    const { phases, statuses, priorities, clientIds, collectorIds, nextActionDueBy, text } = query.filters
    qb.where('1 = 1')
    if (phases?.length) qb.andWhere('c.phase IN (:...phases)', { phases })
    if (statuses?.length) qb.andWhere('c.status IN (:...statuses)', { statuses })
    if (priorities?.length) qb.andWhere('c.priority IN (:...priorities)', { priorities })
    if (clientIds?.length) qb.andWhere('c.client_id IN (:...clientIds)', { clientIds })
    if (collectorIds?.length) qb.andWhere('c.collector_id IN (:...collectorIds)', { collectorIds })
    if (nextActionDueBy) qb.andWhere('c.next_action_on <= :nextActionDueBy', { nextActionDueBy })
    if (text) {
      if (!withJoins) qb.innerJoin('debtor', 'd', 'd.id = c.debtor_id')
      const pattern = escapeLike(text)
      qb.andWhere("(c.reference LIKE :prefix ESCAPE '\\' OR d.display_name LIKE :contains ESCAPE '\\')", {
        prefix: `${pattern}%`,
        contains: `%${pattern}%`
      })
    }
    return qb
  }
}

const SUMMARY_COLUMNS = [
  'c.id AS id',
  'c.reference AS reference',
  'c.debtor_id AS debtor_id',
  'd.display_name AS debtor_name',
  'd.kind AS debtor_kind',
  'c.client_id AS client_id',
  'cl.legal_name AS client_name',
  'c.phase AS phase',
  'c.status AS status',
  'c.suspension_reason AS suspension_reason',
  'c.closure_reason AS closure_reason',
  'c.priority AS priority',
  'c.collector_id AS collector_id',
  'u.display_name AS collector_name',
  'c.principal_cents AS principal_cents',
  'c.paid_cents AS paid_cents',
  'c.balance_cents AS balance_cents',
  'c.oldest_due_on AS oldest_due_on',
  'c.last_contact_at AS last_contact_at',
  'c.last_contact_outcome AS last_contact_outcome',
  'c.next_action_on AS next_action_on',
  'c.opened_on AS opened_on'
]

function toSummary(row: CaseRow, asOf: CalendarDate): CaseSummary {
  return {
    id: row.id,
    reference: row.reference,
    debtorId: row.debtor_id,
    debtorName: row.debtor_name,
    debtorKind: row.debtor_kind,
    clientId: row.client_id,
    clientName: row.client_name,
    phase: row.phase,
    status: row.status,
    suspensionReason: row.suspension_reason,
    closureReason: row.closure_reason,
    priority: row.priority,
    collectorId: row.collector_id,
    collectorName: row.collector_name,
    principalCents: Number(row.principal_cents),
    paidCents: Number(row.paid_cents),
    balanceCents: Number(row.balance_cents),
    oldestDueOn: row.oldest_due_on,
    daysPastDue: row.oldest_due_on ? Math.max(0, daysBetween(row.oldest_due_on, asOf)) : 0,
    lastContactAt: row.last_contact_at,
    lastContactOutcome: row.last_contact_outcome,
    nextActionOn: row.next_action_on,
    openedOn: row.opened_on
  }
}
