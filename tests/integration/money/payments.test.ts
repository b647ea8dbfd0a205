import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { formatCents } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { JournalEntryEntity } from '../../../src-main/modules/journal/journal-entry.entity'
import { PaymentEntity } from '../../../src-main/modules/money/payment.entity'
import { PromiseEntity } from '../../../src-main/modules/plans/plan.entities'
import { log } from '../../../src-main/platform/log'
import { TEST_NOW, openTempApp } from '../helpers/temp-app'
import { COMPANY, countRows, refusal, seedCase } from './fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

/** Two due invoices without interest, and one not yet due. */
function threeInvoices() {
  return seedCase(app, {
    claims: [
      { invoiceNumber: 'A', principalCents: 30_000, dueOn: '2025-01-10' },
      { invoiceNumber: 'B', principalCents: 50_000, dueOn: '2025-02-10' },
      { invoiceNumber: 'C', principalCents: 20_000, dueOn: '2027-01-01' }
    ]
  })
}

const pay = (caseId: string, amountCents: number, extra: Record<string, unknown> = {}) =>
  app.call('money:record-payment', {
    caseId,
    receivedOn: '2025-03-01',
    amountCents,
    method: 'transfer',
    receivedBy: 'agency',
    ...extra
  })

describe('money:record-payment', () => {
  it('allocates by law (due claims first, then the oldest), updates the case summary and writes the journal', async () => {
    const seeded = await threeInvoices()
    const [a, b] = seeded.claimIds
    const result = await pay(seeded.caseId, 60_000, { reference: 'VIR-123' })
    // No interest on any claim: A (oldest due) is paid in full, then B; C is not due yet.
    expect(result.payment.allocations.map((l) => [l.invoiceNumber, l.component, l.amountCents])).toEqual([
      ['A', 'principal', 30_000],
      ['B', 'principal', 30_000]
    ])
    // Summary: principal 1 000 €, paid 600 €, balance 400 €; oldest unpaid due date is B's.
    expect(result.caseSummary).toEqual({
      principalCents: 100_000,
      paidCents: 60_000,
      balanceCents: 40_000,
      oldestDueOn: '2025-02-10'
    })
    const summary = await app.call('cases:get-summary', { id: seeded.caseId })
    expect(summary).toMatchObject({ paidCents: 60_000, balanceCents: 40_000, oldestDueOn: '2025-02-10' })

    const entries = await app.db.read((m) => m.find(JournalEntryEntity, { where: { relatedId: result.payment.id } }))
    expect(entries).toHaveLength(1)
    expect(entries[0]!.kind).toBe('payment')
    expect(entries[0]!.summary).toBe(`Paiement reçu le 01/03/2025 : ${formatCents(60_000)} (Virement, cabinet)`)
    const details = JSON.parse(entries[0]!.details!)
    expect(details).toMatchObject({
      paymentId: result.payment.id,
      amountCents: 60_000,
      manual: false,
      reference: 'VIR-123'
    })
    expect(details.allocation).toEqual([
      { claimId: a, component: 'principal', amountCents: 30_000, invoiceNumber: 'A' },
      { claimId: b, component: 'principal', amountCents: 30_000, invoiceNumber: 'B' }
    ])
    expect(result.payment.collectedOn).toBe('2025-03-01')
  })

  it('honours a designation that settles the claim, records but overrides one that does not', async () => {
    const seeded = await seedCase(app, {
      claims: [
        { invoiceNumber: 'A', principalCents: 30_000, dueOn: '2025-01-10' },
        { invoiceNumber: 'B', principalCents: 20_000, dueOn: '2025-02-10' }
      ]
    })
    const [a, b] = seeded.claimIds
    // 100 € "for B" does not settle B (200 €): the legal order applies, A (oldest) is paid.
    const partial = await pay(seeded.caseId, 10_000, { designatedClaimId: b })
    expect(partial.designation).toEqual({ claimId: b, honoured: false, reason: 'does_not_settle_claim_in_full' })
    expect(partial.payment.allocations.map((l) => [l.claimId, l.amountCents])).toEqual([[a, 10_000]])
    // 200 € "for B" settles B: honoured.
    const full = await pay(seeded.caseId, 20_000, { designatedClaimId: b })
    expect(full.designation).toEqual({ claimId: b, honoured: true })
    expect(full.payment.allocations.map((l) => [l.claimId, l.amountCents])).toEqual([[b, 20_000]])
    expect(full.caseSummary).toMatchObject({ balanceCents: 20_000, oldestDueOn: '2025-01-10' })
  })

  it('leaves an overpayment as a credit for the debtor', async () => {
    const seeded = await seedCase(app, { claims: [{ principalCents: 10_000, dueOn: '2025-01-10' }] })
    const result = await pay(seeded.caseId, 12_500)
    expect(result.payment.allocations.map((l) => l.amountCents)).toEqual([10_000])
    expect(result.payment.unallocatedCents).toBe(2_500)
    expect(result.caseSummary).toEqual({
      principalCents: 10_000,
      paidCents: 12_500,
      balanceCents: 0,
      oldestDueOn: null
    })
  })

  it('stores a manual allocation with its reason', async () => {
    const seeded = await seedCase(app, {
      claims: [
        { invoiceNumber: 'A', principalCents: 30_000, dueOn: '2025-01-10' },
        { invoiceNumber: 'B', principalCents: 20_000, dueOn: '2025-02-10' }
      ]
    })
    const [a, b] = seeded.claimIds
    const reason = 'Accord écrit du créancier : le débiteur solde d’abord la facture B'
    const result = await pay(seeded.caseId, 20_000, {
      manualAllocation: {
        lines: [
          { claimId: b!, component: 'principal', amountCents: 15_000 },
          { claimId: a!, component: 'principal', amountCents: 5_000 }
        ],
        reason
      }
    })
    expect(result.payment.allocations).toEqual([
      { claimId: b, invoiceNumber: 'B', component: 'principal', amountCents: 15_000, manual: true, reason },
      { claimId: a, invoiceNumber: 'A', component: 'principal', amountCents: 5_000, manual: true, reason }
    ])
    const statement = await app.call('money:statement', { caseId: seeded.caseId, at: '2025-06-30' })
    expect(statement.payments[0]).toMatchObject({ allocationSource: 'stored', manual: true, manualReason: reason })
    expect(statement.claims.map((c) => c.balance.totalCents)).toEqual([25_000, 5_000])
  })

  it('refuses a manual allocation that does not place the payment exactly, in French', async () => {
    const seeded = await seedCase(app, {
      claims: [
        { invoiceNumber: 'A', principalCents: 30_000, dueOn: '2025-01-10' },
        { invoiceNumber: 'B', principalCents: 20_000, dueOn: '2025-02-10' }
      ]
    })
    const [a, b] = seeded.claimIds
    const paymentsBefore = await countRows(app, 'payment')
    const manual = (lines: Array<[string, number]>) => ({
      caseId: seeded.caseId,
      receivedOn: '2025-03-01',
      amountCents: 25_000,
      method: 'cheque' as const,
      receivedBy: 'agency' as const,
      manualAllocation: {
        lines: lines.map(([claimId, amountCents]) => ({ claimId, component: 'principal' as const, amountCents })),
        reason: 'Test'
      }
    })
    expect(await refusal(app, 'money:record-payment', manual([[b!, 25_000]]))).toEqual({
      code: 'BUSINESS_RULE',
      message: `Imputation manuelle refusée : ${formatCents(25_000)} sur « Principal » de la facture B, alors que ${formatCents(20_000)} seulement restent dus au 01/03/2025`
    })
    expect(
      await refusal(
        app,
        'money:record-payment',
        manual([
          [a!, 15_000],
          [b!, 15_000]
        ])
      )
    ).toEqual({
      code: 'BUSINESS_RULE',
      message: `Imputation manuelle refusée : les lignes totalisent ${formatCents(30_000)} pour un paiement de ${formatCents(25_000)}`
    })
    expect(await refusal(app, 'money:record-payment', manual([[a!, 10_000]]))).toEqual({
      code: 'BUSINESS_RULE',
      message: `Imputation manuelle refusée : ${formatCents(15_000)} ne sont pas imputés alors qu’il reste ${formatCents(40_000)} dus. Répartissez tout le paiement.`
    })
    const both = await refusal(app, 'money:record-payment', { ...manual([[a!, 25_000]]), designatedClaimId: b! })
    expect(both.code).toBe('VALIDATION')
    expect(both.message).toContain('ne peuvent pas être combinées')
    expect(await countRows(app, 'payment')).toBe(paymentsBefore)
  })

  it('refuses bad amounts, future dates and claims of another case', async () => {
    const seeded = await threeInvoices()
    const other = await threeInvoices()
    const zero = await refusal(app, 'money:record-payment', {
      caseId: seeded.caseId,
      receivedOn: '2025-03-01',
      amountCents: 0,
      method: 'cash',
      receivedBy: 'agency'
    })
    expect(zero.code).toBe('VALIDATION')
    expect(zero.message).toContain('Le montant doit être supérieur à 0')
    const float = await refusal(app, 'money:record-payment', {
      caseId: seeded.caseId,
      receivedOn: '2025-03-01',
      amountCents: 10.5,
      method: 'cash',
      receivedBy: 'agency'
    })
    expect(float.message).toContain('centimes entiers')
    expect(
      await refusal(app, 'money:record-payment', {
        caseId: seeded.caseId,
        receivedOn: '2026-11-24', // the test clock is 2026-11-23
        amountCents: 100,
        method: 'cash',
        receivedBy: 'agency'
      })
    ).toEqual({ code: 'BUSINESS_RULE', message: 'La date de réception ne peut pas être postérieure à aujourd’hui.' })
    expect(
      await refusal(app, 'money:record-payment', {
        caseId: seeded.caseId,
        receivedOn: '2025-03-01',
        amountCents: 100,
        method: 'cash',
        receivedBy: 'agency',
        designatedClaimId: other.claimIds[0]!
      })
    ).toEqual({ code: 'BUSINESS_RULE', message: 'La créance désignée n’appartient pas à ce dossier.' })
    const early = await refusal(app, 'money:record-payment', {
      caseId: seeded.caseId,
      receivedOn: '2025-03-01',
      collectedOn: '2025-02-28',
      amountCents: 100,
      method: 'cheque',
      receivedBy: 'agency'
    })
    expect(early.message).toContain('La date d’encaissement ne peut pas précéder la date de réception')
  })

  it('stores the legal allocation of an older payment that had none (imported), before the new one', async () => {
    const seeded = await seedCase(app, {
      claims: [
        { invoiceNumber: 'A', principalCents: 30_000, dueOn: '2025-01-10' },
        { invoiceNumber: 'B', principalCents: 20_000, dueOn: '2025-02-10' }
      ]
    })
    const legacyId = await insertLegacyPayment(seeded.caseId, '2025-02-15', 35_000)
    const before = await app.call('money:statement', { caseId: seeded.caseId, at: '2025-06-30' })
    expect(before.payments[0]).toMatchObject({ paymentId: legacyId, allocationSource: 'computed' })
    const result = await pay(seeded.caseId, 5_000)
    expect(result.backfilledPaymentIds).toEqual([legacyId])
    // Legacy 350 €: A 300, B 50; the new 50 €: B.
    expect(result.payment.allocations.map((l) => [l.invoiceNumber, l.amountCents])).toEqual([['B', 5_000]])
    const after = await app.call('money:statement', { caseId: seeded.caseId, at: '2025-06-30' })
    expect(after.payments.map((p) => [p.allocationSource, p.lines.map((l) => l.amountCents)])).toEqual([
      ['stored', [30_000, 5_000]],
      ['stored', [5_000]]
    ])
    expect(after.totals.balanceCents).toBe(10_000)
  })
})

