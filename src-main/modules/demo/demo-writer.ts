import { refreshCasePrescriptions } from '../money/case-prescription'
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { bulkInsert } from '../../db/bulk-insert'
import { CaseEntity } from '../cases/case.entity'
import { ClaimEntity } from '../cases/claim.entity'
import { ClientEntity } from '../clients/client.entity'
import { MandateEntity } from '../clients/mandate.entity'
import { DebtorAddressEntity, DebtorEmailEntity, DebtorPhoneEntity } from '../debtors/debtor-contact.entity'
import { DebtorEntity } from '../debtors/debtor.entity'
import { SolvencyNoteEntity } from '../debtors/solvency-note.entity'
import { JournalEntryEntity } from '../journal/journal-entry.entity'
import { AllocationEntity, PaymentEntity } from '../money/payment.entity'
import { InstallmentEntity, PaymentPlanEntity, PromiseEntity } from '../plans/plan.entities'
import { UserEntity } from '../users/user.entity'
import type { SearchIndex } from '../search/search-index'
import { SqliteSearchIndex } from '../search/sqlite-search-index'
import { PgSearchIndex } from '../search/pg-search-index'
import { isPostgres } from '../../db/dialect'
import { PortfolioGenerator, type DemoHistory, type PortfolioBatch } from './portfolio-generator'

/**
 * Cases generated, then written, at a time: enough rows per table for full multi-row INSERTs,
 * and memory bounded whatever the portfolio's size.
 */
const CASES_PER_BATCH = 1_000

export interface DemoPortfolioOptions {
  cases: number
  seed: number
  today: CalendarDate
  history?: DemoHistory
  onProgress?: (written: number, total: number) => void
  /** Built in bulk once every case is written. */
  searchIndex?: SearchIndex
}

type RowWriter = (rows: readonly object[]) => Promise<void>

/**
 * Column order and SQL names come from the entity metadata, so a column added to an entity is
 * either filled by the generator (its row types are the entities' own) or caught at compile time.
 */
function rowWriter(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): RowWriter {
  const metadata = manager.connection.getMetadata(entity)
  const columns = metadata.columns
  const names = columns.map((column) => column.databaseName)
  const properties = columns.map((column) => column.propertyName)
  return (rows) =>
    bulkInsert(
      manager,
      metadata.tableName,
      names,
      rows.map((row) => properties.map((property) => (row as Record<string, unknown>)[property] ?? null))
    )
}

/**
 * Writes a seeded demo portfolio (see PortfolioGenerator) with multi-row INSERTs, batch after
 * batch. Runs inside the caller's transaction (Database.bulkWrite): all of it or nothing.
 */
export async function writeDemoPortfolio(manager: EntityManager, options: DemoPortfolioOptions): Promise<void> {
  const existing: Array<{ login: string }> = await manager.query('SELECT login FROM app_user')
  const generator = new PortfolioGenerator({
    cases: options.cases,
    seed: options.seed,
    today: options.today,
    history: options.history,
    reservedLogins: existing.map((user) => user.login)
  })

  // Foreign keys are checked row by row: parents are written before their children.
  const { users, clients, mandates } = generator.setup
  await rowWriter(manager, UserEntity)(users)
  await rowWriter(manager, ClientEntity)(clients)
  await rowWriter(manager, MandateEntity)(mandates)

  const batchTables: ReadonlyArray<readonly [keyof PortfolioBatch, RowWriter]> = [
    ['debtors', rowWriter(manager, DebtorEntity)],
    ['debtorAddresses', rowWriter(manager, DebtorAddressEntity)],
    ['debtorPhones', rowWriter(manager, DebtorPhoneEntity)],
    ['debtorEmails', rowWriter(manager, DebtorEmailEntity)],
    ['cases', rowWriter(manager, CaseEntity)],
    ['claims', rowWriter(manager, ClaimEntity)],
    ['payments', rowWriter(manager, PaymentEntity)],
    ['allocations', rowWriter(manager, AllocationEntity)],
    ['paymentPlans', rowWriter(manager, PaymentPlanEntity)],
    ['installments', rowWriter(manager, InstallmentEntity)],
    ['promises', rowWriter(manager, PromiseEntity)],
    ['journalEntries', rowWriter(manager, JournalEntryEntity)],
    ['solvencyNotes', rowWriter(manager, SolvencyNoteEntity)]
  ]
  let written = 0
  const caseIds: string[] = []
  // Cases carry their debtor sort key already (the generator's); the portfolio's indexes and the
  // search index are built once, after the rows.
  const search = options.searchIndex ?? (isPostgres(manager) ? new PgSearchIndex() : new SqliteSearchIndex())
  await search.bulkLoad(
    manager,
    async () => {
      for (let batch = generator.nextBatch(CASES_PER_BATCH); batch; batch = generator.nextBatch(CASES_PER_BATCH)) {
        for (const [key, write] of batchTables) await write(batch[key])
        for (const row of batch.cases) caseIds.push(row.id)
        written += batch.cases.length
        options.onProgress?.(written, options.cases)
      }
    },
    { sortKeys: false }
  )
  // Each case's prescription date, from the records just written, by the writers' own function.
  await refreshCasePrescriptions(manager, caseIds, options.today)
}
