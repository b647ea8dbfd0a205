import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { ClientEntity } from '../../../src-main/modules/clients/client.entity'
import { TEST_NOW, TEST_TODAY, openTempApp } from '../helpers/temp-app'
import { COMPANY, CONSUMER, refusal, seedClient } from '../money/fixtures'
import { actAs, journalRows, seedUser, seedWorkspaceCase } from './helpers'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

describe('solvency facts and assessment', () => {
  it('records structured, sourced, dated facts and suggests a monthly capacity from them', async () => {
    const c = await seedWorkspaceCase(app)
    const employment = await app.call('solvency:add-fact', {
      caseId: c.caseId,
      fields: { category: 'employment', status: 'permanent', employer: 'Boulangerie Martin' },
      observedOn: '2026-11-20',
      source: 'Déclaration du débiteur'
    })
    expect(employment).toMatchObject({
      category: 'employment',
      summary: 'Salarié en CDI — employeur : Boulangerie Martin',
      source: 'Déclaration du débiteur',
      observedOn: '2026-11-20',
      fields: { category: 'employment', status: 'permanent', employer: 'Boulangerie Martin' },
      createdByName: 'Administrateur'
    })
    await app.call('solvency:add-fact', {
      caseId: c.caseId,
      fields: { category: 'income', monthlyCents: 2_100_00 },
      observedOn: '2026-11-20',
      source: 'Bulletin de salaire'
    })
    await app.call('solvency:add-fact', {
      caseId: c.caseId,
      fields: { category: 'charges', monthlyCents: 900_00 },
      observedOn: '2026-11-20',
      source: 'Déclaration du débiteur',
      comment: 'Loyer et crédit automobile'
    })
    await app.call('solvency:add-fact', {
      caseId: c.caseId,
      fields: { category: 'household', dependants: 1, livesInCouple: false },
      observedOn: '2026-11-20',
      source: 'Déclaration du débiteur'
    })
    const view = await app.call('solvency:get', { caseId: c.caseId })
    expect(view.facts).toHaveLength(4)
    // 2 100 − 900 − (700 + 250) = 250 €
    expect(view.suggestion.capacityCents).toBe(250_00)
    expect(await app.call('solvency:capacity', { caseId: c.caseId })).toMatchObject({
      monthlyCapacityCents: 250_00,
      source: 'suggestion'
    })
    // Each fact is journaled on the case.
    expect((await journalRows(app, c.caseId)).map((r) => r.kind)).toEqual([
      'solvency',
      'solvency',
      'solvency',
      'solvency'
    ])
  })

  it('supersedes a fact with a newer one (append-only) and refuses superseding it twice', async () => {
    const c = await seedWorkspaceCase(app)
    const old = await app.call('solvency:add-fact', {
      caseId: c.caseId,
      fields: { category: 'income', range: 'r1500_2000' },
      observedOn: '2026-06-01',
      source: 'Enquête'
    })
    await app.call('solvency:add-fact', {
      caseId: c.caseId,
      fields: { category: 'income', range: 'r2000_3000' },
      observedOn: '2026-11-20',
      source: 'Déclaration du débiteur',
      supersedesNoteId: old.id
    })
    const view = await app.call('solvency:get', { caseId: c.caseId })
    expect(view.facts.find((f) => f.id === old.id)!.superseded).toBe(true)
    expect(view.suggestion.capacityCents).toBe(2000_00 - 700_00)
    const twice = await refusal(app, 'solvency:add-fact', {
      caseId: c.caseId,
      fields: { category: 'income', range: 'gt_5000' },
      observedOn: '2026-11-21',
      source: 'Enquête',
      supersedesNoteId: old.id
    })
    expect(twice.message).toBe('Ce fait a déjà été remplacé.')
  })

  it('takes the assessed capacity over the suggestion, for the plan simulator', async () => {
    const c = await seedWorkspaceCase(app)
    const assessment = await app.call('solvency:assess', {
      caseId: c.caseId,
      assessment: 'partial_capacity',
      monthlyCapacityCents: 150_00,
      comment: 'Capacité confirmée par les justificatifs'
    })
    expect(assessment).toMatchObject({
      assessment: 'partial_capacity',
      monthlyCapacityCents: 150_00,
      assessedOn: TEST_TODAY
    })
    expect(await app.call('solvency:capacity', { caseId: c.caseId })).toMatchObject({
      assessment: 'partial_capacity',
      monthlyCapacityCents: 150_00,
      source: 'assessment'
    })
    const file = await app.call('casefile:get', { caseId: c.caseId })
    expect(file.assessment).toEqual({
      assessment: 'partial_capacity',
      monthlyCapacityCents: 150_00,
      assessedOn: TEST_TODAY
    })
    // The simulator takes it as is.
    const simulation = await app.call('plans:simulate', {
      caseId: c.caseId,
      interestMode: 'frozen',
      sizing: { installmentCount: 4 },
      frequency: 'monthly',
      firstDueDate: '2026-12-05',
      capacityCents: file.assessment!.monthlyCapacityCents
    })
    expect(simulation.capacity).toMatchObject({ capacityCents: 150_00, withinCapacity: false })
  })

  it('refuses CNIL-forbidden comments in facts and assessments', async () => {
    const c = await seedWorkspaceCase(app)
    const fact = await refusal(app, 'solvency:add-fact', {
      caseId: c.caseId,
      fields: { category: 'other' },
      observedOn: '2026-11-20',
      source: 'Voisin',
      comment: 'Arrêt maladie longue durée, dépressif'
    })
    expect(fact.message).toContain('« maladie »')
    expect(fact.message).toContain('« dépressif »')
    const assess = await refusal(app, 'solvency:assess', {
      caseId: c.caseId,
      assessment: 'insolvent',
      monthlyCapacityCents: null,
      comment: 'Syndiqué CGT, ne paiera jamais'
    })
    expect(assess.message).toContain('Appartenance syndicale')
  })
})

