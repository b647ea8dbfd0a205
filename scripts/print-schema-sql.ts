/**
 * Prints the SQL TypeORM would run to bring an EMPTY database to the entities' schema: the
 * starting point of a new migration (reviewed, then committed). Run with:
 *   npx vite-node scripts/print-schema-sql.ts   (or through vitest's runner)
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDataSource } from '../src-main/db/data-source'

export async function schemaSql(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'recouvra-schema-'))
  const ds = createDataSource(join(dir, 'schema.sqlite'))
  await ds.initialize()
  try {
    const log = await ds.driver.createSchemaBuilder().log()
    return log.upQueries.map((q) => q.query)
  } finally {
    await ds.destroy()
  }
}
