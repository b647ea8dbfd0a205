import type { DialectName } from '../../db/dialect'
import type { EntityManager } from 'typeorm'
import {
  AGENDA_ITEM_KINDS,
  AppError,
  DEADLINE_LOOKAHEAD_DAYS,
  PRESCRIPTION_ALERT_DAYS,
  PRESCRIPTION_URGENT_DAYS,
  type AgendaCounts,
  type AgendaItemKind,
  type AgendaPage,
  type AgendaReason,
  type AgendaRow,
  type ChannelParsedInput,
  type SessionUser
} from '@shared/contract'
import { addDays, daysBetween, type CalendarDate } from '@shared/dates/calendar-date'
import { CASE_PRIORITIES, DEADLINE_KINDS, type DeadlineKind } from '@shared/domain/enums'
import { formatCents, formatDate } from '@shared/format/french'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'

type Row = Record<string, unknown>

/** A broken (or partly kept) promise stays in the agenda this many days after its date. */
const BROKEN_PROMISE_AGENDA_DAYS = 30

const KIND_SUMS = (prefix: string) => AGENDA_ITEM_KINDS.map((k) => `SUM(${prefix}kind = '${k}') AS ${k}`).join(', ')

function toCounts(row: Row): AgendaCounts {
  const byKind = Object.fromEntries(AGENDA_ITEM_KINDS.map((k) => [k, Number(row[k] ?? 0)])) as Record<
    AgendaItemKind,
    number
  >
  return { cases: Number(row.cases ?? 0), overdueCases: Number(row.overdue ?? 0), byKind }
}

const PRIORITY_RANK = `CASE c.priority ${CASE_PRIORITIES.values.map((p, i) => `WHEN '${p}' THEN ${i}`).join(' ')} ELSE 0 END`

/**
 * The page's sort keys ride along with every item (each branch has the case at hand already), so
 * ordering the grouped agenda never joins its tens of thousands of cases again: only the page's.
 */
const SORT_KEYS = `${PRIORITY_RANK} AS prio, c.balance_cents AS bal, c.reference AS ref`

/**
 * Everything due for the agenda as one relation (kind, ref, case, date, amount). Each branch is
 * driven from the smallest side, measured on the 200,000-case demo: a collector's cases through
 * (collector_id, status); otherwise deadlines by due date, pending promises (a few thousand, a
 * scan beats the date index that covers nearly every promise ever made), installments due by
 * ix_installment_status_due_on, and next actions from the covering ix_case_portfolio (status
 * first; `+` keeps the planner off the date index, whose 58,000 table lookups cost 5-8 times
 * more for the team). CROSS JOIN fixes the join order SQLite would otherwise pick worse.
 */
