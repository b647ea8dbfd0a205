import pg from 'pg'
import { AppError, type DatabaseTarget, type DatabaseTargetSaved } from '@shared/contract'
import type { HandlerGroup } from '../../ipc/handlers'
import { redactUrl, type Database } from '../../db/database'
import { classifyDatabaseError } from '../../db/db-errors'
import { DATABASE_URL_ENV, readDatabaseConfig, writeDatabaseConfig } from '../../platform/database-target'

/** Extensions the PostgreSQL schema needs (search): checked before a server is saved. */
const NEEDED_EXTENSIONS = ['unaccent', 'pg_trgm']

/**
 * Paramètres › Base de données: which database the next start opens, saved in database.json in
 * the data folder (outside the database it points to; platform/database-target.ts). A server is
 * saved only after one connection to it succeeded.
 */
export function databaseTargetHandlers(db: Database): HandlerGroup<'database:get-target' | 'database:set-target'> {
  const target = (): DatabaseTarget => {
    const saved = readDatabaseConfig(db.dataDir).url
    return {
      engine: db.dialect,
      currentUrl: db.dialect === 'postgres' ? db.file : null,
      savedUrl: saved ? redactUrl(saved) : null,
      overridden:
        Boolean(process.env[DATABASE_URL_ENV]) ||
        process.argv.some((arg) => arg === '--database' || arg.startsWith('--database='))
    }
  }
  return {
    'database:get-target': () => Promise.resolve(target()),
    'database:set-target': async (input): Promise<DatabaseTargetSaved> => {
      const checked = input.url ? await checkServer(input.url) : null
      writeDatabaseConfig(db.dataDir, { url: input.url })
      const now = target()
      const changes = (input.url ? redactUrl(input.url) : null) !== now.currentUrl
      return { ...now, checked, restartNeeded: changes }
    }
  }
}

async function checkServer(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    const { rows } = await client.query<{ version: string; extensions: string }>(
      `SELECT current_setting('server_version') AS version,
              (SELECT COUNT(*) FROM pg_available_extensions WHERE name = ANY($1)) AS extensions`,
      [NEEDED_EXTENSIONS]
    )
    const row = rows[0]!
    if (Number(row.extensions) < NEEDED_EXTENSIONS.length) {
      throw new AppError(
        'BUSINESS_RULE',
        'Ce serveur PostgreSQL n’a pas les extensions unaccent et pg_trgm (paquet contrib) : installez-les avant de l’utiliser.',
        `PostgreSQL at ${redactUrl(url)} lacks ${NEEDED_EXTENSIONS.join(', ')}`
      )
    }
    return `PostgreSQL ${row.version}`
  } catch (error) {
    if (error instanceof AppError) throw error
    const kind = classifyDatabaseError(error)?.kind
    const reason =
      kind === 'auth-failed'
        ? 'le serveur refuse cet utilisateur ou ce mot de passe.'
        : kind === 'database-missing'
          ? 'cette base de données n’existe pas sur le serveur (créez-la d’abord, par exemple avec createdb).'
          : kind === 'too-many-connections'
            ? 'le serveur a atteint son nombre maximal de connexions ; réessayez plus tard.'
            : kind === 'connection-lost'
              ? 'aucun serveur ne répond à cette adresse ; vérifiez l’adresse, le port et le réseau.'
              : 'vérifiez l’adresse, l’utilisateur et le mot de passe.'
    throw new AppError(
      'VALIDATION',
      `Connexion impossible au serveur PostgreSQL ${redactUrl(url)} : ${reason}`,
      `Cannot connect to ${redactUrl(url)} (${kind ?? 'unknown'}): ${(error as Error).message}`
    )
  } finally {
    await client.end().catch(() => undefined)
  }
}
