import { ClientEntity } from '../modules/clients/client.entity'
import { MandateEntity } from '../modules/clients/mandate.entity'
import { DebtorEntity } from '../modules/debtors/debtor.entity'
import { DebtorAddressEntity, DebtorEmailEntity, DebtorPhoneEntity } from '../modules/debtors/debtor-contact.entity'
import { SolvencyNoteEntity } from '../modules/debtors/solvency-note.entity'
import { CaseEntity } from '../modules/cases/case.entity'
import { ClaimEntity } from '../modules/cases/claim.entity'
import { JournalEntryEntity } from '../modules/journal/journal-entry.entity'
import { AllocationEntity, PaymentEntity } from '../modules/money/payment.entity'
import { PaymentDocumentJobEntity } from '../modules/money/payment-document-job.entity'
import { EcbRefinancingRateEntity, LegalInterestRateEntity } from '../modules/money/rate.entities'
import { RemittanceEntity, RemittanceLineEntity } from '../modules/money/remittance.entities'
import { LegalEventEntity } from '../modules/money/legal-event.entity'
import { InstallmentEntity, PaymentPlanEntity, PromiseEntity } from '../modules/plans/plan.entities'
import { DocumentEntity } from '../modules/documents/document.entity'
import { DocumentTemplateEntity } from '../modules/documents/document-template.entity'
import { LetterEntity } from '../modules/documents/letter.entity'
import { EmailAttemptEntity } from '../modules/documents/email-attempt.entity'
import { UserEntity } from '../modules/users/user.entity'
import { SettingEntity } from '../modules/settings/setting.entity'
import { SolvencyAssessmentEntity } from '../modules/solvency/solvency-assessment.entity'
import { ProceedingEntity } from '../modules/solvency/proceeding.entity'
import { CaseDeadlineEntity } from '../modules/solvency/case-deadline.entity'
import {
  DunningActionEntity,
  DunningBatchEntity,
  DunningScenarioEntity,
  DunningStepEntity
} from '../modules/dunning/dunning.entities'
import {
  SyncBaseEntity,
  SyncCheckoutCaseEntity,
  SyncCheckoutEntity,
  SyncConflictEntity,
  SyncMarkerEntity
} from '../modules/sync/sync.entities'
import { AuditEntryEntity, AuditPersonalEntity } from '../modules/audit/audit-entry.entity'

/** Listed explicitly: globs do not survive bundling. */
export const ENTITIES = [
  UserEntity,
  SettingEntity,
  ClientEntity,
  MandateEntity,
  DebtorEntity,
  DebtorAddressEntity,
  DebtorPhoneEntity,
  DebtorEmailEntity,
  SolvencyNoteEntity,
  CaseEntity,
  ClaimEntity,
  JournalEntryEntity,
  PaymentEntity,
  PaymentDocumentJobEntity,
  AllocationEntity,
  PromiseEntity,
  PaymentPlanEntity,
  InstallmentEntity,
  DocumentEntity,
  DocumentTemplateEntity,
  LetterEntity,
  EmailAttemptEntity,
  LegalInterestRateEntity,
  EcbRefinancingRateEntity,
  RemittanceEntity,
  RemittanceLineEntity,
  LegalEventEntity,
  SolvencyAssessmentEntity,
  ProceedingEntity,
  CaseDeadlineEntity,
  DunningScenarioEntity,
  DunningStepEntity,
  DunningBatchEntity,
  DunningActionEntity,
  SyncCheckoutEntity,
  SyncCheckoutCaseEntity,
  SyncMarkerEntity,
  SyncBaseEntity,
  SyncConflictEntity,
  AuditEntryEntity,
  AuditPersonalEntity
]