describe('money:reverse-payment', () => {
  it('cancels a bounced cheque by a linked negative payment: interest runs as if it was never paid', async () => {
    const seeded = await seedCase(app, {
      creditor: COMPANY,
      debtor: COMPANY,
      claims: [{ principalCents: 100_000, dueOn: '2024-03-31', interestBasis: 'b2b_penalty', indemnityApplies: true }]
    })
    const paid = await app.call('money:record-payment', {
      caseId: seeded.caseId,
      receivedOn: '2024-06-01',
      amountCents: 50_000,
      method: 'cheque',
      reference: 'CHQ 0012345',
      receivedBy: 'agency'
    })
    const reversed = await app.call('money:reverse-payment', {
      paymentId: paid.payment.id,
      reversedOn: '2024-06-20',
      reason: 'Chèque impayé (provision insuffisante)'
    })
    expect(reversed.reversal).toMatchObject({
      amountCents: -50_000,
      receivedOn: '2024-06-20',
      collectedOn: '2024-06-20',
      reversesPaymentId: paid.payment.id,
      method: 'cheque',
      unallocatedCents: 0
    })
    expect(reversed.reversal.allocations.map((l) => [l.component, l.amountCents])).toEqual([
      ['interest', -2417],
      ['indemnity', -4000],
      ['principal', -43_583]
    ])
    expect(reversed.caseSummary).toMatchObject({ paidCents: 0, balanceCents: 100_000 })

    const s = await app.call('money:statement', { caseId: seeded.caseId, at: '2024-09-01' })
    // On 1 000 € throughout: [04-01, 06-01) 61 d 14.50 % / 366 → 24.17; [06-01, 07-01) 30 d → 11.885 → 11.89;
    // [07-01, 09-01) 62 d at 14.25 % → 24.139 → 24.14. Total 60.20 €, plus 1 000 € and the 40 € indemnity.
    expect(s.claims[0]!.interestPieces.map((p) => [p.from, p.principalCents, p.amountCents])).toEqual([
      ['2024-04-01', 100_000, 2417],
      ['2024-06-01', 100_000, 1189],
      ['2024-07-01', 100_000, 2414]
    ])
    expect(s.totals).toMatchObject({ paidCents: 0, balanceCents: 110_020, unallocatedCents: 0 })
    expect(s.payments[1]).toMatchObject({
      paidOn: '2024-06-01',
      receivedOn: '2024-06-20',
      reversesPaymentId: paid.payment.id
    })
    // A bounced payment does not interrupt prescription: back to the due date + 5 years.
    expect(s.claims[0]!.prescription.runningFrom).toBe('2024-03-31')

    const listed = await app.call('money:list-payments', { caseId: seeded.caseId })
    expect(listed.map((p) => [p.amountCents, p.reversedByPaymentId, p.reversesPaymentId])).toEqual([
      [50_000, reversed.reversal.id, null],
      [-50_000, null, paid.payment.id]
    ])
    const journal = await app.db.read((m) => m.find(JournalEntryEntity, { where: { relatedId: reversed.reversal.id } }))
    expect(journal[0]!.summary).toBe(
      `Paiement du 01/06/2024 de ${formatCents(50_000)} annulé le 20/06/2024 : Chèque impayé (provision insuffisante)`
    )

    expect(
      await refusal(app, 'money:reverse-payment', {
        paymentId: paid.payment.id,
        reversedOn: '2024-06-21',
        reason: 'Encore'
      })
    ).toEqual({ code: 'CONFLICT', message: 'Ce paiement a déjà été annulé le 20/06/2024.' })
    expect(
      await refusal(app, 'money:reverse-payment', {
        paymentId: reversed.reversal.id,
        reversedOn: '2024-06-21',
        reason: 'Erreur'
      })
    ).toEqual({
      code: 'BUSINESS_RULE',
      message: 'Cette ligne est déjà une annulation : elle ne peut pas être annulée à son tour.'
    })
  })

  it('refuses a reversal dated before the payment', async () => {
    const seeded = await threeInvoices()
    const paid = await pay(seeded.caseId, 1_000)
    expect(
      await refusal(app, 'money:reverse-payment', {
        paymentId: paid.payment.id,
        reversedOn: '2025-02-01',
        reason: 'Rejet'
      })
    ).toEqual({
      code: 'BUSINESS_RULE',
      message: 'L’annulation ne peut pas précéder la réception du paiement (01/03/2025).'
    })
  })
})

