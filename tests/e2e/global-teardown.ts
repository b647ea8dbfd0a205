import { existsSync, readFileSync, rmSync } from 'node:fs'
import { STATE_FILE } from './paths'

export default async function globalTeardown(): Promise<void> {
  if (!existsSync(STATE_FILE)) return
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { pids: number[]; dirs: string[] }
  for (const pid of state.pids) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
  for (const dir of state.dirs) rmSync(dir, { recursive: true, force: true })
  rmSync(STATE_FILE, { force: true })
}
