import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, centsSchema, uuidSchema } from './schemas'
import {
  PAYMENT_METHODS,
  PAYMENT_RECEIVERS,
  type AllocationComponent,
  type PaymentMethod,
  type PaymentReceiver,
  type RemittanceStatus
} from '../domain/enums'
import type { CalendarDate } from '../dates/calendar-date'
import type {
  DesignationOutcome,
  PartyKind,
  PrescriptionRegime,
  StatementClaimLine,
  StatementPaymentLine,
  StatementTotals,
  StatementWarning
} from '../money'
import type { InstallmentSummary, PlanSummary, PromiseSummary } from './plans'

/* ------------------------------------------------------------------ rates */

export type RateTableKind = 'legal_interest' | 'ecb_refinancing'

export interface LegalRateRow {
  semester: string
  /** First and last day of the semester. */
  from: CalendarDate
  to: CalendarDate
  creditorIndividualBp: number
  otherCasesBp: number
  source: string | null
  createdAt: string
}

export interface EcbRateRow {
  semester: string
  from: CalendarDate
  to: CalendarDate
  ecbRateBp: number
  /** Default B2B penalty rate of the semester: ECB + 10 points. */
  b2bPenaltyBp: number
  source: string | null
  createdAt: string
}

export interface RateTables {
  legalInterest: LegalRateRow[]
  ecbRefinancing: EcbRateRow[]
  /** The only semester each table accepts next (no gap, no overlap). */
  nextLegalSemester: string
  nextEcbSemester: string
}

const semesterSchema = z
  .string()
  .regex(/^\d{4}-S[12]$/, 'Semestre invalide (format attendu AAAA-S1 ou AAAA-S2)')
  .refine((s) => Number(s.slice(0, 4)) >= 2000 && Number(s.slice(0, 4)) <= 2100, 'Semestre hors limites')

/** A published rate, typed as printed: "3,12" or "3.12" (two decimals at most, converted exactly). */
export const percentSchema = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim().replace(',', '.'))
  .refine((v) => /^\d{1,2}(\.\d{1,2})?$/.test(v), 'Taux en pourcentage, deux décimales au plus (ex. 3,12)')

const sourceSchema = z.string().trim().max(200, 'Source trop longue (200 caractères au plus)').optional()

export const addSemesterInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('legal_interest'),
      semester: semesterSchema,
      creditorIndividualPercent: percentSchema,
      otherCasesPercent: percentSchema,
      source: sourceSchema
    })
    .strict(),
  z
    .object({
      kind: z.literal('ecb_refinancing'),
      semester: semesterSchema,
      ratePercent: percentSchema,
      source: sourceSchema
    })
    .strict()
])

/* -------------------------------------------------------------- statement */

export interface StatementClaimDto extends StatementClaimLine {
  invoiceNumber: string
  issuedOn: CalendarDate
  disputed: boolean
  prescription: {
    regime: PrescriptionRegime
    years: number
    article: string
    runningFrom: CalendarDate
    expiresOn: CalendarDate
  }
}

export interface StatementPaymentDto extends StatementPaymentLine {
  /** Date recorded; `paidOn` is the date the computation uses (a reversal takes its original's date). */
  receivedOn: CalendarDate
  method: PaymentMethod
  receivedBy: PaymentReceiver
  reference: string | null
  reversesPaymentId: string | null
  reversedByPaymentId: string | null
  manual: boolean
  manualReason: string | null
}

/** Décompte of a case at a date: the figures of the case file, letters and exports. */
export interface CaseStatement {
  caseId: string
  caseReference: string
  at: CalendarDate
  creditor: { name: string; partyKind: PartyKind }
  debtor: { name: string; partyKind: PartyKind }
  claims: StatementClaimDto[]
  payments: StatementPaymentDto[]
  totals: StatementTotals
  /** What may be demanded: the balance of the claims that are not time-barred. */
  demandableBalanceCents: number
  timeBarredBalanceCents: number
  warnings: StatementWarning[]
}

