import { useMemo, useState } from 'react'
import {
  Card,
  Group,
  LoadingOverlay,
  MultiSelect,
  Pagination,
  Select,
  Stack,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData } from '@tanstack/react-query'
import type { CaseListQuery } from '@shared/contract'
import { CASE_PHASES, CASE_STATUSES, type CasePhase, type CaseStatus } from '@shared/domain/enums'
import { formatCents, formatInteger } from '@shared/format/french'
import { useChannel } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { CaseTable, type SortState } from './CaseTable'

const PAGE_SIZE = 50

const phaseOptions = CASE_PHASES.values.map((value) => ({ value, label: CASE_PHASES.labels[value] }))
const statusOptions = CASE_STATUSES.values.map((value) => ({ value, label: CASE_STATUSES.labels[value] }))

/**
 * The portfolio: filtering, sorting, paging and totals all run in the main process, so the page
 * costs the same at 200 cases or 200 000.
 */
export function PortfolioPage() {
  const [text, setText] = useState('')
  const [debouncedText] = useDebouncedValue(text.trim(), 250)
  const [phases, setPhases] = useState<CasePhase[]>([])
  const [statuses, setStatuses] = useState<CaseStatus[]>(['open', 'suspended'])
  const [clientId, setClientId] = useState<string | null>(null)
  const [collectorId, setCollectorId] = useState<string | null>(null)
  const [sort, setSort] = useState<SortState>({ field: 'daysPastDue', direction: 'desc' })
  const [page, setPage] = useState(1)

  const clients = useChannel('clients:list', {}, { staleTime: 5 * 60_000 })
  const users = useChannel('users:list', {}, { staleTime: 5 * 60_000 })

  const query: CaseListQuery = useMemo(
    () => ({
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
      sort,
      filters: {
        ...(phases.length ? { phases } : {}),
        ...(statuses.length ? { statuses } : {}),
        ...(clientId ? { clientIds: [clientId] } : {}),
        ...(collectorId ? { collectorIds: [collectorId] } : {}),
        ...(debouncedText ? { text: debouncedText } : {})
      }
    }),
    [page, sort, phases, statuses, clientId, collectorId, debouncedText]
  )
  const cases = useChannel('cases:list', query, { placeholderData: keepPreviousData })

  // Any change of filter or sort goes back to the first page.
  const resetting =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value)
      setPage(1)
    }

  const totalPages = cases.data ? Math.max(1, Math.ceil(cases.data.total / PAGE_SIZE)) : 1

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Portefeuille</Title>
        {cases.data && (
          <Group gap="lg" data-testid="portfolio-totals">
            <Text size="sm">
              <Text span fw={700} className="tabular" data-testid="portfolio-count">
                {formatInteger(cases.data.total)}
              </Text>{' '}
              dossier{cases.data.total > 1 ? 's' : ''}
            </Text>
            <Text size="sm">
              Solde total{' '}
              <Text span fw={700} className="tabular" data-testid="portfolio-balance">
                {formatCents(cases.data.totalBalanceCents)}
              </Text>
            </Text>
          </Group>
        )}
      </Group>

      <Card withBorder padding="sm">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label="Recherche"
            placeholder="Référence ou nom du débiteur"
            value={text}
            onChange={(event) => resetting(setText)(event.currentTarget.value)}
            w={230}
            maxLength={200}
          />
          <MultiSelect
            label="Phase"
            placeholder={phases.length ? undefined : 'Toutes'}
            data={phaseOptions}
            value={phases}
            onChange={(value) => resetting(setPhases)(value as CasePhase[])}
            clearable
            clearButtonProps={{ 'aria-label': 'Effacer le filtre de phase' }}
            w={210}
          />
          <MultiSelect
            label="Statut"
            placeholder={statuses.length ? undefined : 'Tous'}
            data={statusOptions}
            value={statuses}
            onChange={(value) => resetting(setStatuses)(value as CaseStatus[])}
            clearable
            clearButtonProps={{ 'aria-label': 'Effacer le filtre de statut' }}
            w={230}
          />
          <Select
            label="Client"
            placeholder="Tous"
            data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.legalName }))}
            value={clientId}
            onChange={resetting(setClientId)}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': 'Effacer le filtre de client' }}
            nothingFoundMessage="Aucun client"
            w={230}
          />
          <Select
            label="Chargé de recouvrement"
            placeholder="Tous"
            data={(users.data ?? [])
              .filter((u) => u.role === 'collector')
              .map((u) => ({ value: u.id, label: u.displayName }))}
            value={collectorId}
            onChange={resetting(setCollectorId)}
            searchable
            clearable
            clearButtonProps={{ 'aria-label': 'Effacer le filtre de chargé' }}
            nothingFoundMessage="Aucun chargé"
            w={200}
          />
        </Group>
      </Card>

      {cases.isError ? (
        <ErrorPanel error={cases.error} title="Le portefeuille ne peut pas être affiché" />
      ) : (
        <Card withBorder padding={0} pos="relative">
          <LoadingOverlay
            visible={cases.isFetching}
            zIndex={10}
            overlayProps={{ blur: 1 }}
            loaderProps={{ size: 'sm' }}
          />
          {cases.data && cases.data.rows.length === 0 ? (
            <Text p="xl" c="dimmed" ta="center">
              Aucun dossier ne correspond à ces critères.
            </Text>
          ) : (
            <CaseTable rows={cases.data?.rows ?? []} sort={sort} onSort={resetting(setSort)} />
          )}
        </Card>
      )}

      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {cases.data && cases.data.total > 0
            ? `Dossiers ${formatInteger(cases.data.offset + 1)} à ${formatInteger(
                cases.data.offset + cases.data.rows.length
              )} sur ${formatInteger(cases.data.total)}`
            : ''}
        </Text>
        <Pagination total={totalPages} value={page} onChange={setPage} size="sm" siblings={1} boundaries={1} />
      </Group>
    </Stack>
  )
}
