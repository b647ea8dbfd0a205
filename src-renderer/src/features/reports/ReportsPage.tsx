import { Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core'
import { CASE_PHASES, type CasePhase } from '@shared/domain/enums'
import { formatCents, formatInteger } from '@shared/format/french'
import { useChannel } from '../../api/client'
import { PhaseBadge } from '../../components/badges'

function PhaseRow({ phase }: { phase: CasePhase }) {
  const totals = useChannel('cases:list', { limit: 1, filters: { phases: [phase], statuses: ['open', 'suspended'] } })
  return (
    <Table.Tr>
      <Table.Td>
        <PhaseBadge phase={phase} />
      </Table.Td>
      <Table.Td ta="right" className="tabular">
        {totals.data ? formatInteger(totals.data.total) : <Skeleton h={14} w={60} ml="auto" />}
      </Table.Td>
      <Table.Td ta="right" className="tabular">
        {totals.data ? formatCents(totals.data.totalBalanceCents) : <Skeleton h={14} w={100} ml="auto" />}
      </Table.Td>
    </Table.Tr>
  )
}

function Figure({ label, value, testId }: { label: string; value: string | undefined; testId: string }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      {value === undefined ? (
        <Skeleton h={28} mt={6} />
      ) : (
        <Text fz={26} fw={700} className="tabular" data-testid={testId}>
          {value}
        </Text>
      )}
    </Card>
  )
}

/** The manager's first view: where the open portfolio stands, by phase. */
export function ReportsPage() {
  const open = useChannel('cases:list', { limit: 1, filters: { statuses: ['open', 'suspended'] } })
  const closed = useChannel('cases:list', { limit: 1, filters: { statuses: ['closed'] } })
  return (
    <Stack>
      <Title order={2}>Rapports</Title>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Figure
          label="Dossiers actifs"
          value={open.data && formatInteger(open.data.total)}
          testId="report-open-count"
        />
        <Figure
          label="Encours à recouvrer"
          value={open.data && formatCents(open.data.totalBalanceCents)}
          testId="report-open-balance"
        />
        <Figure
          label="Dossiers clôturés"
          value={closed.data && formatInteger(closed.data.total)}
          testId="report-closed-count"
        />
      </SimpleGrid>
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={4}>Encours par phase</Title>
          <Text size="sm" c="dimmed">
            Dossiers en cours et suspendus
          </Text>
        </Group>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Phase</Table.Th>
              <Table.Th ta="right">Dossiers</Table.Th>
              <Table.Th ta="right">Solde dû</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {CASE_PHASES.values
              .filter((phase) => phase !== 'closed')
              .map((phase) => (
                <PhaseRow key={phase} phase={phase} />
              ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  )
}
