import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Which database the app works on: the embedded SQLite file in the data folder (the default),
 * or the agency's shared PostgreSQL server (agency mode). In order of precedence:
 * `--database postgres://…` on the command line, RECOUVRA_DATABASE_URL, then the choice made in
 * Paramètres, kept in `database.json` in the data folder (outside the database it points to).
 * `--database sqlite` forces the embedded file.
 */
export const DATABASE_URL_ENV = 'RECOUVRA_DATABASE_URL'
export const DATABASE_CONFIG_FILE = 'database.json'

export interface DatabaseConfig {
  /** postgres://user:password@host:port/database, or null for the embedded file. */
  url: string | null
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value)
}

/** Parses a `--database` / env value: a PostgreSQL URL, or 'sqlite' (or empty) for the file. */
export function parseDatabaseValue(value: string): string | null {
  const trimmed = value.trim()
  if (trimmed === '' || trimmed.toLowerCase() === 'sqlite') return null
  if (!isPostgresUrl(trimmed)) throw new Error(`--database needs a postgres:// URL or "sqlite", not ${trimmed}`)
  return trimmed
}

export function readDatabaseConfig(dataDir: string): DatabaseConfig {
  const file = join(dataDir, DATABASE_CONFIG_FILE)
  if (!existsSync(file)) return { url: null }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DatabaseConfig>
  return { url: typeof parsed.url === 'string' && isPostgresUrl(parsed.url) ? parsed.url : null }
}

/** Saves the choice for the next start (atomically: a half-written file must not be read). */
export function writeDatabaseConfig(dataDir: string, config: DatabaseConfig): void {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, DATABASE_CONFIG_FILE)
  writeFileSync(`${file}.tmp`, JSON.stringify({ url: config.url }, null, 2) + '\n', { mode: 0o600 })
  renameSync(`${file}.tmp`, file)
}

/** The PostgreSQL URL to open, or null for the embedded SQLite file. */
export function resolveDatabaseUrl(argv: readonly string[], env: NodeJS.ProcessEnv, dataDir: string): string | null {
  const index = argv.findIndex((arg) => arg === '--database' || arg.startsWith('--database='))
  if (index >= 0) {
    const arg = argv[index] ?? ''
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1]
    if (value === undefined || value.startsWith('--')) throw new Error('--database needs a postgres:// URL or "sqlite"')
    return parseDatabaseValue(value)
  }
  const fromEnv = env[DATABASE_URL_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return parseDatabaseValue(fromEnv)
  return readDatabaseConfig(dataDir).url
}
