import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_NAMES, contract, type ChannelName } from '@shared/contract'
import { combineHandlers, type HandlerMap } from '../../../src-main/ipc/handlers'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

describe('the contract', () => {
  it('lists the same channels in the allow-list and in the contract, each with a schema and a description', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(contract).sort())
    for (const name of CHANNEL_NAMES) {
      expect(contract[name].input, name).toBeDefined()
      expect(typeof contract[name].input.safeParse, name).toBe('function')
      expect(contract[name].description.length, name).toBeGreaterThan(10)
      expect(name).toMatch(/^[a-z]+:[a-z-]+$/)
    }
  })

  it('has a handler for every channel in the running app', async () => {
    for (const name of CHANNEL_NAMES) {
      const response = await app.dispatcher.dispatch(name, { __probe: true }, 'direct')
      // Whatever the outcome, the dispatcher knew the channel: the probe input is refused by its schema.
      if (!response.ok) expect(response.error.code, name).not.toBe('UNKNOWN_CHANNEL')
    }
  })

  it('refuses wiring mistakes at start-up', () => {
    const handler = () => Promise.resolve(null)
    const all = Object.fromEntries(CHANNEL_NAMES.map((n) => [n, handler])) as unknown as HandlerMap
    expect(() => combineHandlers(CHANNEL_NAMES, [all])).not.toThrow()
    expect(() => combineHandlers(CHANNEL_NAMES, [all, { 'app:info': handler } as never])).toThrow(/two handlers/)
    const { ['cases:list']: _removed, ...missing } = all
    expect(() => combineHandlers(CHANNEL_NAMES, [missing])).toThrow(/without a handler: cases:list/)
    expect(() => combineHandlers(CHANNEL_NAMES, [all, { 'cases:delete-all': handler } as never])).toThrow(
      /not in the contract/
    )
  })
})

describe('input validation in the main process', () => {
  const refuse = async (channel: unknown, input: unknown) => {
    const response = await app.dispatcher.dispatch(channel, input, 'direct')
    expect(response.ok).toBe(false)
    return response.ok ? (undefined as never) : response.error
  }

  it('refuses unknown channels, including prototype names', async () => {
    for (const name of ['cases:drop', '__proto__', 'constructor', 'toString', '', 42, null]) {
      expect((await refuse(name, {})).code).toBe('UNKNOWN_CHANNEL')
    }
  })

  it('explains in French what is wrong, field by field', async () => {
    const error = await refuse('cases:list', { limit: 10_000, sort: { field: 'password', direction: 'up' } })
    expect(error.code).toBe('VALIDATION')
    expect(error.message).toMatch(/^Données invalides/)
    const paths = (error.issues ?? []).map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['limit', 'sort.field', 'sort.direction']))
    expect(error.issues?.find((i) => i.path === 'limit')?.message).toBe('Au plus 500 lignes par page')
  })

  it('refuses unexpected fields, wrong types and malformed ids', async () => {
    expect((await refuse('app:info', { extra: 1 })).code).toBe('VALIDATION')
    expect((await refuse('app:info', 'text')).code).toBe('VALIDATION')
    expect((await refuse('cases:list', { offset: -1 })).code).toBe('VALIDATION')
    expect((await refuse('cases:list', { offset: 1.5 })).code).toBe('VALIDATION')
    expect((await refuse('cases:list', { filters: { clientIds: ["' OR 1=1 --"] } })).code).toBe('VALIDATION')
    expect((await refuse('cases:get-summary', { id: '../../etc/passwd' })).code).toBe('VALIDATION')
    expect((await refuse('demo:generate', { cases: 0, seed: 1 })).code).toBe('VALIDATION')
    expect((await refuse('demo:generate', { cases: 200_001, seed: 1 })).code).toBe('VALIDATION')
  })

  it('answers NOT_FOUND in French for a well-formed id that does not exist', async () => {
    const error = await refuse('cases:get-summary', { id: '0192f000-0000-7000-8000-000000000000' })
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'Dossier introuvable.' })
  })

  it('applies defaults so callers may omit optional inputs', async () => {
    const response = await app.dispatcher.dispatch('cases:list' satisfies ChannelName, {}, 'direct')
    expect(response).toMatchObject({ ok: true, data: { rows: [], total: 0, totalBalanceCents: 0, offset: 0 } })
  })
})
