import { useEffect, useRef } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useChannel } from '../../api/client'

/**
 * The daily checks (promises broken, plans in default, prescriptions rolled) run in the
 * background once the first screen is shown: their state is polled while they wait or run,
 * and when they finish every screen's data is fetched again (agenda and its count, portfolio),
 * so their results show without the user doing anything.
 */
export function useDailyChecksRefresh(): void {
  const queryClient = useQueryClient()
  const status = useChannel(
    'app:daily-checks',
    {},
    { refetchInterval: (query) => (query.state.data?.state === 'done' ? 10 * 60_000 : 5_000) }
  )
  const state = status.data ? `${status.data.day} ${status.data.state}` : null
  const previous = useRef<string | null>(null)
  useEffect(() => {
    if (state === null) return
    const before = previous.current
    previous.current = state
    // Seen waiting or running, now done: refresh (already done when first seen: nothing new).
    if (before !== null && before !== state && state.endsWith(' done')) {
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'app:daily-checks' })
    }
  }, [state, queryClient])
}
