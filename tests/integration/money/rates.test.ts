import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_RATE_TABLE } from '@shared/money'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { refusal, seedCase } from './fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

describe('rate tables in the database', () => {
  it('ship the official tables (2015-S1 to 2026-S1) seeded by the migration, in basis points', async () => {
    const tables = await app.call('rates:list', {})
    expect(tables.legalInterest.map((r) => r.semester)).toEqual(BUNDLED_RATE_TABLE.legalInterest.map((r) => r.semester))
    expect(tables.legalInterest[0]).toMatchObject({ semester: '2015-S1', from: '2015-01-01', to: '2015-06-30' })
    // 2024-S1: 8.01 % (creditor individual) and 5.07 % (other cases) — rates.json.
    expect(tables.legalInterest.find((r) => r.semester === '2024-S1')).toMatchObject({
      creditorIndividualBp: 801,
      otherCasesBp: 507,
      to: '2024-06-30'
    })
    // ECB 4.50 % on 1 January 2024: default B2B penalty 14.50 %.
    expect(tables.ecbRefinancing.find((r) => r.semester === '2024-S1')).toMatchObject({
      ecbRateBp: 450,
      b2bPenaltyBp: 1450
    })
    expect(tables.legalInterest.at(-1)!.semester).toBe('2026-S1')
    expect(tables.nextLegalSemester).toBe('2026-S2')
    expect(tables.nextEcbSemester).toBe('2026-S2')
  })

  it('refuse a computation past the last known semester, naming the missing one in French', async () => {
    const seeded = await seedCase(app, {
      claims: [{ principalCents: 100_000, dueOn: '2026-03-31', interestBasis: 'b2b_penalty' }]
    })
    const error = await refusal(app, 'money:statement', { caseId: seeded.caseId, at: '2026-09-01' })
    expect(error.code).toBe('BUSINESS_RULE')
    expect(error.message).toBe(
      'Le taux de refinancement de la BCE du 2e semestre 2026 n’est pas encore enregistré (dernier semestre connu : 1er semestre 2026). ' +
        'Ajoutez-le dans Paramètres › Taux avant de lancer ce calcul : Recouvra ne devine jamais un taux.'
    )
  })

  it('add the next semester exactly (percent as printed → basis points), then computations use it', async () => {
    const seeded = await seedCase(app, {
      claims: [{ principalCents: 100_000, dueOn: '2026-03-31', interestBasis: 'b2b_penalty' }]
    })
    const tables = await app.call('rates:add-semester', {
      kind: 'ecb_refinancing',
      semester: '2026-S2',
      ratePercent: '2,15',
      source: 'Test : taux BCE au 1er juillet 2026 (valeur de test)'
    })
    expect(tables.ecbRefinancing.at(-1)).toMatchObject({ semester: '2026-S2', ecbRateBp: 215, b2bPenaltyBp: 1215 })
    expect(tables.nextEcbSemester).toBe('2027-S1')

    const statement = await app.call('money:statement', { caseId: seeded.caseId, at: '2026-09-01' })
    // [2026-04-01, 2026-07-01): 91 d at 12.15 % on 1 000 € / 365 = 30.2918 → 30.29
    // [2026-07-01, 2026-09-01): 62 d at 12.15 % (the semester just added) = 20.6384 → 20.64
    expect(statement.claims[0]!.interestPieces.map((p) => [p.from, p.to, p.days, p.rateBp, p.amountCents])).toEqual([
      ['2026-04-01', '2026-07-01', 91, 1215, 3029],
      ['2026-07-01', '2026-09-01', 62, 1215, 2064]
    ])
    expect(statement.totals.interestCents).toBe(5093)
  })

  it('convert legal rates exactly: 8.01 stays 801 bp, "3,1" is 310 bp', async () => {
    const tables = await app.call('rates:add-semester', {
      kind: 'legal_interest',
      semester: '2026-S2',
      creditorIndividualPercent: 8.01,
      otherCasesPercent: '3,1'
    })
    expect(tables.legalInterest.at(-1)).toMatchObject({
      semester: '2026-S2',
      from: '2026-07-01',
      to: '2026-12-31',
      creditorIndividualBp: 801,
      otherCasesBp: 310,
      source: null
    })
  })

  it('refuse a gap, an overlap and a rate that cannot be exact, in French', async () => {
    const gap = await refusal(app, 'rates:add-semester', {
      kind: 'legal_interest',
      semester: '2027-S2',
      creditorIndividualPercent: '7',
      otherCasesPercent: '3'
    })
    expect(gap).toEqual({
      code: 'BUSINESS_RULE',
      message:
        'Le prochain semestre à saisir dans la table du taux de l’intérêt légal est le 1er semestre 2027 ' +
        '(les semestres se suivent sans trou ni chevauchement), pas le 2e semestre 2027.'
    })
    const overlap = await refusal(app, 'rates:add-semester', {
      kind: 'ecb_refinancing',
      semester: '2024-S1',
      ratePercent: 4
    })
    expect(overlap).toEqual({
      code: 'CONFLICT',
      message:
        'Le 1er semestre 2024 est déjà enregistré dans la table du taux de la BCE : un taux publié ne se modifie pas.'
    })
    const inexact = await refusal(app, 'rates:add-semester', {
      kind: 'ecb_refinancing',
      semester: '2027-S1',
      ratePercent: '2.155'
    })
    expect(inexact.code).toBe('VALIDATION')
    expect(inexact.message).toContain('deux décimales au plus')
    const badKey = await refusal(app, 'rates:add-semester', {
      kind: 'ecb_refinancing',
      semester: '2027-S3',
      ratePercent: '2'
    })
    expect(badKey.code).toBe('VALIDATION')
    // Nothing was added by the refusals.
    const tables = await app.call('rates:list', {})
    expect(tables.nextLegalSemester).toBe('2027-S1')
    expect(tables.nextEcbSemester).toBe('2027-S1')
  })
})
