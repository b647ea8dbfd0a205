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
 * How many cases the demo server holds now. Specs share that server and some add cases (the
 * import wizard): a spec that compares with the whole portfolio asks, rather than assuming the
 * count the demo was made with.
 */
export async function demoCaseCount(): Promise<number> {
  const url = new URL(e2eState().demoUrl)
  const token = /token=([A-Za-z0-9_-]+)/.exec(url.hash)![1]!
  const invoke = createHttpInvoker({ baseUrl: `${url.protocol}//${url.host}`, token })
  const response = await invoke('app:info', {})
  if (!response.ok) throw new Error(`app:info: ${response.error.message}`)
  return (response.data as AppInfo).counts.cases
}
