import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ARTIFACTS, STATE_FILE } from './paths'
import { runCli, startServe } from './serve-process'

export const DEMO_CASES = 3000

/**
 * Two servers for the whole run: one on a demo portfolio made by the CLI (what a user gets
 * after `npm run cli -- demo`), one on an empty database (the first launch).
 */
export default async function globalSetup(): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const demoDir = mkdtempSync(join(tmpdir(), 'recouvra-e2e-demo-'))
  const emptyDir = mkdtempSync(join(tmpdir(), 'recouvra-e2e-empty-'))
  const demo = JSON.parse(
    await runCli(['demo', '--cases', String(DEMO_CASES), '--seed', '2026', '--data-dir', demoDir, '--json'])
  )
  const demoServer = await startServe(demoDir)
  const emptyServer = await startServe(emptyDir)
  writeFileSync(
    STATE_FILE,
    JSON.stringify({
      demoUrl: demoServer.url,
      emptyUrl: emptyServer.url,
      demoCounts: demo.counts,
      pids: [demoServer.process.pid, emptyServer.process.pid],
      dirs: [demoDir, emptyDir]
    })
  )
  // Children outlive this function; teardown stops them.
  demoServer.process.unref()
  emptyServer.process.unref()
}
