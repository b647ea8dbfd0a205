import 'reflect-metadata'
import sqlite3 from 'sqlite3'
import { DataSource } from 'typeorm'
import { ENTITIES } from './entities'
import { MIGRATIONS } from './migrations'
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
