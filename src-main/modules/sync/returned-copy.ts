import { AppError } from '@shared/contract/errors'

/** Status of a checkout handed back (office) and of the closed laptop copy (marker). */
export const RETURNED = 'returned'

/** What the read-only triggers of a returned laptop copy raise (SQLite RAISE(ABORT, …)). */
export const RETURNED_MESSAGE = 'Copie terrain rendue au cabinet : lecture seule'

/** The refusal shown for any sync, return or write on a returned laptop copy. */
export function returnedCopy(): AppError {
  return new AppError(
    'BUSINESS_RULE',
    'Ces dossiers ont été rendus au cabinet : cette copie terrain est en lecture seule et ne se synchronise plus. Vous pouvez supprimer ce dossier.',
    'Field copy already returned'
  )
}

/** True for the error a returned copy's read-only triggers raise. */
export function isReturnedCopyWrite(error: unknown): boolean {
  return error instanceof Error && error.message.includes(RETURNED_MESSAGE)
}
