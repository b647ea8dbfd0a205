import { describe, expect, it } from 'vitest'
import { buildSchedule, installmentDueDate, type ScheduleFrequency } from '../../../src-shared/money/schedule'
import { addDays } from '../../../src-shared/dates/calendar-date'
import { mulberry32, pick, randInt } from './prng'

describe('buildSchedule', () => {
  it('splits by number of installments, the last absorbing the remainder', () => {
    const s = buildSchedule({
      balanceCents: 100_000,
      sizing: { installmentCount: 3 },
      frequency: 'monthly',
      firstDueDate: '2025-01-10'
    })
    expect(s.installments).toEqual([
      { index: 1, dueDate: '2025-01-10', amountCents: 33_333 },
      { index: 2, dueDate: '2025-02-10', amountCents: 33_333 },
      { index: 3, dueDate: '2025-03-10', amountCents: 33_334 }
    ])
    expect(s.totalCents).toBe(100_000)
    expect(s.endDate).toBe('2025-03-10')
    expect(s.exceeds24Months).toBe(false)
  })

  it('splits by amount per installment, the last being the rest', () => {
    const s = buildSchedule({
      balanceCents: 100_000,
      sizing: { installmentAmountCents: 30_000 },
      frequency: 'weekly',
      firstDueDate: '2025-01-06'
    })
    expect(s.installments.map((i) => [i.dueDate, i.amountCents])).toEqual([
      ['2025-01-06', 30_000],
      ['2025-01-13', 30_000],
      ['2025-01-20', 30_000],
      ['2025-01-27', 10_000]
    ])
  })

  it('takes the down payment first', () => {
    const s = buildSchedule({
      balanceCents: 123_456,
      downPaymentCents: 23_456,
      downPaymentDate: '2025-01-02',
      sizing: { installmentCount: 4 },
      frequency: 'quarterly',
      firstDueDate: '2025-02-15'
    })
    expect(s.downPayment).toEqual({ dueDate: '2025-01-02', amountCents: 23_456 })
    expect(s.installments.map((i) => [i.dueDate, i.amountCents])).toEqual([
      ['2025-02-15', 25_000],
      ['2025-05-15', 25_000],
      ['2025-08-15', 25_000],
      ['2025-11-15', 25_000]
    ])
    expect(s.totalCents).toBe(123_456)
  })

  it('keeps month-end due dates without drifting', () => {
    const s = buildSchedule({
      balanceCents: 50_000,
      sizing: { installmentCount: 5 },
      frequency: 'monthly',
      firstDueDate: '2024-01-31'
    })
    expect(s.installments.map((i) => i.dueDate)).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31'
    ])
    expect(installmentDueDate('2025-01-31', 'monthly', 1)).toBe('2025-02-28')
    expect(installmentDueDate('2024-11-30', 'quarterly', 1)).toBe('2025-02-28')
    expect(installmentDueDate('2024-12-30', 'biweekly', 1)).toBe('2025-01-13')
  })

  it('flags a plan ending more than 24 months after its start', () => {
    const plan = (count: number) =>
      buildSchedule({
        balanceCents: 240_000,
        sizing: { installmentCount: count },
        frequency: 'monthly',
        firstDueDate: '2025-02-01',
        startDate: '2025-01-01'
      })
    expect(plan(24).endDate).toBe('2027-01-01')
    expect(plan(24).exceeds24Months).toBe(false)
    expect(plan(25).exceeds24Months).toBe(true)
  })

  it('refuses impossible plans', () => {
    const base = { frequency: 'monthly' as const, firstDueDate: '2025-01-01' }
    expect(() =>
      buildSchedule({ ...base, balanceCents: 100, downPaymentCents: 200, sizing: { installmentCount: 1 } })
    ).toThrow(/down payment/)
    expect(() => buildSchedule({ ...base, balanceCents: 100, sizing: { installmentCount: 0 } })).toThrow(RangeError)
    expect(() => buildSchedule({ ...base, balanceCents: 2, sizing: { installmentCount: 3 } })).toThrow(/0,00/)
    expect(() => buildSchedule({ ...base, balanceCents: 100, sizing: { installmentAmountCents: 0 } })).toThrow(
      RangeError
    )
    expect(() => buildSchedule({ ...base, balanceCents: 1_000_000, sizing: { installmentAmountCents: 1 } })).toThrow(
      /more than/
    )
  })

  it('a down payment of the whole balance leaves no installment', () => {
    const s = buildSchedule({
      balanceCents: 500,
      downPaymentCents: 500,
      sizing: { installmentCount: 3 },
      frequency: 'monthly',
      firstDueDate: '2025-03-01',
      startDate: '2025-02-01'
    })
    expect(s.installments).toEqual([])
    expect(s.endDate).toBe('2025-02-01')
  })

  it('property: always sums to the balance, with increasing dates and no installment above the last-but-one rule', () => {
    const rand = mulberry32(2026)
    for (let run = 0; run < 500; run++) {
      const balance = randInt(rand, 1, 5_000_000)
      const down = rand() < 0.3 ? randInt(rand, 0, balance) : 0
      const rest = balance - down
      const frequency = pick<ScheduleFrequency>(rand, ['weekly', 'biweekly', 'monthly', 'quarterly'])
      const firstDueDate = addDays('2024-01-01', randInt(rand, 0, 800))
      const byCount = rand() < 0.5
      const count = randInt(rand, 1, 48)
      const amount = randInt(rand, Math.max(1, Math.ceil(rest / 900)), Math.max(1, rest))
      if (byCount && rest > 0 && rest < count) continue
      const s = buildSchedule({
        balanceCents: balance,
        downPaymentCents: down,
        sizing: byCount ? { installmentCount: count } : { installmentAmountCents: amount },
        frequency,
        firstDueDate
      })
      const sum = (s.downPayment?.amountCents ?? 0) + s.installments.reduce((t, i) => t + i.amountCents, 0)
      expect(sum).toBe(balance)
      expect(s.totalCents).toBe(balance)
      for (let i = 1; i < s.installments.length; i++)
        expect(s.installments[i]!.dueDate > s.installments[i - 1]!.dueDate).toBe(true)
      const regular = s.installments.slice(0, -1).map((i) => i.amountCents)
      expect(new Set(regular).size).toBeLessThanOrEqual(1)
      const last = s.installments.at(-1)
      if (last && regular.length > 0) {
        // By count the last is at most count−1 cents larger; by amount it is never larger.
        if (byCount) expect(last.amountCents - regular[0]!).toBeLessThan(count)
        else expect(last.amountCents).toBeLessThanOrEqual(regular[0]!)
      }
      for (const i of s.installments) expect(i.amountCents).toBeGreaterThan(0)
    }
  })
})
