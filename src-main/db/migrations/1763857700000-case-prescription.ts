import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The earliest prescription date among a case's open claims, stored and indexed (issue 4): the
 * agenda counts it down and the portfolio filters and sorts on it at 200,000 cases.
 *
 * FROZEN: a migration must do the same thing forever, whatever later becomes of the app's
 * code. The rules it applied when it was written (convention 13 of the domain notes: 2 years
 * professional → consumer, 5 years otherwise, 10 years from an enforceable judgment; payments,
 * signed plans, acknowledgements, court claims and enforcement acts restart the period) are
 * copied below from src-shared/money/prescription*.ts and modules/money/case-prescription.ts as
 * they stood, and must not be edited. Later migrations may call `frozenClaimExpiries` (it is
 * part of this file, whose SHA-256 is locked in migrations.lock.json).
 */
export class CasePrescription1763857700000 implements MigrationInterface {
  name = 'CasePrescription1763857700000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "collection_case" ADD COLUMN "prescription_on" varchar(10)`)
    await queryRunner.query(
      `CREATE INDEX "ix_case_prescription_on" ON "collection_case" ("prescription_on", "reference") `
    )
    const ids = ((await queryRunner.query('SELECT id FROM collection_case ORDER BY id')) as Array<{ id: string }>).map(
      (r) => r.id
    )
    for (let i = 0; i < ids.length; i += CHUNK) {
      const computed = await frozenClaimExpiries(queryRunner.manager, ids.slice(i, i + CHUNK))
      for (const [caseId, claims] of computed) {
        let earliest: string | null = null
        for (const claim of claims) {
          if (claim.open && (earliest === null || claim.expiresOn < earliest)) earliest = claim.expiresOn
        }
        if (earliest !== null) {
          await queryRunner.query('UPDATE collection_case SET prescription_on = ? WHERE id = ?', [earliest, caseId])
        }
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_case_prescription_on"`)
    await queryRunner.query(`ALTER TABLE "collection_case" DROP COLUMN "prescription_on"`)
  }
}

/** Cases read per round: an IN list well under SQLite's bound on parameters. */
const CHUNK = 500

type Raw = Record<string, unknown>
type Party = 'consumer' | 'non_professional' | 'professional'
type Interruption = { on: string; kind: string }

/** Each claim of the given cases (due-date order) with its expiry under the rules of 2026-11. */
export async function frozenClaimExpiries(
  manager: EntityManager,
  caseIds: string[]
): Promise<Map<string, Array<{ id: string; open: boolean; expiresOn: string }>>> {
  const marks = caseIds.map(() => '?').join(', ')
  const q = (sql: string): Promise<Raw[]> => manager.query(sql.replace('(?)', `(${marks})`), caseIds)
  const cases = await q(
    `SELECT c.id, cl.kind AS ck, cl.acts_professionally AS cp, d.kind AS dk, d.acts_professionally AS dp
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

  const truthy = (v: unknown) => v === 1 || v === true || v === '1'
  const party = (kind: unknown, pro: unknown): Party =>
    truthy(pro) ? 'professional' : kind === 'individual' ? 'consumer' : 'non_professional'
  const paid = new Map<string, number>()
  const reversed = new Set(
    payments
      .map((p) => p.reverses_payment_id)
      .filter((v) => v !== null)
      .map(String)
  )
  const paidOn = new Map<string, Interruption[]>()
  const seen = new Set<string>()
  for (const row of payments) {
    const amount = Number(row.amount_cents)
    const claimId = String(row.claim_id)
    if (row.component === 'principal') paid.set(claimId, (paid.get(claimId) ?? 0) + amount)
    if (row.reverses_payment_id !== null || reversed.has(String(row.id)) || amount <= 0) continue
    if (seen.has(`${String(row.id)}/${claimId}`)) continue
    seen.add(`${String(row.id)}/${claimId}`)
    paidOn.set(claimId, [...(paidOn.get(claimId) ?? []), { on: String(row.received_on), kind: 'payment' }])
  }
  const planOn = new Map<string, Interruption[]>()
  for (const row of plans) {
    if (!['active', 'completed', 'defaulted'].includes(String(row.status))) continue
    const caseId = String(row.case_id)
    planOn.set(caseId, [...(planOn.get(caseId) ?? []), { on: String(row.agreed_on), kind: 'payment_plan' }])
  }
  const eventsOf = new Map<string, Raw[]>()
  for (const row of events) eventsOf.set(String(row.case_id), [...(eventsOf.get(String(row.case_id)) ?? []), row])
  const claimsOf = new Map<string, Raw[]>()
  for (const row of claims) claimsOf.set(String(row.case_id), [...(claimsOf.get(String(row.case_id)) ?? []), row])

  const result = new Map<string, Array<{ id: string; open: boolean; expiresOn: string }>>()
  for (const row of cases) {
    const caseId = String(row.id)
    const creditor = party(row.ck, row.cp)
    const debtor = party(row.dk, row.dp)
    const list = [...(claimsOf.get(caseId) ?? [])].sort((a, b) => (String(a.due_on) < String(b.due_on) ? -1 : 1))
    result.set(
      caseId,
      list.map((claim) => {
        const claimId = String(claim.id)
        let judgmentOn: string | null = null
        const interruptions: Interruption[] = [...(planOn.get(caseId) ?? []), ...(paidOn.get(claimId) ?? [])]
        for (const event of eventsOf.get(caseId) ?? []) {
          if (event.claim_id !== null && String(event.claim_id) !== claimId) continue
          if (event.kind === 'judgment') {
            const on = (event.enforceable_on as string | null) ?? null
            if (on !== null && (judgmentOn === null || on < judgmentOn)) judgmentOn = on
          } else if (['acknowledgement', 'court_claim', 'enforcement_act'].includes(String(event.kind))) {
            interruptions.push({ on: String(event.occurred_on), kind: String(event.kind) })
          }
        }
        return {
          id: claimId,
          open: (paid.get(claimId) ?? 0) < Number(claim.principal_cents),
          expiresOn: expiry(String(claim.due_on), creditor, debtor, judgmentOn, interruptions)
        }
      })
    )
  }
  return result
}

/** computePrescription as it stood (C. civ. 2224, 2231, 2240, 2241, 2244; L218-2; CPCE L111-4). */
function expiry(
  startsOn: string,
  creditor: Party,
  debtor: Party,
  judgmentOn: string | null,
  interruptions: Interruption[]
): string {
  type Step = { at: string; judgment: boolean }
  const steps: Step[] = interruptions.map((event) => ({ at: event.on, judgment: false }))
  if (judgmentOn !== null) steps.push({ at: judgmentOn, judgment: true })
  steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.judgment === b.judgment ? 0 : a.judgment ? -1 : 1))
  let years = creditor === 'professional' && debtor === 'consumer' ? 2 : 5
  let runningFrom = startsOn
  let expiresOn = addYears(startsOn, years)
  for (const step of steps) {
    if (step.at < runningFrom) continue
    if (step.judgment) years = 10
    else if (step.at > expiresOn) continue
    runningFrom = step.at
    expiresOn = addYears(step.at, years)
  }
  return expiresOn
}

/** Calendar years; 29 February falls back to 28 February (as addMonths did). */
function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const year = y + years
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate()
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}
