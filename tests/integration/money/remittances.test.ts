import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { refusal, seedCase, seedClient, seedMandate, type SeededCase } from './fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>
let clientId: string
let case15: SeededCase
let case10: SeededCase
const ids: Record<string, string> = {}

const pay = (
  key: string,
  seeded: SeededCase,
  receivedOn: string,
  amountCents: number,
  receivedBy: 'agency' | 'client',
  collectedOn?: string
) =>
  app
    .call('money:record-payment', {
      caseId: seeded.caseId,
      receivedOn,
      amountCents,
      method: 'cheque',
      receivedBy,
      ...(collectedOn && { collectedOn })
    })
    .then((r) => {
      ids[key] = r.payment.id
      return r
    })

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
  // One client, two mandates: 15 % with the legal month (30 days), 10 % with 15 days.
  const client = await seedClient(app, {
    name: 'BOULANGERIE MARTIN SAS',
    commissionRateBp: 1500,
    remittanceDelayDays: 30
  })
  clientId = client.clientId
  const mandate10 = await seedMandate(app, clientId, 1000, 15)
  const claims = [{ principalCents: 500_000, dueOn: '2026-01-15' }]
  case15 = await seedCase(app, { client, claims })
  case10 = await seedCase(app, { client: { clientId, mandateId: mandate10 }, claims })
  await pay('P0', case15, '2026-09-10', 10_000, 'agency') // September: before the period
  await pay('P1', case15, '2026-10-03', 100_000, 'agency', '2026-10-05') // cheque cashed two days later
  await pay('P2', case15, '2026-10-20', 33_370, 'agency')
  await pay('P3', case15, '2026-10-12', 20_010, 'client') // paid directly to the client
  await pay('P4', case10, '2026-10-25', 50_000, 'agency')
  await pay('P5', case10, '2026-11-02', 10_000, 'agency') // November
})
afterAll(() => dispose())

