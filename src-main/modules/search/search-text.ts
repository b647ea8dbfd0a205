import { CASE_SEARCH_MIN_CHARS } from '@shared/contract'

/**
 * What the search box understands, independent of the engine that answers it (SQLite FTS5
 * today, PostgreSQL full-text search tomorrow): the words typed, and the number they may form.
 */

/** A number typed with spaces, dots, dashes, slashes or brackets, maybe international (+33…). */
const NUMBER_LIKE = /^[\d\s.\-+()/]+$/u
/** Letters and digits of any script: what the tokenizer keeps. */
const WORD_CHARS = /[\p{L}\p{N}]+/gu
/** Digits a number must have before it filters (two would match half the phone numbers). */
export const MIN_SEARCH_DIGITS = 3

export type ParsedSearch =
  /** Too short to filter: the list shows every case, as if nothing were typed. */
  | { kind: 'ignored' }
  /** Nothing searchable ("%", "--"): no case can match. */
  | { kind: 'nothing' }
  | {
      kind: 'search'
      /**
       * What was typed between spaces, as its words (accents and case are the engine's
       * business). The words of one chunk follow each other in the text searched
       * ("REC-2026-0001", "jean.dupont@"), the last one as a beginning; chunks match in any
       * order ("jean lef" finds LEFÈVRE Jean).
       */
      chunks: string[][]
      /** For number-like input: the digits as stored (French numbers in national form 0XXXXXXXXX). */
      number: string | null
    }

export function parseSearch(text: string): ParsedSearch {
  const trimmed = text.trim()
  const chunks = trimmed
    .split(/\s+/u)
    .map((chunk) => chunk.match(WORD_CHARS) ?? [])
    .filter((words) => words.length > 0)
  if (chunks.length === 0) return trimmed ? { kind: 'nothing' } : { kind: 'ignored' }
  if (NUMBER_LIKE.test(trimmed)) {
    const number = storedNumberForm(trimmed)
    if (number.length < MIN_SEARCH_DIGITS) return { kind: 'ignored' }
    // The groups typed ("06 12 34", "2026-0001") belong together: one chunk.
    return { kind: 'search', chunks: [chunks.flat()], number }
  }
  if (chunks.flat().join('').length < CASE_SEARCH_MIN_CHARS) return { kind: 'ignored' }
  return { kind: 'search', chunks, number: null }
}

/**
 * The digits of a number as the index stores phone numbers: French numbers in national form
 * (+33 6 12 34 56 78, 0033 6…, +33 (0)6… → 0612345678), other international numbers without
 * their + or 00, anything else (SIREN, SIRET, invoice numbers) as its plain digits.
 */
export function storedNumberForm(typed: string): string {
  const compact = typed.replace(/[\s.\-()/]/g, '')
  const digits = compact.replace(/\D/g, '')
  const international = compact.startsWith('+') ? digits : compact.startsWith('00') ? digits.slice(2) : null
  if (international === null) return digits
  if (international.startsWith('33')) {
    const national = international.slice(2)
    return national.startsWith('0') ? national : `0${national}`
  }
  return international
}

/** E.164 as stored in debtor_phone.number (+33612345678) → the searchable form (0612345678). */
export function searchablePhone(e164: string): string {
  return storedNumberForm(e164)
}

/**
 * Sort key of a name: lower case, no accents or ligatures, punctuation as spaces, so that
 * "Élise", "ELISE" and "elise" sort together and "L'ÉPICERIE" sits among the L's.
 */
export function nameSortKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 200)
}
