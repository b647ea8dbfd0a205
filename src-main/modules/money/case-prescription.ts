import type { EntityManager } from 'typeorm'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { type CasePrescriptionInput, type PrescriptionLegalEventKind, casePrescriptionOn } from '@shared/money'
import { isAgreedPlan, partyKind } from './money-context'

/** Cases read per round: an IN list well under SQLite's bound on parameters. */
const CHUNK = 500

type Raw = Record<string, unknown>

/**
 * Keeps `collection_case.prescription_on` (the earliest expiry among the case's open claims,
 * see casePrescriptionOn) in step: EVERY writer of something that moves a prescription (payment
 * recorded or reversed, legal event, plan agreed, claims imported, demo data, the migration)
 * calls this in its own transaction. Reads plain rows in bulk (a few queries per 500 cases),
 * writes only the cases whose date changed. Returns how many changed.
 */
export async function refreshCasePrescriptions(
  manager: EntityManager,
  caseIds: readonly string[] | 'all'
): Promise<number> {
  const ids =
    caseIds === 'all'
      ? ((await manager.query('SELECT id FROM collection_case ORDER BY id')) as Array<{ id: string }>).map((r) => r.id)
      : [...new Set(caseIds)]
  let changed = 0
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK)
    const computed = await computeChunk(manager, chunk)
    for (const [caseId, { stored, value }] of computed) {
      if (stored === value) continue
      await manager.query('UPDATE collection_case SET prescription_on = ? WHERE id = ?', [value, caseId])
      changed++
    }
  }
  return changed
}

async function computeChunk(
  manager: EntityManager,
  caseIds: string[]
): Promise<Map<string, { stored: CalendarDate | null; value: CalendarDate | null }>> {
  const marks = caseIds.map(() => '?').join(', ')
  const q = (sql: string): Promise<Raw[]> => manager.query(sql.replace('(?)', `(${marks})`), caseIds)
  const cases = await q(
    `SELECT c.id, c.prescription_on, cl.kind AS ck, cl.acts_professionally AS cp, d.kind AS dk,
            d.acts_professionally AS dp
       FROM collection_case c JOIN client cl ON cl.id = c.client_id JOIN debtor d ON d.id = c.debtor_id
      WHERE c.id IN (?)`
  )
  const claims = await q('SELECT id, case_id, due_on, principal_cents FROM claim WHERE case_id IN (?)')
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

  const inputs = new Map<string, CasePrescriptionInput & { stored: CalendarDate | null }>()
  const group = <T>(rows: Raw[], map: (row: Raw) => T, pick: (input: CasePrescriptionInput) => T[]) => {
    for (const row of rows) {
      const input = inputs.get(String(row.case_id))
      if (input) pick(input).push(map(row))
    }
  }
  const truthy = (v: unknown) => v === 1 || v === true || v === '1'
  for (const row of cases) {
    inputs.set(String(row.id), {
      stored: (row.prescription_on as CalendarDate | null) ?? null,
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
  const result = new Map<string, { stored: CalendarDate | null; value: CalendarDate | null }>()
  for (const [caseId, input] of inputs) {
    // Claims in due-date order, like the case file's, so that ties break the same way.
    ;(input.claims as Array<CasePrescriptionInput['claims'][number]>).sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1))
    result.set(caseId, { stored: input.stored, value: casePrescriptionOn(input) })
  }
  return result
}
