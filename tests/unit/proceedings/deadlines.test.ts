import { describe, expect, it } from 'vitest'
import {
  claimDeclarationDeadline,
  deadlineCountdown,
  forclusionReliefDeadline,
  isCreditorOutsideMetropole,
  liabilitiesContestDeadline,
  proceedingDeadline
} from '@shared/proceedings/deadlines'

describe('claim declaration deadline (BODACC + 2 months, + 4 abroad)', () => {
  it('ends on the same day number two months later (CPC 641)', () => {
    expect(claimDeclarationDeadline('2026-09-15', false)).toBe('2026-11-16') // 15 Nov is a Sunday → Monday
    expect(claimDeclarationDeadline('2026-09-10', false)).toBe('2026-11-10')
    expect(claimDeclarationDeadline('2026-09-10', true)).toBe('2027-01-11') // 10 Jan 2027 is a Sunday
  })

  it('falls back to the last day of a shorter month, then to the next business day (CPC 642)', () => {
    expect(claimDeclarationDeadline('2026-12-31', false)).toBe('2027-03-01') // 28 Feb 2027 is a Sunday
    expect(claimDeclarationDeadline('2027-06-30', false)).toBe('2027-08-30')
    // 11 November (Armistice) → 12 November.
    expect(claimDeclarationDeadline('2026-09-11', false)).toBe('2026-11-12')
  })

  it('gives 6 months for a relief from forclusion', () => {
    expect(forclusionReliefDeadline('2026-09-10')).toBe('2027-03-10')
  })
})

describe('over-indebtedness: 30 days to contest the état du passif', () => {
  it('counts 30 days after the notice, extended past a weekend', () => {
    expect(liabilitiesContestDeadline('2026-11-02')).toBe('2026-12-02')
    expect(liabilitiesContestDeadline('2026-11-05')).toBe('2026-12-07') // 5 Dec is a Saturday
  })
})

describe('which deadline a proceeding opens', () => {
  it('needs the BODACC date for collective proceedings and the notice date for over-indebtedness', () => {
    expect(
      proceedingDeadline({ kind: 'receivership', bodaccPublishedOn: null, noticeReceivedOn: null }, false)
    ).toBeNull()
    const rj = proceedingDeadline(
      { kind: 'receivership', bodaccPublishedOn: '2026-09-10', noticeReceivedOn: null },
      false
    )
    expect(rj).toMatchObject({ kind: 'claim_declaration', dueOn: '2026-11-10' })
    expect(rj!.basis).toContain('BODACC le 10/09/2026 + 2 mois')
    const abroad = proceedingDeadline(
      { kind: 'liquidation', bodaccPublishedOn: '2026-09-10', noticeReceivedOn: null },
      true
    )
    expect(abroad!.basis).toContain('+ 4 mois')
    expect(
      proceedingDeadline({ kind: 'over_indebtedness', bodaccPublishedOn: null, noticeReceivedOn: '2026-11-02' }, false)
    ).toMatchObject({
      kind: 'liabilities_contest',
      dueOn: '2026-12-02'
    })
  })

  it('treats foreign and overseas creditors as outside metropolitan France', () => {
    expect(isCreditorOutsideMetropole({ country: 'FR', postalCode: '75002' })).toBe(false)
    expect(isCreditorOutsideMetropole({ country: 'FR', postalCode: '97400' })).toBe(true)
    expect(isCreditorOutsideMetropole({ country: 'BE', postalCode: '1000' })).toBe(true)
  })

  it('says how far a deadline is', () => {
    expect(deadlineCountdown('2026-11-25', '2026-11-23')).toBe('dans 2 jours')
    expect(deadlineCountdown('2026-11-23', '2026-11-23')).toBe('aujourd’hui')
    expect(deadlineCountdown('2026-11-22', '2026-11-23')).toBe('dépassé de 1 jour')
  })
})
