import { spawn } from 'node:child_process'

/**
 * Runs a child test file under vitest in its own process group (crash and resume tests) and
 * SIGKILLs the whole group, vitest and its worker, once `killWhen` accepts a line of its
 * progress: the stdout lines holding `marker` (e.g. 'SYNC:'), given without it. Resolves with
 * the lines seen; rejects if the child ended before being killed (with the end of its stderr).
 */
export function spawnChildAndKill(options: {
  file: string
  env: Record<string, string>
  marker: string
  killWhen: (line: string, lines: string[]) => boolean
  /** Names the child in the rejection. */
  label?: string
}): Promise<string[]> {
  const { file, env, marker, killWhen, label = 'Child' } = options
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vitest', 'run', '--project', 'integration', file], {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const lines: string[] = []
    let killed = false
    let buffer = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      let newline
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const raw = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 1)
        const at = raw.indexOf(marker)
        if (at < 0) continue
        const line = raw.slice(at + marker.length).trim()
        lines.push(line)
        if (!killed && killWhen(line, lines)) {
          killed = true
          process.kill(-child.pid!, 'SIGKILL')
        }
      }
    })
    child.on('exit', () => {
      if (!killed) reject(new Error(`${label} ended before being killed: ${lines.join(' | ')}\n${stderr.slice(-2000)}`))
      else resolve(lines)
    })
  })
}
