import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '@main/db/database'
import { writeDemoPortfolio } from '@main/modules/demo/demo-writer'
import { nameSortKey } from '@main/modules/search/search-text'
import { UsersService } from '@main/modules/users/users.service'
import { fixedClock } from '@main/platform/clock'
import { solvencyFactFields } from '@shared/contract'
import { CALL_ANSWERERS, CALL_OUTCOMES } from '@shared/domain/enums'
import { isUuid7, uuid7Timestamp } from '@shared/ids/uuid7'
import { isValidIban } from '@shared/validation/iban'
import { isValidSiren, isValidSiret } from '@shared/validation/siren'

const CASES = 1_500
const SEED = 42
const TODAY = '2026-11-23'

const GENERATED_TABLES = [
  'app_user',
  'client',
  'mandate',
  'debtor',
  'debtor_address',
  'debtor_phone',
  'debtor_email',
  'solvency_note',
  'collection_case',
  'claim',
  'journal_entry',
  'payment',
  'allocation',
  'payment_promise',
  'payment_plan',
  'installment'
]

type Row = Record<string, unknown>

interface DemoDatabase {
  db: Database
  dir: string
  adminId: string
  progress: Array<[number, number]>
}

async function openDemo(seed: number): Promise<DemoDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'recouvra-demo-'))
  const db = await Database.open(dir)
  await new UsersService(db, fixedClock(`${TODAY}T08:00:00Z`)).ensureAdministrator()
  const progress: Array<[number, number]> = []
  await db.bulkWrite((manager) =>
    writeDemoPortfolio(manager, {
      cases: CASES,
      seed,
      today: TODAY,
      onProgress: (written, total) => progress.push([written, total])
    })
  )
  const [admin] = await db.read((m) => m.query(`SELECT id FROM app_user WHERE role = 'admin'`))
  return { db, dir, adminId: admin.id, progress }
}

async function closeDemo(demo: DemoDatabase | undefined): Promise<void> {
  if (!demo) return
  await demo.db.close()
  rmSync(demo.dir, { recursive: true, force: true })
}

function query(demo: DemoDatabase, sql: string, parameters: unknown[] = []): Promise<Row[]> {
  return demo.db.read((manager) => manager.query(sql, parameters))
}

async function count(demo: DemoDatabase, sql: string): Promise<number> {
  const [row] = await query(demo, sql)
  return Number(Object.values(row ?? {})[0])
}

/** Everything the generator wrote, in id order; the administrator (made at run time) aside. */
async function dump(demo: DemoDatabase, table: string): Promise<string> {
  const rows = await query(demo, `SELECT * FROM "${table}" WHERE id <> ? ORDER BY id`, [demo.adminId])
  return JSON.stringify(rows)
}

