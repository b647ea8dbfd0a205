import { useSyncExternalStore } from 'react'
import type { CaseListFilters, CaseSort } from '@shared/contract'

/**
 * What the portfolio shows, kept outside the page so that opening a case and coming back (Esc)
 * finds the same filters, sort, selected row and scroll position; kept in sessionStorage so
 * that a reload does too.
 */
export interface PortfolioState {
  filters: CaseListFilters
  sort: CaseSort
  /** The saved view these filters came from, if any (it shows as modified once they differ). */
  viewId: string | null
  selectedIndex: number
  scrollTop: number
}

const STORAGE_KEY = 'recouvra.portfolio'

/** The built-in "Portefeuille en cours" view: what the portfolio opens on. */
export const DEFAULT_STATE: PortfolioState = {
  filters: { statuses: ['open', 'suspended'] },
  sort: { field: 'daysPastDue', direction: 'desc' },
  viewId: '0192f000-0000-7000-8000-00000000a002',
  selectedIndex: 0,
  scrollTop: 0
}

function load(): PortfolioState {
  try {
    const saved = sessionStorage.getItem(STORAGE_KEY)
    if (saved) return { ...DEFAULT_STATE, ...(JSON.parse(saved) as Partial<PortfolioState>) }
  } catch {
    // Unreadable: start afresh.
  }
  return DEFAULT_STATE
}

let state: PortfolioState = load()
const listeners = new Set<() => void>()

export function getPortfolioState(): PortfolioState {
  return state
}

export function setPortfolioState(update: Partial<PortfolioState>): void {
  state = { ...state, ...update }
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state))
  } catch {
    // Storage full or unavailable: the state still lives in memory.
  }
  for (const listener of listeners) listener()
}

/** The scroll position changes at every frame: kept without re-rendering anyone. */
export function rememberScrollTop(scrollTop: number): void {
  state = { ...state, scrollTop }
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state))
  } catch {
    // As above.
  }
}

export function usePortfolioState(): PortfolioState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => state
  )
}

/** Filters without empty arrays or undefined values: what is sent, stored and compared. */
export function cleanFilters(filters: CaseListFilters): CaseListFilters {
  const clean: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === false || value === '') continue
    if (Array.isArray(value) && value.length === 0) continue
    clean[key] = value
  }
  return clean as CaseListFilters
}

/** Same filters and sort, whatever the order of keys and of values in lists. */
export function sameQuery(
  a: { filters: CaseListFilters; sort: CaseSort },
  b: { filters: CaseListFilters; sort: CaseSort }
) {
  const canonical = (filters: CaseListFilters) =>
    JSON.stringify(
      Object.entries(cleanFilters(filters))
        .map(([k, v]) => [k, Array.isArray(v) ? [...(v as string[])].sort() : v])
        .sort(([x], [y]) => String(x).localeCompare(String(y)))
    )
  return (
    canonical(a.filters) === canonical(b.filters) &&
    a.sort.field === b.sort.field &&
    a.sort.direction === b.sort.direction
  )
}
