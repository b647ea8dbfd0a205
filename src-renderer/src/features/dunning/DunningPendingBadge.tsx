import { Badge, Tooltip } from '@mantine/core'
import { useChannel } from '../../api/client'

/**
 * The navigation badge of « Relances »: steps of today's preview awaiting a manager's
 * confirmation, counted in the background at start-up (nothing is generated without it).
 */
export function DunningPendingBadge() {
  // A read of the count kept in memory: cheap, so polled every minute (a run counts again after it).
  const pending = useChannel('dunning:pending', {}, { staleTime: 30_000, refetchInterval: 60_000 })
  const steps = pending.data?.steps
  if (!steps) return null
  return (
    <Tooltip label={`${steps} étape${steps > 1 ? 's' : ''} de relance à confirmer aujourd’hui`}>
      <Badge size="sm" circle={steps < 10} color="orange" data-testid="dunning-pending-count">
        {steps > 999 ? '999+' : steps}
      </Badge>
    </Tooltip>
  )
}
