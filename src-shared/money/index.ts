/** Public API of the money engine: pure functions, integer cents, integer basis points. */
export type { BasisPoints, Cents } from './arith'
export { basisPointsToPercentString, divRoundHalfUp, percentToBasisPoints } from './arith'

export type {
  EcbRateEntry,
  LegalRateColumn,
  LegalRateEntry,
  PercentRateData,
  RateKind,
  RateTable,
  SemesterKey
} from './rates'
export {
  B2B_PENALTY_MARGIN_BP,
  BUNDLED_RATE_TABLE,
  MissingRateError,
  b2bContractualFloorBp,
  b2bDefaultPenaltyBp,
  createRateTable,
  ecbRateBp,
  isSemesterKey,
  lastKnownSemester,
  legalRateBp,
  legalRateColumn,
  nextSemesterStart,
  rateTableFromPercentData,
  semesterOf,
  semesterStart
} from './rates'

export type {
  CapitalisationEntry,
  CapitalisationGround,
  InterestBasis,
  InterestInput,
  InterestPiece,
  InterestResult,
  InterestSuspension,
  InterestWarning,
  LedgerEvent,
  PieceBasis
} from './interest'
export {
  JUDGMENT_INCREASE_BP,
  PIECE_BASIS_LABELS_FR,
  computeInterest,
  isSuspended,
  judgmentIncreaseStart,
  pieceInterestCents
} from './interest'

export type { PartyKind } from './parties'
export { FLAT_RECOVERY_INDEMNITY_CENTS, creditorUsesIndividualColumn, flatIndemnityApplies } from './parties'

export type {
  AllocatePaymentInput,
  AllocationComponent,
  AllocationLine,
  ClaimOutstanding,
  DesignationOutcome,
  ManualAllocationError,
  ManualAllocationInput,
  PaymentAllocation
} from './allocation'
export {
  COMPONENT_ORDER,
  allocatePayment,
  claimOutstandingTotal,
  splitProRata,
  validateManualAllocation
} from './allocation'

export type { PlanFreezeInput } from './plan-freeze'
export { planInterestSuspensions } from './plan-freeze'

export type { Schedule, ScheduleFrequency, ScheduleInput, ScheduleInstallment, ScheduleSizing } from './schedule'
export { MAX_INSTALLMENTS, buildSchedule, installmentDueDate } from './schedule'

export type {
  ClaimBalance,
  ClaimPaymentLine,
  Statement,
  StatementClaimInput,
  StatementClaimLine,
  StatementInput,
  StatementPaymentInput,
  StatementPaymentLine,
  StatementTotals,
  StatementWarning
} from './statement'
export { computeStatement } from './statement'

export type {
  InterruptionEvent,
  InterruptionKind,
  PrescriptionInput,
  PrescriptionResult,
  PrescriptionRegime
} from './prescription'
export {
  PRESCRIPTION_ARTICLES,
  PRESCRIPTION_YEARS,
  baseRegime,
  computePrescription,
  isTimeBarred
} from './prescription'

export type { CasePrescriptionFigures, CasePrescriptionInput, PrescriptionLegalEventKind } from './prescription-case'
export {
  casePrescriptionFigures,
  casePrescriptionOn,
  claimPrescriptions,
  isOpenClaim,
  storedClaimExpiries
} from './prescription-case'
