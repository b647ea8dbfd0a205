import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../../src-main/app/create-app'
import { DATABASE_FILE_NAME } from '../../../src-main/db/database'
import { checkDatabaseFile } from '../../../src-main/modules/backup/sqlite-backup'
import { fixedClock } from '../../../src-main/platform/clock'
import { TEST_NOW, tempDir } from '../helpers/temp-app'
import { spawnChildAndKill } from '../helpers/child-process'

/**
 * Crash safety: a child process doing a big write is killed with SIGKILL in the middle of it.
 * The database must pass integrity_check and hold all or none of the interrupted operation.
 */

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

/** Runs crash-child.test.ts and SIGKILLs it once `killWhen` accepts a line of its progress. */
function runChildAndKill(
  env: Record<string, string>,
  killWhen: (line: string, lines: string[]) => boolean
): Promise<string[]> {
  return spawnChildAndKill({ file: 'tests/integration/backup/crash-child.test.ts', env, marker: 'CRASH:', killWhen })
}

async function counts(dataDir: string) {
  const app = await createApp({ dataDir, clock: fixedClock(TEST_NOW) })
  try {
    const auditOk = (await app.services.audit.verify()).ok
    return await app.db.read(async (m) => {
      const one = async (sql: string) => Number((await m.query(sql))[0].n)
      return {
        auditOk,
        cases: await one('SELECT COUNT(*) AS n FROM collection_case'),
        claims: await one('SELECT COUNT(*) AS n FROM claim'),
        debtors: await one('SELECT COUNT(*) AS n FROM debtor'),
        journal: await one('SELECT COUNT(*) AS n FROM journal_entry'),
        payments: await one('SELECT COUNT(*) AS n FROM payment'),
        /** Payments whose allocation lines do not add up to their amount. */
        unbalancedPayments: await one(
          `SELECT COUNT(*) AS n FROM payment p WHERE p.created_at = '${TEST_NOW}' AND p.amount_cents <>
             (SELECT COALESCE(SUM(a.amount_cents), 0) FROM allocation a WHERE a.payment_id = p.id)`
        ),
        paymentIds: (await m.query(`SELECT id FROM payment WHERE created_at = '${TEST_NOW}'`)).map(
          (r: { id: string }) => r.id
        )
      }
    })
  } finally {
    await app.close()
  }
}

describe('crash safety (SIGKILL in the middle of a write)', () => {
  it('a demo portfolio import killed half-way leaves an intact, empty database', async () => {
    const dir = tempDir()
    cleanups.push(dir.remove)
    const lines = await runChildAndKill(
      { RECOUVRA_CRASH_CHILD: 'demo', RECOUVRA_CRASH_DIR: dir.path, RECOUVRA_CRASH_CASES: '20000' },
      (line) => {
        const m = /^progress (\d+)\/(\d+)$/.exec(line)
        return m !== null && Number(m[1]) >= 4000 && Number(m[1]) < Number(m[2])
      }
    )
    expect(lines).not.toContain('done')
    expect((await checkDatabaseFile(join(dir.path, DATABASE_FILE_NAME))).ok).toBe(true)
    const after = await counts(dir.path)
    // None of it: the demo is one transaction.
    expect(after).toMatchObject({ auditOk: true, cases: 0, claims: 0, debtors: 0, journal: 0, payments: 0 })
  })

  it('payments killed in a run of allocations: each payment is there with all its allocation, or not at all', async () => {
    const dir = tempDir()
    cleanups.push(dir.remove)
    const setup = await createApp({ dataDir: dir.path, clock: fixedClock(TEST_NOW) })
    await setup.services.demo.generate({ cases: 400, seed: 5 })
    // TEST DATA, not the official figures: the shipped table stops at 2026-S1 (test clock 2026-11-23).
    await setup.call('rates:add-semester', { kind: 'ecb_refinancing', semester: '2026-S2', ratePercent: '2,15' })
    await setup.call('rates:add-semester', {
      kind: 'legal_interest',
      semester: '2026-S2',
      creditorIndividualPercent: '6,50',
      otherCasesPercent: '3,00'
    })
    await setup.close()
    const before = await counts(dir.path)

    const lines = await runChildAndKill(
      { RECOUVRA_CRASH_CHILD: 'payments', RECOUVRA_CRASH_DIR: dir.path },
      (_line, all) =>
        // Killed at a varying point once it is well under way.
        all.filter((l) => l.startsWith('committed')).length >= 25 + Math.floor(Math.random() * 15)
    )
    const committed = lines.filter((l) => l.startsWith('committed ')).map((l) => l.slice('committed '.length))
    expect((await checkDatabaseFile(join(dir.path, DATABASE_FILE_NAME))).ok).toBe(true)
    const after = await counts(dir.path)
    // Every payment reported as committed survived the kill...
    for (const id of committed) expect(after.paymentIds).toContain(id)
    // ...at most the one in flight may also have committed before its line was printed...
    expect(after.paymentIds.length - committed.length).toBeGreaterThanOrEqual(0)
    expect(after.paymentIds.length - committed.length).toBeLessThanOrEqual(1)
    expect(after.payments - before.payments).toBe(after.paymentIds.length)
    // ...and none is there without all its allocation lines.
    expect(after.unbalancedPayments).toBe(0)
    // The audit trail went with the transactions: its chain is whole.
    expect(after.auditOk).toBe(true)
  })
})
