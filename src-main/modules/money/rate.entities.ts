import { Entity, Index } from 'typeorm'
import { AppendOnlyRecord, IntColumn, TextColumn } from '../../db/columns'

/**
 * Taux de l'intérêt légal of one half-year (CMF L313-2), both columns, in basis points.
 * Seeded from src-shared/money/rates-data.json by a migration; an admin adds the next semester.
 * Rows are never changed by the app: computations must give the same figure tomorrow.
 */
@Entity('legal_interest_rate')
export class LegalInterestRateEntity extends AppendOnlyRecord {
  /** `2026-S1` (1 January to 30 June) or `2026-S2` (1 July to 31 December). */
  @Index('uq_legal_interest_rate_semester', { unique: true })
  @TextColumn({ length: 7 })
  semester: string
  /** Creditor is a natural person not acting for professional needs. */
  @IntColumn() creditorIndividualBp: number
  /** All other cases. */
  @IntColumn() otherCasesBp: number
  /** Where the figure comes from (arrêté, bundled table). */
  @TextColumn({ length: 200, nullable: true }) source: string | null
}

/** ECB main refinancing rate on 1 January / 1 July of a semester (C. com. L441-10 II). */
@Entity('ecb_refinancing_rate')
export class EcbRefinancingRateEntity extends AppendOnlyRecord {
  @Index('uq_ecb_refinancing_rate_semester', { unique: true })
  @TextColumn({ length: 7 })
  semester: string
  @IntColumn() ecbRateBp: number
  @TextColumn({ length: 200, nullable: true }) source: string | null
}
