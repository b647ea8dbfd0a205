import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelInput } from '@shared/contract'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { verifyChain } from '../../../src-main/modules/audit/audit-trail'
import { openTempApp, tempDir, TEST_NOW } from '../helpers/temp-app'
import { SKIP_PG_REASON, tempPostgresDatabase, testPostgresUrl } from '../helpers/temp-pg'
import { seedWorkspaceCase } from '../case-file/helpers'
import { refusal } from '../money/fixtures'

/**
 * Agency mode: two collectors' apps (two processes' worth: two pools, two audit contexts) on one
 * PostgreSQL database, writing to the same case at the same time.
 */
describe.skipIf(!testPostgresUrl())('agency mode: two apps on one PostgreSQL database', () => {
  if (!testPostgresUrl()) console.warn(`Skipped: ${SKIP_PG_REASON}`)
  let office: RecouvraApp
  let laptop: RecouvraApp
  const cleanups: Array<() => unknown> = []

  beforeAll(async () => {
    const database = await tempPostgresDatabase()
    const dirA = tempDir()
    const dirB = tempDir()
    office = await createApp({ dataDir: dirA.path, clock: fixedClock(TEST_NOW), databaseUrl: database.url })
    laptop = await createApp({ dataDir: dirB.path, clock: fixedClock(TEST_NOW), databaseUrl: database.url })
    cleanups.push(
      dirA.remove,
      dirB.remove,
      database.drop,
      () => office.close(),
      () => laptop.close()
    )
  })
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })

  const call = (caseId: string, phoneId: string, minute: number): ChannelInput<'calls:log'> => ({
    caseId,
    phoneId,
    direction: 'outbound',
    answeredBy: 'no_answer',
    outcome: 'no_answer',
    startedAt: `2026-11-23T08:${String(minute).padStart(2, '0')}:00.000Z`,
    durationSeconds: 20,
    nextActionOn: '2026-11-24',
    // Twenty calls in an hour, before 10 h: the call policy asks why.
    warningReason: 'Essai de charge du mode cabinet'
  })

  it('loses nothing when both log calls and payments on the same case at once', async () => {
    const c = await seedWorkspaceCase(office)
    const writes: Array<Promise<unknown>> = []
    for (let i = 0; i < 10; i += 1) {
      writes.push(office.call('calls:log', call(c.caseId, c.phoneIds[0]!, i)))
      writes.push(laptop.call('calls:log', call(c.caseId, c.phoneIds[0]!, 30 + i)))
      writes.push(
        (i % 2 ? office : laptop).call('money:record-payment', {
          caseId: c.caseId,
          receivedOn: '2026-11-20',
          amountCents: 100 + i,
          method: 'transfer',
          receivedBy: 'agency'
        })
      )
    }
    const results = await Promise.allSettled(writes)
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    const [counts] = await laptop.db.read((m) =>
      m.query(
        `SELECT (SELECT COUNT(*) FROM journal_entry WHERE case_id = $1 AND kind = 'call') AS calls,
                (SELECT COUNT(*) FROM payment WHERE case_id = $1) AS payments,
                (SELECT SUM(amount_cents) FROM payment WHERE case_id = $1) AS paid,
                (SELECT version FROM collection_case WHERE id = $1) AS version`,
        [c.caseId]
      )
    )
    expect(counts).toEqual({ calls: 20, payments: 10, paid: 1045, version: expect.any(Number) as number })
    // The audit chain stayed one chain although two pools wrote to it.
    const chain = await verifyChain((sql, p) => office.db.read((m) => m.query(sql, p)))
    expect(chain.ok).toBe(true)
  })

  it('keeps a case’s money equal to the sum of its parts when both record payments and calls at once', async () => {
    const c = await seedWorkspaceCase(office)
    const writes: Array<Promise<unknown>> = []
    for (let i = 0; i < 12; i += 1) {
      const app = i % 2 ? office : laptop
      writes.push(
        app.call('money:record-payment', {
          caseId: c.caseId,
          receivedOn: '2026-11-20',
          amountCents: 1_000 + i,
          method: 'transfer',
          receivedBy: 'agency'
        })
      )
      writes.push((i % 2 ? laptop : office).call('calls:log', call(c.caseId, c.phoneIds[0]!, 10 + i)))
    }
    const results = await Promise.allSettled(writes)
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    const [row] = await office.db.read((m) =>
      m.query(
        `SELECT c.principal_cents AS principal, c.paid_cents AS paid, c.balance_cents AS balance,
                (SELECT SUM(principal_cents) FROM claim WHERE case_id = c.id) AS claims,
                (SELECT SUM(amount_cents) FROM payment WHERE case_id = c.id) AS payments,
                (SELECT COUNT(*) FROM payment WHERE case_id = c.id) AS n,
                (SELECT COALESCE(SUM(a.amount_cents), 0) FROM allocation a JOIN payment p ON p.id = a.payment_id
                  WHERE p.case_id = c.id) AS allocated,
                (SELECT COUNT(*) FROM journal_entry WHERE case_id = c.id AND kind = 'call') AS calls
           FROM collection_case c WHERE c.id = $1`,
        [c.caseId]
      )
    )
    expect(Number(row.n)).toBe(12)
    expect(Number(row.calls)).toBe(12)
    expect(Number(row.paid)).toBe(Number(row.payments))
    expect(Number(row.principal)).toBe(Number(row.claims))
    expect(Number(row.balance)).toBe(Math.max(0, Number(row.principal) - Number(row.paid)))
    // Each payment allocated once, against what the one before it left: no cent twice.
    expect(Number(row.allocated)).toBeLessThanOrEqual(Number(row.payments))
    const byPayment = await office.db.read((m) =>
      m.query(
        `SELECT p.id, p.amount_cents AS amount, COALESCE(SUM(a.amount_cents), 0) AS allocated
           FROM payment p LEFT JOIN allocation a ON a.payment_id = p.id WHERE p.case_id = $1 GROUP BY p.id, p.amount_cents`,
        [c.caseId]
      )
    )
    for (const p of byPayment as Array<{ amount: number; allocated: number }>) {
      expect(Number(p.allocated)).toBeLessThanOrEqual(Number(p.amount))
    }
    const chain = await verifyChain((sql, p) => laptop.db.read((m) => m.query(sql, p)))
    expect(chain.ok).toBe(true)
  })

  it('lets payments on different cases run side by side, each audited once in one chain', async () => {
    const cases = [await seedWorkspaceCase(office), await seedWorkspaceCase(laptop)]
    const before = await office.db.read((m) => m.query('SELECT n FROM write_counter'))
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 ? office : laptop).call('money:record-payment', {
          caseId: cases[i % 2]!.caseId,
          receivedOn: '2026-11-21',
          amountCents: 200 + i,
          method: 'cheque',
          receivedBy: 'agency'
        })
      )
    )
    const after = await laptop.db.read((m) => m.query('SELECT n FROM write_counter'))
    // Every write transaction counted (the totals caches of both apps see the other's writes).
    expect(Number(after[0].n) - Number(before[0].n)).toBeGreaterThanOrEqual(16)
    const chain = await verifyChain((sql, p) => office.db.read((m) => m.query(sql, p)))
    expect(chain.ok).toBe(true)
    const [dup] = await office.db.read((m) =>
      m.query(`SELECT COUNT(*) AS n FROM (SELECT row_id FROM audit_entry WHERE table_name = 'payment'
                 AND operation = 'insert' GROUP BY row_id HAVING COUNT(*) > 1) d`)
    )
    expect(Number(dup.n)).toBe(0)
  })

  it('gives the portfolio totals again after a write made on the other app (server-side write counter)', async () => {
    const c = await seedWorkspaceCase(office)
    const query = { limit: 10, filters: { statuses: ['open' as const] } }
    const first = await office.call('cases:list', query)
    await laptop.call('money:record-payment', {
      caseId: c.caseId,
      receivedOn: '2026-11-20',
      amountCents: 777,
      method: 'transfer',
      receivedBy: 'agency'
    })
    const second = await office.call('cases:list', query)
    expect(second.totalBalanceCents).toBe(first.totalBalanceCents - 777)
  })

  it('refuses a stale edit made on the other app, with the current value', async () => {
    const c = await seedWorkspaceCase(office)
    await office.call('case:change-phase', {
      caseId: c.caseId,
      expectedVersion: 1,
      phase: 'formal_notice',
      reason: 'Relances sans effet'
    })
    const error = await refusal(laptop, 'case:change-phase', {
      caseId: c.caseId,
      expectedVersion: 1,
      phase: 'judicial',
      reason: 'Injonction de payer'
    })
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain('Mise en demeure')
  })

  it('the suite helper gives each app its own database', async () => {
    const other = await openTempApp({ postgres: true })
    try {
      const [row] = await other.app.db.read((m) => m.query('SELECT COUNT(*) AS n FROM journal_entry'))
      expect(row.n).toBe(0)
    } finally {
      await other.dispose()
    }
  })
})
