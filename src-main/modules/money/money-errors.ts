import { AppError } from '@shared/contract'
import { MissingRateError, type SemesterKey } from '@shared/money'

/** "2026-S2" → "2e semestre 2026". */
export function semesterLabel(semester: string): string {
  const match = /^(\d{4})-S([12])$/.exec(semester)
  if (!match) return semester
  return `${match[2] === '1' ? '1er' : '2e'} semestre ${match[1]}`
}

/** The semester after `semester` ("2026-S1" → "2026-S2" → "2027-S1"). */
export function nextSemesterKey(semester: SemesterKey): SemesterKey {
  const year = Number(semester.slice(0, 4))
  return (semester.endsWith('S1') ? `${year}-S2` : `${year + 1}-S1`) as SemesterKey
}

/** A computation that ran past the rate tables: say which semester is missing, in French. */
export function missingRateError(error: MissingRateError): AppError {
  const what = error.kind === 'legal_interest' ? 'Le taux de l’intérêt légal' : 'Le taux de refinancement de la BCE'
  const last = error.lastKnownSemester
    ? ` (dernier semestre connu : ${semesterLabel(error.lastKnownSemester)})`
    : ' (la table est vide)'
  return new AppError(
    'BUSINESS_RULE',
    `${what} du ${semesterLabel(error.semester)} n’est pas encore enregistré${last}. ` +
      'Ajoutez-le dans Paramètres › Taux avant de lancer ce calcul : Recouvra ne devine jamais un taux.',
    error.message
  )
}

/** Runs pure money code, turning a missing rate into the user's French refusal. */
export function withRates<T>(compute: () => T): T {
  try {
    return compute()
  } catch (error) {
    if (error instanceof MissingRateError) throw missingRateError(error)
    throw error
  }
}

export function businessRule(userMessage: string, logMessage: string): AppError {
  return new AppError('BUSINESS_RULE', userMessage, logMessage)
}
