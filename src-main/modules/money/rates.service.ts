import type { EntityManager } from 'typeorm'
import { AppError, type ChannelParsedInput, type RateTables } from '@shared/contract'
import { addDays } from '@shared/dates/calendar-date'
import {
  B2B_PENALTY_MARGIN_BP,
  type RateTable,
  type SemesterKey,
  createRateTable,
  nextSemesterStart,
  percentToBasisPoints,
  semesterStart
} from '@shared/money'
import { uuid7 } from '@shared/ids/uuid7'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { EcbRefinancingRateEntity, LegalInterestRateEntity } from './rate.entities'
import { nextSemesterKey, semesterLabel } from './money-errors'

type AddSemesterInput = ChannelParsedInput<'rates:add-semester'>

/**
 * The official rate tables live in the database (seeded by a migration from the data the app
 * ships); every computation reads them here, inside its own unit of work.
 */
export class RatesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock
  ) {}

  /** The tables as the pure money engine wants them. */
  async table(manager: EntityManager): Promise<RateTable> {
    const { legal, ecb } = await this.rows(manager)
    return createRateTable({
      legalInterest: legal.map((row) => ({
        semester: row.semester as SemesterKey,
        creditorIndividualBp: row.creditorIndividualBp,
        otherCasesBp: row.otherCasesBp
      })),
      ecbRefinancing: ecb.map((row) => ({ semester: row.semester as SemesterKey, ecbRateBp: row.ecbRateBp }))
    })
  }

  list(): Promise<RateTables> {
    return this.db.read((manager) => this.tables(manager))
  }

  /**
   * Adds the semester that follows the last one of its table: a published rate is never edited
   * and a computation must never meet a hole in the table.
   */
  addSemester(input: AddSemesterInput, userId: string): Promise<RateTables> {
    return this.db.write(async (manager) => {
      const entity = input.kind === 'legal_interest' ? LegalInterestRateEntity : EcbRefinancingRateEntity
      const repository = manager.getRepository<LegalInterestRateEntity | EcbRefinancingRateEntity>(entity)
      const tableName = input.kind === 'legal_interest' ? 'taux de l’intérêt légal' : 'taux de la BCE'
      if (await repository.exists({ where: { semester: input.semester } })) {
        throw new AppError(
          'CONFLICT',
          `Le ${semesterLabel(input.semester)} est déjà enregistré dans la table du ${tableName} : un taux publié ne se modifie pas.`,
          `Semester ${input.semester} already in ${input.kind}`
        )
      }
      const last = await repository.find({ order: { semester: 'DESC' }, take: 1 })
      const expected = last[0] ? nextSemesterKey(last[0].semester as SemesterKey) : null
      if (expected !== null && input.semester !== expected) {
        throw new AppError(
          'BUSINESS_RULE',
          `Le prochain semestre à saisir dans la table du ${tableName} est le ${semesterLabel(expected)} ` +
            `(les semestres se suivent sans trou ni chevauchement), pas le ${semesterLabel(input.semester)}.`,
          `Semester ${input.semester} does not follow ${last[0]!.semester} in ${input.kind}`
        )
      }
      const base = {
        id: uuid7(),
        createdAt: this.clock.now().toISOString(),
        createdBy: userId,
        semester: input.semester,
        source: input.source || null
      }
      if (input.kind === 'legal_interest') {
        await manager.insert(LegalInterestRateEntity, {
          ...base,
          creditorIndividualBp: percentToBasisPoints(input.creditorIndividualPercent),
          otherCasesBp: percentToBasisPoints(input.otherCasesPercent)
        })
      } else {
        await manager.insert(EcbRefinancingRateEntity, { ...base, ecbRateBp: percentToBasisPoints(input.ratePercent) })
      }
      return this.tables(manager)
    })
  }

  private async rows(
    manager: EntityManager
  ): Promise<{ legal: LegalInterestRateEntity[]; ecb: EcbRefinancingRateEntity[] }> {
    // Sequential: one sqlite3 connection runs one statement at a time anyway.
    const legal = await manager.getRepository(LegalInterestRateEntity).find({ order: { semester: 'ASC' } })
    const ecb = await manager.getRepository(EcbRefinancingRateEntity).find({ order: { semester: 'ASC' } })
    return { legal, ecb }
  }

  private async tables(manager: EntityManager): Promise<RateTables> {
    const { legal, ecb } = await this.rows(manager)
    const bounds = (semester: string) => {
      const from = semesterStart(semester as SemesterKey)
      return { from, to: addDays(nextSemesterStart(from), -1) }
    }
    const next = (rows: Array<{ semester: string }>): string =>
      rows.length ? nextSemesterKey(rows[rows.length - 1]!.semester as SemesterKey) : '2015-S1'
    return {
      legalInterest: legal.map((row) => ({
        semester: row.semester,
        ...bounds(row.semester),
        creditorIndividualBp: row.creditorIndividualBp,
        otherCasesBp: row.otherCasesBp,
        source: row.source,
        createdAt: row.createdAt
      })),
      ecbRefinancing: ecb.map((row) => ({
        semester: row.semester,
        ...bounds(row.semester),
        ecbRateBp: row.ecbRateBp,
        b2bPenaltyBp: row.ecbRateBp + B2B_PENALTY_MARGIN_BP,
        source: row.source,
        createdAt: row.createdAt
      })),
      nextLegalSemester: next(legal),
      nextEcbSemester: next(ecb)
    }
  }
}
