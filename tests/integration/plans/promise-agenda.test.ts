import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { runMoneyChecks } from '../../../src-main/modules/money/money-checks'
import { openTempApp } from '../helpers/temp-app'
import { COMPANY, CONSUMER, seedCase } from '../money/fixtures'

// Fixed clock: 2026-11-23. Promises are judged by the daily checks without anyone asking, and
// the agenda shows the ones to check (due) and the ones to chase (broken, partly kept).
let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

const promiseReason = async (caseId: string) =>
  (await app.call('agenda:list', { collectorId: null, kinds: ['promise'], limit: 200 })).rows
    .find((r) => r.caseId === caseId)
    ?.reasons.find((x) => x.kind === 'promise')

describe('promises: evaluated automatically, visible in the agenda', () => {
  it('a promise whose date passed unpaid becomes broken at the daily check and stays in the agenda to chase', async () => {
    const s = await seedCase(app, {
      creditor: COMPANY,
      debtor: CONSUMER,
      claims: [{ principalCents: 50_000, dueOn: '2025-09-01' }]
    })
    await app.call('promises:create', {
      caseId: s.caseId,
      amountCents: 20_000,
      dueOn: '2026-11-02',
      madeOn: '2026-10-20'
    })
    const kept = await seedCase(app, {
      creditor: COMPANY,
      debtor: CONSUMER,
      claims: [{ principalCents: 50_000, dueOn: '2025-09-01' }]
    })
    await app.call('promises:create', {
      caseId: kept.caseId,
      amountCents: 10_000,
      dueOn: '2026-11-10',
      madeOn: '2026-10-20'
    })
    await app.call('money:record-payment', {
      caseId: kept.caseId,
      receivedOn: '2026-11-09',
      amountCents: 10_000,
      method: 'card',
      receivedBy: 'agency'
    })

    const result = await runMoneyChecks({
      db: app.db,
      clock: app.clock,
      promises: app.services.promises,
      plans: app.services.plans
    })
    expect(result.day).toBe('2026-11-23')
    expect((await app.call('promises:list', { caseId: s.caseId }))[0]!.status).toBe('broken')
    expect((await app.call('promises:list', { caseId: kept.caseId }))[0]!.status).toBe('kept')
    expect(await promiseReason(s.caseId)).toMatchObject({
      dueOn: '2026-11-02',
      label: expect.stringMatching(/^Promesse de 200,00\s€ du 02\/11\/2026 non tenue : relancer$/)
    })
    expect(await promiseReason(kept.caseId)).toBeUndefined()

    // A new promise replaces the chase by its own check on its date.
    await app.call('promises:create', { caseId: s.caseId, amountCents: 20_000, dueOn: '2026-12-05' })
    expect(await promiseReason(s.caseId)).toBeUndefined()
  })
})
