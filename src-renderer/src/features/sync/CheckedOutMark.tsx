import { Badge } from '@mantine/core'
import { useMemo } from 'react'
import { formatInstant } from '@shared/format/french'
import { useChannel } from '../../api/client'

/** The cases out on laptops, read once for the whole portfolio (one cached query). */
function useCheckedOut() {
  const query = useChannel('sync:checked-out-cases', {}, { staleTime: 60_000 })
  return useMemo(() => new Map((query.data ?? []).map((c) => [c.caseId, c])), [query.data])
}

/** "Terrain" under the debtor's name when the case is checked out to a collector's laptop. */
export function CheckedOutMark({ caseId }: { caseId: string }) {
  const checkedOut = useCheckedOut().get(caseId)
  if (!checkedOut) return null
  return (
    <Badge
      component="span"
      size="xs"
      variant="light"
      color="grape"
      ml={4}
      title={`Sorti sur le terrain le ${formatInstant(checkedOut.checkedOutAt)} — ${checkedOut.collectorName ?? 'collaborateur'}, poste ${checkedOut.deviceId}`}
      data-testid="case-checked-out"
    >
      Terrain
    </Badge>
  )
}