describe('one transaction', () => {
  it('a step failing at the end (the journal) leaves nothing: no payment, allocation, summary or promise change', async () => {
    const seeded = await threeInvoices()
    // An imported payment without allocation: the write would first store its allocation.
    await insertLegacyPayment(seeded.caseId, '2025-02-15', 1_000)
    const promiseId = uuid7()
    await app.db.write((m) =>
      m.insert(PromiseEntity, {
        id: promiseId,
        createdAt: TEST_NOW,
        createdBy: null,
        updatedAt: TEST_NOW,
        updatedBy: null,
        version: 1,
        caseId: seeded.caseId,
        amountCents: 5_000,
        dueOn: '2025-03-05',
        madeOn: '2025-02-20',
        status: 'pending',
        journalEntryId: null
      })
    )
    const tables = ['payment', 'allocation', 'journal_entry']
    const before = await Promise.all(tables.map((t) => countRows(app, t)))
    const summaryBefore = await app.call('cases:get-summary', { id: seeded.caseId })

    // The last step of the write fails: the journal refuses payment entries.
    const pg = app.db.dialect === 'postgres'
    await app.db.write(async (m) => {
      if (!pg) {
        await m.query(
          `CREATE TRIGGER test_fail_journal BEFORE INSERT ON journal_entry WHEN NEW.kind = 'payment' BEGIN SELECT RAISE(ABORT, 'journal unavailable'); END`
        )
        return
      }
      await m.query(`CREATE FUNCTION test_fail_journal() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN IF NEW.kind = 'payment' THEN RAISE EXCEPTION 'journal unavailable'; END IF; RETURN NEW; END $fn$`)
      await m.query(
        'CREATE TRIGGER test_fail_journal BEFORE INSERT ON journal_entry FOR EACH ROW EXECUTE FUNCTION test_fail_journal()'
      )
    })
    const logged = vi.spyOn(log, 'error').mockImplementation(() => undefined)
    try {
      const error = await refusal(app, 'money:record-payment', {
        caseId: seeded.caseId,
        receivedOn: '2025-03-01',
        amountCents: 5_000,
        method: 'transfer',
        receivedBy: 'agency'
      })
      expect(error).toEqual({
        code: 'INTERNAL',
        message: 'Une erreur interne est survenue. L’opération n’a pas été enregistrée.'
      })
      // The cause is in the log (English, for support), not in the user's message.
      expect(String(logged.mock.calls[0]?.[1])).toContain('journal unavailable')
    } finally {
      logged.mockRestore()
      await app.db.write((m) =>
        m.query(pg ? 'DROP TRIGGER test_fail_journal ON journal_entry' : 'DROP TRIGGER test_fail_journal')
      )
    }

    expect(await Promise.all(tables.map((t) => countRows(app, t)))).toEqual(before)
    expect(await app.call('cases:get-summary', { id: seeded.caseId })).toEqual(summaryBefore)
    const promise = await app.db.read((m) => m.findOneByOrFail(PromiseEntity, { id: promiseId }))
    expect(promise).toMatchObject({ status: 'pending', version: 1 })

    // The same payment goes through once the journal works: the promise is kept by it.
    const result = await pay(seeded.caseId, 5_000)
    expect(result.promises.find((p) => p.id === promiseId)).toMatchObject({ status: 'kept', paidCents: 5_000 })
    expect(await countRows(app, 'payment')).toBe(before[0]! + 1)
  })
})

/** A payment as an import (or the demo) may leave it: no allocation rows. */
async function insertLegacyPayment(caseId: string, receivedOn: string, amountCents: number): Promise<string> {
  const id = uuid7()
  await app.db.write((m) =>
    m.insert(PaymentEntity, {
      id,
      createdAt: TEST_NOW,
      createdBy: null,
      caseId,
      receivedOn,
      amountCents,
      method: 'transfer',
      reference: null,
      receivedBy: 'agency',
      collectedOn: receivedOn,
      reversesPaymentId: null,
      note: 'Import'
    })
  )
  return id
}