describe('collective proceedings and over-indebtedness', () => {
  it('suspend every open case of the debtor and set the claim-declaration deadline per creditor', async () => {
    // The same company owes two clients, one of them abroad.
    const first = await seedWorkspaceCase(app, { debtor: COMPANY })
    const foreign = await seedClient(app)
    await app.db.write((m) => m.update(ClientEntity, { id: foreign.clientId }, { country: 'BE', postalCode: '1000' }))
    const second = await seedWorkspaceCase(app, { debtor: COMPANY, client: foreign })
    // Attach the second case to the same debtor.
    await app.db.write((m) =>
      m.query('UPDATE collection_case SET debtor_id = ? WHERE id = ?', [first.debtorId, second.caseId])
    )

    const recorded = await app.call('proceedings:record', {
      caseId: first.caseId,
      expectedVersion: 1,
      kind: 'receivership',
      judgmentOn: '2026-11-02',
      bodaccPublishedOn: '2026-11-12',
      court: 'Tribunal de commerce de Lyon',
      administrator: 'Me Dupuis, mandataire judiciaire, 4 quai de Saône, Lyon'
    })
    expect(recorded.suspendedCaseIds).toEqual([first.caseId, second.caseId])
    expect(recorded.case).toMatchObject({ status: 'suspended', suspensionReason: 'collective_proceedings' })
    expect(recorded.deadlines).toEqual([
      expect.objectContaining({ caseId: first.caseId, kind: 'claim_declaration', dueOn: '2027-01-12' }),
      // 12 March 2027 (+4 months for a creditor abroad).
      expect.objectContaining({ caseId: second.caseId, kind: 'claim_declaration', dueOn: '2027-03-12' })
    ])
    const file = await app.call('casefile:get', { caseId: first.caseId })
    expect(file.proceedings).toEqual([
      expect.objectContaining({ kind: 'receivership', bodaccPublishedOn: '2026-11-12' })
    ])
    expect(file.deadlines[0]!.basis).toContain('Publication au BODACC le 12/11/2026 + 2 mois')
    const kinds = (await journalRows(app, first.caseId)).map((r) => r.kind)
    expect(kinds).toEqual(['proceedings', 'status_change'])
    const solvency = await app.call('solvency:get', { caseId: first.caseId })
    expect(solvency.facts[0]).toMatchObject({ category: 'proceedings' })
  })

  it('can be completed later with the BODACC date, which sets the deadline', async () => {
    const c = await seedWorkspaceCase(app, { debtor: COMPANY })
    const recorded = await app.call('proceedings:record', {
      caseId: c.caseId,
      expectedVersion: 1,
      kind: 'safeguard',
      judgmentOn: '2026-11-16'
    })
    expect(recorded.deadlines).toEqual([])
    // Without a deadline, the suspension is reviewed in three months.
    expect(recorded.case.nextActionOn).toBe('2027-02-23')
    const completed = await app.call('proceedings:record', {
      caseId: c.caseId,
      proceedingId: recorded.proceeding.id,
      expectedVersion: recorded.case.version,
      kind: 'safeguard',
      judgmentOn: '2026-11-16',
      bodaccPublishedOn: '2026-11-20'
    })
    expect(completed.suspendedCaseIds).toEqual([])
    expect(completed.deadlines).toEqual([expect.objectContaining({ dueOn: '2027-01-20' })])
  })

  it('over-indebtedness: 30 days to contest the état du passif; only for individuals', async () => {
    const c = await seedWorkspaceCase(app, { debtor: CONSUMER })
    const recorded = await app.call('proceedings:record', {
      caseId: c.caseId,
      expectedVersion: 1,
      kind: 'over_indebtedness',
      judgmentOn: '2026-10-15',
      noticeReceivedOn: '2026-11-05'
    })
    expect(recorded.case).toMatchObject({ status: 'suspended', suspensionReason: 'over_indebtedness' })
    expect(recorded.deadlines).toEqual([expect.objectContaining({ kind: 'liabilities_contest', dueOn: '2026-12-07' })])

    const company = await seedWorkspaceCase(app, { debtor: COMPANY })
    const wrong = await refusal(app, 'proceedings:record', {
      caseId: company.caseId,
      expectedVersion: 1,
      kind: 'over_indebtedness',
      judgmentOn: '2026-10-15'
    })
    expect(wrong.message).toContain('ne concerne que les particuliers')
    const consumer = await seedWorkspaceCase(app, { debtor: CONSUMER })
    const collective = await refusal(app, 'proceedings:record', {
      caseId: consumer.caseId,
      expectedVersion: 1,
      kind: 'liquidation',
      judgmentOn: '2026-10-15'
    })
    expect(collective.message).toContain('enregistrez un surendettement')
  })

  it('a deadline marked done leaves the agenda and is journaled', async () => {
    const collector = await seedUser(app)
    const c = await seedWorkspaceCase(app, { debtor: COMPANY, collectorId: collector })
    const recorded = await app.call('proceedings:record', {
      caseId: c.caseId,
      expectedVersion: c.version,
      kind: 'liquidation',
      judgmentOn: '2026-09-20',
      bodaccPublishedOn: '2026-09-30'
    })
    // 30 November: within the agenda's 15-day look-ahead.
    const before = await app.call('agenda:list', { collectorId: collector })
    expect(before.rows).toEqual([
      expect.objectContaining({
        caseId: c.caseId,
        reasons: [
          expect.objectContaining({
            kind: 'deadline',
            dueOn: '2026-11-30',
            daysLate: -7,
            deadlineKind: 'claim_declaration'
          })
        ]
      })
    ])
    await app.call('deadlines:complete', { deadlineId: recorded.deadlines[0]!.id, completedOn: TEST_TODAY })
    const after = await app.call('agenda:list', { collectorId: collector })
    expect(after.rows).toEqual([])
    const last = (await journalRows(app, c.caseId)).at(-1)!
    expect(last.summary).toBe('Créance déclarée au mandataire le 23/11/2026')
  })
})

