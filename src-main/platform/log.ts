/**
 * Minimal structured logger: English, one line per event, to stderr so that the CLI's
 * `--json` output on stdout stays machine-readable.
 */
type Level = 'debug' | 'info' | 'warn' | 'error'

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }
let threshold: Level = (process.env.RECOUVRA_LOG_LEVEL as Level | undefined) ?? 'info'

function write(level: Level, message: string, error?: unknown): void {
  if (ORDER[level] < ORDER[threshold]) return
  const detail =
    error instanceof Error ? ` ${error.stack ?? error.message}` : error === undefined ? '' : ` ${String(error)}`
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${detail}\n`)
}

export const log = {
  debug: (message: string) => write('debug', message),
  info: (message: string) => write('info', message),
  warn: (message: string, error?: unknown) => write('warn', message, error),
  error: (message: string, error?: unknown) => write('error', message, error),
  setLevel: (level: Level) => {
    threshold = level
  }
}
