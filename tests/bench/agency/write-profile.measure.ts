import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'vitest'
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js'
import { createApp } from '../../../src-main/app/create-app'

/**
 * Where the time of one write goes on PostgreSQL (agency mode): logs calls and records payments
 * one after the other on an existing, loaded database and times every statement of their
 * transactions, from the lock taken to the commit, grouped by what the statement does. PL/pgSQL
 * triggers (audit staging, search index) are timed by the server (track_functions).
 *
 *   RECOUVRA_PROFILE_PG_URL=postgres://postgres@127.0.0.1:54342/agency5k RECOUVRA_PROFILE_WRITES=40 \
 *   npx vitest run --config tests/bench/agency/vitest.config.mts tests/bench/agency/write-profile.measure.ts
 */
const URL = process.env.RECOUVRA_PROFILE_PG_URL
const WRITES = Number(process.env.RECOUVRA_PROFILE_WRITES ?? 40)

interface Statement {
  sql: string
  ms: number
  startedAt: number
}

let timeline: Statement[] | null = null
type QueryFn = (
  this: PostgresQueryRunner,
  query: string,
  parameters?: unknown[],
  useStructuredResult?: boolean
) => Promise<unknown>
const proto = PostgresQueryRunner.prototype as unknown as { query: QueryFn }
const original = proto.query
proto.query = async function (this: PostgresQueryRunner, query, parameters, structured) {
  const startedAt = performance.now()
  try {
    return await original.call(this, query, parameters, structured)
  } finally {
    timeline?.push({ sql: query, ms: performance.now() - startedAt, startedAt })
  }
}

/** What a statement is for, to add up the time by part of the write. */
function partOf(sql: string): string {
  const s = sql.replace(/\s+/g, ' ')
  if (/pg_advisory_xact_lock/.test(s)) return 'lock wait'
  if (/^(START TRANSACTION|BEGIN)/i.test(s)) return 'begin'
  if (/^COMMIT/i.test(s)) return 'commit'
  if (/write_counter/.test(s)) return 'write counter'
  if (/audit_(entry|personal|pending|bulk)/.test(s)) return 'audit flush'
  if (/search_/.test(s)) return 'search index'
  if (/prescription/.test(s)) return 'prescription refresh'
  if (/^UPDATE "?collection_case"?/i.test(s)) return 'case update'
  if (/^INSERT INTO "?journal_entry"?/i.test(s)) return 'journal insert'
  if (/^INSERT INTO "?(payment|allocation|payment_document_job)"?/i.test(s)) return 'payment inserts'
  if (/^SELECT/i.test(s)) return 'reads'
  return s.slice(0, 40)
}

