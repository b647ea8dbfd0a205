import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, centsSchema, noInput, uuidSchema } from './schemas'
import { CASE_PHASES, type CasePhase } from '../domain/enums'
import type { CalendarDate } from '../dates/calendar-date'
import {
  DUNNING_CHANNELS,
  DUNNING_DEBTOR_CONDITIONS,
  DUNNING_DELAY_FROM,
  type DunningChannel,
  type DunningSkipCode,
  type DunningStepDef
} from '../dunning/scenario'

/* ------------------------------------------------------------- scenarios */

export interface DunningScenarioDto {
  id: string
  code: string
  name: string
  description: string | null
  isDefault: boolean
  active: boolean
  version: number
  steps: DunningStepDef[]
  /** Mandates that name this scenario (plus, for the default one, those that name none). */
  mandateCount: number
}

const stepInput = z
  .object({
    /** An existing step keeps its id (steps taken on cases point at it); null: a new step. */
    id: uuidSchema.nullable().default(null),
    name: z.string().trim().min(1, 'Nom de l’étape requis').max(120),
    delayDays: z.number().int().min(-90).max(730),
    delayFrom: z.enum(DUNNING_DELAY_FROM),
    channel: z.enum(DUNNING_CHANNELS),
    templateCode: z.string().trim().max(60).nullable().default(null),
    debtorCondition: z.enum(DUNNING_DEBTOR_CONDITIONS).default('any'),
    minBalanceCents: centsSchema.min(0).nullable().default(null),
    phaseChange: z.enum(CASE_PHASES.values).nullable().default(null)
  })
  .strict()
  .refine((s) => s.channel === 'call' || (s.templateCode !== null && s.templateCode !== ''), {
    message: 'Un modèle de courrier est requis pour un envoi (courrier, LRAR, e-mail, SMS)',
    path: ['templateCode']
  })

export const saveScenarioInput = z
  .object({
    /** null: a new scenario. */
    id: uuidSchema.nullable().default(null),
    /** The version read, for an existing scenario: someone else's change is not overwritten. */
    version: z.number().int().min(1).nullable().default(null),
    code: z
      .string()
      .trim()
      .regex(/^[a-z0-9_-]{2,40}$/, 'Code : 2 à 40 caractères parmi a-z, 0-9, _ et -'),
    name: z.string().trim().min(1, 'Nom requis').max(120),
    description: z.string().trim().max(1000).nullable().default(null),
    isDefault: z.boolean().default(false),
    active: z.boolean().default(true),
    steps: z.array(stepInput).min(1, 'Au moins une étape').max(30)
  })
  .strict()

/* --------------------------------------------------------- engine, batches */

/** A step the engine will take on a case (the preview's line). */
export interface DunningPreviewItem {
  caseId: string
  caseReference: string
  debtorName: string
  clientName: string
  postalCode: string | null
  balanceCents: number
  scenarioCode: string
  stepId: string
  stepName: string
  channel: DunningChannel
  templateCode: string | null
  phaseChange: CasePhase | null
  /** The step's date by the scenario (on or before the run date). */
  dueOn: CalendarDate
  /** Earlier steps passed over to catch up (case entrusted late), by name. */
  caughtUp: string[]
}

/** A case the engine cannot work on: the French reason (missing rate semester, no address…). */
export interface DunningPreviewError {
  caseId: string
  caseReference: string
  stepName: string
  reason: string
}

export interface DunningPreview {
  at: CalendarDate
  /** The first lines (1,000 at most through the channel), in reference order. */
  items: DunningPreviewItem[]
  /** All the steps due (what "confirm all" does). */
  totalItems: number
  byChannel: Partial<Record<DunningChannel, number>>
  /** Identifies the set of steps due: a confirmation is refused if it changed since. */
  fingerprint: string
  errors: DunningPreviewError[]
  /** Cases looked at and not worked today, per reason (French labels in DUNNING_SKIP_LABELS). */
  skipped: Partial<Record<DunningSkipCode | 'waiting' | 'already_done', number>>
  /** A few skipped cases per reason, to show. */
  skippedSamples: Array<{ caseId: string; caseReference: string; code: string; reason: string }>
  casesExamined: number
  /** Letters listed without their statement checked (beyond the preview's limit): checked at generation. */
  uncheckedLetters: number
  durationMs: number
}

export const DUNNING_SKIP_LABELS: Record<string, string> = {
  suspended: 'Dossiers suspendus',
  closed: 'Dossiers clôturés',
  not_open: 'Dossiers non ouverts',
  judicial_phase: 'Phase judiciaire ou exécution',
  no_balance: 'Sans solde restant dû',
  disputed: 'Créances contestées',
  plan_on_track: 'Échéancier respecté',
  no_scenario: 'Sans scénario',
  finished: 'Scénario terminé',
  waiting: 'Prochaine étape à venir',
  already_done: 'Étape déjà faite'
}

