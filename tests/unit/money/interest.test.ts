import { describe, expect, it } from 'vitest'
import { computeInterest, pieceInterestCents, type InterestInput } from '../../../src-shared/money/interest'
import {
  BUNDLED_RATE_TABLE,
  MissingRateError,
  createRateTable,
  semesterOf,
  type RateTable
} from '../../../src-shared/money/rates'
import { mulberry32, pick, randInt } from './prng'
import { addDays, daysBetween, daysInYear, minDate } from '../../../src-shared/dates/calendar-date'

const rates = BUNDLED_RATE_TABLE
const EMPTY: RateTable = { legalInterest: [], ecbRefinancing: [] }

const base = (over: Partial<InterestInput>): InterestInput => ({
  principalCents: 100_000,
  from: '2024-05-01',
  to: '2024-09-01',
  basis: 'legal',
  creditorIsConsumer: false,
  rates,
  ...over
})

describe('README worked example', () => {
  it('1 000,00 € legal interest, professional creditor, 2024-05-01 → 2024-09-01 = 16,78 €', () => {
    const result = computeInterest(base({}))
    // 1000 × 5.07 % × 61 / 366 = 8.45 ; 1000 × 4.92 % × 62 / 366 = 8.334… → 8.33
    expect(result.pieces.map((p) => [p.from, p.to, p.days, p.yearDays, p.rateBp, p.basis, p.amountCents])).toEqual([
      ['2024-05-01', '2024-07-01', 61, 366, 507, 'legal_other_cases', 845],
      ['2024-07-01', '2024-09-01', 62, 366, 492, 'legal_other_cases', 833]
    ])
    expect(result.totalCents).toBe(1678)
    expect(result.interestOutstandingCents).toBe(1678)
    expect(result.principalOutstandingCents).toBe(100_000)
  })

  it('uses the individual column when the creditor is a consumer (convention 5)', () => {
    // 1000 × 8.01 % × 61 / 366 = 13.35 ; 1000 × 8.16 % × 62 / 366 = 13.822… → 13.82
    const result = computeInterest(base({ creditorIsConsumer: true }))
    expect(result.pieces.map((p) => [p.rateBp, p.basis, p.amountCents])).toEqual([
      [801, 'legal_creditor_individual', 1335],
      [816, 'legal_creditor_individual', 1382]
    ])
    expect(result.totalCents).toBe(2717)
  })
})

describe('day count and splitting', () => {
  it('leap year 2024 uses 366, both semesters', () => {
    // S1: 182 days (31+29+31+30+31+30): 1000 × 5.07 % × 182/366 = 25.2115 → 25.21
    // S2: 184 days: 1000 × 4.92 % × 184/366 = 24.7344 → 24.73
    const r = computeInterest(base({ from: '2024-01-01', to: '2025-01-01' }))
    expect(r.pieces.map((p) => [p.days, p.yearDays, p.amountCents])).toEqual([
      [182, 366, 2521],
      [184, 366, 2473]
    ])
    expect(r.totalCents).toBe(4994)
  })

  it('splits at 1 January with 365 before and 366 after', () => {
    // Dec 2023: 31 days at 4.22 % / 365 = 3.5841 → 3.58 ; Jan 2024: 31 days at 5.07 % / 366 = 4.2943 → 4.29
    const r = computeInterest(base({ from: '2023-12-01', to: '2024-02-01' }))
    expect(r.pieces.map((p) => [p.from, p.to, p.yearDays, p.rateBp, p.amountCents])).toEqual([
      ['2023-12-01', '2024-01-01', 365, 422, 358],
      ['2024-01-01', '2024-02-01', 366, 507, 429]
    ])
    expect(r.totalCents).toBe(787)
  })

  it('B2B penalty uses the ECB rate of 1 January then 1 July + 10 points', () => {
    // 10 000 € in 2023. S1 181 days at 12.50 %: 10000 × 0.125 × 181/365 = 619.863 → 619.86
    // S2 184 days at 14.00 %: 10000 × 0.14 × 184/365 = 705.753 → 705.75
    const r = computeInterest(
      base({ principalCents: 1_000_000, from: '2023-01-01', to: '2024-01-01', basis: 'b2b_penalty' })
    )
    expect(r.pieces.map((p) => [p.days, p.rateBp, p.basis, p.amountCents])).toEqual([
      [181, 1250, 'b2b_ecb_plus_10', 61986],
      [184, 1400, 'b2b_ecb_plus_10', 70575]
    ])
    expect(r.totalCents).toBe(132561)
  })

  it('rounds each piece half-up, then sums the rounded pieces', () => {
    // 73 days of a 365-day year at 10 % = 2 % of principal: 0.25 € → 0.005 € = 0.5 cent → 1 cent.
    const contractual = {
      basis: 'contractual' as const,
      contractualRateBp: 1000,
      from: '2025-01-01',
      to: '2025-03-15',
      rates: EMPTY
    }
    expect(computeInterest(base({ ...contractual, principalCents: 25 })).totalCents).toBe(1)
    expect(computeInterest(base({ ...contractual, principalCents: 75 })).totalCents).toBe(2) // 1.5 → 2
    expect(computeInterest(base({ ...contractual, principalCents: 74 })).totalCents).toBe(1) // 1.48 → 1
    expect(pieceInterestCents(24, 1000, 73, 365)).toBe(0) // 0.48 → 0
    // Piecewise rounding differs from rounding the sum: two pieces of 0.5 cent each give 2 cents.
    const twoPieces = computeInterest(
      base({ ...contractual, principalCents: 25, from: '2025-05-20', to: '2025-09-12' })
    )
    expect(twoPieces.pieces.map((p) => p.days)).toEqual([42, 73])
  })

  it('an empty period gives no piece and refuses an inverted one', () => {
    expect(computeInterest(base({ from: '2024-05-01', to: '2024-05-01' })).pieces).toEqual([])
    expect(() => computeInterest(base({ from: '2024-05-02', to: '2024-05-01' }))).toThrow(RangeError)
  })

  it('basis none gives nothing and needs no rate', () => {
    const r = computeInterest(base({ basis: 'none', rates: EMPTY }))
    expect(r.totalCents).toBe(0)
    expect(r.pieces).toEqual([])
  })

  it('handles amounts whose product exceeds 2^53 exactly', () => {
    // 90 billion € at 12 % over 366 days of 2024: exactly 12 % → 10.8 billion €.
    const principal = 9_000_000_000_000 // cents
    const r = computeInterest(
      base({
        principalCents: principal,
        basis: 'contractual',
        contractualRateBp: 1200,
        from: '2024-01-01',
        to: '2025-01-01'
      })
    )
    expect(r.totalCents).toBe(1_080_000_000_000)
  })
})