describe('remittances (reversements, CPCE R124-6)', () => {
  it('preview: collections of the period, commission per mandate, VAT, net and deadline', async () => {
    const preview = await app.call('remittances:preview', { clientId, from: '2026-10-01', to: '2026-10-31' })
    // Line by line, by collection date; commission rounded half-up per line:
    //   P1 1 000,00 × 15 % = 150,00           due 05/10 + 30 d = 04/11
    //   P3   200,10 × 15 % =  30,015 → 30,02  (received by the client: commission still due) due 11/11
    //   P2   333,70 × 15 % =  50,055 → 50,06  due 19/11
    //   P4   500,00 × 10 % =  50,00           due 25/10 + 15 d = 09/11
    expect(
      preview.lines.map((l) => [
        l.paymentId,
        l.receivedBy,
        l.amountCents,
        l.commissionRateBp,
        l.commissionCents,
        l.dueOn,
        l.late
      ])
    ).toEqual([
      [ids.P1, 'agency', 100_000, 1500, 15_000, '2026-11-04', true],
      [ids.P3, 'client', 20_010, 1500, 3_002, '2026-11-11', false],
      [ids.P2, 'agency', 33_370, 1500, 5_006, '2026-11-19', true],
      [ids.P4, 'agency', 50_000, 1000, 5_000, '2026-11-09', true]
    ])
    // Commission 280,08 €; VAT 20 % = 56,016 → 56,02 €; collected by the agency 1 833,70 €;
    // net = 1 833,70 − 280,08 − 56,02 = 1 497,60 €, due on the earliest deadline (04/11).
    expect(preview.totals).toEqual({
      agencyCollectedCents: 183_370,
      clientCollectedCents: 20_010,
      commissionCents: 28_008,
      vatRateBp: 2000,
      vatCents: 5_602,
      netCents: 149_760,
      toRemitCents: 149_760,
      dueByClientCents: 0
    })
    expect(preview.dueOn).toBe('2026-11-04')
    expect(preview.clientName).toBe('BOULANGERIE MARTIN SAS')
    expect(preview.earlierUnremitted).toEqual({ count: 1, amountCents: 10_000, oldestCollectedOn: '2026-09-10' })
  })

  it('alerts on collected funds near or past their deadline', async () => {
    const list = await app.call('remittances:list', { clientId })
    // Not remitted: P0 (due 10/10, late), P1..P5; the earliest deadline decides.
    expect(list.alerts).toEqual([
      {
        clientId,
        clientName: 'BOULANGERIE MARTIN SAS',
        paymentCount: 5,
        amountCents: 10_000 + 100_000 + 33_370 + 50_000 + 10_000,
        earliestDueOn: '2026-10-10',
        late: true
      }
    ])
    expect(list.alertWindowDays).toBe(7)
  })

  it('create saves the statement once; mark-paid records the transfer', async () => {
    const created = await app.call('remittances:create', { clientId, from: '2026-10-01', to: '2026-10-31' })
    expect(created).toMatchObject({
      reference: 'REV-2026-00001',
      status: 'pending',
      dueOn: '2026-11-04',
      late: true,
      paidOn: null,
      totals: { netCents: 149_760, vatCents: 5_602, commissionCents: 28_008 }
    })
    expect(created.lines.map((l) => l.paymentId)).toEqual([ids.P1, ids.P3, ids.P2, ids.P4])
    expect(created.lines[0]).toMatchObject({
      caseReference: case15.reference,
      method: 'cheque',
      receivedOn: '2026-10-03'
    })

    // The same period again: those payments are remitted already.
    expect(await refusal(app, 'remittances:create', { clientId, from: '2026-10-01', to: '2026-10-31' })).toEqual({
      code: 'BUSINESS_RULE',
      message: 'Aucun encaissement à reverser pour BOULANGERIE MARTIN SAS entre le 01/10/2026 et le 31/10/2026.'
    })
    const payments = await app.call('money:list-payments', { caseId: case15.caseId })
    expect(payments.find((p) => p.id === ids.P1)!.remittance).toEqual({ id: created.id, reference: 'REV-2026-00001' })

    expect(await refusal(app, 'remittances:mark-paid', { remittanceId: created.id, paidOn: '2026-09-30' })).toEqual({
      code: 'BUSINESS_RULE',
      message: 'Le virement ne peut pas précéder la période du relevé (à partir du 01/10/2026).'
    })
    const paid = await app.call('remittances:mark-paid', {
      remittanceId: created.id,
      paidOn: '2026-11-20',
      transferReference: 'VIR-REV-0001'
    })
    // Paid on 20/11 for a deadline of 04/11: late.
    expect(paid).toMatchObject({ status: 'paid', paidOn: '2026-11-20', transferReference: 'VIR-REV-0001', late: true })
    expect(await refusal(app, 'remittances:mark-paid', { remittanceId: created.id, paidOn: '2026-11-21' })).toEqual({
      code: 'CONFLICT',
      message: 'Ce relevé a déjà été marqué comme reversé le 20/11/2026.'
    })
    const list = await app.call('remittances:list', { clientId, status: 'paid' })
    expect(list.remittances.map((r) => [r.reference, r.lineCount, r.status])).toEqual([['REV-2026-00001', 4, 'paid']])
  })

  it('a bounced cheque already remitted comes back as a negative line: the client then owes the agency', async () => {
    await app.call('money:reverse-payment', { paymentId: ids.P1!, reversedOn: '2026-11-05', reason: 'Chèque impayé' })
    const november = await app.call('remittances:preview', { clientId, from: '2026-11-01', to: '2026-11-30' })
    // P5 100,00 at 10 % = 10,00; reversal −1 000,00 at 15 % = −150,00 (the commission is given back).
    expect(november.lines.map((l) => [l.amountCents, l.commissionCents])).toEqual([
      [10_000, 1_000],
      [-100_000, -15_000]
    ])
    // Commission −140,00; VAT −28,00; net = −900,00 + 140,00 + 28,00 = −732,00 €.
    expect(november.totals).toMatchObject({
      agencyCollectedCents: -90_000,
      commissionCents: -14_000,
      vatCents: -2_800,
      netCents: -73_200,
      toRemitCents: 0,
      dueByClientCents: 73_200
    })
  })

  it('refuses an unknown client and a period that ends before it starts', async () => {
    expect(
      await refusal(app, 'remittances:preview', {
        clientId: '0192f000-0000-7000-8000-000000000000',
        from: '2026-10-01',
        to: '2026-10-31'
      })
    ).toEqual({ code: 'NOT_FOUND', message: 'Client introuvable.' })
    const reversed = await refusal(app, 'remittances:preview', { clientId, from: '2026-10-31', to: '2026-10-01' })
    expect(reversed.code).toBe('VALIDATION')
    expect(reversed.message).toContain('La fin de la période précède son début')
  })
})
