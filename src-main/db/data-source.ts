import 'reflect-metadata'
import { DataSource } from 'typeorm'
import { ENTITIES } from './entities'
import { MIGRATIONS } from './migrations'
import { SnakeNamingStrategy } from './naming-strategy'

/**
 * The SQLite data source. Never `synchronize`: the schema only changes through reviewed
 * migrations, which a test checks against the entities.
 */
export function createDataSource(databaseFile: string): DataSource {
  return new DataSource({
    type: 'sqlite',
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
