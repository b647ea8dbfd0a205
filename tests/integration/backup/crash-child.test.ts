import { it } from 'vitest'
import { createApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { TEST_NOW, TEST_TODAY } from '../helpers/temp-app'

/**
 * The child side of crash.test.ts: run only when that test spawns it (RECOUVRA_CRASH_CHILD set),
 * a big write the parent kills with SIGKILL half-way. Progress goes to stdout, one line a step.
 */
const mode = process.env.RECOUVRA_CRASH_CHILD
const dataDir = process.env.RECOUVRA_CRASH_DIR ?? ''

it.skipIf(!mode)(
  'crash child: writes until killed',
  async () => {
    const app = await createApp({ dataDir, clock: fixedClock(TEST_NOW) })
    const say = (line: string) => process.stdout.write(`CRASH:${line}\n`)
    if (mode === 'demo') {
      say('start')
      await app.services.demo.generate({
        cases: Number(process.env.RECOUVRA_CRASH_CASES ?? 20_000),
        seed: 7,
        onProgress: (written, total) => say(`progress ${written}/${total}`)
      })
      say('done')
    } else if (mode === 'payments') {
      const cases: Array<{ id: string }> = await app.db.read((m) =>
        m.query("SELECT id FROM collection_case WHERE balance_cents > 100000 AND status = 'open' ORDER BY id LIMIT 200")
      )
      say(`start ${cases.length}`)
      for (let i = 0; ; i++) {
        const recorded = await app.call('money:record-payment', {
          caseId: cases[i % cases.length]!.id,
          receivedOn: TEST_TODAY,
          amountCents: 1_000 + (i % 7),
          method: 'transfer',
          receivedBy: 'agency'
        })
        say(`committed ${recorded.payment.id}`)
      }
    }
  },
  600_000
)
