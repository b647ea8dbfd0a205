import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SCENARIO_STEPS,
  decideDunning,
  describeStep,
  type DunningCaseFacts,
  type DunningStepDef
} from '@shared/dunning/scenario'

const steps: DunningStepDef[] = DEFAULT_SCENARIO_STEPS.map((s) => ({ ...s, id: `s${s.position}` }))

function facts(overrides: Partial<DunningCaseFacts> = {}): DunningCaseFacts {
  return {
    status: 'open',
    phase: 'amicable',
    debtorKind: 'consumer',
    balanceCents: 100_000,
    anchorDueOn: '2026-03-01',
    openClaimCount: 1,
    disputedClaimCount: 0,
    planOnTrack: false,
    taken: new Map(),
    ...overrides
  }
}

const due = (at: string, f = facts()) => {
  const d = decideDunning(steps, f, at)
  return d.kind === 'due' ? d.step.id : d.kind === 'waiting' ? `wait:${d.step.id}@${d.dueOn}` : `skip:${d.code}`
}

describe('which dunning step is due', () => {
  it('follows the default scenario day by day from a fresh due date', () => {
    expect(due('2026-02-20')).toBe('wait:s1@2026-02-24')
    expect(due('2026-02-24')).toBe('s1')
    const taken = new Map([['s1', '2026-02-24']])
    expect(due('2026-02-28', facts({ taken }))).toBe('wait:s2@2026-03-01')
    expect(due('2026-03-01', facts({ taken }))).toBe('s2')
    taken.set('s2', '2026-03-01')
    expect(due('2026-03-15', facts({ taken }))).toBe('s3')
    taken.set('s3', '2026-03-15')
    expect(due('2026-03-22', facts({ taken }))).toBe('s4') // call task: balance ≥ 150 €
    taken.set('s4', '2026-03-22')
    expect(due('2026-03-31', facts({ taken }))).toBe('s5')
    taken.set('s5', '2026-03-31')
    expect(due('2026-04-30', facts({ taken }))).toBe('s6')
    taken.set('s6', '2026-05-02') // taken two days late: the notice counts from that day
    expect(due('2026-05-16', facts({ taken }))).toBe('wait:s7@2026-05-17')
    expect(due('2026-05-17', facts({ taken }))).toBe('s7')
    taken.set('s7', '2026-05-17')
    expect(due('2026-06-01', facts({ taken, phase: 'formal_notice' }))).toBe('s8')
    taken.set('s8', '2026-06-01')
    expect(due('2026-07-01', facts({ taken, phase: 'judicial' }))).toBe('skip:judicial_phase')
  })

  it('catches up a case entrusted late: only the latest past step counted from the due date', () => {
    const d = decideDunning(steps, facts(), '2026-06-10')
    expect(d).toMatchObject({ kind: 'due', step: { id: 's6' }, skippedStepIds: ['s1', 's2', 's3', 's4', 's5'] })
    // Next time, the steps behind the one taken stay behind; the notice waits 15 days.
    const taken = new Map([['s6', '2026-06-10']])
    expect(due('2026-06-11', facts({ taken }))).toBe('wait:s7@2026-06-25')
    expect(due('2026-06-25', facts({ taken }))).toBe('s7')
  })

  it('never jumps over the formal notice to the judicial phase', () => {
    const taken = new Map([['s6', '2026-01-01']])
    expect(due('2026-12-31', facts({ taken }))).toBe('s7')
  })

  it('passes over steps whose conditions do not hold (balance threshold, debtor type)', () => {
    const taken = new Map([
      ['s1', '2026-02-24'],
      ['s2', '2026-03-01'],
      ['s3', '2026-03-15']
    ])
    expect(due('2026-03-22', facts({ taken, balanceCents: 10_000 }))).toBe('wait:s5@2026-03-31')
    const companyOnly = steps.map((s) => (s.id === 's4' ? { ...s, debtorCondition: 'company' as const } : s))
    const d = decideDunning(companyOnly, facts({ taken }), '2026-03-22')
    expect(d).toMatchObject({ kind: 'waiting', step: { id: 's5' } })
    expect(decideDunning(companyOnly, facts({ taken, debtorKind: 'professional' }), '2026-03-22')).toMatchObject({
      kind: 'due',
      step: { id: 's4' }
    })
  })

  it('a case already in formal notice (sent outside the engine) goes on to the hand-over, counted nominally', () => {
    // Nominal date of the hand-over: due date + 60 + 15 + 15 days.
    expect(due('2026-05-29', facts({ phase: 'formal_notice' }))).toBe('wait:s8@2026-05-30')
    expect(due('2026-05-30', facts({ phase: 'formal_notice' }))).toBe('s8')
  })

  it('skips suspended and closed cases, disputed claims, plans on track, nothing owed', () => {
    expect(due('2026-06-10', facts({ status: 'suspended' }))).toBe('skip:suspended')
    expect(due('2026-06-10', facts({ status: 'closed' }))).toBe('skip:closed')
    expect(due('2026-06-10', facts({ anchorDueOn: null, disputedClaimCount: 2, openClaimCount: 2 }))).toBe(
      'skip:disputed'
    )
    expect(due('2026-06-10', facts({ planOnTrack: true }))).toBe('skip:plan_on_track')
    expect(due('2026-06-10', facts({ balanceCents: 0 }))).toBe('skip:no_balance')
    expect(decideDunning([], facts(), '2026-06-10')).toMatchObject({ kind: 'skip', code: 'no_scenario' })
  })

  it('reports a finished scenario', () => {
    const taken = new Map(steps.map((s) => [s.id, '2026-03-01']))
    expect(due('2026-12-01', facts({ taken }))).toBe('skip:finished')
  })

  it('describes a step in French', () => {
    expect(describeStep(steps[2]!)).toBe('J+14 après l’échéance — Courrier simple — Relance ferme')
    expect(describeStep(steps[0]!)).toBe('J-5 après l’échéance — E-mail — Rappel courtois')
  })
})
