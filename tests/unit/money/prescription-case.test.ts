import { describe, expect, it } from 'vitest'
import {
  type CasePrescriptionInput,
  casePrescriptionFigures,
  casePrescriptionOn,
  claimPrescriptions,
  storedClaimExpiries
} from '../../../src-shared/money'

/** A professional creditor against a consumer: 2 years (C. consom. L218-2). */
function input(overrides: Partial<CasePrescriptionInput> = {}): CasePrescriptionInput {
  return {
    creditor: 'professional',
    debtor: 'consumer',
    claims: [
      { id: 'a', dueOn: '2025-01-10', principalCents: 10_000, principalPaidCents: 0 },
      { id: 'b', dueOn: '2025-04-20', principalCents: 20_000, principalPaidCents: 0 }
    ],
    payments: [],
    plansAgreedOn: [],
    legalEvents: [],
    ...overrides
  }
}

describe('claimPrescriptions / casePrescriptionOn', () => {
  it('takes the earliest expiry among the open claims', () => {
    // a: 2025-01-10 + 2 years = 2027-01-10; b: 2027-04-20.
    expect(casePrescriptionOn(input())).toBe('2027-01-10')
  })

  it('leaves out a claim whose principal is paid; nothing left: null', () => {
    const paidA = input({
      claims: [
        { id: 'a', dueOn: '2025-01-10', principalCents: 10_000, principalPaidCents: 10_000 },
        { id: 'b', dueOn: '2025-04-20', principalCents: 20_000, principalPaidCents: 5_000 }
      ]
    })
    expect(casePrescriptionOn(paidA)).toBe('2027-04-20')
    expect(
      casePrescriptionOn(
        input({ claims: [{ id: 'a', dueOn: '2025-01-10', principalCents: 10_000, principalPaidCents: 10_000 }] })
      )
    ).toBeNull()
  })

  it('a payment restarts only the claims it paid (C. civ. 2240)', () => {
    const result = claimPrescriptions(input({ payments: [{ on: '2026-03-01', claimIds: ['a'] }] }))
    expect(result.get('a')!.expiresOn).toBe('2028-03-01')
    expect(result.get('b')!.expiresOn).toBe('2027-04-20')
  })

  it('a signed plan restarts every claim (C. civ. 2240)', () => {
    expect(casePrescriptionOn(input({ plansAgreedOn: ['2026-02-15'] }))).toBe('2028-02-15')
  })

  it('a court claim (2241) and an enforcement act (2244) restart the period, for one claim or all', () => {
    const result = claimPrescriptions(
      input({
        legalEvents: [
          { kind: 'court_claim', claimId: null, occurredOn: '2026-01-05', enforceableOn: null },
          { kind: 'enforcement_act', claimId: 'b', occurredOn: '2026-06-30', enforceableOn: null }
        ]
      })
    )
    expect(result.get('a')).toMatchObject({ runningFrom: '2026-01-05', expiresOn: '2028-01-05' })
    expect(result.get('b')).toMatchObject({ runningFrom: '2026-06-30', expiresOn: '2028-06-30' })
  })

  it('a judgment switches its claims to 10 years from enforceability (CPCE L111-4)', () => {
    const result = claimPrescriptions(
      input({
        legalEvents: [{ kind: 'judgment', claimId: 'a', occurredOn: '2026-01-05', enforceableOn: '2026-02-01' }]
      })
    )
    expect(result.get('a')).toMatchObject({ regime: 'judgment_10y', expiresOn: '2036-02-01' })
    expect(result.get('b')).toMatchObject({ regime: 'consumer_2y', expiresOn: '2027-04-20' })
    // An enforcement act after the judgment restarts the 10 years.
    const later = claimPrescriptions(
      input({
        legalEvents: [
          { kind: 'judgment', claimId: null, occurredOn: '2026-01-05', enforceableOn: '2026-02-01' },
          { kind: 'enforcement_act', claimId: null, occurredOn: '2030-05-01', enforceableOn: null }
        ]
      })
    )
    expect(later.get('a')!.expiresOn).toBe('2040-05-01')
  })

  it('an act after expiry does not revive a time-barred claim', () => {
    const result = claimPrescriptions(
      input({
        legalEvents: [{ kind: 'enforcement_act', claimId: null, occurredOn: '2027-02-01', enforceableOn: null }]
      })
    )
    // a expired on 2027-01-10: ignored; b (2027-04-20) still running on 2027-02-01: restarted.
    expect(result.get('a')).toMatchObject({ expiresOn: '2027-01-10', ignoredEvents: [expect.anything()] })
    expect(result.get('b')!.expiresOn).toBe('2029-02-01')
    expect(
      casePrescriptionOn(
        input({
          legalEvents: [{ kind: 'enforcement_act', claimId: null, occurredOn: '2027-02-01', enforceableOn: null }]
        })
      )
    ).toBe('2027-01-10')
  })

  it('5 years between professionals or against a non-professional legal person', () => {
    expect(casePrescriptionOn(input({ debtor: 'professional' }))).toBe('2030-01-10')
    expect(casePrescriptionOn(input({ debtor: 'non_professional' }))).toBe('2030-01-10')
  })
})

describe('storedClaimExpiries / casePrescriptionFigures', () => {
  it('stores each open claim’s expiry, null for a claim paid in full or a closed case', () => {
    const paidA = input({
      claims: [
        { id: 'a', dueOn: '2025-01-10', principalCents: 10_000, principalPaidCents: 10_000 },
        { id: 'b', dueOn: '2025-04-20', principalCents: 20_000, principalPaidCents: 5_000 }
      ]
    })
    expect(Object.fromEntries(storedClaimExpiries(paidA, false))).toEqual({ a: null, b: '2027-04-20' })
    expect(Object.fromEntries(storedClaimExpiries(paidA, true))).toEqual({ a: null, b: null })
  })

  it('the next expiry ignores claims already time-barred, which are counted instead', () => {
    // a: 2027-01-10, b: 2027-04-20 (2 years, L218-2).
    const expiries = storedClaimExpiries(input(), false).values()
    expect(casePrescriptionFigures(expiries, '2026-11-23')).toEqual({ nextOn: '2027-01-10', prescribedClaims: 0 })
    // The last day still counts (C. civ. 2229): on 2027-01-10 a is demandable, on the 11th it is not.
    expect(casePrescriptionFigures(['2027-01-10', '2027-04-20'], '2027-01-10')).toEqual({
      nextOn: '2027-01-10',
      prescribedClaims: 0
    })
    expect(casePrescriptionFigures(['2027-01-10', '2027-04-20', null], '2027-01-11')).toEqual({
      nextOn: '2027-04-20',
      prescribedClaims: 1
    })
    expect(casePrescriptionFigures(['2027-01-10', '2027-04-20'], '2028-01-01')).toEqual({
      nextOn: null,
      prescribedClaims: 2
    })
    expect(casePrescriptionFigures([null, null], '2026-11-23')).toEqual({ nextOn: null, prescribedClaims: 0 })
  })
})
