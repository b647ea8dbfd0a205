/**
 * The monthly repayment capacity suggested from a debtor's solvency facts, for the payment-plan
 * negotiation. A suggestion only: the collector confirms or changes it in the assessment.
 *
 * capacity = income − declared charges − what the household keeps to live on, never below 0.
 * Income given as a range counts for its lower bound (prudence). The amount left to live on is
 * an agency default, not a legal figure: LIVING_ALLOWANCE_CENTS for the debtor plus
 * DEPENDANT_ALLOWANCE_CENTS per dependant.
 */
import type { IncomeRange } from '../domain/enums'
import { formatCents } from '../format/french'

export const LIVING_ALLOWANCE_CENTS = 700_00
export const DEPENDANT_ALLOWANCE_CENTS = 250_00

/** Lower bound of each monthly income range, in cents. */
export const INCOME_RANGE_FLOOR_CENTS: Record<IncomeRange, number> = {
  lt_1000: 0,
  r1000_1500: 1000_00,
  r1500_2000: 1500_00,
  r2000_3000: 2000_00,
  r3000_5000: 3000_00,
  gt_5000: 5000_00
}

export interface CapacityInputs {
  /** Exact monthly net income, when known. */
  incomeCents: number | null
  incomeRange: IncomeRange | null
  /** Monthly charges (rent, loans, alimony…). */
  chargesCents: number | null
  dependants: number | null
}

export interface CapacitySuggestion {
  /** Null when no income is known: nothing to suggest. */
  capacityCents: number | null
  /** French, one line: how it was computed. */
  explanation: string
}

export function suggestCapacity(inputs: CapacityInputs): CapacitySuggestion {
  const income = inputs.incomeCents ?? (inputs.incomeRange ? INCOME_RANGE_FLOOR_CENTS[inputs.incomeRange] : null)
  if (income === null) {
    return {
      capacityCents: null,
      explanation: 'Aucun revenu connu : renseignez les revenus pour obtenir une suggestion.'
    }
  }
  const charges = inputs.chargesCents ?? 0
  const dependants = Math.max(0, inputs.dependants ?? 0)
  const allowance = LIVING_ALLOWANCE_CENTS + dependants * DEPENDANT_ALLOWANCE_CENTS
  const capacity = Math.max(0, income - charges - allowance)
  const incomeText =
    inputs.incomeCents !== null
      ? `revenus ${formatCents(income)}`
      : `revenus ${formatCents(income)} (bas de la tranche)`
  const chargesText = inputs.chargesCents !== null ? `charges ${formatCents(charges)}` : 'charges non renseignées'
  return {
    capacityCents: capacity,
    explanation: `${incomeText} − ${chargesText} − reste à vivre ${formatCents(allowance)} (${dependants} personne${dependants > 1 ? 's' : ''} à charge)`
  }
}
