import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { contract } from '@shared/contract'
import { FREE_TEXT_FIELD, NOT_SCREENED, SCREENED_BY_DISPATCHER, SCREENED_BY_SERVICE } from '@shared/contract/free-text'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'

/** Dotted paths of every string field of a schema (`[]` for array items). */
function stringPaths(schema: z.ZodType, path = '', out: string[] = []): string[] {
  const def = (schema as unknown as { _zod?: { def: Record<string, unknown> & { type: string } } })._zod?.def
  if (!def) return out
  const inner = (s: unknown, p: string) => stringPaths(s as z.ZodType, p, out)
  switch (def.type) {
    case 'object':
      for (const [key, value] of Object.entries(def.shape as Record<string, unknown>))
        inner(value, path ? `${path}.${key}` : key)
      break
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      inner(def.innerType, path)
      break
    case 'pipe':
      inner(def.in, path)
      break
    case 'array':
      inner(def.element, `${path}[]`)
      break
    case 'record':
      inner(def.valueType, `${path}{}`)
      break
    case 'union':
      for (const option of def.options as unknown[]) inner(option, path)
      break
    case 'string':
      out.push(path)
      break
  }
  return out
}

describe('free text everywhere goes through the CNIL screening', () => {
  it('every free-text field of every channel is screened, or listed with the reason it is not', () => {
    const unlisted: string[] = []
    for (const [channel, spec] of Object.entries(contract)) {
      // A record's values (`{}`) can be any column: always classified.
      const paths = [...new Set(stringPaths(spec.input as z.ZodType))].filter(
        (p) => FREE_TEXT_FIELD.test(p) || p.includes('{}')
      )
      for (const path of paths) {
        const listed =
          SCREENED_BY_DISPATCHER[channel]?.includes(path) ||
          SCREENED_BY_SERVICE[channel]?.includes(path) ||
          NOT_SCREENED[channel]?.[path] !== undefined
        if (!listed) unlisted.push(`${channel} ${path}`)
      }
    }
    expect(unlisted, 'classify these in src-shared/contract/free-text.ts').toEqual([])
  })
})

describe('screening applied by the dispatcher', () => {
  let app: RecouvraApp
  let dispose: () => Promise<void>
  let caseId: string
  beforeAll(async () => {
    ;({ app, dispose } = await openTempApp({ demoCases: 10 }))
    // TEST DATA, not the official figures: the shipped table stops at 2026-S1.
    await app.call('rates:add-semester', { kind: 'ecb_refinancing', semester: '2026-S2', ratePercent: '2,15' })
    await app.call('rates:add-semester', {
      kind: 'legal_interest',
      semester: '2026-S2',
      creditorIndividualPercent: '6,50',
      otherCasesPercent: '3,00'
    })
    const [row] = await app.db.read((m) =>
      m.query("SELECT id FROM collection_case WHERE status = 'open' AND balance_cents > 10000 LIMIT 1")
    )
    caseId = row.id
  })
  afterAll(() => dispose())

  it('refuses a payment whose note carries health data, names the field, and records nothing', async () => {
    const before = await app.call('money:list-payments', { caseId })
    const payment = {
      caseId,
      receivedOn: '2026-11-20',
      amountCents: 5_000,
      method: 'transfer' as const,
      receivedBy: 'agency' as const
    }
    const error = await app
      .call('money:record-payment', { ...payment, note: 'Paie peu car il est malade' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'BUSINESS_RULE', issues: [{ path: 'note' }] })
    expect((await app.call('money:list-payments', { caseId })).length).toBe(before.length)
    const recorded = await app.call('money:record-payment', { ...payment, note: 'Virement reçu, référence fournie' })
    const reversal = await app
      .call('money:reverse-payment', {
        paymentId: recorded.payment.id,
        reversedOn: '2026-11-21',
        reason: 'Sorti de prison'
      })
      .catch((e: unknown) => e)
    expect(reversal).toMatchObject({ code: 'BUSINESS_RULE', issues: [{ path: 'reason' }] })
  })

  it('screens the values typed to settle a field-sync conflict, column by column', async () => {
    const error = await app
      .call('sync:resolve', {
        conflictId: '01a20694-173b-7790-9b74-feb5553e2168',
        choice: 'edit',
        values: { status: 'valid', summary: 'Rappeler après son hospitalisation' }
      })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'BUSINESS_RULE', issues: [{ path: 'values.summary' }] })
  })
})