describe('demo portfolio generator', () => {
  let demo: DemoDatabase
  let twin: DemoDatabase | undefined
  let other: DemoDatabase | undefined

  beforeAll(async () => {
    demo = await openDemo(SEED)
  })

  afterAll(async () => {
    await closeDemo(demo)
    await closeDemo(twin)
    await closeDemo(other)
  })

  it('reports progress up to the requested number of cases', () => {
    expect(demo.progress.length).toBeGreaterThan(1)
    expect(demo.progress.at(-1)).toEqual([CASES, CASES])
    for (let i = 1; i < demo.progress.length; i++) {
      expect(demo.progress[i]![0]).toBeGreaterThan(demo.progress[i - 1]![0])
    }
  })

  it('is deterministic for a seed and a day, ids included, and changes with the seed', async () => {
    twin = await openDemo(SEED)
    other = await openDemo(SEED + 1)
    for (const table of GENERATED_TABLES) {
      expect(await dump(twin, table), table).toBe(await dump(demo, table))
    }
    for (const table of ['collection_case', 'claim', 'debtor', 'journal_entry']) {
      expect(await dump(other, table), table).not.toBe(await dump(demo, table))
    }
  })

  it('leaves a sound database: integrity, foreign keys, unique invoice numbers per client', async () => {
    expect(await query(demo, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])
    expect(await query(demo, 'PRAGMA foreign_key_check')).toEqual([])
    const duplicates = await query(
      demo,
      'SELECT client_id, invoice_number, COUNT(*) AS n FROM claim GROUP BY client_id, invoice_number HAVING n > 1'
    )
    expect(duplicates).toEqual([])
    // References outside declared foreign keys.
    const dangling = await count(
      demo,
      `SELECT
         (SELECT COUNT(*) FROM claim c JOIN collection_case k ON k.id = c.case_id WHERE k.client_id <> c.client_id)
       + (SELECT COUNT(*) FROM collection_case k JOIN mandate m ON m.id = k.mandate_id WHERE m.client_id <> k.client_id)
       + (SELECT COUNT(*) FROM payment_promise p LEFT JOIN journal_entry j ON j.id = p.journal_entry_id
            WHERE j.id IS NULL OR j.case_id <> p.case_id OR j.kind <> 'call' OR j.related_id IS NOT p.id
               OR json_extract(j.details, '$.promiseId') IS NOT p.id OR j.created_at <> p.created_at)
       + (SELECT COUNT(*) FROM journal_entry j WHERE j.related_id IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM payment p WHERE p.id = j.related_id AND p.case_id = j.case_id) AND NOT EXISTS
            (SELECT 1 FROM payment_plan p WHERE p.id = j.related_id AND p.case_id = j.case_id) AND NOT EXISTS
            (SELECT 1 FROM payment_promise p WHERE p.id = j.related_id AND p.case_id = j.case_id))
       + (SELECT COUNT(*) FROM journal_entry j WHERE j.kind = 'call' AND json_extract(j.details, '$.phoneId') IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM debtor_phone f JOIN collection_case k ON k.debtor_id = f.debtor_id
              WHERE k.id = j.case_id AND f.id = json_extract(j.details, '$.phoneId')
                AND f.number = json_extract(j.details, '$.phoneNumber')))
       + (SELECT COUNT(*) FROM solvency_note s LEFT JOIN collection_case k ON k.id = s.case_id
            WHERE k.id IS NULL OR k.debtor_id <> s.debtor_id)
       + (SELECT COUNT(*) FROM journal_entry j WHERE j.author_id IS NOT NULL AND j.author_id NOT IN (SELECT id FROM app_user))`
    )
    expect(dangling).toBe(0)
  })

  it('creates users, clients and cases in the expected proportions', async () => {
    expect(await count(demo, `SELECT COUNT(*) FROM app_user WHERE role = 'admin'`)).toBe(1)
    expect(await count(demo, `SELECT COUNT(*) FROM app_user WHERE role = 'manager'`)).toBe(1)
    expect(await count(demo, `SELECT COUNT(*) FROM app_user WHERE role = 'collector'`)).toBe(3)
    const logins = await query(demo, `SELECT login FROM app_user WHERE role <> 'admin'`)
    for (const { login } of logins) expect(login).toMatch(/^[a-z]\.[a-z]+\d*$/)

    expect(await count(demo, 'SELECT COUNT(*) FROM client')).toBe(8)
    expect(await count(demo, `SELECT COUNT(*) FROM client WHERE kind = 'individual'`)).toBeGreaterThanOrEqual(1)
    expect(await count(demo, `SELECT COUNT(*) FROM client WHERE kind = 'individual' AND acts_professionally = 1`)).toBe(
      0
    )
    expect(await count(demo, 'SELECT COUNT(*) FROM mandate')).toBe(8)
    expect(await count(demo, 'SELECT COUNT(DISTINCT client_id) FROM mandate')).toBe(8)
    expect(await count(demo, 'SELECT COUNT(*) FROM collection_case')).toBe(CASES)

    const share = async (sql: string, of: string) => (await count(demo, sql)) / (await count(demo, of))
    const debtors = 'SELECT COUNT(*) FROM debtor'
    expect(await share(`SELECT COUNT(*) FROM debtor WHERE kind = 'individual'`, debtors)).toBeGreaterThan(0.55)
    expect(await share(`SELECT COUNT(*) FROM debtor WHERE kind = 'individual'`, debtors)).toBeLessThan(0.85)
    const multiCase = `SELECT COUNT(*) FROM (SELECT debtor_id FROM collection_case GROUP BY debtor_id HAVING COUNT(*) > 1)`
    expect(await share(multiCase, debtors)).toBeGreaterThan(0.04)
    expect(await share(multiCase, debtors)).toBeLessThan(0.2)
    expect(
      await count(demo, `SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM collection_case GROUP BY debtor_id)`)
    ).toBeLessThanOrEqual(3)
    expect(await share(`SELECT COUNT(*) FROM debtor_address WHERE valid_to IS NOT NULL`, debtors)).toBeGreaterThan(0.08)
    expect(await share('SELECT COUNT(DISTINCT debtor_id) FROM solvency_note', debtors)).toBeGreaterThan(0.15)
    expect(await share('SELECT COUNT(DISTINCT debtor_id) FROM solvency_note', debtors)).toBeLessThan(0.35)
    // Facts are stored as the solvency form stores them, so the capacity suggestion reads them.
    const facts = await query(demo, 'SELECT category, facts FROM solvency_note')
    for (const note of facts) {
      const parsed = solvencyFactFields.safeParse(JSON.parse(String(note.facts)).fields)
      expect(parsed.success, String(note.facts)).toBe(true)
      expect(parsed.data?.category).toBe(note.category)
    }

    const cases = 'SELECT COUNT(*) FROM collection_case'
    const closed = await share(`SELECT COUNT(*) FROM collection_case WHERE status = 'closed'`, cases)
    const suspended = await share(`SELECT COUNT(*) FROM collection_case WHERE status = 'suspended'`, cases)
    expect(closed).toBeGreaterThan(0.08)
    expect(closed).toBeLessThan(0.25)
    expect(suspended).toBeGreaterThan(0.04)
    expect(suspended).toBeLessThan(0.14)
    const withPayments = await share('SELECT COUNT(DISTINCT case_id) FROM payment', cases)
    expect(withPayments).toBeGreaterThan(0.25)
    expect(withPayments).toBeLessThan(0.45)
    const open = `SELECT COUNT(*) FROM collection_case WHERE status = 'open'`
    const promised = await share('SELECT COUNT(DISTINCT case_id) FROM payment_promise', open)
    expect(promised).toBeGreaterThan(0.08)
    expect(promised).toBeLessThan(0.22)
    const planned = await share('SELECT COUNT(DISTINCT case_id) FROM payment_plan', cases)
    expect(planned).toBeGreaterThan(0.04)
    expect(planned).toBeLessThan(0.14)
    for (const phase of ['amicable', 'formal_notice', 'judicial', 'enforcement', 'closed']) {
      expect(await count(demo, `SELECT COUNT(*) FROM collection_case WHERE phase = '${phase}'`), phase).toBeGreaterThan(
        0
      )
    }
    const claimsPerCase = await count(demo, 'SELECT COUNT(*) * 1.0 / (SELECT COUNT(*) FROM collection_case) FROM claim')
    expect(claimsPerCase).toBeGreaterThan(1.5)
    expect(claimsPerCase).toBeLessThan(3)
  })

  it('only writes valid SIRENs, SIRETs, IBANs, phones and addresses', async () => {
    const clients = await query(demo, 'SELECT kind, siren, iban, bic, postal_code FROM client')
    for (const client of clients) {
      if (client.kind === 'company') expect(isValidSiren(String(client.siren)), String(client.siren)).toBe(true)
      else expect(client.siren).toBeNull()
      expect(isValidIban(String(client.iban)), String(client.iban)).toBe(true)
      expect(String(client.iban)).toMatch(/^FR76\d{23}$/)
      expect(String(client.bic)).toMatch(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/)
      expect(String(client.postal_code)).toMatch(/^\d{5}$/)
    }
    const debtors = await query(demo, 'SELECT kind, siren, siret, acts_professionally FROM debtor')
    let companies = 0
    for (const debtor of debtors) {
      if (debtor.kind === 'company') {
        companies++
        expect(Number(debtor.acts_professionally)).toBe(1)
      }
      if (debtor.siren === null) {
        expect(debtor.kind).toBe('individual')
        expect(debtor.siret).toBeNull()
        continue
      }
      expect(isValidSiren(String(debtor.siren)), String(debtor.siren)).toBe(true)
      expect(isValidSiret(String(debtor.siret)), String(debtor.siret)).toBe(true)
      expect(String(debtor.siret).slice(0, 9)).toBe(debtor.siren)
    }
    expect(companies).toBeGreaterThan(0)
    expect(await count(demo, 'SELECT COUNT(*) - COUNT(DISTINCT siren) FROM debtor WHERE siren IS NOT NULL')).toBe(0)

    const phones = await query(demo, 'SELECT number, kind, status FROM debtor_phone')
    for (const phone of phones) {
      expect(String(phone.number)).toMatch(phone.kind === 'mobile' ? /^\+33[67]\d{8}$/ : /^\+33[1-5]\d{8}$/)
    }
    expect(phones.some((p) => p.status === 'invalid')).toBe(true)
    expect(await count(demo, 'SELECT MIN(n) FROM (SELECT COUNT(*) AS n FROM debtor_phone GROUP BY debtor_id)')).toBe(1)
    expect(await count(demo, 'SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM debtor_phone GROUP BY debtor_id)')).toBe(3)
    expect(await count(demo, 'SELECT COUNT(*) FROM debtor WHERE id NOT IN (SELECT debtor_id FROM debtor_phone)')).toBe(
      0
    )
    expect(await count(demo, 'SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM debtor_email GROUP BY debtor_id)')).toBe(2)
    const emails = await query(demo, 'SELECT address FROM debtor_email')
    for (const { address } of emails) expect(String(address)).toMatch(/^[a-z0-9.-]+@[a-z0-9-]+\.example$/)
    expect(
      await count(demo, `SELECT COUNT(*) FROM debtor_address WHERE postal_code NOT GLOB '[0-9][0-9][0-9][0-9][0-9]'`)
    ).toBe(0)
    const people = await query(
      demo,
      `SELECT civility, first_name, last_name, display_name FROM debtor WHERE kind = 'individual'`
    )
    for (const person of people) {
      expect(person.display_name).toBe(`${String(person.last_name).toUpperCase()} ${String(person.first_name)}`)
      expect(['M.', 'Mme']).toContain(person.civility)
    }
    expect(
      await count(
        demo,
        `SELECT COUNT(*) FROM debtor WHERE birth_date IS NOT NULL AND (birth_date < '1945-01-01' OR birth_date > '2003-12-31')`
      )
    ).toBe(0)
  })

  it('keeps every case summary equal to the aggregates of its rows', async () => {
    const mismatches = await query(
      demo,
      `WITH claims AS (
         SELECT case_id, SUM(principal_cents) AS principal, COUNT(*) AS n, MIN(due_on) AS oldest FROM claim GROUP BY case_id
       ), paid AS (
         SELECT case_id, SUM(amount_cents) AS paid FROM payment GROUP BY case_id
       ), calls AS (
         SELECT case_id, occurred_at, json_extract(details, '$.outcome') AS outcome,
                ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY occurred_at DESC) AS rank
         FROM journal_entry WHERE kind = 'call'
       )
       SELECT k.reference FROM collection_case k
       JOIN claims c ON c.case_id = k.id
       LEFT JOIN paid p ON p.case_id = k.id
       LEFT JOIN calls l ON l.case_id = k.id AND l.rank = 1
       WHERE k.principal_cents <> c.principal
          OR k.paid_cents <> COALESCE(p.paid, 0)
          OR k.balance_cents <> c.principal - COALESCE(p.paid, 0)
          OR k.balance_cents < 0
          OR k.claim_count <> c.n
          OR k.oldest_due_on IS NOT (CASE WHEN k.balance_cents = 0 THEN NULL ELSE c.oldest END)
          OR k.last_contact_at IS NOT l.occurred_at
          OR k.last_contact_outcome IS NOT l.outcome`
    )
    expect(mismatches).toEqual([])
    expect(await count(demo, 'SELECT COUNT(*) FROM collection_case WHERE id NOT IN (SELECT case_id FROM claim)')).toBe(
      0
    )
    const sortKeys = await query(
      demo,
      'SELECT k.debtor_sort_name, d.display_name FROM collection_case k JOIN debtor d ON d.id = k.debtor_id'
    )
    for (const row of sortKeys) expect(row.debtor_sort_name).toBe(nameSortKey(String(row.display_name)))
    expect(await count(demo, 'SELECT COUNT(*) FROM collection_case WHERE last_contact_at IS NOT NULL')).toBeGreaterThan(
      CASES / 2
    )
  })

  it('gives cases a believable life: statuses, dates and references', async () => {
    const wrong = await count(
      demo,
      `SELECT COUNT(*) FROM collection_case WHERE
            reference NOT GLOB 'REC-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'
         OR substr(reference, 5, 4) <> substr(opened_on, 1, 4)
         OR opened_on < date('${TODAY}', '-1095 days') OR opened_on >= '${TODAY}'
         OR (status = 'closed') <> (phase = 'closed')
         OR (status = 'closed') <> (closed_on IS NOT NULL)
         OR (status = 'closed') <> (closure_reason IS NOT NULL)
         OR (status = 'suspended') <> (suspension_reason IS NOT NULL)
         OR (status = 'closed') = (next_action_on IS NOT NULL)
         OR (closure_reason = 'paid' AND balance_cents <> 0)
         OR (status <> 'closed' AND balance_cents = 0)
         OR closed_on < opened_on OR closed_on >= '${TODAY}'
         OR collector_id IS NULL`
    )
    expect(wrong).toBe(0)
    const nextActions = await query(
      demo,
      `SELECT SUM(next_action_on < '${TODAY}') AS overdue, SUM(next_action_on = '${TODAY}') AS today,
              SUM(next_action_on > '${TODAY}') AS future
       FROM collection_case WHERE status = 'open'`
    )
    expect(Number(nextActions[0]!.overdue)).toBeGreaterThan(0)
    expect(Number(nextActions[0]!.today)).toBeGreaterThan(0)
    expect(Number(nextActions[0]!.future)).toBeGreaterThan(0)
    const suspendedReasons = await query(
      demo,
      `SELECT DISTINCT suspension_reason FROM collection_case WHERE status = 'suspended'`
    )
    expect(suspendedReasons.length).toBeGreaterThanOrEqual(3)
    const closureReasons = await query(
      demo,
      `SELECT DISTINCT closure_reason FROM collection_case WHERE status = 'closed'`
    )
    expect(closureReasons.length).toBe(4)
  })

  it('writes claims with consistent invoices, dates, amounts and interest bases', async () => {
    const wrong = await count(
      demo,
      `SELECT COUNT(*) FROM claim c JOIN collection_case k ON k.id = c.case_id
       JOIN client cl ON cl.id = c.client_id JOIN debtor d ON d.id = k.debtor_id
       WHERE c.invoice_number NOT GLOB '[A-Z]*-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]'
          OR substr(c.invoice_number, instr(c.invoice_number, '-') + 1, 4) <> substr(c.issued_on, 1, 4)
          OR julianday(c.due_on) - julianday(c.issued_on) NOT IN (30, 45, 60)
          OR c.due_on >= k.opened_on
          OR c.principal_cents < 5000 OR c.principal_cents > 2500000
          OR (c.interest_basis = 'b2b_penalty') <> (cl.acts_professionally = 1 AND d.acts_professionally = 1 AND c.contractual_rate_bp IS NULL)
          OR c.indemnity_applies <> (cl.acts_professionally = 1 AND d.acts_professionally = 1)
          OR (c.interest_basis = 'contractual') <> (c.contractual_rate_bp IS NOT NULL)
          OR c.interest_basis NOT IN ('legal', 'b2b_penalty', 'contractual')`
    )
    expect(wrong).toBe(0)
    for (const basis of ['legal', 'b2b_penalty', 'contractual']) {
      expect(await count(demo, `SELECT COUNT(*) FROM claim WHERE interest_basis = '${basis}'`), basis).toBeGreaterThan(
        0
      )
    }
    // Skewed towards small amounts: the median well below the mean.
    const [stats] = await query(demo, 'SELECT AVG(principal_cents) AS mean FROM claim')
    const [median] = await query(
      demo,
      'SELECT principal_cents FROM claim ORDER BY principal_cents LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM claim)'
    )
    expect(Number(median!.principal_cents)).toBeLessThan(Number(stats!.mean))
  })

  it('writes journals of 2 to 12 entries, in date order, between opening and today', async () => {
    const [sizes] = await query(
      demo,
      'SELECT MIN(n) AS min, MAX(n) AS max FROM (SELECT COUNT(*) AS n FROM journal_entry GROUP BY case_id)'
    )
    expect(Number(sizes!.min)).toBeGreaterThanOrEqual(2)
    expect(Number(sizes!.max)).toBeLessThanOrEqual(12)
    expect(
      await count(demo, 'SELECT COUNT(*) FROM collection_case WHERE id NOT IN (SELECT case_id FROM journal_entry)')
    ).toBe(0)
    const outOfRange = await count(
      demo,
      `SELECT COUNT(*) FROM journal_entry j JOIN collection_case k ON k.id = j.case_id
       WHERE substr(j.occurred_at, 1, 10) < k.opened_on OR j.occurred_at >= '${TODAY}'
          OR (k.closed_on IS NOT NULL AND substr(j.occurred_at, 1, 10) > k.closed_on)
          OR j.created_at <> j.occurred_at`
    )
    expect(outOfRange).toBe(0)
    // Ids are time-ordered: in id order, each case's entries never go back in time.
    const unordered = await count(
      demo,
      `SELECT COUNT(*) FROM (
         SELECT occurred_at, LAG(occurred_at) OVER (PARTITION BY case_id ORDER BY id) AS previous FROM journal_entry
       ) WHERE occurred_at <= previous`
    )
    expect(unordered).toBe(0)
    const calls = await query(demo, `SELECT details, author_id FROM journal_entry WHERE kind = 'call' LIMIT 500`)
    for (const call of calls) {
      const details = JSON.parse(String(call.details))
      expect(details).toMatchObject({ direction: expect.stringMatching(/^(outbound|inbound)$/) })
      expect(CALL_OUTCOMES.values).toContain(details.outcome)
      expect(CALL_ANSWERERS.values).toContain(details.answeredBy)
      expect(details.outcome === 'wrong_number').toBe(details.answeredBy === 'wrong_number')
      expect(details.phoneNumber).toMatch(/^\+33\d{9}$/)
      expect(details.durationSeconds).toEqual(expect.any(Number))
      expect(call.author_id).not.toBeNull()
    }
    for (const kind of ['call', 'letter', 'email', 'sms', 'note', 'phase_change', 'status_change', 'payment', 'plan']) {
      expect(await count(demo, `SELECT COUNT(*) FROM journal_entry WHERE kind = '${kind}'`), kind).toBeGreaterThan(0)
    }
    expect(
      await count(demo, `SELECT COUNT(*) FROM journal_entry WHERE kind = 'letter' AND author_id IS NULL`)
    ).toBeGreaterThan(0)
    expect(
      await count(
        demo,
        `SELECT COUNT(*) FROM journal_entry j JOIN collection_case k ON k.id = j.case_id
         WHERE j.author_id IS NOT NULL AND j.author_id <> k.collector_id`
      )
    ).toBe(0)
  })

  it('allocates every payment to principal, oldest claim first, never beyond a claim', async () => {
    const wrong = await count(
      demo,
      `SELECT
         (SELECT COUNT(*) FROM payment p WHERE p.amount_cents <> (SELECT SUM(a.amount_cents) FROM allocation a WHERE a.payment_id = p.id))
       + (SELECT COUNT(*) FROM allocation WHERE component <> 'principal' OR amount_cents <= 0 OR manual <> 0)
       + (SELECT COUNT(*) FROM claim c WHERE c.principal_cents < (SELECT COALESCE(SUM(a.amount_cents), 0) FROM allocation a WHERE a.claim_id = c.id))
       + (SELECT COUNT(*) FROM allocation a JOIN payment p ON p.id = a.payment_id JOIN claim c ON c.id = a.claim_id WHERE c.case_id <> p.case_id)
       + (SELECT COUNT(*) FROM payment WHERE amount_cents <= 0 OR received_on >= '${TODAY}'
            OR (collected_on IS NOT NULL AND julianday(collected_on) - julianday(received_on) NOT BETWEEN 0 AND 3))`
    )
    expect(wrong).toBe(0)
    // Oldest first: no claim receives money while an older claim of its case is still unpaid at the end.
    const skipped = await count(
      demo,
      `WITH allocated AS (
         SELECT c.id, c.case_id, c.due_on, c.principal_cents, COALESCE(SUM(a.amount_cents), 0) AS paid
         FROM claim c LEFT JOIN allocation a ON a.claim_id = c.id GROUP BY c.id
       )
       SELECT COUNT(*) FROM allocated newer JOIN allocated older
         ON older.case_id = newer.case_id AND older.due_on < newer.due_on
       WHERE newer.paid > 0 AND older.paid < older.principal_cents`
    )
    expect(skipped).toBe(0)
    const methods = await query(demo, 'SELECT DISTINCT method FROM payment')
    expect(methods.length).toBeGreaterThanOrEqual(4)
    expect(await count(demo, `SELECT COUNT(*) FROM payment WHERE received_by = 'client'`)).toBeGreaterThan(0)
  })

  it('keeps promises and plans consistent with payments and dates', async () => {
    const promises = await query(demo, 'SELECT * FROM payment_promise')
    expect(new Set(promises.map((p) => p.status))).toEqual(new Set(['pending', 'kept', 'broken']))
    for (const promise of promises) {
      const [{ n }] = (await query(
        demo,
        `SELECT COUNT(*) AS n FROM payment WHERE case_id = ? AND received_on >= ? AND received_on <= ? AND amount_cents >= ?`,
        [promise.case_id, promise.made_on, promise.due_on, promise.amount_cents]
      )) as [{ n: number }]
      if (promise.status === 'pending') expect(String(promise.due_on) >= TODAY).toBe(true)
      else expect(String(promise.due_on) < TODAY).toBe(true)
      expect(Number(n) > 0, `promise ${String(promise.id)} ${String(promise.status)}`).toBe(promise.status === 'kept')
    }
    const wrongPlans = await count(
      demo,
      `SELECT COUNT(*) FROM payment_plan p WHERE
            p.installment_count <> (SELECT COUNT(*) FROM installment i WHERE i.plan_id = p.id)
         OR p.total_cents - p.down_payment_cents <> (SELECT SUM(amount_cents) FROM installment i WHERE i.plan_id = p.id)
         OR p.first_due_on <> (SELECT MIN(due_on) FROM installment i WHERE i.plan_id = p.id)
         OR (p.status = 'proposed') <> (p.agreed_on IS NULL)
         OR (p.status IN ('completed', 'defaulted')) <> (p.ended_on IS NOT NULL)
         OR (p.status = 'completed' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = p.id AND i.status <> 'paid'))
         OR (p.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = p.id AND i.status IN ('missed', 'partial')))
         OR (p.status = 'completed') <> (SELECT closure_reason = 'paid' FROM collection_case k WHERE k.id = p.case_id)`
    )
    expect(wrongPlans).toBe(0)
    const wrongInstallments = await count(
      demo,
      `SELECT COUNT(*) FROM installment WHERE
            (status = 'paid' AND paid_cents <> amount_cents)
         OR (status = 'partial' AND (paid_cents <= 0 OR paid_cents >= amount_cents))
         OR (status IN ('due', 'missed') AND paid_cents <> 0)
         OR (status = 'due') <> (due_on >= '${TODAY}' OR plan_id IN (SELECT id FROM payment_plan WHERE status = 'proposed'))`
    )
    expect(wrongInstallments).toBe(0)
    // What installments say was paid went through payments of the same case.
    const underpaid = await count(
      demo,
      `SELECT COUNT(*) FROM payment_plan p WHERE
         (SELECT SUM(paid_cents) FROM installment i WHERE i.plan_id = p.id) + p.down_payment_cents * (p.agreed_on IS NOT NULL)
         > (SELECT COALESCE(SUM(amount_cents), 0) FROM payment WHERE case_id = p.case_id)`
    )
    expect(underpaid).toBe(0)
    expect(await count(demo, `SELECT COUNT(DISTINCT status) FROM payment_plan`)).toBeGreaterThanOrEqual(4)
    expect(await count(demo, `SELECT COUNT(*) FROM payment_plan WHERE frequency = 'monthly'`)).toBeGreaterThan(
      (await count(demo, 'SELECT COUNT(*) FROM payment_plan')) / 2
    )
  })

  it('derives ids from the PRNG in UUID v7 layout, timed by each record’s own date', async () => {
    for (const table of GENERATED_TABLES) {
      const rows = await query(demo, `SELECT id, created_at FROM "${table}" WHERE id <> ?`, [demo.adminId])
      for (const row of rows) {
        const id = String(row.id)
        expect(isUuid7(id), `${table} ${id}`).toBe(true)
        expect(new Date(uuid7Timestamp(id)).toISOString(), `${table} ${id}`).toBe(row.created_at)
      }
    }
  })

  it('stamps every record with consistent instants, a known author and version 1', async () => {
    const iso = `'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].000Z'`
    for (const table of GENERATED_TABLES) {
      const mutable =
        (await query(demo, `SELECT name FROM pragma_table_info('${table}') WHERE name = 'version'`)).length > 0
      const wrong = await count(
        demo,
        `SELECT COUNT(*) FROM "${table}" WHERE id <> '${demo.adminId}' AND (
              created_at NOT GLOB ${iso} OR created_at >= '${TODAY}'
           OR (created_by IS NOT NULL AND created_by NOT IN (SELECT id FROM app_user WHERE id <> '${demo.adminId}'))
           ${mutable ? `OR updated_at NOT GLOB ${iso} OR updated_at < created_at OR updated_at >= '${TODAY}' OR version <> 1` : ''})`
      )
      expect(wrong, table).toBe(0)
    }
    // A case changes when its journal, payments, promises or plans do.
    const stale = await count(
      demo,
      `SELECT COUNT(*) FROM collection_case k WHERE
            k.updated_at < (SELECT MAX(occurred_at) FROM journal_entry j WHERE j.case_id = k.id)
         OR k.updated_at < (SELECT COALESCE(MAX(created_at), '') FROM payment p WHERE p.case_id = k.id)
         OR k.updated_at < (SELECT COALESCE(MAX(updated_at), '') FROM payment_promise p WHERE p.case_id = k.id)
         OR k.updated_at < (SELECT COALESCE(MAX(updated_at), '') FROM payment_plan p WHERE p.case_id = k.id)`
    )
    expect(stale).toBe(0)
  })
})