export const statementInput = z.object({ caseId: uuidSchema, at: calendarDateSchema }).strict()

/* --------------------------------------------------------------- payments */

export const MANUAL_COMPONENTS = ['interest', 'indemnity', 'principal'] as const

export interface PaymentAllocationDto {
  claimId: string
  invoiceNumber: string
  component: AllocationComponent
  amountCents: number
  manual: boolean
  reason: string | null
}

export interface PaymentDto {
  id: string
  caseId: string
  receivedOn: CalendarDate
  amountCents: number
  method: PaymentMethod
  reference: string | null
  receivedBy: PaymentReceiver
  collectedOn: CalendarDate | null
  reversesPaymentId: string | null
  reversedByPaymentId: string | null
  note: string | null
  createdAt: string
  createdBy: string | null
  allocations: PaymentAllocationDto[]
  /** Part left as a credit for the debtor (amount − allocations). */
  unallocatedCents: number
  remittance: { id: string; reference: string } | null
  /** Its receipt (R124-6) and client notice (R124-5), made automatically; null: not queued (older payment). */
  documents: PaymentDocumentsState | null
}

/** Where a payment's receipt and client notice stand (see PaymentDocumentsWorker). */
export interface PaymentDocumentsState {
  /** pending: being made or to retry at nextAttemptAt; failed: retries exhausted; cancelled: reversed first. */
  status: 'pending' | 'done' | 'failed' | 'cancelled'
  attempts: number
  /** The last failure, in French. */
  error: string | null
  nextAttemptAt: string | null
  receiptLetterId: string | null
  noticeLetterId: string | null
}

export interface CaseMoneySummary {
  principalCents: number
  paidCents: number
  balanceCents: number
  oldestDueOn: CalendarDate | null
}

export interface PaymentRecorded {
  payment: PaymentDto
  designation: DesignationOutcome | null
  /** Older payments that had no stored allocation and got the legal one, stored now. */
  backfilledPaymentIds: string[]
  caseSummary: CaseMoneySummary
  promises: PromiseSummary[]
  plan: PlanSummary | null
  changedInstallments: InstallmentSummary[]
  warnings: StatementWarning[]
}

const referenceSchema = z.string().trim().max(100, 'Référence trop longue (100 caractères au plus)')

export const recordPaymentInput = z
  .object({
    caseId: uuidSchema,
    receivedOn: calendarDateSchema,
    amountCents: centsSchema.positive('Le montant doit être supérieur à 0'),
    method: z.enum(PAYMENT_METHODS.values),
    reference: referenceSchema.nullish(),
    receivedBy: z.enum(PAYMENT_RECEIVERS.values),
    /** Encaissement effectif; the day received when absent. */
    collectedOn: calendarDateSchema.nullish(),
    designatedClaimId: uuidSchema.nullish(),
    manualAllocation: z
      .object({
        lines: z
          .array(
            z
              .object({
                claimId: uuidSchema,
                component: z.enum(MANUAL_COMPONENTS),
                amountCents: centsSchema.positive('Chaque ligne doit avoir un montant supérieur à 0')
              })
              .strict()
          )
          .min(1, 'Au moins une ligne d’imputation')
          .max(200),
        reason: z
          .string()
          .trim()
          .min(3, 'Indiquez le motif de l’imputation manuelle')
          .max(500, 'Motif trop long (500 caractères au plus)')
      })
      .strict()
      .optional(),
    note: z.string().trim().max(1000, 'Note trop longue (1 000 caractères au plus)').nullish()
  })
  .strict()
  .refine((v) => !(v.manualAllocation && v.designatedClaimId), {
    message: 'Une imputation manuelle et une désignation par le débiteur ne peuvent pas être combinées',
    path: ['designatedClaimId']
  })
  .refine((v) => !v.collectedOn || v.collectedOn >= v.receivedOn, {
    message: 'La date d’encaissement ne peut pas précéder la date de réception',
    path: ['collectedOn']
  })

