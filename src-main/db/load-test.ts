import { CASE_SORT_FIELDS } from '@shared/contract'
import type { RecouvraApp } from '../app/create-app'

/**
 * One simulated collector for the agency-mode benchmark (tests/bench/agency): for `seconds`,
 * logs calls and payments on cases of the portfolio and browses it (portfolio pages sorted and
 * searched, case files), through the same channels as the screens. Every write's id is returned
 * so that the benchmark can check afterwards that none was lost.
 */
export interface LoadTestResult {
  seconds: number
  operations: number
  byKind: Record<string, { count: number; p50Ms: number; p95Ms: number; maxMs: number }>
  refused: number
  errors: string[]
  journalIds: string[]
  paymentIds: string[]
  /** Raw latencies (ms) of every operation, for the benchmark's overall percentiles. */
  latencies: number[]
  /** The same by kind of operation (call, payment, portfolio, case-file). */
  kinds?: Record<string, number[]>
}

export async function runCollectorLoad(
  app: RecouvraApp,
  options: { seconds: number; seed: number; writeShare?: number }
): Promise<LoadTestResult> {
  let state = options.seed >>> 0 || 1
  const random = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4294967296
  }
  const cases: Array<{ id: string; phone_id: string | null; reference: string; display_name: string }> =
    await app.db.read((m) =>
      m.query(
        `SELECT c.id, c.reference, d.display_name,
            (SELECT p.id FROM debtor_phone p WHERE p.debtor_id = c.debtor_id ORDER BY p.id LIMIT 1) AS phone_id
           FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
          WHERE c.status = 'open' AND c.balance_cents > 10000
          ORDER BY c.id LIMIT 3000`
      )
    )
  if (cases.length === 0) throw new Error('No open case with a balance to work on')
  const pick = () => cases[Math.floor(random() * cases.length)]!
  const latencies = new Map<string, number[]>()
  const result: LoadTestResult = {
    seconds: options.seconds,
    operations: 0,
    byKind: {},
    refused: 0,
    errors: [],
    journalIds: [],
    paymentIds: [],
    latencies: []
  }
  const writeShare = options.writeShare ?? 0.5
  // Every collector starts at once (the benchmark gives the time), after all have opened the app:
  // a workstation opening it is not steady-state work.
  const startAt = Number(process.env.RECOUVRA_LOAD_START_AT ?? 0)
  if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()))
  const deadline = Date.now() + options.seconds * 1000
  while (Date.now() < deadline) {
    const c = pick()
    const r = random()
    let kind: string
    let work: () => Promise<unknown>
    if (r < writeShare * 0.65) {
      kind = 'call'
      work = async () => {
        const logged = await app.call('calls:log', {
          caseId: c.id,
          phoneId: c.phone_id,
          direction: 'outbound',
          answeredBy: 'no_answer',
          outcome: 'no_answer',
          startedAt: new Date(Date.now() - 60_000).toISOString(),
          durationSeconds: 15 + Math.floor(random() * 120),
          nextActionOn: null,
          warningReason: 'Essai de charge du mode cabinet'
        })
        result.journalIds.push(logged.entryId)
      }
    } else if (r < writeShare) {
      kind = 'payment'
      work = async () => {
        const paid = await app.call('money:record-payment', {
          caseId: c.id,
          receivedOn: new Date().toISOString().slice(0, 10),
          amountCents: 100 + Math.floor(random() * 900),
          method: 'transfer',
          receivedBy: 'agency'
        })
        result.paymentIds.push(paid.payment.id)
      }
    } else if (r < writeShare + (1 - writeShare) * 0.5) {
      kind = 'portfolio'
      const field = CASE_SORT_FIELDS[Math.floor(random() * CASE_SORT_FIELDS.length)]!
      const text = random() < 0.3 ? c.display_name.split(' ')[0]!.slice(0, 5) : undefined
      work = () =>
        app.call('cases:list', {
          limit: 50,
          sort: { field, direction: random() < 0.5 ? 'asc' : 'desc' },
          filters: text ? { text } : { statuses: ['open'] }
        })
    } else {
      kind = 'case-file'
      work = () => app.call('casefile:get', { caseId: c.id })
    }
    const started = performance.now()
    try {
      await work()
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'BUSINESS_RULE' || code === 'CONFLICT' || code === 'VALIDATION') result.refused += 1
      else if (result.errors.length < 20) result.errors.push(`${kind}: ${(error as Error).message}`)
      continue
    }
    const ms = performance.now() - started
    result.operations += 1
    result.latencies.push(Math.round(ms * 10) / 10)
    const list = latencies.get(kind) ?? []
    list.push(ms)
    latencies.set(kind, list)
  }
  for (const [kind, list] of latencies) {
    const sorted = [...list].sort((a, b) => a - b)
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10
    result.byKind[kind] = { count: list.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1) }
  }
  result.kinds = Object.fromEntries(
    [...latencies].map(([kind, list]) => [kind, list.map((ms) => Math.round(ms * 10) / 10)])
  )
  return result
}
