import type { EntityManager } from 'typeorm'
import { isPostgres } from '../../db/dialect'
import { type CalendarDate, todayInParis } from '@shared/dates/calendar-date'
import {
  type CasePrescriptionInput,
  type PrescriptionLegalEventKind,
  casePrescriptionFigures,
  storedClaimExpiries
} from '@shared/money'
import { suspendRowAudit } from '../audit/audit-trail'
import { isAgreedPlan, partyKind } from './money-context'

/** Cases read per round: an IN list well under SQLite's bound on parameters. */
const CHUNK = 500

type Raw = Record<string, unknown>

/**
 * Keeps the stored prescription figures in step, in the caller's transaction:
 * - `claim.prescription_on`: each claim's expiry (storedClaimExpiries: null once its principal is
 *   paid or the case closed), indexed: the agenda and the portfolio filter read it;
 * - `collection_case.prescription_on`: the NEXT expiry among the claims still demandable at
 *   `today` (time-barred claims ignored, so one prescribed invoice does not hide the countdown of
 *   the others) and `collection_case.prescribed_claims`: how many open claims are time-barred.
 * EVERY writer of something that moves a prescription (payment recorded or reversed, legal
 * event, plan agreed, claims imported, demo data, case closed) calls this. Reads plain rows in
 * bulk (a few queries per 500 cases), writes only what changed, in set-based UPDATEs. As days
 * pass, rollCasePrescriptions moves the case figures past the claims that have just expired.
 * Returns how many cases changed.
 */
export async function refreshCasePrescriptions(
  manager: EntityManager,
  caseIds: readonly string[] | 'all',
  today: CalendarDate = todayInParis()
): Promise<number> {
  const ids =
    caseIds === 'all'
      ? ((await manager.query('SELECT id FROM collection_case ORDER BY id')) as Array<{ id: string }>).map((r) => r.id)
      : [...new Set(caseIds)]
  // Derived figures, recomputed from audited records: a bulk refresh (import, demo, every case)
  // is not written row by row into the audit trail (300,000 claim rows for a 100,000-case import).
  const bulk = ids.length > CHUNK
  if (bulk) await suspendRowAudit(manager, 1)
  try {
    return await refreshChunks(manager, ids, today)
  } finally {
    if (bulk) await suspendRowAudit(manager, -1)
  }
}

async function refreshChunks(manager: EntityManager, ids: readonly string[], today: CalendarDate): Promise<number> {
  let changed = 0
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK)
    const computed = await computeChunk(manager, chunk)
    const claimRows: Array<[string, CalendarDate | null]> = []
    const caseRows: Array<[string, CalendarDate | null, number]> = []
    for (const [caseId, c] of computed) {
      for (const [claimId, on] of c.claims) if (c.storedClaims.get(claimId) !== on) claimRows.push([claimId, on])
      const figures = casePrescriptionFigures(c.claims.values(), today)
      if (figures.nextOn === c.stored.nextOn && figures.prescribedClaims === c.stored.prescribedClaims) continue
      caseRows.push([caseId, figures.nextOn, figures.prescribedClaims])
    }
    await updateFrom(manager, 'claim', ['prescription_on'], claimRows)
    await updateFrom(manager, 'collection_case', ['prescription_on', 'prescribed_claims'], caseRows)
    changed += caseRows.length
  }
  return changed
}

/**
 * The day has moved on: the cases whose next expiry is now past get their figures again from
 * their claims' stored expiries (plain SQL, through ix_case_prescription_on: only the cases a
 * claim of which expired since the last roll). Run at start-up and hourly (scheduleMoneyChecks).
 * Returns how many cases moved.
 */
export async function rollCasePrescriptions(manager: EntityManager, today: CalendarDate): Promise<number> {
  const rows = (await manager.query('SELECT COUNT(*) AS n FROM collection_case WHERE prescription_on < ?', [
    today
  ])) as Array<{ n: number }>
  const n = Number(rows[0]?.n ?? 0)
  if (n === 0) return 0
  await suspendRowAudit(manager, 1) // derived figures, as in a bulk refresh
  try {
    await manager.query(
      `UPDATE collection_case
          SET prescription_on = (SELECT MIN(cl.prescription_on) FROM claim cl INDEXED BY ix_claim_case
                                  WHERE cl.case_id = collection_case.id AND cl.prescription_on >= ?1),
              prescribed_claims = (SELECT COUNT(*) FROM claim cl INDEXED BY ix_claim_case
                                    WHERE cl.case_id = collection_case.id AND cl.prescription_on < ?1)
        WHERE prescription_on < ?1`,
      [today]
    )
  } finally {
    await suspendRowAudit(manager, -1)
  }
  return n
}

