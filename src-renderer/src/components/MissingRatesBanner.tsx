import { Alert, Anchor } from '@mantine/core'
import { todayInParis } from '@shared/dates/calendar-date'
import { useChannel } from '../api/client'
import { useNavigation } from '../app/navigation'
import { missingCurrentSemesters } from '../features/settings/rates-status'

/**
 * Interest is never computed on a guessed rate: when this semester's official rate is not yet
 * entered, statements past the last known semester are refused. Say so everywhere, once.
 */
export function MissingRatesBanner() {
  const rates = useChannel('rates:list', {}, { staleTime: 5 * 60_000 })
  const { goTo } = useNavigation()
  if (!rates.data) return null
  const missing = missingCurrentSemesters(rates.data, todayInParis())
  if (missing.length === 0) return null
  return (
    <Alert color="orange" variant="light" mb="md" data-testid="missing-rates-banner" py="xs">
      {missing.join(' ')} Les décomptes d’intérêts au-delà sont refusés.{' '}
      <Anchor component="button" size="sm" onClick={() => goTo('settings')}>
        Saisir le taux dans Paramètres
      </Anchor>
    </Alert>
  )
}
