import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ARTIFACTS, STATE_FILE } from './paths'
import { runCli, startServe } from './serve-process'
import { createHttpInvoker } from '../../src-shared/transport/http-client'
import { E2E_ADMIN, E2E_AUTOMATION_SESSION } from './app'

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
  // First-run set-up on both servers, which signs in the session the specs' API helpers use;
  // browser pages sign in through openApp().
  for (const server of [demoServer, emptyServer]) {
    const parsed = new URL(server.url)
    const token = /token=([^&]+)/.exec(parsed.hash)![1]!
    const invoke = createHttpInvoker({
      baseUrl: `${parsed.protocol}//${parsed.host}`,
      token,
      session: E2E_AUTOMATION_SESSION
    })
    for (const [channel, input] of [
      ['auth:setup', E2E_ADMIN],
      ['users:set-idle-lock', { minutes: 480 }]
    ] as const) {
      const response = await invoke(channel, input)
      if (!response.ok) throw new Error(`e2e set-up: ${channel} failed: ${response.error.message}`)
    }
  }
  process.env.RECOUVRA_SESSION = E2E_AUTOMATION_SESSION
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
