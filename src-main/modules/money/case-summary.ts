import type { EntityManager } from 'typeorm'
import type { CaseMoneySummary } from '@shared/contract'
import { todayInParis } from '@shared/dates/calendar-date'
import { CaseEntity } from '../cases/case.entity'
import { ClaimEntity } from '../cases/claim.entity'
import type { Author } from '../journal/journal.service'
import { refreshCasePrescriptions } from './case-prescription'
import { AllocationEntity, PaymentEntity } from './payment.entity'

/**
 * Recomputes the money columns of a case from its records, inside the caller's transaction,
 * with the definitions the demo generator and the portfolio use:
 * - principalCents, claimCount: sum and count of the claims;
 * - paidCents: net sum of the payments (reversals are negative), whoever received them;
 * - balanceCents: principal not yet covered by payments, max(0, principal − paid): interest is
 *   not in it because it depends on the day (the statement gives the exact figure);
 * - oldestDueOn: while a balance remains, the oldest due date among the claims whose principal
 *   is not fully allocated (the oldest claim when no allocation says which), else null.
 */
export async function refreshCaseSummary(
  manager: EntityManager,
  caseId: string,
  author: Author
): Promise<CaseMoneySummary> {
  const claims = await manager.find(ClaimEntity, { where: { caseId }, order: { dueOn: 'ASC', invoiceNumber: 'ASC' } })
  const paid = await manager
    .createQueryBuilder()
    .select('COALESCE(SUM(p.amount_cents), 0)', 'total')
    .from(PaymentEntity, 'p')
    .where('p.case_id = :caseId', { caseId })
    .getRawOne<{ total: number | string }>()
  const principalPaid: Array<{ claim_id: string; total: number | string }> = await manager
    .createQueryBuilder()
    .select('a.claim_id', 'claim_id')
    .addSelect('SUM(a.amount_cents)', 'total')
    .from(AllocationEntity, 'a')
    .innerJoin(PaymentEntity, 'p', 'p.id = a.payment_id')
    .where('p.case_id = :caseId', { caseId })
    .andWhere("a.component = 'principal'")
    .groupBy('a.claim_id')
    .getRawMany()
  const paidByClaim = new Map(principalPaid.map((row) => [row.claim_id, Number(row.total)]))

  const principalCents = claims.reduce((sum, claim) => sum + claim.principalCents, 0)
  const paidCents = Number(paid?.total ?? 0)
  const balanceCents = Math.max(0, principalCents - paidCents)
  const unpaid = claims.find((claim) => claim.principalCents - (paidByClaim.get(claim.id) ?? 0) > 0) ?? claims[0]
  const oldestDueOn = balanceCents > 0 && unpaid ? unpaid.dueOn : null

  await manager
    .createQueryBuilder()
    .update(CaseEntity)
    .set({
      principalCents,
      paidCents,
      balanceCents,
      claimCount: claims.length,
      oldestDueOn,
      updatedAt: author.now,
      updatedBy: author.userId,
      version: () => 'version + 1'
    })
    .where('id = :caseId', { caseId })
    .execute()
  // A payment (or its reversal) and new claims move the prescription too.
  await refreshCasePrescriptions(manager, [caseId], todayInParis(new Date(author.now)))
  return { principalCents, paidCents, balanceCents, oldestDueOn }
}
