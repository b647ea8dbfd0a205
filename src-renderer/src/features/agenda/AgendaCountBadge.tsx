import { Badge, Tooltip } from '@mantine/core'
import { useChannel } from '../../api/client'
import { scopeInput, useAgendaScope } from './agenda-scope'
import { useDailyChecksRefresh } from './use-daily-checks-refresh'

/**
 * The navigation badge: cases on today's agenda (overdue ones in red). Always on screen, it also
 * refreshes the screens once the background daily checks are done (their broken promises and
 * plans in default join the agenda).
 */
export function AgendaCountBadge() {
  useDailyChecksRefresh()
  const scope = useAgendaScope()
  const counts = useChannel('agenda:counts', scopeInput(scope), { staleTime: 60_000, refetchInterval: 5 * 60_000 })
  if (!counts.data || counts.data.cases === 0) return null
  const { cases, overdueCases } = counts.data
  return (
    <Tooltip label={`${cases} dossier${cases > 1 ? 's' : ''} à traiter aujourd’hui, dont ${overdueCases} en retard`}>
      <Badge size="sm" circle={cases < 10} color={overdueCases > 0 ? 'red' : 'blue'} data-testid="agenda-count">
        {cases > 999 ? '999+' : cases}
      </Badge>
    </Tooltip>
  )
}