export type DunningJobState = 'running' | 'writing' | 'done' | 'cancelled' | 'failed'

export interface DunningJobStatus {
  jobId: string
  at: CalendarDate
  state: DunningJobState
  total: number
  /** Items prepared (letters rendered, tasks made). */
  done: number
  /** Set once written. */
  batchId: string | null
  /** Items not done, with the French reason (a letter refused by a legal rule…). */
  failures: DunningPreviewError[]
  message: string | null
  startedAt: string
  finishedAt: string | null
}

export interface DunningBatchSummary {
  id: string
  runOn: CalendarDate
  createdAt: string
  actionCount: number
  letterCount: number
  hasPrintFile: boolean
  durationMs: number
  /** Letters of the batch still to mark sent. */
  unsentLetters: number
  /** E-mails and SMS of the batch still to send (the batch's outbox). */
  unsentMessages: number
}

export interface DunningActionDto {
  id: string
  caseId: string
  caseReference: string
  debtorName: string
  postalCode: string | null
  stepName: string
  channel: DunningChannel
  takenOn: CalendarDate
  documentId: string | null
  journalEntryId: string | null
  sentOn: CalendarDate | null
  trackingNumber: string | null
  completedOn: CalendarDate | null
}

export interface DunningBatchDetail extends DunningBatchSummary {
  actions: DunningActionDto[]
}

/** Registered letters' tracking numbers: La Poste's 13 characters (2 letters, 9 digits, FR) or similar. */
export const trackingNumberSchema = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{8,20}$/i, 'Numéro de suivi invalide (8 à 20 lettres ou chiffres)')

/** Today's steps awaiting a manager's confirmation, counted in the background (navigation badge). */
export interface DunningPending {
  at: CalendarDate
  /** null until counted once today (the count runs at start-up, in the background). */
  steps: number | null
  computedAt: string | null
}

/* ------------------------------------------------- sending a batch's e-mails and SMS */

/** An e-mail or SMS of a batch, with where it goes and whether it went. */
export interface DunningOutboxItem {
  letterId: string
  caseId: string
  caseReference: string
  debtorName: string
  channel: 'email' | 'sms'
  /** The letter's reference (réf. of the message). */
  reference: string
  /** Where it went, or where it will go: the debtor's e-mail address / mobile number. */
  recipient: string | null
  status: 'generated' | 'sent' | 'cancelled'
  sentOn: CalendarDate | null
  /** SMS: in a provider file already (its text fixed); e-mail: written as an .eml. */
  exported: boolean
  /** Why it cannot be sent (no address…), in French. */
  problem: string | null
  /**
   * E-mail still to send: its last SMTP attempt when it did not go through — failed (with the
   * server's reason, kept across restarts), sending right now, or uncertain (the app stopped
   * while handing it to the server: it may have left; resent only once the user confirms).
   */
  attempt: DunningEmailAttempt | null
}

export interface DunningEmailAttempt {
  status: 'failed' | 'sending' | 'uncertain'
  /** When the attempt began (ISO UTC). */
  at: string
  to: string
  messageId: string | null
  reason: string | null
}

export interface DunningOutbox {
  batchId: string
  runOn: CalendarDate
  emails: DunningOutboxItem[]
  sms: DunningOutboxItem[]
  /** An SMTP server is set in Paramètres (else: .eml files). */
  smtpConfigured: boolean
}

/** sent; failed (reason); already_sent (skipped: sent before, never twice); not_sent (cancelled run). */
export type DunningSendOutcome = 'sent' | 'failed' | 'already_sent' | 'not_sent'

export interface DunningSendResult {
  letterId: string
  caseReference: string
  to: string | null
  outcome: DunningSendOutcome
  reason: string | null
  messageId: string | null
}

export interface DunningSendJob {
  jobId: string
  batchId: string
  state: 'running' | 'done' | 'cancelled'
  total: number
  done: number
  sent: number
  failed: number
  /** One line per message handled so far, in sending order. */
  results: DunningSendResult[]
  message: string | null
  startedAt: string
  finishedAt: string | null
}

