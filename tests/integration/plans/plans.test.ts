import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatCents } from '@shared/format/french'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { JournalEntryEntity } from '../../../src-main/modules/journal/journal-entry.entity'
import { SettingEntity } from '../../../src-main/modules/settings/setting.entity'
import { TEST_NOW, openTempApp } from '../helpers/temp-app'
import { refusal, seedCase } from '../money/fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

// The test clock says today is 2026-11-23. Claims bear no interest here, so balances are plain.
const oneInvoice = (principalCents: number) =>
  seedCase(app, { claims: [{ invoiceNumber: 'F-1', principalCents, dueOn: '2026-01-15' }] })

const pay = (caseId: string, receivedOn: string, amountCents: number) =>
  app.call('money:record-payment', { caseId, receivedOn, amountCents, method: 'transfer', receivedBy: 'agency' })

async function setSetting(key: string, value: unknown | null): Promise<void> {
  await app.db.write(async (m) => {
    if (value === null) await m.delete(SettingEntity, { key })
    else await m.save(SettingEntity, { key, value: JSON.stringify(value), updatedAt: TEST_NOW, updatedBy: null })
  })
}

describe('plans:simulate', () => {
  it('schedules the balance and compares the installment with the debtor’s capacity', async () => {
    const seeded = await oneInvoice(120_000)
    const sim = await app.call('plans:simulate', {
      caseId: seeded.caseId,
      interestMode: 'frozen',
      sizing: { installmentCount: 12 },
      frequency: 'monthly',
      firstDueDate: '2026-12-05',
      capacityCents: 9_000
    })
    // 1 200 € in 12 monthly installments of 100 €, from 2026-12-05 to 2027-11-05.
    expect(sim).toMatchObject({ at: '2026-11-23', statementBalanceCents: 120_000, balanceCents: 120_000 })
    expect(sim.schedule.installments).toHaveLength(12)
    expect(new Set(sim.schedule.installments.map((i) => i.amountCents))).toEqual(new Set([10_000]))
    expect(sim.schedule).toMatchObject({ totalCents: 120_000, endDate: '2027-11-05', exceeds24Months: false })
    // 100 € a month against a capacity of 90 €: warned.
    expect(sim.capacity).toEqual({ capacityCents: 9_000, monthlyEquivalentCents: 10_000, withinCapacity: false })
    expect(sim.warnings.map((w) => w.code)).toEqual(['above_capacity'])
    expect(sim.warnings[0]!.message).toBe(
      `L’échéance représente ${formatCents(10_000)} par mois, au-delà de la capacité de remboursement du débiteur (${formatCents(9_000)} par mois).`
    )
  })

  it('sizes by amount after a down payment, brings weekly installments to a month, warns past 24 months', async () => {
    const seeded = await oneInvoice(120_000)
    const byAmount = await app.call('plans:simulate', {
      caseId: seeded.caseId,
      interestMode: 'running',
      downPaymentCents: 20_000,
      sizing: { installmentAmountCents: 30_000 },
      frequency: 'monthly',
      firstDueDate: '2026-12-01',
      capacityCents: null
    })
    // 1 000 € after the 200 € down payment: 300 + 300 + 300 + 100.
    expect(byAmount.schedule.downPayment).toEqual({ dueDate: '2026-11-23', amountCents: 20_000 })
    expect(byAmount.schedule.installments.map((i) => i.amountCents)).toEqual([30_000, 30_000, 30_000, 10_000])
    expect(byAmount.capacity).toBeNull()
    expect(byAmount.warnings.map((w) => w.code)).toEqual(['running_interest'])

    const weekly = await app.call('plans:simulate', {
      caseId: seeded.caseId,
      interestMode: 'frozen',
      sizing: { installmentAmountCents: 2_500 },
      frequency: 'weekly',
      firstDueDate: '2026-11-30',
      capacityCents: 12_000
    })
    // 48 weeks of 25 €; a month holds 52/12 weeks: 25 × 52 / 12 = 108.333 → 108.33 €, within 120 €.
    expect(weekly.schedule.installments).toHaveLength(48)
    expect(weekly.capacity).toEqual({ capacityCents: 12_000, monthlyEquivalentCents: 10_833, withinCapacity: true })

    const long = await app.call('plans:simulate', {
      caseId: seeded.caseId,
      interestMode: 'frozen',
      sizing: { installmentCount: 30 },
      frequency: 'monthly',
      firstDueDate: '2026-12-05'
    })
    expect(long.schedule.endDate).toBe('2029-05-05')
    expect(long.warnings.map((w) => w.code)).toEqual(['exceeds_24_months'])
  })

  it('refuses impossible terms in French', async () => {
    const seeded = await oneInvoice(120_000)
    const base = {
      caseId: seeded.caseId,
      interestMode: 'frozen' as const,
      sizing: { installmentCount: 4 },
      frequency: 'monthly' as const,
      firstDueDate: '2026-12-05'
    }
    expect(await refusal(app, 'plans:simulate', { ...base, downPaymentCents: 130_000 })).toEqual({
      code: 'BUSINESS_RULE',
      message: `L’acompte (${formatCents(130_000)}) dépasse le solde à régler (${formatCents(120_000)}).`
    })
    expect(await refusal(app, 'plans:simulate', { ...base, firstDueDate: '2026-11-01' })).toEqual({
      code: 'BUSINESS_RULE',
      message: 'La première échéance (01/11/2026) ne peut pas précéder la date de l’accord (23/11/2026).'
    })
    expect((await refusal(app, 'plans:simulate', { ...base, sizing: { installmentCount: 5000 } })).code).toBe(
      'VALIDATION'
    )
    const paidOff = await oneInvoice(10_000)
    await pay(paidOff.caseId, '2026-11-01', 10_000)
    expect(await refusal(app, 'plans:simulate', { ...base, caseId: paidOff.caseId })).toEqual({
      code: 'BUSINESS_RULE',
      message: 'Le solde exigible de ce dossier est nul : il n’y a rien à échelonner.'
    })
  })
})

