import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query'
import type { CaseListFilters, CaseListQuery, CasePage, CaseSort, CaseSummary, RpcCallError } from '@shared/contract'
import { call } from '../../api/client'

/** Rows fetched per call: a screen is ~15 rows, so a page covers several screens of scrolling. */
export const PAGE_SIZE = 100

function pageInput(filters: CaseListFilters, sort: CaseSort, page: number): CaseListQuery {
  return { offset: page * PAGE_SIZE, limit: PAGE_SIZE, sort, filters }
}

/**
 * The pages of the filtered portfolio that the visible rows need, fetched from the main process
 * as the table scrolls (never the whole portfolio). Every page carries the totals of the
 * filtered set; the first one is always fetched, and keeps showing the previous result while a
 * new filter loads.
 */
export function usePortfolioPages(filters: CaseListFilters, sort: CaseSort, visible: { start: number; end: number }) {
  const first = useQuery<CasePage, RpcCallError>({
    queryKey: ['cases:list', pageInput(filters, sort, 0)],
    queryFn: () => call('cases:list', pageInput(filters, sort, 0)),
    placeholderData: keepPreviousData,
    staleTime: 30_000
  })
  const total = first.data?.total ?? 0
  const lastPage = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1)
  const pages: number[] = []
  if (!first.isPlaceholderData) {
    const from = Math.max(1, Math.floor(visible.start / PAGE_SIZE))
    const to = Math.min(lastPage, Math.floor(Math.max(visible.end, 0) / PAGE_SIZE))
    for (let page = from; page <= to; page++) pages.push(page)
  }
  const others = useQueries({
    queries: pages.map((page) => ({
      queryKey: ['cases:list', pageInput(filters, sort, page)],
      queryFn: () => call('cases:list', pageInput(filters, sort, page)),
      staleTime: 30_000
    }))
  })
  const loaded = new Map<number, CasePage>()
  if (first.data) loaded.set(0, first.data)
  others.forEach((result, i) => {
    if (result.data) loaded.set(pages[i]!, result.data)
  })
  return {
    first,
    total,
    totalBalanceCents: first.data?.totalBalanceCents ?? 0,
    searchIgnored: first.data?.searchIgnored ?? false,
    /** The row at a position of the filtered list, or null while its page loads. */
    rowAt(index: number): CaseSummary | null {
      return loaded.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE] ?? null
    },
    isFetching: first.isFetching || others.some((r) => r.isFetching),
    error: first.error ?? others.find((r) => r.error)?.error ?? null
  }
}
