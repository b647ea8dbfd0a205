import { readFileSync } from 'node:fs'
import { createHttpInvoker } from '../../src-shared/transport/http-client'
import type { AppInfo } from '../../src-shared/contract'
import { STATE_FILE } from './paths'

export interface E2eState {
  demoUrl: string
  emptyUrl: string
  demoCounts: { cases: number; clients: number; debtors: number }
}

export function e2eState(): E2eState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2eState
}

/**
 * An e2e server's API, for set-up and for the figures a screen should show (the actions stay in
 * the UI). Resolves with the data, throws with the French message on a refusal.
 */
export function api(url: string) {
  const parsed = new URL(url)
  const token = /token=([A-Za-z0-9_-]+)/.exec(parsed.hash)![1]!
  const invoke = createHttpInvoker({ baseUrl: `${parsed.protocol}//${parsed.host}`, token })
  return async <T>(channel: string, input: unknown): Promise<T> => {
    const response = await invoke(channel, input)
    if (!response.ok) throw new Error(`${channel}: ${response.error.message}`)
    return response.data as T
  }
}

/**
 * How many cases the demo server holds now. Specs share that server and some add cases (the
 * import wizard): a spec that compares with the whole portfolio asks, rather than assuming the
 * count the demo was made with.
 */
export async function demoCaseCount(): Promise<number> {
  const info = await api(e2eState().demoUrl)<AppInfo>('app:info', {})
  return info.counts.cases
}
