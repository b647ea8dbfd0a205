import type { SolvencyFactFields } from '../contract/solvency'

/**
 * The amount a solvency fact carries (monthly income or charges, estimated value, other debts),
 * stored beside the fact so lists and the capacity suggestion need not parse it.
 */
export function solvencyFactAmountCents(fields: SolvencyFactFields): number | null {
  switch (fields.category) {
    case 'income':
      return fields.monthlyCents ?? null
    case 'charges':
      return fields.monthlyCents
    case 'real_estate':
    case 'vehicle':
    case 'assets':
      return fields.estimatedValueCents ?? null
    case 'other_debts':
      return fields.amountCents ?? null
    default:
      return null
  }
}