describe('missing semester', () => {
  it('refuses to compute past the last known semester and names it', () => {
    expect(computeInterest(base({ from: '2026-01-01', to: '2026-07-01' })).pieces).toHaveLength(1)
    expect(() => computeInterest(base({ from: '2026-01-01', to: '2026-07-02' }))).toThrow(MissingRateError)
    expect(() => computeInterest(base({ from: '2026-01-01', to: '2026-07-02' }))).toThrow(/2026-S2/)
    expect(() => computeInterest(base({ basis: 'b2b_penalty', from: '2026-06-01', to: '2026-08-01' }))).toThrow(
      /ECB.*2026-S2/
    )
    expect(() => computeInterest(base({ from: '2014-12-01', to: '2015-02-01' }))).toThrow(/2014-S2/)
  })

  it('uses a semester added by an admin', () => {
    const extended = createRateTable({
      legalInterest: [...rates.legalInterest, { semester: '2026-S2', creditorIndividualBp: 650, otherCasesBp: 250 }],
      ecbRefinancing: rates.ecbRefinancing
    })
    // July 2026: 31 days at 2.50 % / 365 on 1000 € = 2.1233 → 2.12
    const r = computeInterest(base({ from: '2026-07-01', to: '2026-08-01', rates: extended }))
    expect(r.pieces.map((p) => [p.rateBp, p.yearDays, p.amountCents])).toEqual([[250, 365, 212]])
  })
})

