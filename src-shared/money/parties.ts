/**
 * Who the parties are decides the legal-rate column (convention 5), the €40 indemnity
 * (convention 9) and the prescription period (convention 13).
 */
import type { Cents } from './arith'

/**
 * 'consumer': natural person not acting for professional needs;
 * 'non_professional': legal person not acting for professional needs (association, co-ownership…);
 * 'professional': acting for professional needs.
 */
export type PartyKind = 'consumer' | 'non_professional' | 'professional'

/** Flat indemnity for recovery costs, C. com. L441-10 and D441-5. */
export const FLAT_RECOVERY_INDEMNITY_CENTS: Cents = 4000

/** Convention 9: once per unpaid invoice, only when creditor and debtor are both professionals. */
export function flatIndemnityApplies(creditor: PartyKind, debtor: PartyKind): boolean {
  return creditor === 'professional' && debtor === 'professional'
}

/** Convention 5: the individual column only for a creditor who is a natural person outside any profession. */
export function creditorUsesIndividualColumn(creditor: PartyKind): boolean {
  return creditor === 'consumer'
}
