import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, centsSchema, uuidSchema } from './schemas'
import { CALL_ANSWERERS, CALL_DIRECTIONS, CALL_OUTCOMES } from '../domain/enums'
import type { CallWarning } from '../calls/call-policy'
import type { CaseState } from './case-file'
import type { PromiseSummary } from './plans'

/** Longest call the form's timer may report: 4 hours. */
export const MAX_CALL_SECONDS = 4 * 3600

export const logCallInput = z
  .object({
    caseId: uuidSchema,
    /** The debtor's phone called (or that called in); null for a number not on file. */
    phoneId: uuidSchema.nullable(),
    direction: z.enum(CALL_DIRECTIONS.values),
    answeredBy: z.enum(CALL_ANSWERERS.values),
    outcome: z.enum(CALL_OUTCOMES.values),
    /** When the call started (the form's timer starts when it opens). */
    startedAt: z.iso.datetime({ offset: false, error: 'Heure de l’appel invalide' }),
    durationSeconds: z.number().int().min(0).max(MAX_CALL_SECONDS, 'Durée d’appel invalide (4 heures au plus)'),
    note: z.string().trim().max(4000, 'Note trop longue (4 000 caractères au plus)').optional(),
    /** The case's next action after this call; the suggested date when the collector kept it. */
    nextActionOn: calendarDateSchema.nullable(),
    /** Outcome "promise to pay": what the debtor promised. */
    promise: z
      .object({
        amountCents: centsSchema.positive('Le montant promis doit être supérieur à 0'),
        dueOn: calendarDateSchema
      })
      .strict()
      .optional(),
    /** Why the call is placed despite the warnings (outside hours, holiday, frequency). */
    warningReason: z
      .string()
      .trim()
      .min(3, 'Indiquez pourquoi l’appel est passé malgré l’avertissement')
      .max(500, 'Motif trop long (500 caractères au plus)')
      .optional()
  })
  .strict()
  .refine((v) => v.outcome !== 'promise_to_pay' || v.promise !== undefined, {
    message: 'Une promesse de paiement demande un montant et une date',
    path: ['promise']
  })
  .refine((v) => v.outcome === 'promise_to_pay' || v.promise === undefined, {
    message: 'Un montant promis n’a de sens qu’avec le résultat « Promesse de paiement »',
    path: ['promise']
  })
  .refine((v) => (v.outcome === 'wrong_number') === (v.answeredBy === 'wrong_number'), {
    message: 'Faux numéro : le résultat et l’interlocuteur doivent l’indiquer tous les deux',
    path: ['answeredBy']
  })

export interface CallLogged {
  entryId: string
  case: CaseState
  promise: PromiseSummary | null
  /** The warnings the call was logged despite (with the reason given). */
  warnings: CallWarning[]
  /** The phone marked invalid (wrong number) or valid (someone answered), if any. */
  phoneStatusChanged: { phoneId: string; status: 'valid' | 'invalid' } | null
}

export interface CallCheck {
  warnings: CallWarning[]
  outboundLast30Days: number
  callBackRequested: boolean
}

export const callChannels = {
  'calls:check': channel<CallCheck>()(
    z
      .object({
        caseId: uuidSchema,
        startedAt: z.iso.datetime({ offset: false, error: 'Heure de l’appel invalide' }),
        direction: z.enum(CALL_DIRECTIONS.values)
      })
      .strict(),
    'Warnings for a call at an instant: outside Mon–Fri 10–13/14–20 in the debtor’s zone, public holiday, more than 4 outbound calls in 30 days.'
  ),
  'calls:log': channel<CallLogged>()(
    logCallInput,
    'Logs a call in the journal with its outcome, keeps last contact and next action in step, creates the promise, marks a wrong number invalid; warnings need a reason; screened note.'
  )
}
