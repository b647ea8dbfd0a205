import { describe, expect, it } from 'vitest'
import { computePrescription, isTimeBarred } from '../../../src-shared/money/prescription'

describe('base periods (convention 13)', () => {
  it('2 years for a professional creditor against a consumer (L218-2)', () => {
    const r = computePrescription({ startsOn: '2023-03-15', creditor: 'professional', debtor: 'consumer' })
    expect(r).toMatchObject({ regime: 'consumer_2y', years: 2, expiresOn: '2025-03-15', article: 'C. consom. L218-2' })
  })

  it('5 years between professionals, for a non-professional legal person, or for a consumer creditor', () => {
    expect(
      computePrescription({ startsOn: '2023-03-15', creditor: 'professional', debtor: 'professional' }).expiresOn
    ).toBe('2028-03-15')
    expect(
      computePrescription({ startsOn: '2023-03-15', creditor: 'professional', debtor: 'non_professional' }).regime
    ).toBe('common_5y')
    expect(computePrescription({ startsOn: '2023-03-15', creditor: 'consumer', debtor: 'consumer' }).regime).toBe(
      'common_5y'
    )
  })

  it('29 February falls back to 28 February', () => {
    expect(
      computePrescription({ startsOn: '2024-02-29', creditor: 'professional', debtor: 'consumer' }).expiresOn
    ).toBe('2026-02-28')
  })

  it('the last day still counts; time-barred from the next day', () => {
    expect(isTimeBarred('2025-03-15', '2025-03-15')).toBe(false)
    expect(isTimeBarred('2025-03-15', '2025-03-16')).toBe(true)
  })
})

describe('interruptions (C. civ. 2231, 2240, 2241, 2244)', () => {
  it('each interruption restarts a full new period', () => {
    const r = computePrescription({
      startsOn: '2021-01-10',
      creditor: 'professional',
      debtor: 'consumer',
      interruptions: [
        { on: '2022-06-01', kind: 'payment' },
        { on: '2024-01-20', kind: 'acknowledgement' }
      ]
    })
    // 2021-01-10 + 2 y = 2023-01-10; payment 2022-06-01 → 2024-06-01; acknowledgement 2024-01-20 → 2026-01-20.
    expect(r.runningFrom).toBe('2024-01-20')
    expect(r.expiresOn).toBe('2026-01-20')
    expect(r.ignoredEvents).toEqual([])
  })

  it('events are taken in date order whatever the input order', () => {
    const events = [
      { on: '2024-01-20', kind: 'payment_plan' as const },
      { on: '2022-06-01', kind: 'payment' as const }
    ]
    expect(
      computePrescription({
        startsOn: '2021-01-10',
        creditor: 'professional',
        debtor: 'consumer',
        interruptions: events
      }).expiresOn
    ).toBe('2026-01-20')
  })

  it('an event after expiry does not revive the claim', () => {
    const late = { on: '2023-02-01', kind: 'payment' as const }
    const r = computePrescription({
      startsOn: '2021-01-10',
      creditor: 'professional',
      debtor: 'consumer',
      interruptions: [late]
    })
    expect(r.expiresOn).toBe('2023-01-10')
    expect(r.ignoredEvents).toEqual([late])
  })

  it('an event on the last day still interrupts', () => {
    const r = computePrescription({
      startsOn: '2021-01-10',
      creditor: 'professional',
      debtor: 'consumer',
      interruptions: [{ on: '2023-01-10', kind: 'payment' }]
    })
    expect(r.expiresOn).toBe('2025-01-10')
  })

  it('a court claim restarts from the end of the proceedings when known (2242)', () => {
    const filed = computePrescription({
      startsOn: '2020-05-01',
      creditor: 'professional',
      debtor: 'professional',
      interruptions: [{ on: '2024-04-01', kind: 'court_claim' }]
    })
    expect(filed.expiresOn).toBe('2029-04-01')
    const ended = computePrescription({
      startsOn: '2020-05-01',
      creditor: 'professional',
      debtor: 'professional',
      interruptions: [{ on: '2024-04-01', kind: 'court_claim', proceedingsEndedOn: '2025-09-30' }]
    })
    expect(ended.expiresOn).toBe('2030-09-30')
  })

  it('a judgment switches to 10 years, restarted by later enforcement acts', () => {
    const r = computePrescription({
      startsOn: '2021-01-10',
      creditor: 'professional',
      debtor: 'consumer',
      judgmentOn: '2022-11-03',
      interruptions: [
        { on: '2022-05-02', kind: 'court_claim' },
        { on: '2027-06-15', kind: 'enforcement_act' }
      ]
    })
    expect(r).toMatchObject({
      regime: 'judgment_10y',
      years: 10,
      runningFrom: '2027-06-15',
      expiresOn: '2037-06-15',
      article: 'CPCE L111-4'
    })
    const noEvent = computePrescription({
      startsOn: '2021-01-10',
      creditor: 'professional',
      debtor: 'consumer',
      judgmentOn: '2022-11-03'
    })
    expect(noEvent.expiresOn).toBe('2032-11-03')
  })
})
