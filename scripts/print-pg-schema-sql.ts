/**
 * Prints the SQL TypeORM would run to bring an EMPTY PostgreSQL database to the entities'
 * schema: the starting point of a PostgreSQL migration (reviewed, then committed). Run with:
 *   RECOUVRA_TEST_PG_URL=postgres://postgres@127.0.0.1:54329/postgres npx vite-node scripts/print-pg-schema-sql.ts [--migrated]
 * (or call pgSchemaSql from a throwaway vitest file).
 */
import pg from 'pg'
import { createPostgresDataSource } from '../src-main/db/data-source'

/**
 * `migrated: true`: what is left after the committed PostgreSQL migrations, i.e. the body of
 * the next one (run it after adding a SQLite migration that changes the entities).
 */
export async function pgSchemaSql(adminUrl: string, options: { migrated?: boolean } = {}): Promise<string[]> {
  const name = `recouvra_schema_${process.pid}_${Date.now() % 1000000}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const ds = createPostgresDataSource(url.toString())
  try {
    await ds.initialize()
    if (options.migrated) await ds.runMigrations({ transaction: 'each' })
    const log = await ds.driver.createSchemaBuilder().log()
    return log.upQueries.map((q) => q.query)
  } finally {
    if (ds.isInitialized) await ds.destroy()
    await admin.query(`DROP DATABASE ${name}`)
    await admin.end()
  }
}

const adminUrl = process.env.RECOUVRA_TEST_PG_URL
if (adminUrl) {
  void pgSchemaSql(adminUrl, { migrated: process.argv.includes('--migrated') }).then((queries) => {
    for (const q of queries) console.log(`${q};`)
  })
}
