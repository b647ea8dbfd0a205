import { describe, expect, it } from 'vitest'
import {
  BUNDLED_RATE_TABLE,
  MissingRateError,
  b2bContractualFloorBp,
  b2bDefaultPenaltyBp,
  createRateTable,
  legalRateBp,
  lastKnownSemester,
  nextSemesterStart,
  rateTableFromPercentData,
  semesterOf,
  semesterStart
} from '../../../src-shared/money/rates'
import { basisPointsToPercentString, percentToBasisPoints } from '../../../src-shared/money/arith'

describe('percent to basis points', () => {
  it('converts exactly, without binary float drift', () => {
    // 4.35 * 100 is 434.99999999999994 in floating point (2016-S2 individual rate): it must give 435.
    expect(4.35 * 100).not.toBe(435)
    expect(percentToBasisPoints(4.35)).toBe(435)
    expect(percentToBasisPoints(8.01)).toBe(801)
    expect(percentToBasisPoints(0.29)).toBe(29)
    expect(percentToBasisPoints(0.9)).toBe(90)
    expect(percentToBasisPoints(0.05)).toBe(5)
    expect(percentToBasisPoints('12.5')).toBe(1250)
    expect(percentToBasisPoints(0)).toBe(0)
  })
  it('refuses rates that basis points cannot hold', () => {
    expect(() => percentToBasisPoints(1.234)).toThrow(RangeError)
    expect(() => percentToBasisPoints('abc')).toThrow(RangeError)
  })
  it('formats back', () => {
    expect(basisPointsToPercentString(801)).toBe('8.01')
    expect(basisPointsToPercentString(90)).toBe('0.90')
  })
})

describe('bundled rate table', () => {
  it('holds the official figures of rates.json', () => {
    expect(legalRateBp(BUNDLED_RATE_TABLE, '2024-S1', 'creditor_individual')).toBe(801)
    expect(legalRateBp(BUNDLED_RATE_TABLE, '2024-S1', 'other_cases')).toBe(507)
    expect(legalRateBp(BUNDLED_RATE_TABLE, '2015-S1', 'other_cases')).toBe(93)
    expect(legalRateBp(BUNDLED_RATE_TABLE, '2026-S1', 'creditor_individual')).toBe(667)
    expect(b2bDefaultPenaltyBp(BUNDLED_RATE_TABLE, '2023-S1')).toBe(1250)
    expect(b2bDefaultPenaltyBp(BUNDLED_RATE_TABLE, '2022-S2')).toBe(1000) // hike of 27 Jul 2022 came after 1 July
    expect(b2bDefaultPenaltyBp(BUNDLED_RATE_TABLE, '2025-S1')).toBe(1315)
    // Floor S1 2026 = 3 × 2.62 % = 7.86 % (legal-facts §2 example).
    expect(b2bContractualFloorBp(BUNDLED_RATE_TABLE, '2026-S1')).toBe(786)
    expect(BUNDLED_RATE_TABLE.legalInterest).toHaveLength(23)
    expect(lastKnownSemester(BUNDLED_RATE_TABLE, 'legal_interest')).toBe('2026-S1')
  })

  it('refuses a missing semester with a typed error naming it', () => {
    let error: unknown
    try {
      legalRateBp(BUNDLED_RATE_TABLE, '2026-S2', 'other_cases')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MissingRateError)
    const missing = error as MissingRateError
    expect(missing.semester).toBe('2026-S2')
    expect(missing.kind).toBe('legal_interest')
    expect(missing.lastKnownSemester).toBe('2026-S1')
    expect(missing.message).toContain('2026-S2')
    expect(() => b2bDefaultPenaltyBp(BUNDLED_RATE_TABLE, '2014-S2')).toThrow(/2014-S2/)
  })

  it('rejects inconsistent data', () => {
    const row = { from: '2024-01-01', to: '2024-06-30', creditorIndividualPercent: 8.01, otherCasesPercent: 5.07 }
    expect(() =>
      rateTableFromPercentData({ legalInterest: [{ ...row, to: '2024-12-31' }], ecbMainRefinancingOnReferenceDate: [] })
    ).toThrow(/whole semester/)
    expect(() =>
      rateTableFromPercentData({
        legalInterest: [],
        ecbMainRefinancingOnReferenceDate: [
          { semesterStart: '2024-01-01', ratePercent: 4.5, b2bDefaultPenaltyPercent: 14.25 }
        ]
      })
    ).toThrow(/10 points/)
    expect(() =>
      createRateTable({
        legalInterest: [
          { semester: '2024-S1', creditorIndividualBp: 801, otherCasesBp: 507 },
          { semester: '2024-S1', creditorIndividualBp: 801, otherCasesBp: 507 }
        ],
        ecbRefinancing: []
      })
    ).toThrow(/Duplicate/)
    expect(() =>
      createRateTable({
        legalInterest: [{ semester: '2024-S1', creditorIndividualBp: 8.01, otherCasesBp: 507 }],
        ecbRefinancing: []
      })
    ).toThrow(RangeError)
  })
})

describe('semesters', () => {
  it('maps dates to half-years', () => {
    expect(semesterOf('2024-06-30')).toBe('2024-S1')
    expect(semesterOf('2024-07-01')).toBe('2024-S2')
    expect(semesterStart('2024-S2')).toBe('2024-07-01')
    expect(nextSemesterStart('2024-01-01')).toBe('2024-07-01')
    expect(nextSemesterStart('2024-06-30')).toBe('2024-07-01')
    expect(nextSemesterStart('2024-07-01')).toBe('2025-01-01')
    expect(nextSemesterStart('2024-12-31')).toBe('2025-01-01')
  })
})
