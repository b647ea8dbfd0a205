import 'reflect-metadata'
import pg from 'pg'
import sqlite3 from 'sqlite3'
import { DataSource } from 'typeorm'
import { ENTITIES } from './entities'
import { MIGRATIONS } from './migrations'
import { MIGRATIONS_PG } from './migrations-pg'
import { toPostgresSql } from './dialect'
import { SnakeNamingStrategy } from './naming-strategy'

/**
 * TypeORM calls `sqlite3.verbose()`, which wraps every database call to capture a stack and
 * `util.inspect` its arguments: with bulk inserts of 30,000 parameters that was a fifth of the
 * demo generation's time, and it copied debtors' data into error stacks. This driver keeps
 * sqlite3's own methods.
 */
const quietSqlite3 = Object.assign(Object.create(sqlite3) as typeof sqlite3, { verbose: () => sqlite3 })

/**
 * The SQLite data source. Never `synchronize`: the schema only changes through reviewed
 * migrations, which a test checks against the entities.
 */
export function createDataSource(databaseFile: string): DataSource {
  return new DataSource({
    type: 'sqlite',
    driver: quietSqlite3,
    database: databaseFile,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    enableWAL: true,
    busyTimeout: 5000,
    logging: false
  })
}

/** PostgreSQL type ids (pg_type.oid) read back as JS numbers. */
const PG_INT8 = 20
const PG_NUMERIC = 1700

/**
 * bigint (cents, counts) as a JS number: every amount the app stores fits in 2^53 (90 000
 * billion euros); a value past it is a bug and must not be rounded silently.
 */
export function parsePgInt8(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new Error(`PostgreSQL bigint ${text} is beyond JavaScript's safe integers`)
  return value
}

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (text: string) => unknown {
    if (oid === PG_INT8) return parsePgInt8
    if (oid === PG_NUMERIC) return (text: string) => Number(text)
    return pg.types.getTypeParser(oid, format as 'text')
  }
}

/**
 * The PostgreSQL data source (agency mode): the same entities, the PostgreSQL migrations, a
 * pool of connections. Raw SQL written with SQLite's `?` placeholders is numbered for
 * PostgreSQL on its way to the server (see dialect.ts).
 */
export function createPostgresDataSource(url: string, options: { poolSize?: number } = {}): DataSource {
  const dataSource = new DataSource({
    type: 'postgres',
    driver: pg,
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS_PG,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize ?? 10,
    applicationName: 'recouvra',
    extra: { types: pgTypes },
    // RECOUVRA_SQL_LOG=1: failed statements in the log (agency-mode diagnostics).
    logging: process.env.RECOUVRA_SQL_LOG ? ['error'] : false
  })
  const driver = dataSource.driver
  const createQueryRunner = driver.createQueryRunner.bind(driver)
  driver.createQueryRunner = (mode) => {
    const runner = createQueryRunner(mode)
    const query = runner.query.bind(runner) as (
      sql: string,
      parameters?: unknown[],
      structured?: boolean
    ) => Promise<unknown>
    ;(runner as { query: typeof query }).query = (sql, parameters, structured) =>
      query(toPostgresSql(sql), parameters, structured)
    return runner
  }
  return dataSource
}