export const reversePaymentInput = z
  .object({
    paymentId: uuidSchema,
    reversedOn: calendarDateSchema,
    reason: z
      .string()
      .trim()
      .min(3, 'Indiquez le motif (chèque impayé, rejet de prélèvement…)')
      .max(500, 'Motif trop long (500 caractères au plus)')
  })
  .strict()

export interface PaymentReversed {
  reversal: PaymentDto
  caseSummary: CaseMoneySummary
  promises: PromiseSummary[]
  plan: PlanSummary | null
  changedInstallments: InstallmentSummary[]
}

/* ------------------------------------------------------------ remittances */

export interface RemittanceLineDto {
  paymentId: string
  caseId: string
  caseReference: string
  receivedOn: CalendarDate
  collectedOn: CalendarDate
  method: PaymentMethod
  receivedBy: PaymentReceiver
  amountCents: number
  commissionRateBp: number
  commissionCents: number
  /** collectedOn + mandate delay (R124-6: one month unless agreed otherwise). */
  dueOn: CalendarDate
  late: boolean
}

export interface RemittanceTotals {
  agencyCollectedCents: number
  clientCollectedCents: number
  commissionCents: number
  vatRateBp: number
  vatCents: number
  /** agencyCollected − commission − VAT. */
  netCents: number
  /** Amount the agency transfers: max(net, 0). */
  toRemitCents: number
  /** Amount the client owes the agency when the commission exceeds what it holds: max(−net, 0). */
  dueByClientCents: number
}

export interface RemittancePreview {
  clientId: string
  clientName: string
  periodFrom: CalendarDate
  periodTo: CalendarDate
  lines: RemittanceLineDto[]
  totals: RemittanceTotals
  dueOn: CalendarDate | null
  /** Agency-collected payments of the client collected before the period and never remitted. */
  earlierUnremitted: { count: number; amountCents: number; oldestCollectedOn: CalendarDate | null }
}

export interface RemittanceDto extends RemittancePreview {
  id: string
  reference: string
  status: RemittanceStatus
  dueOn: CalendarDate
  paidOn: CalendarDate | null
  transferReference: string | null
  /** Pending past its due date, or paid after it. */
  late: boolean
  createdAt: string
}

export interface RemittanceAlert {
  clientId: string
  clientName: string
  paymentCount: number
  amountCents: number
  /** Earliest deadline among the client's collected, unremitted agency payments. */
  earliestDueOn: CalendarDate
  late: boolean
}

export interface RemittanceList {
  remittances: Array<Omit<RemittanceDto, 'lines' | 'earlierUnremitted'> & { lineCount: number }>
  /** Unremitted collections due within the alert window (or already late), per client. */
  alerts: RemittanceAlert[]
  alertWindowDays: number
}

const periodSchema = z
  .object({ clientId: uuidSchema, from: calendarDateSchema, to: calendarDateSchema })
  .strict()
  .refine((v) => v.from <= v.to, { message: 'La fin de la période précède son début', path: ['to'] })

/* ------------------------------------------- judgments, acknowledgements */

export const LEGAL_EVENT_KINDS = ['judgment', 'acknowledgement', 'court_claim', 'enforcement_act'] as const
export type LegalEventKind = (typeof LEGAL_EVENT_KINDS)[number]
export const LEGAL_EVENT_LABELS: Readonly<Record<LegalEventKind, string>> = {
  judgment: 'Jugement (titre exécutoire)',
  acknowledgement: 'Reconnaissance de dette signée',
  court_claim: 'Demande en justice (dont requête en injonction de payer)',
  enforcement_act: 'Acte d’exécution forcée'
}

export interface LegalEventDto {
  id: string
  caseId: string
  /** Null: every claim of the case. */
  claimId: string | null
  invoiceNumber: string | null
  kind: LegalEventKind
  occurredOn: CalendarDate
  enforceableOn: CalendarDate | null
  court: string | null
  reference: string | null
  note: string | null
  createdAt: string
  createdBy: string | null
}