function itemsSql(scope: 'collector' | 'team' | 'cases', dialect: DialectName): string {
  const filter =
    scope === 'collector' ? ' AND c.collector_id = :collector' : scope === 'cases' ? ' AND c.id IN (:ids)' : ''
  const installments =
    scope === 'team'
      ? `FROM installment i CROSS JOIN payment_plan pl ON pl.id = i.plan_id CROSS JOIN collection_case c ON c.id = pl.case_id`
      : `FROM collection_case c JOIN payment_plan pl ON pl.case_id = c.id JOIN installment i ON i.plan_id = pl.id`
  // Per claim (claim.prescription_on, null once paid): a case's next expiry among claims not yet
  // time-barred, whatever its other claims. The team reads ix_claim_prescription_on's date range.
  const prescriptions =
    scope === 'team'
      ? 'FROM claim cl CROSS JOIN collection_case c ON c.id = cl.case_id'
      : 'FROM collection_case c JOIN claim cl ON cl.case_id = c.id'
  return `
    SELECT 'deadline' AS kind, d.id AS ref_id, d.case_id AS case_id, d.due_on AS due_on, c.balance_cents AS amount,
           d.kind AS detail, ${dialect === 'postgres' ? 'CAST(NULL AS integer)' : 'NULL'} AS seq,
           ${SORT_KEYS}
      FROM case_deadline d CROSS JOIN collection_case c ON c.id = d.case_id
     WHERE d.completed_on IS NULL AND d.due_on <= :horizon AND c.status <> 'closed'${filter}
    UNION ALL
    SELECT 'next_action', c.id, c.id, c.next_action_on, c.balance_cents, c.status, NULL, ${SORT_KEYS}
      FROM collection_case c
     WHERE +c.next_action_on <= :today AND c.status IN ('open', 'suspended')${filter}
    UNION ALL
    SELECT 'promise', p.id, p.case_id, p.due_on, p.amount_cents, p.status, NULL, ${SORT_KEYS}
      FROM payment_promise p NOT INDEXED CROSS JOIN collection_case c ON c.id = p.case_id
     WHERE (p.status = 'pending' AND p.due_on <= :today
            -- broken or partly kept (the daily check decides): the collector calls back, for a
            -- month after the date, unless the debtor has promised again since
            OR (p.status IN ('broken', 'partially_kept') AND p.due_on BETWEEN :promiserecent AND :today
                AND NOT EXISTS (SELECT 1 FROM payment_promise q WHERE q.case_id = p.case_id
                                  AND q.made_on > p.made_on)))
       AND c.status = 'open'${filter}
    UNION ALL
    SELECT 'installment', i.id, pl.case_id, i.due_on, i.amount_cents - i.paid_cents, i.status, i.sequence, ${SORT_KEYS}
      ${installments}
     WHERE i.status IN ('due', 'partial', 'missed') AND i.due_on <= :today AND pl.status = 'active'
       AND c.status = 'open'${filter}
    UNION ALL
    SELECT 'dunning', a.id, a.case_id, a.taken_on, c.balance_cents, a.step_name, NULL, ${SORT_KEYS}
      FROM dunning_action a CROSS JOIN collection_case c ON c.id = a.case_id
     WHERE a.channel = 'call' AND a.completed_on IS NULL AND a.taken_on <= :today AND c.status = 'open'${filter}
       AND NOT EXISTS (SELECT 1 FROM journal_entry j WHERE j.case_id = a.case_id AND j.kind = 'call'
                         AND j.created_at >= a.created_at)
    UNION ALL
    SELECT 'prescription', c.id, c.id, MIN(cl.prescription_on), c.balance_cents, NULL, NULL, ${SORT_KEYS}
      ${prescriptions}
     WHERE cl.prescription_on BETWEEN :today AND :prescriptionalert AND c.status IN ('open', 'suspended')${filter}
     GROUP BY c.id`
}

/** Named parameters → positional, for a raw query; an array expands to a list. */
function bind(sql: string, params: Record<string, unknown>): [string, unknown[]] {
  const values: unknown[] = []
  const text = sql.replace(/:([a-z]+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`Missing SQL parameter ${name}`)
    const value = params[name]
    if (Array.isArray(value)) {
      values.push(...(value as unknown[]))
      return value.map(() => '?').join(', ')
    }
    values.push(value)
    return '?'
  })
  return [text, values]
}

function reasonLabel(kind: AgendaItemKind, row: Row, dueOn: CalendarDate, today: CalendarDate): string {
  const late = daysBetween(dueOn, today)
  const when = late > 0 ? `échue le ${formatDate(dueOn)}` : late === 0 ? 'aujourd’hui' : `le ${formatDate(dueOn)}`
  switch (kind) {
    case 'deadline':
      return `${DEADLINE_KINDS.labels[row.detail as DeadlineKind]} avant le ${formatDate(dueOn)}`
    case 'next_action':
      return row.detail === 'suspended'
        ? `Revoir la suspension (prévu ${late > 0 ? `le ${formatDate(dueOn)}` : 'aujourd’hui'})`
        : `Action prévue ${late > 0 ? `le ${formatDate(dueOn)}` : 'aujourd’hui'}`
    case 'promise':
      return row.detail === 'broken'
        ? `Promesse de ${formatCents(Number(row.amount))} du ${formatDate(dueOn)} non tenue : relancer`
        : row.detail === 'partially_kept'
          ? `Promesse de ${formatCents(Number(row.amount))} du ${formatDate(dueOn)} tenue en partie : relancer`
          : `Promesse de ${formatCents(Number(row.amount))} ${when} : vérifier le paiement`
    case 'dunning':
      return `Relance : ${String(row.detail)}`
    case 'prescription': {
      const days = -late
      return `Prescription le ${formatDate(dueOn)} (${days === 0 ? 'aujourd’hui' : days === 1 ? 'demain' : `dans ${days} jours`}) : interrompre ou agir`
    }
    case 'installment':
      return `Échéance n° ${String(row.seq)} du plan (${formatCents(Number(row.amount))}) ${when}${row.detail === 'missed' ? ', impayée' : row.detail === 'partial' ? ', partiellement payée' : ''}`
  }
}

