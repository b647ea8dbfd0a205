import { describe, expect, it } from 'vitest'
import { suggestCapacity } from '@shared/solvency/capacity'

describe('suggested monthly capacity', () => {
  it('is income − charges − the amount left to live on, never negative', () => {
    expect(
      suggestCapacity({ incomeCents: 2000_00, incomeRange: null, chargesCents: 800_00, dependants: 0 }).capacityCents
    ).toBe(500_00)
    expect(
      suggestCapacity({ incomeCents: 2000_00, incomeRange: null, chargesCents: 800_00, dependants: 2 }).capacityCents
    ).toBe(0)
    expect(
      suggestCapacity({ incomeCents: 1200_00, incomeRange: null, chargesCents: 900_00, dependants: 0 }).capacityCents
    ).toBe(0)
  })

  it('takes the lower bound of an income range and explains itself', () => {
    const s = suggestCapacity({ incomeCents: null, incomeRange: 'r2000_3000', chargesCents: null, dependants: 1 })
    expect(s.capacityCents).toBe(2000_00 - 950_00)
    expect(s.explanation).toContain('bas de la tranche')
    expect(s.explanation).toContain('charges non renseignées')
  })

  it('suggests nothing without income', () => {
    expect(
      suggestCapacity({ incomeCents: null, incomeRange: null, chargesCents: 500_00, dependants: 0 }).capacityCents
    ).toBeNull()
  })
})
