import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'

/**
 * The kept set of the portfolio's set filters (case_flag_set, kept by triggers on payment_promise,
 * payment_plan and installment) stays equal to its definition, recomputed from the rows, as
 * promises are kept, broken or paid and plans default or are cured, on SQLite and PostgreSQL.
 */
let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 400, seed: 11 }))
})
afterAll(() => dispose())

const DEFINITIONS = {
  broken_promise: `SELECT DISTINCT p.case_id FROM payment_promise p WHERE p.status = 'broken' AND NOT EXISTS (
      SELECT 1 FROM payment_promise q WHERE q.case_id = p.case_id AND q.status IN ('kept', 'pending')
        AND (q.made_on > p.made_on OR (q.made_on = p.made_on AND q.created_at > p.created_at)))`,
  plan_in_default: `SELECT DISTINCT pl.case_id FROM payment_plan pl WHERE
      (pl.status = 'defaulted' AND NOT EXISTS (SELECT 1 FROM payment_plan nx WHERE nx.case_id = pl.case_id
        AND nx.status IN ('proposed', 'active', 'completed') AND nx.created_at > pl.created_at))
      OR (pl.status = 'active' AND EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed'))`
} as const

type Flag = keyof typeof DEFINITIONS

async function ids(sql: string, params: unknown[] = []): Promise<string[]> {
  const rows: Array<{ case_id: string }> = await app.db.read((m) => m.query(sql, params))
  return rows.map((r) => r.case_id).sort()
}

const kept = (flag: Flag) => ids(`SELECT case_id FROM case_flag_set WHERE flag = '${flag}'`)
const recomputed = (flag: Flag) => ids(DEFINITIONS[flag])

async function expectConsistent(): Promise<void> {
  for (const flag of Object.keys(DEFINITIONS) as Flag[]) expect(await kept(flag), flag).toEqual(await recomputed(flag))
}

/** Runs statements in one write (one transaction), as the services do. */
async function write(...statements: Array<[string, unknown[]]>): Promise<void> {
  await app.db.write(async (m) => {
    for (const [sql, params] of statements) await m.query(sql, params)
  })
}

/** A positional placeholder in the engine's syntax. */
const $ = (n: number) => (app.db.dataSource.options.type === 'postgres' ? `$${n}` : '?')

async function pick(sql: string): Promise<{ id: string; case_id: string }> {
  const [row] = (await app.db.read((m) => m.query(sql))) as Array<{ id: string; case_id: string }>
  if (!row) throw new Error(`nothing for ${sql}`)
  return row
}

describe('case_flag_set (kept set of the broken-promise and plan-in-default filters)', () => {
  it('is backfilled and kept current from the demo portfolio', async () => {
    expect((await kept('broken_promise')).length).toBeGreaterThan(0)
    expect((await kept('plan_in_default')).length).toBeGreaterThan(0)
    await expectConsistent()
  })

  it('follows promises kept, broken and paid, in the same transaction', async () => {
    const pending = await pick("SELECT id, case_id FROM payment_promise WHERE status = 'pending' ORDER BY id")
    await write([`UPDATE payment_promise SET status = 'broken' WHERE case_id = ${$(1)}`, [pending.case_id]])
    expect(await kept('broken_promise')).toContain(pending.case_id)
    await expectConsistent()
    // A later kept promise cures the broken one.
    await write([`UPDATE payment_promise SET status = 'kept', made_on = '2099-01-01' WHERE id = ${$(1)}`, [pending.id]])
    expect(await kept('broken_promise')).not.toContain(pending.case_id)
    await expectConsistent()
    // Paid (kept in full) then partially kept and broken again, in one write.
    await write(
      [`UPDATE payment_promise SET status = 'partially_kept' WHERE id = ${$(1)}`, [pending.id]],
      [`UPDATE payment_promise SET status = 'broken' WHERE case_id = ${$(1)}`, [pending.case_id]]
    )
    expect(await kept('broken_promise')).toContain(pending.case_id)
    await expectConsistent()
    // Deleted promises leave no stale entry.
    await write([`DELETE FROM payment_promise WHERE case_id = ${$(1)}`, [pending.case_id]])
    expect(await kept('broken_promise')).not.toContain(pending.case_id)
    await expectConsistent()
  })

  it('follows plans defaulted and cured, and installments missed or paid', async () => {
    const active = await pick(
      `SELECT pl.id, pl.case_id FROM payment_plan pl WHERE pl.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM installment i WHERE i.plan_id = pl.id AND i.status = 'missed')
         AND NOT EXISTS (SELECT 1 FROM payment_plan o WHERE o.case_id = pl.case_id AND o.id <> pl.id) ORDER BY pl.id`
    )
    expect(await kept('plan_in_default')).not.toContain(active.case_id)
    // An installment missed: the active plan is in default.
    await write([
      `UPDATE installment SET status = 'missed' WHERE id = (SELECT MIN(id) FROM installment WHERE plan_id = ${$(1)})`,
      [active.id]
    ])
    expect(await kept('plan_in_default')).toContain(active.case_id)
    await expectConsistent()
    // Paid: cured.
    await write([`UPDATE installment SET status = 'paid' WHERE plan_id = ${$(1)}`, [active.id]])
    expect(await kept('plan_in_default')).not.toContain(active.case_id)
    await expectConsistent()
    // Declared in default, then cured by a later plan proposed.
    await write([`UPDATE payment_plan SET status = 'defaulted' WHERE id = ${$(1)}`, [active.id]])
    expect(await kept('plan_in_default')).toContain(active.case_id)
    await expectConsistent()
    await write([
      `INSERT INTO payment_plan (id, created_at, updated_at, version, case_id, status, frequency, first_due_on,
         installment_count, total_cents, down_payment_cents, interest_mode)
       SELECT ${$(1)}, '2099-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', 1, case_id, 'proposed', frequency, first_due_on,
              installment_count, total_cents, down_payment_cents, interest_mode FROM payment_plan WHERE id = ${$(2)}`,
      ['01999999-0000-7000-8000-000000000001', active.id]
    ])
    expect(await kept('plan_in_default')).not.toContain(active.case_id)
    await expectConsistent()
  })
})