describe('B2B contractual floor (convention 6)', () => {
  it('clamps a contractual rate below 3 × legal rate and warns', () => {
    // 2024-S1 floor = 3 × 5.07 % = 15.21 %; 182 days / 366 on 1000 €: 1000 × 0.1521 × 182/366 = 75.634 → 75.63
    const r = computeInterest(
      base({
        basis: 'contractual',
        contractualRateBp: 1000,
        betweenProfessionals: true,
        from: '2024-01-01',
        to: '2024-07-01'
      })
    )
    expect(r.pieces.map((p) => [p.rateBp, p.basis, p.amountCents])).toEqual([[1521, 'contractual_b2b_floor', 7563]])
    expect(r.warnings).toEqual([
      { code: 'contractual_rate_below_floor', semester: '2024-S1', contractualRateBp: 1000, floorBp: 1521 }
    ])
  })

  it('keeps a contractual rate above the floor, and does not floor outside B2B', () => {
    const above = computeInterest(
      base({
        basis: 'contractual',
        contractualRateBp: 1000,
        betweenProfessionals: true,
        from: '2022-01-01',
        to: '2022-02-01'
      })
    )
    expect(above.pieces[0]!.rateBp).toBe(1000) // floor 2022-S1 = 3 × 0.76 % = 2.28 %
    expect(above.warnings).toEqual([])
    const consumer = computeInterest(
      base({ basis: 'contractual', contractualRateBp: 1000, from: '2024-01-01', to: '2024-07-01' })
    )
    expect(consumer.pieces[0]!.rateBp).toBe(1000)
    expect(consumer.pieces[0]!.basis).toBe('contractual')
  })

  it('floors semester by semester across a rate change', () => {
    // 8 % vs floors: 2023-S1 6.18 % (kept), 2023-S2 12.66 % (floored)
    const r = computeInterest(
      base({
        basis: 'contractual',
        contractualRateBp: 800,
        betweenProfessionals: true,
        from: '2023-06-01',
        to: '2023-08-01'
      })
    )
    expect(r.pieces.map((p) => [p.semester, p.rateBp])).toEqual([
      ['2023-S1', 800],
      ['2023-S2', 1266]
    ])
    expect(r.warnings).toHaveLength(1)
  })

  it('does not floor the default ECB + 10 rate (L441-10 floors only a contractual rate)', () => {
    // 2024-S1: ECB + 10 = 14.50 % < 3 × 5.07 % = 15.21 %, still 14.50 %.
    const r = computeInterest(base({ basis: 'b2b_penalty', from: '2024-01-01', to: '2024-02-01' }))
    expect(r.pieces[0]!.rateBp).toBe(1450)
  })
})

describe('judgment increase (convention 7)', () => {
  it('adds 5 points from two months after the judgment became enforceable', () => {
    // Enforceable 2024-03-15 → +5 points from 2024-05-15.
    // [04-01, 05-15) 44 d at 5.07 %: 1000 × 0.0507 × 44/366 = 6.0951 → 6.10
    // [05-15, 07-01) 47 d at 10.07 %: 1000 × 0.1007 × 47/366 = 12.9314 → 12.93
    // [07-01, 08-01) 31 d at 9.92 %: 1000 × 0.0992 × 31/366 = 8.4022 → 8.40
    const r = computeInterest(base({ from: '2024-04-01', to: '2024-08-01', judgmentEnforceableOn: '2024-03-15' }))
    expect(r.pieces.map((p) => [p.from, p.days, p.rateBp, p.basis, p.amountCents])).toEqual([
      ['2024-04-01', 44, 507, 'legal_other_cases', 610],
      ['2024-05-15', 47, 1007, 'legal_other_cases_judgment', 1293],
      ['2024-07-01', 31, 992, 'legal_other_cases_judgment', 840]
    ])
    expect(r.totalCents).toBe(2743)
  })

  it('falls back to the last day of a shorter month', () => {
    const r = computeInterest(base({ from: '2024-02-01', to: '2024-03-15', judgmentEnforceableOn: '2023-12-31' }))
    expect(r.pieces.map((p) => [p.from, p.rateBp])).toEqual([
      ['2024-02-01', 507],
      ['2024-02-29', 1007]
    ])
  })

  it('applies to the individual column too, and not to a B2B penalty', () => {
    const individual = computeInterest(
      base({ creditorIsConsumer: true, from: '2024-06-01', to: '2024-06-10', judgmentEnforceableOn: '2024-01-01' })
    )
    expect(individual.pieces[0]!.rateBp).toBe(1301)
    const b2b = computeInterest(
      base({ basis: 'b2b_penalty', from: '2024-06-01', to: '2024-06-10', judgmentEnforceableOn: '2024-01-01' })
    )
    expect(b2b.pieces[0]!.rateBp).toBe(1450)
    expect(b2b.warnings).toEqual([{ code: 'judgment_increase_not_applicable', basis: 'b2b_penalty' }])
  })
})