it.skipIf(!URL)('profile of calls:log and money:record-payment on PostgreSQL', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'recouvra-write-profile-'))
  const app = await createApp({ dataDir, databaseUrl: URL! })
  try {
    await app.db.dataSource.query("SELECT set_config('track_functions', 'pl', false)").catch(() => undefined)
    const cases: Array<{ id: string; phone_id: string | null }> = await app.db.read((m) =>
      m.query(
        `SELECT c.id, (SELECT p.id FROM debtor_phone p WHERE p.debtor_id = c.debtor_id ORDER BY p.id LIMIT 1) AS phone_id
           FROM collection_case c WHERE c.status = 'open' AND c.balance_cents > 10000 ORDER BY c.id LIMIT 500`
      )
    )
    const functionsBefore = await app.db.dataSource.query(
      'SELECT funcname, calls, total_time FROM pg_stat_user_functions'
    )
    const report: Record<string, unknown> = {}
    let written = 0
    for (const kind of ['call', 'payment'] as const) {
      const totals = new Map<string, { ms: number; n: number }>()
      const bySql = new Map<string, { ms: number; n: number }>()
      const holds: number[] = []
      const walls: number[] = []
      for (let i = 0; i < WRITES; i += 1) {
        const c = cases[(i * 7 + (kind === 'call' ? 0 : 3)) % cases.length]!
        timeline = []
        const started = performance.now()
        const write =
          kind === 'call'
            ? app.call('calls:log', {
                caseId: c.id,
                phoneId: c.phone_id,
                direction: 'outbound',
                answeredBy: 'no_answer',
                outcome: 'no_answer',
                startedAt: new Date(Date.now() - 60_000).toISOString(),
                durationSeconds: 30,
                nextActionOn: null,
                warningReason: 'Profil des écritures'
              })
            : app.call('money:record-payment', {
                caseId: c.id,
                receivedOn: new Date().toISOString().slice(0, 10),
                amountCents: 500,
                method: 'transfer',
                receivedBy: 'agency'
              })
        // Refused by a business rule (a rate not yet known for the day): not a write, not counted.
        if (
          !(await write.then(
            () => true,
            () => false
          ))
        ) {
          timeline = null
          continue
        }
        walls.push(performance.now() - started)
        written += 1
        const steps = timeline
        timeline = null
        const lock = steps.findIndex((s) => /pg_advisory_xact_lock/.test(s.sql))
        const commit = steps.findIndex((s, k) => k > lock && /^COMMIT/i.test(s.sql))
        if (lock >= 0 && commit >= 0) {
          const held = steps[commit]!.startedAt + steps[commit]!.ms - (steps[lock]!.startedAt + steps[lock]!.ms)
          holds.push(held)
          const inside = steps.slice(lock + 1, commit + 1)
          const sqlMs = inside.reduce((sum, s) => sum + s.ms, 0)
          const add = (map: Map<string, { ms: number; n: number }>, key: string, ms: number) => {
            const t = map.get(key) ?? { ms: 0, n: 0 }
            t.ms += ms
            t.n += 1
            map.set(key, t)
          }
          for (const s of inside) {
            add(totals, partOf(s.sql), s.ms)
            add(bySql, s.sql.replace(/\s+/g, ' ').slice(0, 140), s.ms)
          }
          add(totals, 'JavaScript between statements', held - sqlMs)
        }
      }
      const sorted = [...holds].sort((a, b) => a - b)
      const round = (x: number) => Math.round(x * 100) / 100
      report[kind] = {
        writes: holds.length,
        wallP50Ms: round([...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)]!),
        lockHeldP50Ms: round(sorted[Math.floor(sorted.length / 2)]!),
        lockHeldMeanMs: round(holds.reduce((a, b) => a + b, 0) / holds.length),
        perWriteMs: Object.fromEntries(
          [...totals.entries()]
            .sort((a, b) => b[1].ms - a[1].ms)
            .map(([k, v]) => [k, `${round(v.ms / holds.length)} ms (${round(v.n / holds.length)} statements)`])
        ),
        slowestStatements: [...bySql.entries()]
          .sort((a, b) => b[1].ms - a[1].ms)
          .slice(0, 12)
          .map(([sql, v]) => `${round(v.ms / holds.length)} ms/write ×${round(v.n / holds.length)}: ${sql}`)
      }
    }
    const functionsAfter: Array<{ funcname: string; calls: string; total_time: number }> =
      await app.db.dataSource.query('SELECT funcname, calls, total_time FROM pg_stat_user_functions')
    const before = new Map((functionsBefore as typeof functionsAfter).map((f) => [f.funcname, f] as const))
    report.triggersPerWrite = Object.fromEntries(
      functionsAfter
        .map((f) => {
          const b = before.get(f.funcname)
          return [
            f.funcname,
            Math.round(((f.total_time - (b?.total_time ?? 0)) / written) * 100) / 100,
            Number(f.calls) - Number(b?.calls ?? 0)
          ] as const
        })
        .filter(([, ms]) => ms > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, ms, calls]) => [name, `${ms} ms/write, ${calls} calls`])
    )
    console.log(JSON.stringify(report, null, 2))
  } finally {
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
