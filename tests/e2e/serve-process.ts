import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { BUILT_APP_DIR, PROJECT_ROOT as ROOT } from './paths'

/** Starts the built `serve` entry on a free port and resolves with the address it prints. */
export function startServe(dataDir: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [join(BUILT_APP_DIR, 'main/serve.js'), '--data-dir', dataDir, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RECOUVRA_LOG_LEVEL: 'warn' }
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({ url: match[1], process: child })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with code ${code}:\n${output}`))
    })
  })
}

/** Runs the built CLI and returns its stdout. */
export function runCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BUILT_APP_DIR, 'main/cli.js'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`cli ${args.join(' ')} exited ${code}:\n${stderr}`))
    )
  })
}
