import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CHANNEL_NAMES, contract, type ChannelName, type RpcResponse } from '@shared/contract'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'

/**
 * Random and malformed inputs at every channel, through the dispatcher as a transport would send
 * them: the answer is always a clear French refusal (never an internal error), and a refused call
 * changes nothing (the audit trail, which sees every write, stays as it was).
 */

let app: RecouvraApp
let dispose: () => Promise<void>
beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 5 }))
})
afterAll(() => dispose())

/** Channels whose VALID random inputs are too slow to fuzz (a 200,000-case demo, a backup file each). */
const NOT_RUN_WHEN_VALID = new Set<ChannelName>(['demo:generate', 'backup:create', 'backup:restore'])

const nasty = fc.oneof(
  fc.string(),
  fc.string({ maxLength: 3 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(''),
  fc.constant('2026-02-30'),
  fc.constant('2026-11-23'),
  fc.constant('00000000-0000-0000-0000-000000000000'),
  fc.constant('01a20694-173b-7790-9b74-feb5553e2168'),
  fc.constant(-1),
  fc.constant(0),
  fc.constant(2 ** 53 + 2),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant('x'.repeat(20_000)),
  fc.constant("'; DROP TABLE collection_case; --"),
  fc.constant({ __proto__: { admin: true } }),
  fc.array(fc.anything(), { maxLength: 4 }),
  fc.object({ maxDepth: 2 })
)

/** Either anything at all, or the channel's own fields with random values. */
function inputsFor(channel: ChannelName): fc.Arbitrary<unknown> {
  const schema = contract[channel].input as z.ZodType
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape as Record<string, unknown>) : []
  const anything = fc.anything({ maxDepth: 3 })
  if (keys.length === 0) return fc.oneof(anything, nasty)
  const record = fc.record(Object.fromEntries(keys.map((k) => [k, nasty])), { requiredKeys: [] })
  const withExtra = fc
    .tuple(record, fc.string({ minLength: 1, maxLength: 8 }), nasty)
    .map(([r, k, v]) => ({ ...r, [k]: v }))
  return fc.oneof(anything, nasty, record, record, withExtra)
}

async function trailLength(): Promise<number> {
  const [row] = await app.db.read((m) => m.query('SELECT COUNT(*) AS n FROM audit_entry'))
  return Number(row.n)
}

const ENGLISH = /\b(undefined|null is not|cannot read|expected|received|TypeError|Error:|SQLITE|at \w+ \()/i

function checkRefusal(channel: string, input: unknown, response: RpcResponse<unknown>): void {
  if (response.ok) return
  const where = `${channel} ${JSON.stringify(input)?.slice(0, 300)}`
  expect(response.error.code, where).not.toBe('INTERNAL')
  expect(response.error.code, where).not.toBe('UNKNOWN_CHANNEL')
  expect(response.error.message.length, where).toBeGreaterThan(5)
  expect(response.error.message, where).not.toMatch(ENGLISH)
}

describe('fuzzing every channel through the dispatcher', () => {
  it('covers every channel of the contract', () => {
    expect(CHANNEL_NAMES.length).toBeGreaterThan(40)
  })

  for (const channel of CHANNEL_NAMES) {
    it(`${channel}: malformed input is refused in French and changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(inputsFor(channel), async (input) => {
          const valid = contract[channel].input.safeParse(input === undefined ? {} : input).success
          if (valid && NOT_RUN_WHEN_VALID.has(channel)) return
          const before = await trailLength()
          const response = await app.dispatcher.dispatch(channel, input, 'http')
          checkRefusal(channel, input, response)
          if (!valid) {
            expect(response.ok).toBe(false)
            if (!response.ok) expect(response.error.code).toBe('VALIDATION')
          }
          if (!response.ok) expect(await trailLength(), `${channel} changed the database while refusing`).toBe(before)
        }),
        { numRuns: 25, seed: 20261123 }
      )
    })
  }

  it('an unknown channel or a non-string channel is refused', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 42, null, { a: 1 }]) {
      const response = await app.dispatcher.dispatch(name, {}, 'http')
      expect(response).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Opération inconnue.' } })
    }
  })
})
