import { z } from 'zod'
import { isCalendarDate } from '../dates/calendar-date'

/** Building blocks reused by the channel schemas. */

export const noInput = z.object({}).strict()

export const uuidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Identifiant invalide')

export const calendarDateSchema = z.string().refine(isCalendarDate, 'Date invalide (format attendu AAAA-MM-JJ)')

/** Amounts in integer cents; a float would be a bug on the caller's side, never rounded here. */
export const centsSchema = z.number().int('Montant invalide (centimes entiers attendus)').safe()

export function enumSchema<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values)
}
