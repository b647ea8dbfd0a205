import pg from 'pg'
import { createPostgresDataSource } from '../../../src-main/db/data-source'
import { MIGRATIONS_PG } from '../../../src-main/db/migrations-pg'

/**
 * PostgreSQL for the integration tests (agency mode). RECOUVRA_TEST_PG_URL names a server and a
 * database to connect to for administration (postgres://postgres@127.0.0.1:54329/postgres);
 * every temp app gets a fresh database there, copied from a template migrated once per run
 * (CREATE DATABASE … TEMPLATE is a file copy: ~0.1 s instead of running the migrations).
 * RECOUVRA_TEST_DB=postgres runs the whole integration suite on it (vitest project
 * `integration-pg`, see vitest.config.mts).
 */
export const TEST_PG_URL_ENV = 'RECOUVRA_TEST_PG_URL'

export function testPostgresUrl(): string | undefined {
  return process.env[TEST_PG_URL_ENV] || undefined
}

/** True when the integration suite runs against PostgreSQL (project integration-pg). */
export function testingOnPostgres(): boolean {
  return process.env.RECOUVRA_TEST_DB === 'postgres'
}

export const SKIP_PG_REASON = `${TEST_PG_URL_ENV} is not set: no PostgreSQL server for the agency-mode tests (.ci/run starts one)`

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

let template: Promise<string> | null = null
let counter = 0

/** The migrated template, made once per run (its name changes with the set of migrations). */
function templateDatabase(url: string): Promise<string> {
  template ??= (async () => {
    const name = `recouvra_tpl_${MIGRATIONS_PG.length}_${process.env.RECOUVRA_TEST_RUN}`
    await admin(url, async (client) => {
      // One process makes it; the others wait on the lock and find it.
      await client.query('SELECT pg_advisory_lock(7301)')
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        if (found.rowCount) return
        await client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`)
        const ds = createPostgresDataSource(withDatabase(url, name), { poolSize: 1 })
        await ds.initialize()
        try {
          await ds.runMigrations({ transaction: 'each' })
        } finally {
          await ds.destroy()
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(7301)')
      }
    })
    return name
  })()
  return template
}

/** A fresh, migrated database on the test server; `drop` removes it. */
export async function tempPostgresDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const url = testPostgresUrl()
  if (!url) throw new Error(SKIP_PG_REASON)
  // Without the suite's global set-up (a file run alone), no template: the app migrates it.
  const source = process.env.RECOUVRA_TEST_RUN ? await templateDatabase(url) : 'template0'
  counter += 1
  const name = `recouvra_t_${process.pid}_${counter}_${Date.now() % 100000}`
  await admin(url, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${source} ENCODING 'UTF8'`))
  return {
    url: withDatabase(url, name),
    name,
    drop: () =>
      admin(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined)
  }
}

/** An empty database (no migrations) on the test server. */
export async function emptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = testPostgresUrl()
  if (!url) throw new Error(SKIP_PG_REASON)
  counter += 1
  const name = `recouvra_e_${process.pid}_${counter}_${Date.now() % 100000}`
  await admin(url, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`))
  return {
    url: withDatabase(url, name),
    drop: () =>
      admin(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined)
  }
}