describe('capitalisation (convention 8)', () => {
  // 10 000 € at 12 % contractual, 2023-03-01 → 2025-03-01.
  // Year 1: 122 d/365 → 401.0959 → 401.10 ; 184 d/365 → 604.9315 → 604.93 ; 60 d/366 → 196.7213 → 196.72 ; sum 1 202.75
  const input = base({
    principalCents: 1_000_000,
    basis: 'contractual',
    contractualRateBp: 1200,
    from: '2023-03-01',
    to: '2025-03-01',
    rates: EMPTY
  })

  it('is off by default: year 2 runs on the original principal', () => {
    // Without capitalisation there is no cut at the anniversary: 2024-S1 is one piece.
    // 182 d/366 → 596.7213 → 596.72 ; 184 d/366 → 603.2787 → 603.28 ; 59 d/365 → 193.9726 → 193.97
    const r = computeInterest(input)
    expect(r.pieces.map((p) => p.amountCents)).toEqual([40110, 60493, 59672, 60328, 19397])
    expect(r.totalCents).toBe(240000)
    expect(r.capitalisations).toEqual([])
  })

  it('adds a full year of interest to principal at each anniversary when agreed', () => {
    // Principal from 2024-03-01 = 11 202.75 €. Year 2: 11202.75 × 12 % × 122/366 = 448.11 exactly ;
    // × 184/366 = 675.8380 → 675.84 ; × 59/365 = 217.3027 → 217.30 ; sum 1 341.25, capitalised on 2025-03-01.
    const r = computeInterest({ ...input, capitalisation: 'contract' })
    expect(r.pieces.map((p) => [p.principalCents, p.amountCents])).toEqual([
      [1_000_000, 40110],
      [1_000_000, 60493],
      [1_000_000, 19672],
      [1_120_275, 44811],
      [1_120_275, 67584],
      [1_120_275, 21730]
    ])
    expect(r.capitalisations).toEqual([
      { on: '2024-03-01', amountCents: 120275 },
      { on: '2025-03-01', amountCents: 134125 }
    ])
    expect(r.totalCents).toBe(254400)
    expect(r.principalOutstandingCents).toBe(1_254_400)
    expect(r.interestOutstandingCents).toBe(0)
  })

  it('does not capitalise interest due for less than a year', () => {
    const r = computeInterest({ ...input, to: '2024-02-29', capitalisation: 'court' })
    expect(r.capitalisations).toEqual([])
  })

  it('capitalises only the unpaid interest of the year', () => {
    const r = computeInterest({
      ...input,
      to: '2024-03-02',
      capitalisation: 'contract',
      events: [{ on: '2023-10-01', interestPaidCents: 50000 }]
    })
    // The payment date splits the second piece; year-1 interest minus 500 € paid is capitalised.
    const yearOne = r.pieces.filter((p) => p.to <= '2024-03-01').reduce((s, p) => s + p.amountCents, 0)
    expect(r.capitalisations).toEqual([{ on: '2024-03-01', amountCents: yearOne - 50000 }])
    expect(r.pieces.at(-1)!.principalCents).toBe(1_000_000 + yearOne - 50000)
  })
})

describe('ledger events', () => {
  it('a principal payment lowers the base from its date', () => {
    // 1000 € legal other 2024-05-01 → 2024-06-01, 400 € of principal paid on 2024-05-16.
    // [05-01, 05-16) 15 d on 1000: 1000 × 0.0507 × 15/366 = 2.0779 → 2.08 ; [05-16, 06-01) 16 d on 600: 1.3298 → 1.33
    const r = computeInterest(base({ to: '2024-06-01', events: [{ on: '2024-05-16', principalPaidCents: 40000 }] }))
    expect(r.pieces.map((p) => [p.days, p.principalCents, p.amountCents])).toEqual([
      [15, 100000, 208],
      [16, 60000, 133]
    ])
    expect(r.principalOutstandingCents).toBe(60000)
  })

  it('property: splitting at event dates never changes the sum by more than one cent per extra piece', () => {
    const rand = mulberry32(20240501)
    for (let run = 0; run < 200; run++) {
      // Stay inside the bundled table (2015-01-01 .. 2026-06-30).
      const from = addDays('2015-01-01', randInt(rand, 0, 3800))
      const to = minDate(addDays(from, randInt(rand, 0, 900)), '2026-07-01')
      const input = base({
        principalCents: randInt(rand, 0, 50_000_000),
        from,
        to,
        basis: pick(rand, ['legal', 'b2b_penalty'] as const),
        creditorIsConsumer: rand() < 0.5
      })
      const plain = computeInterest(input)
      const cuts = Array.from({ length: randInt(rand, 0, 4) }, () => ({
        on: addDays(from, randInt(rand, 0, daysBetween(from, to)))
      }))
      const split = computeInterest({ ...input, events: cuts })
      const extra = split.pieces.length - plain.pieces.length
      expect(extra).toBeGreaterThanOrEqual(0)
      expect(Math.abs(split.totalCents - plain.totalCents)).toBeLessThanOrEqual(extra)
      // The sum shown is always the sum of the lines shown.
      expect(split.pieces.reduce((s, p) => s + p.amountCents, 0)).toBe(split.totalCents)
      expect(split.pieces.reduce((s, p) => s + p.days, 0)).toBe(plain.pieces.reduce((s, p) => s + p.days, 0))
      for (const p of split.pieces) {
        // No piece crosses a 1 January or 1 July, and each uses its own year's day count.
        expect(semesterOf(addDays(p.to, -1))).toBe(p.semester)
        expect(p.yearDays).toBe(daysInYear(Number(p.from.slice(0, 4))))
        expect(p.days).toBe(daysBetween(p.from, p.to))
      }
    }
  })
})
