import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { JournalEntryEntity } from '../../../src-main/modules/journal/journal-entry.entity'
import { openTempApp } from '../helpers/temp-app'
import { CONSUMER, refusal, seedCase } from './fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

describe('judgments', () => {
  it('raise the legal rate by 5 points two months after enforceability and switch to the 10-year prescription', async () => {
    // README worked example: 1 000 € at the legal rate (professional creditor) from 2024-05-01.
    const seeded = await seedCase(app, {
      claims: [
        {
          invoiceNumber: 'F-J',
          principalCents: 100_000,
          dueOn: '2024-04-15',
          interestBasis: 'legal',
          interestFrom: '2024-05-01'
        }
      ]
    })
    const event = await app.call('money:record-legal-event', {
      caseId: seeded.caseId,
      kind: 'judgment',
      occurredOn: '2024-06-15',
      enforceableOn: '2024-07-01',
      court: 'Tribunal judiciaire de Lyon',
      reference: 'RG 24/01234'
    })
    expect(event).toMatchObject({ kind: 'judgment', claimId: null, enforceableOn: '2024-07-01' })

    const s = await app.call('money:statement', { caseId: seeded.caseId, at: '2024-10-01' })
    // 2024-05-01 → 07-01: 61 d at 5,07 % / 366 = 8,45 € ; 07-01 → 09-01: 62 d at 4,92 % = 8,33 € ;
    // from 2024-09-01 (enforceable + 2 months) 4,92 + 5 = 9,92 %: 1000 × 9,92 % × 30 / 366 = 8,131… → 8,13 €.
    expect(s.claims[0]!.interestPieces.map((p) => [p.from, p.to, p.rateBp, p.basis, p.amountCents])).toEqual([
      ['2024-05-01', '2024-07-01', 507, 'legal_other_cases', 845],
      ['2024-07-01', '2024-09-01', 492, 'legal_other_cases', 833],
      ['2024-09-01', '2024-10-01', 992, 'legal_other_cases_judgment', 813]
    ])
    expect(s.totals.interestCents).toBe(2_491)
    // CPCE L111-4: 10 years from the enforceable judgment.
    expect(s.claims[0]!.prescription).toMatchObject({
      regime: 'judgment_10y',
      runningFrom: '2024-07-01',
      expiresOn: '2034-07-01'
    })

    const listed = await app.call('money:list-legal-events', { caseId: seeded.caseId })
    expect(listed.map((e) => e.id)).toEqual([event.id])
    const journal = await app.db.read((m) =>
      m.find(JournalEntryEntity, { where: { caseId: seeded.caseId, kind: 'legal_event' } })
    )
    expect(journal).toHaveLength(1)
    expect(journal[0]!.summary).toContain('exécutoire le 01/07/2024')
    expect(journal[0]!.summary).toContain('majoré de 5 points à compter du 01/09/2024')
  })

  it('for one claim only leaves the other claims of the case alone', async () => {
    const seeded = await seedCase(app, {
      claims: [
        {
          invoiceNumber: 'F-A',
          principalCents: 100_000,
          dueOn: '2024-04-15',
          interestBasis: 'legal',
          interestFrom: '2024-05-01'
        },
        {
          invoiceNumber: 'F-B',
          principalCents: 100_000,
          dueOn: '2024-04-15',
          interestBasis: 'legal',
          interestFrom: '2024-05-01'
        }
      ]
    })
    const event = await app.call('money:record-legal-event', {
      caseId: seeded.caseId,
      claimId: seeded.claimIds[0],
      kind: 'judgment',
      occurredOn: '2024-06-15',
      enforceableOn: '2024-07-01'
    })
    expect(event.invoiceNumber).toBe('F-A')
    const s = await app.call('money:statement', { caseId: seeded.caseId, at: '2024-10-01' })
    // F-B without the judgment: 845 + 2024-07-01 → 10-01, 92 d at 4,92 %: 1000 × 4,92 % × 92 / 366 = 12,367 → 12,37 €.
    expect(s.claims.map((c) => c.interestCents)).toEqual([2_491, 845 + 1_237])
    expect(s.claims.map((c) => c.prescription.regime)).toEqual(['judgment_10y', 'common_5y'])
  })

  it('are refused without an enforceable date, in the future, or on another case’s claim', async () => {
    const seeded = await seedCase(app, { claims: [{ principalCents: 50_000, dueOn: '2025-01-10' }] })
    const other = await seedCase(app, { claims: [{ principalCents: 50_000, dueOn: '2025-01-10' }] })
    const missing = await refusal(app, 'money:record-legal-event', {
      caseId: seeded.caseId,
      kind: 'judgment',
      occurredOn: '2025-06-01'
    })
    expect(missing).toMatchObject({ code: 'VALIDATION' })
    expect(missing.message).toContain('exécutoire')
    const future = await refusal(app, 'money:record-legal-event', {
      caseId: seeded.caseId,
      kind: 'judgment',
      occurredOn: '2026-11-01',
      enforceableOn: '2026-12-01'
    })
    expect(future.code).toBe('BUSINESS_RULE')
    const foreign = await refusal(app, 'money:record-legal-event', {
      caseId: seeded.caseId,
      claimId: other.claimIds[0],
      kind: 'acknowledgement',
      occurredOn: '2025-06-01'
    })
    expect(foreign).toEqual({ code: 'BUSINESS_RULE', message: 'Cette créance n’appartient pas à ce dossier.' })
  })
})

describe('signed acknowledgements of debt', () => {
  it('interrupt the prescription: a claim time-barred without it can be demanded again (C. civ. 2240)', async () => {
    // Professional creditor, consumer debtor: 2 years (C. consom. L218-2). Due 2023-01-10 →
    // expired 2025-01-10, so time-barred on 2026-11-23 (the test clock's today).
    const seeded = await seedCase(app, {
      debtor: CONSUMER,
      claims: [{ invoiceNumber: 'F-R', principalCents: 80_000, dueOn: '2023-01-10' }]
    })
    const before = await app.call('money:statement', { caseId: seeded.caseId, at: '2026-11-23' })
    expect(before.claims[0]!.timeBarred).toBe(true)
    expect(before.demandableBalanceCents).toBe(0)

    // Signed on 2024-12-01, before the expiry: a new 2-year period runs until 2026-12-01.
    await app.call('money:record-legal-event', {
      caseId: seeded.caseId,
      claimId: seeded.claimIds[0],
      kind: 'acknowledgement',
      occurredOn: '2024-12-01',
      note: 'Courrier signé du débiteur reconnaissant devoir 800 €'
    })
    const after = await app.call('money:statement', { caseId: seeded.caseId, at: '2026-11-23' })
    expect(after.claims[0]!.prescription).toMatchObject({ runningFrom: '2024-12-01', expiresOn: '2026-12-01' })
    expect(after.claims[0]!.timeBarred).toBe(false)
    expect(after.demandableBalanceCents).toBe(80_000)
  })

  it('signed after the expiry does not revive the claim', async () => {
    const seeded = await seedCase(app, {
      debtor: CONSUMER,
      claims: [{ principalCents: 80_000, dueOn: '2023-01-10' }]
    })
    await app.call('money:record-legal-event', {
      caseId: seeded.caseId,
      kind: 'acknowledgement',
      occurredOn: '2025-03-01'
    })
    const s = await app.call('money:statement', { caseId: seeded.caseId, at: '2026-11-23' })
    expect(s.claims[0]!.prescription.expiresOn).toBe('2025-01-10')
    expect(s.claims[0]!.timeBarred).toBe(true)
  })
})
