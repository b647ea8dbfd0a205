/**
 * What the portfolio sends to SQLite for given cases:list inputs, with each statement's time and
 * query plan: the tool used to tune the plans measured by portfolio.measure.ts.
 *
 *   RECOUVRA_BENCH_FILE=tests/bench/portfolio/explain.measure.ts \
 *   RECOUVRA_EXPLAIN='[{"filters":{"statuses":["open"]},"sort":{"field":"balance","direction":"desc"}}]' npm run bench
 *
 * Runs on the benchmark's database (same RECOUVRA_BENCH_DIR / _CASES / _SEED), which must exist.
 */
import 'reflect-metadata'
import { it } from 'vitest'
import type { CaseListQuery } from '@shared/contract'
import { createApp } from '../../../src-main/app/create-app'
import { log } from '../../../src-main/platform/log'
import { benchDataDir } from '../bench-database'

const dataDir = benchDataDir()

it('explains the portfolio queries', async () => {
  log.setLevel('warn')
  const app = await createApp({ dataDir })
  const inputs: CaseListQuery[] = JSON.parse(process.env.RECOUVRA_EXPLAIN ?? '[{}]')
  try {
    for (const input of inputs) {
      const logger = app.db.dataSource.logger
      const original = logger.logQuery.bind(logger)
      const statements: Array<{ sql: string; params: unknown[] }> = []
      logger.logQuery = (query, parameters, runner) => {
        statements.push({ sql: query, params: parameters ?? [] })
        return original(query, parameters, runner)
      }
      app.services.cases.clearCache()
      await app.call('cases:list', input)
      logger.logQuery = original
      console.log(`=== ${JSON.stringify(input)}`)
      for (const s of statements) {
        const started = performance.now()
        await app.db.read((m) => m.query(s.sql, s.params))
        const ms = performance.now() - started
        const plan: Array<{ detail: string }> = await app.db.read((m) =>
          m.query(`EXPLAIN QUERY PLAN ${s.sql}`, s.params)
        )
        console.log(
          `${ms.toFixed(1).padStart(7)} ms  ${s.sql.replace(/\s+/g, ' ').slice(0, 300)}\n           ${plan.map((p) => p.detail).join(' | ')}`
        )
      }
    }
  } finally {
    await app.close()
  }
}, 600_000)