/**
 * One slice of the roll, in the caller's transaction: the next `limit` cases (by id, after
 * `after`) whose next expiry is past, rolled as rollCasePrescriptions does. Idempotent (a rolled
 * case's next expiry is today or later). `last` is the slice's last case id, null once none is left.
 */
export async function rollCasePrescriptionSlice(
  manager: EntityManager,
  today: CalendarDate,
  after: string,
  limit: number
): Promise<{ last: string | null; rolled: number }> {
  const rows = (await manager.query(
    'SELECT id FROM collection_case WHERE prescription_on < ? AND id > ? ORDER BY id LIMIT ?',
    [today, after, limit]
  )) as Array<{ id: string }>
  if (rows.length === 0) return { last: null, rolled: 0 }
  const ids = rows.map((r) => r.id)
  await suspendRowAudit(manager, 1) // derived figures, as in a bulk refresh
  try {
    // The claims of each case through their case index: SQLite otherwise skip-scans
    // ix_claim_prescription_on for each case (5.9 s instead of 50 ms for 1,000 cases at 20,000).
    await manager.query(
      `UPDATE collection_case
          SET prescription_on = (SELECT MIN(cl.prescription_on) FROM claim cl INDEXED BY ix_claim_case
                                  WHERE cl.case_id = collection_case.id AND cl.prescription_on >= ?),
              prescribed_claims = (SELECT COUNT(*) FROM claim cl INDEXED BY ix_claim_case
                                    WHERE cl.case_id = collection_case.id AND cl.prescription_on < ?)
        WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [today, today, ...ids]
    )
  } finally {
    await suspendRowAudit(manager, -1)
  }
  return { last: ids.length < limit ? null : ids[ids.length - 1]!, rolled: ids.length }
}

/** UPDATE table SET columns FROM (VALUES …) by id, 300 rows a statement. */
async function updateFrom(
  manager: EntityManager,
  table: 'claim' | 'collection_case',
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>
): Promise<void> {
  const width = columns.length + 1
  for (let i = 0; i < rows.length; i += 300) {
    const slice = rows.slice(i, i + 300)
    const values = slice.map(() => `(${Array.from({ length: width }, () => '?').join(', ')})`).join(', ')
    const names = ['id', ...columns].map((c, k) => `column${k + 1} AS ${c}`).join(', ')
    // PostgreSQL types VALUES parameters as text: numbers are cast back (SQLite needs nothing).
    const pg = isPostgres(manager)
    const sets = columns
      .map((c, k) => (pg && typeof slice[0]![k + 1] === 'number' ? `${c} = CAST(v.${c} AS bigint)` : `${c} = v.${c}`))
      .join(', ')
    await manager.query(
      `UPDATE ${table} SET ${sets} FROM (SELECT ${names} FROM (VALUES ${values}) AS vals) AS v WHERE ${table}.id = v.id`,
      slice.flat()
    )
  }
}

interface Computed {
  stored: { nextOn: CalendarDate | null; prescribedClaims: number }
  storedClaims: Map<string, CalendarDate | null>
  claims: Map<string, CalendarDate | null>
}

async function computeChunk(manager: EntityManager, caseIds: string[]): Promise<Map<string, Computed>> {
  const marks = caseIds.map(() => '?').join(', ')
  const q = (sql: string): Promise<Raw[]> => manager.query(sql.replace('(?)', `(${marks})`), caseIds)
  const cases = await q(
    `SELECT c.id, c.status, c.prescription_on, c.prescribed_claims, cl.kind AS ck, cl.acts_professionally AS cp, d.kind AS dk,
            d.acts_professionally AS dp
       FROM collection_case c JOIN client cl ON cl.id = c.client_id JOIN debtor d ON d.id = c.debtor_id
      WHERE c.id IN (?)`
  )
  const claims = await q('SELECT id, case_id, due_on, principal_cents, prescription_on FROM claim WHERE case_id IN (?)')
  const payments = await q(
    `SELECT p.id, p.case_id, p.received_on, p.reverses_payment_id, a.claim_id, a.component, a.amount_cents
       FROM payment p JOIN allocation a ON a.payment_id = p.id WHERE p.case_id IN (?)`
  )
  const plans = await q(
    'SELECT case_id, agreed_on, status FROM payment_plan WHERE case_id IN (?) AND agreed_on IS NOT NULL'
  )
  const events = await q(
    'SELECT case_id, claim_id, kind, occurred_on, enforceable_on FROM legal_event WHERE case_id IN (?)'
  )

  const inputs = new Map<
    string,
    CasePrescriptionInput & { closed: boolean; stored: Computed['stored']; storedClaims: Computed['storedClaims'] }
  >()
  const group = <T>(rows: Raw[], map: (row: Raw) => T, pick: (input: CasePrescriptionInput) => T[]) => {
    for (const row of rows) {
      const input = inputs.get(String(row.case_id))
      if (input) pick(input).push(map(row))
    }
  }
  const truthy = (v: unknown) => v === 1 || v === true || v === '1'
  for (const row of cases) {
    inputs.set(String(row.id), {
      closed: row.status === 'closed',
      stored: {
        nextOn: (row.prescription_on as CalendarDate | null) ?? null,
        prescribedClaims: Number(row.prescribed_claims ?? 0)
      },
      storedClaims: new Map(),
      creditor: partyKind({ kind: row.ck as 'individual' | 'company', actsProfessionally: truthy(row.cp) }),
      debtor: partyKind({ kind: row.dk as 'individual' | 'company', actsProfessionally: truthy(row.dp) }),
      claims: [],
      payments: [],
      plansAgreedOn: [],
      legalEvents: []
    })
  }
  const paid = new Map<string, number>()
  const reversed = new Set(
    payments
      .map((p) => p.reverses_payment_id)
      .filter((v) => v !== null)
      .map(String)
  )
  const standing = new Map<string, { caseId: string; on: CalendarDate; claimIds: string[] }>()
  for (const row of payments) {
    const amount = Number(row.amount_cents)
    if (row.component === 'principal') paid.set(String(row.claim_id), (paid.get(String(row.claim_id)) ?? 0) + amount)
    if (row.reverses_payment_id !== null || reversed.has(String(row.id)) || amount <= 0) continue
    const payment = standing.get(String(row.id)) ?? {
      caseId: String(row.case_id),
      on: String(row.received_on),
      claimIds: []
    }
    payment.claimIds.push(String(row.claim_id))
    standing.set(String(row.id), payment)
  }
  for (const row of claims) {
    inputs
      .get(String(row.case_id))
      ?.storedClaims.set(String(row.id), (row.prescription_on as CalendarDate | null) ?? null)
  }
  group(
    claims,
    (row) => ({
      id: String(row.id),
      dueOn: String(row.due_on),
      principalCents: Number(row.principal_cents),
      principalPaidCents: paid.get(String(row.id)) ?? 0
    }),
    (input) => input.claims as CasePrescriptionInput['claims'][number][]
  )
  for (const payment of standing.values()) {
    ;(inputs.get(payment.caseId)?.payments as Array<CasePrescriptionInput['payments'][number]> | undefined)?.push(
      payment
    )
  }
  group(
    plans.filter((row) => isAgreedPlan({ agreedOn: row.agreed_on as string | null, status: String(row.status) })),
    (row) => String(row.agreed_on),
    (input) => input.plansAgreedOn as CalendarDate[]
  )
  group(
    events,
    (row) => ({
      kind: row.kind as PrescriptionLegalEventKind,
      claimId: (row.claim_id as string | null) ?? null,
      occurredOn: String(row.occurred_on),
      enforceableOn: (row.enforceable_on as string | null) ?? null
    }),
    (input) => input.legalEvents as Array<CasePrescriptionInput['legalEvents'][number]>
  )
  const result = new Map<string, Computed>()
  for (const [caseId, input] of inputs) {
    result.set(caseId, {
      stored: input.stored,
      storedClaims: input.storedClaims,
      claims: storedClaimExpiries(input, input.closed)
    })
  }
  return result
}
