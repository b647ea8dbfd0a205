import { AppError, type DatabaseCounts, type DemoResult } from '@shared/contract'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import type { AppService } from '../app/app.service'
import { writeDemoPortfolio } from './demo-writer'
import type { DemoHistory } from './portfolio-generator'

export interface DemoOptions {
  cases: number
  seed: number
  history?: DemoHistory
  /** Called after each batch, for progress bars and the CLI. */
  onProgress?: (casesWritten: number, totalCases: number) => void
}

export class DemoService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly app: AppService
  ) {}

  /**
   * Fills an empty database with a realistic French portfolio, deterministic for a seed and a
   * day. All in one transaction: an interrupted generation leaves the database empty.
   */
  async generate(options: DemoOptions): Promise<DemoResult> {
    const started = performance.now()
    const today = this.clock.today()
    await this.db.bulkWrite(async (manager) => {
      const existing = await manager.query('SELECT COUNT(*) AS n FROM collection_case')
      if (Number(existing[0]?.n ?? 0) > 0) {
        throw new AppError(
          'BUSINESS_RULE',
          'La base contient déjà des dossiers : les données de démonstration ne peuvent être chargées que dans une base vide.',
          'Refused demo generation on a database that already holds cases'
        )
      }
      await writeDemoPortfolio(manager, {
        cases: options.cases,
        seed: options.seed,
        today,
        history: options.history,
        onProgress: options.onProgress
      })
    })
    const counts: DatabaseCounts = await this.app.counts()
    const durationMs = Math.round(performance.now() - started)
    log.info(`Demo portfolio of ${counts.cases} cases (seed ${options.seed}) written in ${durationMs} ms`)
    return { seed: options.seed, counts, durationMs }
  }
}
