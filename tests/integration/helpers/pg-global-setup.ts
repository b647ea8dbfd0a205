import pg from 'pg'

/**
 * Global set-up of the integration suite on PostgreSQL (project integration-pg): names this
 * run (its template database, see temp-pg.ts) and, at the end, drops every database the run
 * left on the test server.
 */
export default function setup(): () => Promise<void> {
  const run = `${process.pid}`
  process.env.RECOUVRA_TEST_RUN = run
  return async () => {
    const url = process.env.RECOUVRA_TEST_PG_URL
    if (!url) return
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'recouvra\\_tpl\\_%' AND datname LIKE $1",
        [`%\\_${run}`]
      )
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
    } finally {
      await client.end()
    }
  }
}
