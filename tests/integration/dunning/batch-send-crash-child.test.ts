import { it } from 'vitest'
import { createApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { TEST_NOW } from '../helpers/temp-app'

/**
 * The child side of batch-send-crash.test.ts, run only when that test spawns it
 * (RECOUVRA_SEND_CRASH_DIR set): sends a batch's e-mails until the parent kills it with SIGKILL
 * while its SMTP server holds a message (received, not yet acknowledged).
 */
const dataDir = process.env.RECOUVRA_SEND_CRASH_DIR
const batchId = process.env.RECOUVRA_SEND_CRASH_BATCH ?? ''

it.skipIf(!dataDir)(
  'send crash child: sends until killed',
  async () => {
    const app = await createApp({ dataDir: dataDir!, clock: fixedClock(TEST_NOW) })
    const say = (line: string) => process.stdout.write(`SENDCRASH:${line}\n`)
    const job = await app.call('dunning:send-emails', { batchId })
    say(`started ${job.total}`)
    const done = await app.services.batchSend.waitFor(job.jobId)
    say(`done ${done.sent}`)
  },
  120_000
)
