import { PgInitialSchema1763856000001 } from './1763856000001-pg-initial-schema'
import { PgClaimPrescription1763858412001 } from './1763858412001-pg-claim-prescription'
import { PgSqliteCompat1763858412002 } from './1763858412002-pg-sqlite-compat'
import { PgPaymentDocumentJobs1763858412501 } from './1763858412501-pg-payment-document-jobs'
import { PgAuditPersonalData1763858713001 } from './1763858713001-pg-audit-personal-data'
import { PgFieldSync1763859100001 } from './1763859100001-pg-field-sync'
import { PgInstallmentStatusDueOn1763859230001 } from './1763859230001-pg-installment-status-due-on'
import { PgSqliteCompat21763859230002 } from './1763859230002-pg-sqlite-compat-2'
import { PgStoredFile1763859400001 } from './1763859400001-pg-stored-file'
import { PgSqliteCompat31763859400002 } from './1763859400002-pg-sqlite-compat-3'
import { PgImportBatches1763859400003 } from './1763859400003-pg-import-batches'
import { PgAuditStagingViews1763859400004 } from './1763859400004-pg-audit-staging-views'
import { PgEmailAttempts1763861450001 } from './1763861450001-pg-email-attempts'
import { PgWriteCounter1763861520001 } from './1763861520001-pg-write-counter'
import { PgAuditChainHead1763861520002 } from './1763861520002-pg-audit-chain-head'
import { PgCaseFlagSet1763861600001 } from './1763861600001-pg-case-flag-set'

/**
 * PostgreSQL migrations (agency mode), in order: a parallel set to ../migrations (SQLite),
 * generated from the same entities. Every SQLite schema change needs its PostgreSQL twin here
 * (tests/integration/db/migrations-pg.test.ts checks both against the entities).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS_PG: Function[] = [
  PgInitialSchema1763856000001,
  PgClaimPrescription1763858412001,
  PgSqliteCompat1763858412002,
  PgPaymentDocumentJobs1763858412501,
  PgAuditPersonalData1763858713001,
  PgFieldSync1763859100001,
  PgInstallmentStatusDueOn1763859230001,
  PgSqliteCompat21763859230002,
  PgStoredFile1763859400001,
  PgSqliteCompat31763859400002,
  PgImportBatches1763859400003,
  PgAuditStagingViews1763859400004,
  PgEmailAttempts1763861450001,
  PgWriteCounter1763861520001,
  PgAuditChainHead1763861520002,
  PgCaseFlagSet1763861600001
]