describe('plans:accept and the follow-up of installments', () => {
  it('creates the plan, its installments and a journal entry; payments fill the installments in order', async () => {
    const seeded = await oneInvoice(120_000)
    const terms = {
      caseId: seeded.caseId,
      at: '2026-09-01',
      interestMode: 'frozen' as const,
      downPaymentCents: 20_000,
      sizing: { installmentCount: 10 },
      frequency: 'monthly' as const,
      firstDueDate: '2026-09-15'
    }
    const { plan } = await app.call('plans:accept', terms)
    expect(plan).toMatchObject({
      status: 'active',
      totalCents: 120_000,
      downPaymentCents: 20_000,
      installmentCount: 10,
      agreedOn: '2026-09-01',
      interestMode: 'frozen',
      paidCents: 0
    })
    // Today (2026-11-23) the installments of 15 Sept and 15 Oct are more than 15 days late.
    expect(plan.installments.slice(0, 4).map((i) => [i.dueOn, i.amountCents, i.status])).toEqual([
      ['2026-09-15', 10_000, 'missed'],
      ['2026-10-15', 10_000, 'missed'],
      ['2026-11-15', 10_000, 'due'],
      ['2026-12-15', 10_000, 'due']
    ])
    expect(plan).toMatchObject({ overdueCount: 2, defaultCandidate: true })

    const entries = await app.db.read((m) => m.find(JournalEntryEntity, { where: { relatedId: plan.id } }))
    expect(entries.map((e) => e.kind)).toEqual(['plan'])
    expect(entries[0]!.summary).toBe(
      `Échéancier accepté : ${formatCents(120_000)} en un acompte de ${formatCents(20_000)} et 10 échéance(s) mensuelle(s) de ${formatCents(10_000)} du 15/09/2026 au 15/06/2027 — intérêts gelés`
    )

    // Down payment, then 150 € (installment 1 and half of 2), then 50 €.
    await pay(seeded.caseId, '2026-09-01', 20_000)
    const second = await pay(seeded.caseId, '2026-09-14', 15_000)
    expect(second.plan!.installments.slice(0, 2).map((i) => [i.paidCents, i.status])).toEqual([
      [10_000, 'paid'],
      [5_000, 'partial']
    ])
    expect(second.changedInstallments.map((i) => i.sequence)).toEqual([1, 2])
    const third = await pay(seeded.caseId, '2026-10-14', 5_000)
    expect(third.plan).toMatchObject({
      paidCents: 40_000,
      remainingCents: 80_000,
      overdueCount: 0,
      defaultCandidate: false
    })

    const listed = await app.call('plans:list', { caseId: seeded.caseId })
    expect(listed).toHaveLength(1)
    expect(listed[0]!.installments.map((i) => i.status).slice(0, 3)).toEqual(['paid', 'paid', 'due'])

    expect(await refusal(app, 'plans:accept', { ...terms, at: '2026-11-23', firstDueDate: '2026-12-01' })).toEqual({
      code: 'BUSINESS_RULE',
      message:
        'Un échéancier est déjà en cours sur ce dossier (accepté le 01/09/2026) : ' +
        'il doit être terminé ou sa déchéance prononcée avant d’en accepter un autre.'
    })

    expect(await refusal(app, 'plans:accept', { ...terms, at: '2026-11-24', firstDueDate: '2026-12-01' })).toEqual({
      code: 'BUSINESS_RULE',
      message: 'Un échéancier ne peut pas être accepté à une date future.'
    })

    // The daily check: on 1 December the 15 November installment is 16 days late.
    await setSetting('plans.defaultGraceDays', 20)
    const lenient = await app.call('plans:detect-defaults', { at: '2026-12-01' })
    expect(lenient.graceDays).toBe(20)
    expect(lenient.candidates.find((c) => c.planId === plan.id)).toBeUndefined()
    await setSetting('plans.defaultGraceDays', null)
    const strict = await app.call('plans:detect-defaults', { at: '2026-12-01' })
    expect(strict.graceDays).toBe(15)
    const candidate = strict.candidates.find((c) => c.planId === plan.id)!
    expect(candidate).toMatchObject({
      caseReference: seeded.reference,
      overdueCents: 10_000,
      oldestOverdueOn: '2026-11-15'
    })
    expect(candidate.overdueInstallments.map((i) => [i.sequence, i.status])).toEqual([[3, 'missed']])
    // Today it is not late yet: no acceleration.
    expect(await refusal(app, 'plans:accelerate', { planId: plan.id, reason: 'Impayé' })).toEqual({
      code: 'BUSINESS_RULE',
      message:
        'Aucune échéance n’est impayée depuis plus de 15 jours au 23/11/2026 : la déchéance du terme ne peut pas être prononcée.'
    })
  })

  it('pronounces the acceleration (déchéance du terme) on a plan in default', async () => {
    const seeded = await oneInvoice(60_000)
    const { plan } = await app.call('plans:accept', {
      caseId: seeded.caseId,
      at: '2026-06-01',
      interestMode: 'frozen',
      sizing: { installmentCount: 6 },
      frequency: 'monthly',
      firstDueDate: '2026-06-15'
    })
    await pay(seeded.caseId, '2026-06-15', 10_000)
    const accelerated = await app.call('plans:accelerate', {
      planId: plan.id,
      reason: 'Deux échéances impayées malgré relance'
    })
    expect(accelerated).toMatchObject({
      status: 'defaulted',
      endedOn: '2026-11-23',
      paidCents: 10_000,
      remainingCents: 50_000
    })
    const entries = await app.db.read((m) =>
      m.find(JournalEntryEntity, { where: { relatedId: plan.id }, order: { createdAt: 'ASC' } })
    )
    expect(entries.map((e) => e.kind)).toEqual(['plan', 'plan'])
    expect(entries[1]!.summary).toBe(
      `Déchéance du terme prononcée le 23/11/2026 : 4 échéance(s) impayée(s), solde de l’échéancier de ${formatCents(50_000)} exigible immédiatement. Motif : Deux échéances impayées malgré relance`
    )
    expect(JSON.parse(entries[1]!.details!)).toMatchObject({ action: 'acceleration', remainingCents: 50_000 })
    expect(await refusal(app, 'plans:accelerate', { planId: plan.id, reason: 'Encore' })).toEqual({
      code: 'BUSINESS_RULE',
      message: 'Seul un échéancier en cours peut faire l’objet d’une déchéance du terme (statut : défaillant).'
    })
    // A new plan may now be agreed.
    const next = await app.call('plans:accept', {
      caseId: seeded.caseId,
      interestMode: 'running',
      sizing: { installmentCount: 5 },
      frequency: 'monthly',
      firstDueDate: '2026-12-10'
    })
    expect(next.plan).toMatchObject({ status: 'active', totalCents: 50_000 })
    expect((await app.call('plans:list', { caseId: seeded.caseId })).map((p) => p.status)).toEqual([
      'active',
      'defaulted'
    ])
  })

  it('completes when the last cent arrives and re-opens when that payment is reversed', async () => {
    const seeded = await oneInvoice(30_000)
    const { plan } = await app.call('plans:accept', {
      caseId: seeded.caseId,
      at: '2026-10-01',
      interestMode: 'frozen',
      sizing: { installmentCount: 3 },
      frequency: 'weekly',
      firstDueDate: '2026-10-05'
    })
    const paid = await pay(seeded.caseId, '2026-10-20', 30_000)
    expect(paid.plan).toMatchObject({ id: plan.id, status: 'completed', endedOn: '2026-10-20', remainingCents: 0 })
    const reversed = await app.call('money:reverse-payment', {
      paymentId: paid.payment.id,
      reversedOn: '2026-10-25',
      reason: 'Rejet du virement'
    })
    expect(reversed.plan).toMatchObject({ id: plan.id, status: 'active', endedOn: null, paidCents: 0 })
    expect(reversed.plan!.installments.map((i) => i.status)).toEqual(['missed', 'missed', 'missed'])
  })

  it('answers NOT_FOUND for an unknown plan or case', async () => {
    expect(
      await refusal(app, 'plans:accelerate', { planId: '0192f000-0000-7000-8000-000000000000', reason: 'Test' })
    ).toEqual({ code: 'NOT_FOUND', message: 'Échéancier introuvable.' })
    expect(await refusal(app, 'plans:list', { caseId: '0192f000-0000-7000-8000-000000000000' })).toEqual({
      code: 'NOT_FOUND',
      message: 'Dossier introuvable.'
    })
  })
})
