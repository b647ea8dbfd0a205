import { InitialSchema1763856000000 } from './1763856000000-initial-schema'
import { MoneyRatesRemittances1763856140000 } from './1763856140000-money-rates-remittances'
import { CollectorWorkspace1763856300000 } from './1763856300000-collector-workspace'
import { PortfolioSearch1763856310000 } from './1763856310000-portfolio-search'
import { PortfolioCoveringIndex1763856320000 } from './1763856320000-portfolio-covering-index'
import { SearchShortPrefixes1763856330000 } from './1763856330000-search-short-prefixes'
import { LegalEvents1763857100000 } from './1763857100000-legal-events'
import { InstallmentStatusDueOn1763859230000 } from './1763859230000-installment-status-due-on'
import { ImportBatches1763857400000 } from './1763857400000-import-batches'
import { DocumentsLetters1763857200000 } from './1763857200000-documents-letters'
import { Dunning1763857300000 } from './1763857300000-dunning'
import { AuditTrail1763857600000 } from './1763857600000-audit-trail'
import { CasePrescription1763857700000 } from './1763857700000-case-prescription'
import { FieldSync1763859100000 } from './1763859100000-field-sync'
import { ClaimPrescription1763858412000 } from './1763858412000-claim-prescription'
import { PaymentDocumentJobs1763858412500 } from './1763858412500-payment-document-jobs'
import { AuditPersonalData1763858713000 } from './1763858713000-audit-personal-data'
import { EmailAttempts1763861450000 } from './1763861450000-email-attempts'
import { CaseFlagSet1763861600000 } from './1763861600000-case-flag-set'

/** Every migration, in order, as class references (globs do not survive bundling). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: Function[] = [
  InitialSchema1763856000000,
  MoneyRatesRemittances1763856140000,
  CollectorWorkspace1763856300000,
  PortfolioSearch1763856310000,
  PortfolioCoveringIndex1763856320000,
  SearchShortPrefixes1763856330000,
  LegalEvents1763857100000,
  // Listed here, run in timestamp order (TypeORM sorts them).
  InstallmentStatusDueOn1763859230000,
  DocumentsLetters1763857200000,
  Dunning1763857300000,
  ImportBatches1763857400000,
  AuditTrail1763857600000,
  CasePrescription1763857700000,
  ClaimPrescription1763858412000,
  PaymentDocumentJobs1763858412500,
  AuditPersonalData1763858713000,
  FieldSync1763859100000,
  EmailAttempts1763861450000,
  CaseFlagSet1763861600000
]