/**
 * The agenda: per collector (the session user by default; the whole team for a manager), the
 * cases to work today with every reason they are there, legal deadlines first, then by priority
 * and amount. Grouping, ordering and paging run in SQL; the renderer gets one page.
 */
export class AgendaService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  /** The collector whose agenda is read: null for the team, which only managers may see. */
  private scope(requested: string | null | undefined, user: SessionUser): string | null {
    const collectorId = requested === undefined ? user.id : requested
    if (user.role === 'collector' && collectorId !== user.id) {
      throw new AppError(
        'FORBIDDEN',
        'Un chargé de recouvrement ne consulte que son propre agenda.',
        `Collector ${user.id} asked for the agenda of ${String(collectorId)}`
      )
    }
    return collectorId
  }

  private params(collectorId: string | null): Record<string, unknown> {
    const today = this.clock.today()
    return {
      today,
      horizon: addDays(today, DEADLINE_LOOKAHEAD_DAYS),
      prescriptionalert: addDays(today, PRESCRIPTION_ALERT_DAYS),
      promiserecent: addDays(today, -BROKEN_PROMISE_AGENDA_DAYS),
      prescriptionurgent: addDays(today, PRESCRIPTION_URGENT_DAYS),
      collector: collectorId
    }
  }

  private async countsIn(manager: EntityManager, collectorId: string | null): Promise<AgendaCounts> {
    const [sql, values] = bind(
      `WITH items AS (${itemsSql(collectorId !== null ? 'collector' : 'team', this.db.dialect)})
       SELECT COUNT(DISTINCT case_id) AS cases, COUNT(DISTINCT CASE WHEN due_on < :today THEN case_id END) AS overdue,
              ${KIND_SUMS('')}
         FROM items`,
      this.params(collectorId)
    )
    const [row] = (await manager.query(sql, values)) as Row[]
    return toCounts(row ?? {})
  }

  counts(input: ChannelParsedInput<'agenda:counts'>, user: SessionUser): Promise<AgendaCounts> {
    const collectorId = this.scope(input.collectorId, user)
    return this.db.read((manager) => this.countsIn(manager, collectorId))
  }

  list(input: ChannelParsedInput<'agenda:list'>, user: SessionUser): Promise<AgendaPage> {
    const collectorId = this.scope(input.collectorId, user)
    return this.db.read(async (manager) => {
      const params = this.params(collectorId)
      const today = params.today as CalendarDate
      const kinds = input.kinds?.length ? input.kinds : null
      const kindFilter = kinds ? `WHERE ${kinds.map((k) => `g.n_${k} > 0`).join(' OR ')}` : ''
      // One pass over the items: cases grouped with their reasons counted, the totals of the
      // whole agenda (the chips) and the ordered page; names are joined for the page only.
      const [sql, values] = bind(
        `WITH items AS (${itemsSql(collectorId !== null ? 'collector' : 'team', this.db.dialect)}),
              grouped AS MATERIALIZED (
                SELECT case_id, MIN(due_on) AS due_on, MAX(prio) AS prio, MAX(bal) AS bal, MAX(ref) AS ref,
                       MAX(kind = 'deadline' OR (kind = 'prescription' AND due_on <= :prescriptionurgent)) AS has_deadline,
                       MAX(due_on < :today) AS overdue,
                       SUM(kind = 'deadline') AS n_deadline, SUM(kind = 'next_action') AS n_next_action,
                       SUM(kind = 'promise') AS n_promise, SUM(kind = 'installment') AS n_installment,
                       SUM(kind = 'dunning') AS n_dunning, SUM(kind = 'prescription') AS n_prescription
                  FROM items GROUP BY case_id),
              totals AS (
                SELECT COUNT(*) AS cases, SUM(overdue) AS overdue, SUM(n_deadline) AS deadline,
                       SUM(n_next_action) AS next_action, SUM(n_promise) AS promise, SUM(n_installment) AS installment,
                       SUM(n_dunning) AS dunning, SUM(n_prescription) AS prescription,
                       (SELECT COUNT(*) FROM grouped g ${kindFilter}) AS filtered
                  FROM grouped),
              page AS (
                SELECT g.case_id, g.due_on, g.has_deadline, g.prio, g.bal, g.ref
                  FROM grouped g
                  ${kindFilter}
                 ORDER BY g.has_deadline DESC, g.prio DESC, g.bal DESC, g.due_on ASC, g.ref ASC
                 LIMIT :limit OFFSET :offset),
              paged AS (
                SELECT p.case_id, p.due_on, p.has_deadline, p.prio, p.bal, p.ref, c.priority, c.balance_cents,
                       c.reference, c.status, c.collector_id, c.debtor_id, c.client_id
                  FROM page p CROSS JOIN collection_case c ON c.id = p.case_id)
         SELECT t.*, p.*, d.display_name AS debtor_name, cl.legal_name AS client_name, u.display_name AS collector_name
           FROM totals t
           LEFT JOIN paged p ON 1 = 1
           LEFT JOIN debtor d ON d.id = p.debtor_id
           LEFT JOIN client cl ON cl.id = p.client_id
           LEFT JOIN app_user u ON u.id = p.collector_id
          ORDER BY p.has_deadline DESC, p.prio DESC, p.bal DESC, p.due_on ASC, p.ref ASC`,
        { ...params, limit: input.limit, offset: input.offset }
      )
      const resultRows: Row[] = await manager.query(sql, values)
      const counts = toCounts(resultRows[0] ?? {})
      const caseRows = resultRows.filter((r) => r.case_id !== null && r.case_id !== undefined)
      const rows: AgendaRow[] = caseRows.map((r) => ({
        caseId: String(r.case_id),
        caseReference: String(r.reference),
        caseStatus: r.status as AgendaRow['caseStatus'],
        debtorName: String(r.debtor_name),
        clientName: String(r.client_name),
        collectorId: r.collector_id === null ? null : String(r.collector_id),
        collectorName: r.collector_name === null ? null : String(r.collector_name),
        priority: r.priority as AgendaRow['priority'],
        balanceCents: Number(r.balance_cents),
        dueOn: String(r.due_on),
        daysLate: daysBetween(String(r.due_on), today),
        reasons: []
      }))
      if (rows.length > 0) {
        // The reasons of the page's cases only.
        const [itemSql, itemValues] = bind(itemsSql('cases', this.db.dialect), {
          ...params,
          ids: rows.map((r) => r.caseId)
        })
        const reasons: Row[] = await manager.query(itemSql, itemValues)
        const byCase = new Map(rows.map((r) => [r.caseId, r]))
        const order: Record<AgendaItemKind, number> = {
          deadline: 0,
          promise: 1,
          installment: 2,
          dunning: 3,
          next_action: 4,
          prescription: 5
        }
        for (const reason of reasons) {
          const row = byCase.get(String(reason.case_id))
          if (!row) continue
          const kind = reason.kind as AgendaItemKind
          const dueOn = String(reason.due_on)
          const item: AgendaReason = {
            kind,
            refId: String(reason.ref_id),
            dueOn,
            daysLate: daysBetween(dueOn, today),
            amountCents: Number(reason.amount),
            label: reasonLabel(kind, reason, dueOn, today),
            deadlineKind: kind === 'deadline' ? (reason.detail as AgendaReason['deadlineKind']) : null,
            ...(kind === 'prescription' && { urgent: dueOn <= (params.prescriptionurgent as CalendarDate) })
          }
          row.reasons.push(item)
        }
        for (const row of rows) {
          row.reasons.sort((a, b) => order[a.kind] - order[b.kind] || (a.dueOn < b.dueOn ? -1 : 1))
        }
      }
      return {
        rows,
        total: Number(resultRows[0]?.filtered ?? 0),
        counts,
        offset: input.offset,
        today,
        collectorId
      }
    })
  }
}