export const recordLegalEventInput = z
  .object({
    caseId: uuidSchema,
    /** A claim of the case; absent or null: every claim of the case. */
    claimId: uuidSchema.nullish(),
    kind: z.enum(LEGAL_EVENT_KINDS),
    /** Judgment: date of the decision; acknowledgement: date signed; court claim: date filed; enforcement act: date served. */
    occurredOn: calendarDateSchema,
    /** Judgment: date it became enforceable (the +5 points run two months later). */
    enforceableOn: calendarDateSchema.nullish(),
    court: z.string().trim().max(200, 'Juridiction trop longue (200 caractères au plus)').nullish(),
    reference: referenceSchema.nullish(),
    note: z.string().trim().max(1000, 'Note trop longue (1 000 caractères au plus)').nullish()
  })
  .strict()
  .refine((v) => v.kind !== 'judgment' || !!v.enforceableOn, {
    message: 'Indiquez la date à laquelle le jugement est devenu exécutoire',
    path: ['enforceableOn']
  })
  .refine((v) => !v.enforceableOn || v.enforceableOn >= v.occurredOn, {
    message: 'Le jugement ne peut pas être exécutoire avant d’avoir été rendu',
    path: ['enforceableOn']
  })

/* --------------------------------------------------------------- channels */

export const moneyChannels = {
  'rates:list': channel<RateTables>()(
    z.object({}).strict(),
    'Legal-interest and ECB rate tables stored in the database, with the next semester each accepts.'
  ),
  'rates:add-semester': channel<RateTables>()(
    addSemesterInput,
    'Adds the next semester of a rate table: exact percent to basis points, no gap, no overlap, never edits one.'
  ),
  'money:statement': channel<CaseStatement>()(
    statementInput,
    'Statement of account (décompte) of a case at a date from its claims, payments and stored allocations, with prescription.'
  ),
  'money:record-payment': channel<PaymentRecorded>()(
    recordPaymentInput,
    'Records a payment, stores its legal or manual allocation, updates the case summary, promises, plan and journal in one transaction.'
  ),
  'money:reverse-payment': channel<PaymentReversed>()(
    reversePaymentInput,
    'Reverses a payment (bounced cheque, rejected debit) by a linked negative payment with mirror allocations and a journal entry.'
  ),
  'money:list-payments': channel<PaymentDto[]>()(
    z.object({ caseId: uuidSchema }).strict(),
    'Payments of a case in date order, with their stored allocations, reversals and remittance.'
  ),
  'money:retry-payment-documents': channel<PaymentDocumentsState>()(
    z.object({ paymentId: uuidSchema }).strict(),
    'Queues again the receipt and client notice of a payment whose automatic generation failed (or that predates it).'
  ),
  'money:record-legal-event': channel<LegalEventDto>()(
    recordLegalEventInput,
    'Records a judgment (enforceable date: +5 points two months later, 10-year prescription), a signed acknowledgement of debt, a court claim or an enforcement act (each interrupts prescription), with a journal entry; updates the case prescription date.'
  ),
  'money:list-legal-events': channel<LegalEventDto[]>()(
    z.object({ caseId: uuidSchema }).strict(),
    'Judgments and acknowledgements of debt recorded on a case, oldest first.'
  ),
  'remittances:preview': channel<RemittancePreview>()(
    periodSchema,
    'Remittance statement of a client for a period (collections, commission, VAT 20 %, net, R124-6 due date), not saved.'
  ),
  'remittances:create': channel<RemittanceDto>()(
    periodSchema,
    'Saves the remittance statement of a client for a period; each payment is remitted once.'
  ),
  'remittances:mark-paid': channel<RemittanceDto>()(
    z
      .object({
        remittanceId: uuidSchema,
        paidOn: calendarDateSchema,
        transferReference: referenceSchema.nullish()
      })
      .strict(),
    'Records that a remittance was transferred to the client.'
  ),
  'remittances:list': channel<RemittanceList>()(
    z
      .object({
        clientId: uuidSchema.optional(),
        status: z.enum(['pending', 'paid']).optional()
      })
      .strict(),
    'Remittance statements (late ones flagged) and alerts for collected funds not yet remitted.'
  )
}
