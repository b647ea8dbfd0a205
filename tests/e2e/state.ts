import { readFileSync } from 'node:fs'
import { STATE_FILE } from './paths'

export interface E2eState {
  demoUrl: string
  emptyUrl: string
  demoCounts: { cases: number; clients: number; debtors: number }
}

export function e2eState(): E2eState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2eState
}
