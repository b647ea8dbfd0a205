import { it } from 'vitest'
import { createApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'

/**
 * The child side of field-sync.test.ts: run only when that test spawns it
 * (RECOUVRA_SYNC_CHILD_DIR set), a sync of a laptop copy the parent kills with SIGKILL between
 * batches (RECOUVRA_SYNC_BATCH_DELAY_MS slows it down). One progress line per batch on stdout.
 */
const dataDir = process.env.RECOUVRA_SYNC_CHILD_DIR

it.skipIf(!dataDir)(
  'sync child: syncs until killed',
  async () => {
    const app = await createApp({ dataDir: dataDir!, clock: fixedClock('2026-11-23T14:30:00.000Z') })
    const say = (line: string): void => void process.stdout.write(`SYNC:${line}\n`)
    say('start')
    await app.services.sync.run({
      batchSize: 1,
      afterBatch: ({ phase, table, batch }) => {
        say(`batch ${phase} ${table} ${batch}`)
      }
    })
    say('done')
    await app.close()
  },
  120_000
)
