import { useState } from 'react'
import { Card, Group, LoadingOverlay, Pagination, Stack, Text, Title } from '@mantine/core'
import { keepPreviousData } from '@tanstack/react-query'
import { todayInParis } from '@shared/dates/calendar-date'
import { formatCents, formatDateLong, formatInteger } from '@shared/format/french'
import { useChannel } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { CaseTable, type SortState } from '../portfolio/CaseTable'

const PAGE_SIZE = 50

/** The collector's day: open cases whose next action is due today or overdue, oldest first. */
export function AgendaPage() {
  const today = todayInParis()
  const [sort, setSort] = useState<SortState>({ field: 'nextActionOn', direction: 'asc' })
  const [page, setPage] = useState(1)
  const cases = useChannel(
    'cases:list',
    {
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
      sort,
      filters: { statuses: ['open'], nextActionDueBy: today },
      asOf: today
    },
    { placeholderData: keepPreviousData }
  )
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Agenda</Title>
          <Text c="dimmed" size="sm">
            Actions prévues jusqu’au {formatDateLong(today)}, retards compris
          </Text>
        </div>
        {cases.data && (
          <Text size="sm" data-testid="agenda-totals">
            <Text span fw={700}>
              {formatInteger(cases.data.total)}
            </Text>{' '}
            action{cases.data.total > 1 ? 's' : ''} à traiter · solde {formatCents(cases.data.totalBalanceCents)}
          </Text>
        )}
      </Group>
      {cases.isError ? (
        <ErrorPanel error={cases.error} />
      ) : (
        <Card withBorder padding={0} pos="relative">
          <LoadingOverlay visible={cases.isFetching} zIndex={10} loaderProps={{ size: 'sm' }} />
          {cases.data && cases.data.rows.length === 0 ? (
            <Text p="xl" c="dimmed" ta="center">
              Rien à traiter aujourd’hui.
            </Text>
          ) : (
            <CaseTable
              rows={cases.data?.rows ?? []}
              sort={sort}
              onSort={(s) => {
                setSort(s)
                setPage(1)
              }}
            />
          )}
        </Card>
      )}
      <Group justify="flex-end">
        <Pagination
          total={cases.data ? Math.max(1, Math.ceil(cases.data.total / PAGE_SIZE)) : 1}
          value={page}
          onChange={setPage}
          size="sm"
        />
      </Group>
    </Stack>
  )
}
