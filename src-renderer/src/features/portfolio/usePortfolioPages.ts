import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query'
import type {
  CaseListFilters,
  CaseListQuery,
  CaseRowsPage,
  CaseSort,
  CaseSummary,
  CaseTotals,
  RpcCallError
} from '@shared/contract'
import { call } from '../../api/client'

/** Rows fetched per call: a screen is ~15 rows, so a page covers several screens of scrolling. */
export const PAGE_SIZE = 100

function pageInput(filters: CaseListFilters, sort: CaseSort, page: number): CaseListQuery {
  return { offset: page * PAGE_SIZE, limit: PAGE_SIZE, sort, filters }
}

/**
 * The pages of the filtered portfolio that the visible rows need, fetched from the main process
 * as the table scrolls (never the whole portfolio). The first page keeps showing the previous
 * result while a new filter loads. It comes with the totals of the filtered set, except for a
 * broad search (search as you type: "REC-2025", two letters), which shows its first rows at once
 * and asks for its totals next (`totals` null meanwhile: "calcul…"). Every response is keyed by
 * its own filters, so the rows or totals of an older keystroke never show under a newer one, and
 * the totals of a keystroke are only asked once its page has come back still current.
 */
export function usePortfolioPages(filters: CaseListFilters, sort: CaseSort, visible: { start: number; end: number }) {
  const firstInput = pageInput(filters, sort, 0)
  const first = useQuery<CaseRowsPage, RpcCallError>({
    queryKey: ['cases:page', firstInput],
    queryFn: () => call('cases:page', firstInput),
    placeholderData: keepPreviousData,
    staleTime: 30_000
  })
  const current = first.data && !first.isPlaceholderData ? first.data : null
  const followUp = useQuery<CaseTotals, RpcCallError>({
    queryKey: ['cases:totals', firstInput],
    queryFn: () => call('cases:totals', firstInput),
    enabled: current !== null && current.totals === null,
    staleTime: 30_000
  })
  /** Null while they are computed (or while the previous list still shows without its own). */
  const totals: CaseTotals | null = first.data?.totals ?? (current ? (followUp.data ?? null) : null)
  /** Rows the table holds: the whole set once counted, the first page meanwhile. */
  const total = totals?.total ?? first.data?.rows.length ?? 0
  const lastPage = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1)
  const pages: number[] = []
  if (current && totals) {
    const from = Math.max(1, Math.floor(visible.start / PAGE_SIZE))
    const to = Math.min(lastPage, Math.floor(Math.max(visible.end, 0) / PAGE_SIZE))
    for (let page = from; page <= to; page++) pages.push(page)
  }
  const others = useQueries({
    queries: pages.map((page) => ({
      queryKey: ['cases:page', pageInput(filters, sort, page)],
      queryFn: () => call('cases:page', pageInput(filters, sort, page)),
      staleTime: 30_000
    }))
  })
  const loaded = new Map<number, CaseRowsPage>()
  if (first.data) loaded.set(0, first.data)
  others.forEach((result, i) => {
    if (result.data) loaded.set(pages[i]!, result.data)
  })
  return {
    first,
    total,
    /** The totals of the filtered set, or null while they are computed. */
    totals,
    searchIgnored: first.data?.searchIgnored ?? false,
    /** The row at a position of the filtered list, or null while its page loads. */
    rowAt(index: number): CaseSummary | null {
      return loaded.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE] ?? null
    },
    isFetching: first.isFetching || followUp.isFetching || others.some((r) => r.isFetching),
    error: first.error ?? followUp.error ?? others.find((r) => r.error)?.error ?? null
  }
}