describe('the agenda', () => {
  it('lists a collector’s cases with everything due, deadlines first, then priority and amount', async () => {
    const collector = await seedUser(app)
    const small = await seedWorkspaceCase(app, { collectorId: collector, principalCents: 10_000 })
    const large = await seedWorkspaceCase(app, { collectorId: collector, principalCents: 900_000 })
    const urgent = await seedWorkspaceCase(app, { collectorId: collector, principalCents: 5_000 })
    await app.db.write((m) => m.query("UPDATE collection_case SET priority = 'urgent' WHERE id = ?", [urgent.caseId]))
    const future = await seedWorkspaceCase(app, { collectorId: collector })
    const otherCollector = await seedWorkspaceCase(app, { collectorId: await seedUser(app) })

    // Overdue next action on the small case; today's promise on the large one (from a call).
    await app.db.write((m) =>
      m.query("UPDATE collection_case SET next_action_on = '2026-11-20' WHERE id = ?", [small.caseId])
    )
    await app.call('calls:log', {
      caseId: large.caseId,
      phoneId: large.phoneIds[0]!,
      direction: 'outbound',
      answeredBy: 'debtor',
      outcome: 'promise_to_pay',
      startedAt: TEST_NOW,
      durationSeconds: 120,
      nextActionOn: '2026-11-24',
      promise: { amountCents: 50_000, dueOn: TEST_TODAY }
    })
    await app.db.write((m) =>
      m.query("UPDATE collection_case SET next_action_on = '2026-11-23' WHERE id = ?", [urgent.caseId])
    )
    await app.db.write((m) =>
      m.query("UPDATE collection_case SET next_action_on = '2026-11-30' WHERE id = ?", [future.caseId])
    )
    await app.db.write((m) =>
      m.query("UPDATE collection_case SET next_action_on = '2026-11-01' WHERE id = ?", [otherCollector.caseId])
    )

    const page = await app.call('agenda:list', { collectorId: collector })
    expect(page.rows.map((r) => r.caseId)).toEqual([urgent.caseId, large.caseId, small.caseId])
    expect(page.rows[1]!.reasons).toEqual([
      expect.objectContaining({ kind: 'promise', amountCents: 50_000, dueOn: TEST_TODAY, daysLate: 0 })
    ])
    expect(page.rows[1]!.reasons[0]!.label).toBe('Promesse de 500,00\u00a0€ aujourd’hui : vérifier le paiement')
    expect(page.rows[2]!.reasons[0]).toMatchObject({ kind: 'next_action', daysLate: 3 })
    expect(page.counts).toEqual({
      cases: 3,
      overdueCases: 1,
      byKind: { deadline: 0, next_action: 2, promise: 1, installment: 0, dunning: 0, prescription: 0 }
    })
    expect(await app.call('agenda:counts', { collectorId: collector })).toEqual(page.counts)
    const promisesOnly = await app.call('agenda:list', { collectorId: collector, kinds: ['promise'] })
    expect(promisesOnly.rows.map((r) => r.caseId)).toEqual([large.caseId])
    // The team view (a manager) includes the other collector's case.
    const team = await app.call('agenda:list', { collectorId: null })
    expect(team.rows.map((r) => r.caseId)).toContain(otherCollector.caseId)
  })

  it('shows plan installments due and defaults to the session user; a collector sees only their own', async () => {
    const collector = await seedUser(app)
    const c = await seedWorkspaceCase(app, { collectorId: collector })
    await app.call('plans:accept', {
      caseId: c.caseId,
      at: '2026-10-01',
      interestMode: 'frozen',
      sizing: { installmentCount: 4 },
      frequency: 'monthly',
      firstDueDate: '2026-10-20'
    })
    await actAs(app, collector)
    try {
      const mine = await app.call('agenda:list', {})
      expect(mine.collectorId).toBe(collector)
      const reasons = mine.rows.find((r) => r.caseId === c.caseId)!.reasons
      expect(reasons.map((r) => [r.kind, r.dueOn])).toEqual([
        ['installment', '2026-10-20'],
        ['installment', '2026-11-20']
      ])
      const error = await refusal(app, 'agenda:list', { collectorId: null })
      expect(error).toEqual({
        code: 'FORBIDDEN',
        message: 'Un chargé de recouvrement ne consulte que son propre agenda.'
      })
    } finally {
      await actAs(app, null)
    }
  })
})
