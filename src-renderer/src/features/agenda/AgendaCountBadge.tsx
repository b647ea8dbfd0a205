import { Badge, Tooltip } from '@mantine/core'
import { useChannel } from '../../api/client'
import { scopeInput, useAgendaScope } from './agenda-scope'

/** The navigation badge: cases on today's agenda (overdue ones in red). */
export function AgendaCountBadge() {
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