export const dunningChannels = {
  'dunning:scenarios': channel<DunningScenarioDto[]>()(
    noInput,
    'Dunning scenarios with their steps, in order, and how many mandates use each.'
  ),
  'dunning:save-scenario': channel<DunningScenarioDto>()(
    saveScenarioInput,
    'Creates or updates a scenario (managers): steps keep their ids, removed steps are retired, one default scenario.'
  ),
  'dunning:set-mandate-scenario': channel<{ mandateId: string; scenarioCode: string | null }>()(
    z.object({ mandateId: uuidSchema, scenarioCode: z.string().max(40).nullable() }).strict(),
    'Picks the dunning scenario of a mandate (null: the default scenario).'
  ),
  'dunning:mandates': channel<
    Array<{ id: string; reference: string; clientName: string; scenarioCode: string | null }>
  >()(noInput, 'Active mandates with their dunning scenario, for the settings page.'),
  'dunning:preview': channel<DunningPreview>()(
    z.object({ at: calendarDateSchema.optional() }).strict(),
    'What the daily engine would do at a date (today by default): steps due per case, cases skipped and why, errors.'
  ),
  'dunning:pending': channel<DunningPending>()(
    noInput,
    'How many steps of today’s preview await confirmation (counted at start-up, in the background).'
  ),
  'dunning:start': channel<DunningJobStatus>()(
    z
      .object({
        at: calendarDateSchema,
        /** The fingerprint of the preview confirmed: refused if the steps due changed since. */
        fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
        /** all_except: every step due but `keys`; only: just `keys` ("caseId:stepId"). */
        selection: z.enum(['all_except', 'only']),
        keys: z.array(z.string().max(80)).max(50_000)
      })
      .strict(),
    'Starts a confirmed run in the background (managers): letters rendered, then every row written in one transaction.'
  ),
  'dunning:job': channel<DunningJobStatus>()(z.object({ jobId: uuidSchema }).strict(), 'Progress of a run.'),
  'dunning:cancel': channel<DunningJobStatus>()(
    z.object({ jobId: uuidSchema }).strict(),
    'Cancels a run before it is written: nothing of it is recorded.'
  ),
  'dunning:batches': channel<DunningBatchSummary[]>()(
    z.object({ limit: z.number().int().min(1).max(200).default(30) }).strict(),
    'Recent batches, newest first.'
  ),
  'dunning:batch': channel<DunningBatchDetail>()(
    z.object({ batchId: uuidSchema }).strict(),
    'A batch with its actions in print order (postcode).'
  ),
  'dunning:print-file': channel<{ fileName: string; base64: string }>()(
    z.object({ batchId: uuidSchema }).strict(),
    'The merged print PDF of a batch (cover list, then letters in postcode order).'
  ),
  'dunning:mark-sent': channel<{ updated: number }>()(
    z
      .object({
        batchId: uuidSchema,
        sentOn: calendarDateSchema,
        /** Registered letters: tracking number per action id. */
        tracking: z.record(uuidSchema, trackingNumberSchema).default({})
      })
      .strict(),
    'Marks a batch’s letters sent on a date; registered letters need their tracking number.'
  ),
  'dunning:outbox': channel<DunningOutbox>()(
    z.object({ batchId: uuidSchema }).strict(),
    'The e-mails and SMS of a batch: recipient, status (to send, sent, cancelled), what prevents sending.'
  ),
  'dunning:send-emails': channel<DunningSendJob>()(
    z
      .object({
        batchId: uuidSchema,
        /** Only these letters (a retry of the failures); all unsent e-mails of the batch by default. */
        letterIds: z.array(uuidSchema).max(50_000).optional(),
        /** Uncertain sendings (interrupted by a crash) the user checked and confirms sending again. */
        resendUncertain: z.array(uuidSchema).max(50_000).optional()
      })
      .strict(),
    'Sends the batch’s unsent e-mails through SMTP in the background, each recorded sent as soon as the server accepts it; never twice.'
  ),
  'dunning:send-job': channel<DunningSendJob>()(
    z.object({ jobId: uuidSchema }).strict(),
    'Progress and per-message results of a batch e-mail sending.'
  ),
  'dunning:send-cancel': channel<DunningSendJob>()(
    z.object({ jobId: uuidSchema }).strict(),
    'Stops a batch e-mail sending after the message in progress (those sent stay sent).'
  ),
  'dunning:eml-archive': channel<{ fileName: string; base64: string; count: number }>()(
    z.object({ batchId: uuidSchema }).strict(),
    'Offline: every unsent e-mail of the batch as an .eml file (PDF attached, each stored and journalled), in one zip.'
  ),
  'dunning:sms-export': channel<{ fileName: string; base64: string; count: number; problems: string[] }>()(
    z.object({ batchId: uuidSchema }).strict(),
    'The batch’s unsent SMS as a CSV for the agency’s SMS provider (number; text), texts fixed on their letters, file stored.'
  ),
  'dunning:sms-mark-sent': channel<{ updated: number }>()(
    z
      .object({
        batchId: uuidSchema,
        sentOn: calendarDateSchema,
        /** Only these (the provider refused others); all exported SMS of the batch by default. */
        letterIds: z.array(uuidSchema).max(50_000).optional()
      })
      .strict(),
    'Marks the batch’s exported SMS sent on a date, each with a journal entry quoting the text.'
  ),
  'dunning:complete-task': channel<{ actionId: string; completedOn: CalendarDate }>()(
    z.object({ actionId: uuidSchema }).strict(),
    'Marks a dunning call task done (it leaves the agenda).'
  )
}
