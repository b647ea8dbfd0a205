/**
 * The dunning preview on a large database (what the Relances page asks when it opens).
 * Not a timed test: it prints the figures.
 *
 *   cp -r /tmp/demo200k /tmp/demo200k-dunning    # opening migrates the database
 *   RECOUVRA_BENCH_DATA_DIR=/tmp/demo200k-dunning  \
 *     npx vitest run --config tests/bench/dunning/vitest.config.mts tests/bench/dunning/preview.measure.ts
 */
import 'reflect-metadata'
import { describe, it } from 'vitest'
import { createApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { log } from '../../../src-main/platform/log'

const dataDir = process.env.RECOUVRA_BENCH_DATA_DIR
const AT = process.env.RECOUVRA_BENCH_AT ?? '2026-06-30'

describe.skipIf(!dataDir)('dunning preview on a large database', () => {
  it(`previews the steps due at ${AT}`, async () => {
    log.setLevel('warn')
    let started = performance.now()
    const app = await createApp({ dataDir: dataDir!, clock: fixedClock('2026-11-23T09:00:00.000Z') })
    console.log(`opened (and migrated if needed) in ${Math.round(performance.now() - started)} ms`)
    try {
      for (let run = 0; run < 2; run++) {
        started = performance.now()
        const p = await app.services.dunning.preview({ at: AT })
        console.log(
          `cases ${p.casesExamined}, steps due ${p.totalItems}, reported ${p.errors.length}, ` +
            `unchecked letters ${p.uncheckedLetters}: ${Math.round(performance.now() - started)} ms`
        )
      }
    } finally {
      await app.close()
    }
  })
})
