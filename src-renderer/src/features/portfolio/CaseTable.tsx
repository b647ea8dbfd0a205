import { Group, ScrollArea, Table, Text, UnstyledButton } from '@mantine/core'
import { CALL_OUTCOMES } from '@shared/domain/enums'
import { formatCents, formatDate, formatInstant, formatInteger } from '@shared/format/french'
import type { CaseSortField, CaseSummary } from '@shared/contract'
import { PhaseBadge, StatusBadge } from '../../components/badges'
import { useNavigation } from '../../app/navigation'

export interface SortState {
  field: CaseSortField
  direction: 'asc' | 'desc'
}

const COLUMNS: Array<{ field: CaseSortField; label: string; numeric?: boolean }> = [
  { field: 'reference', label: 'Référence' },
  { field: 'debtorName', label: 'Débiteur' },
  { field: 'clientName', label: 'Client' },
  { field: 'phase', label: 'Phase' },
  { field: 'status', label: 'Statut' },
  { field: 'balance', label: 'Solde dû', numeric: true },
  { field: 'daysPastDue', label: 'Retard (j)', numeric: true },
  { field: 'lastContactAt', label: 'Dernier contact' },
  { field: 'nextActionOn', label: 'Prochaine action' },
  { field: 'collectorName', label: 'Chargé' }
]

function SortableHeader({
  field,
  label,
  numeric,
  sort,
  onSort
}: {
  field: CaseSortField
  label: string
  numeric?: boolean
  sort: SortState
  onSort: (sort: SortState) => void
}) {
  const active = sort.field === field
  const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'
  return (
    <Table.Th aria-sort={ariaSort} className="sortable-header" style={numeric ? { textAlign: 'right' } : undefined}>
      <UnstyledButton
        onClick={() => onSort({ field, direction: active && sort.direction === 'asc' ? 'desc' : 'asc' })}
        fw={600}
        fz="sm"
      >
        <Group gap={4} wrap="nowrap" justify={numeric ? 'flex-end' : 'flex-start'}>
          {label}
          <Text span c={active ? undefined : 'dimmed'} fz="xs" aria-hidden>
            {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
          </Text>
        </Group>
      </UnstyledButton>
    </Table.Th>
  )
}

export function CaseTable({
  rows,
  sort,
  onSort
}: {
  rows: CaseSummary[]
  sort: SortState
  onSort: (sort: SortState) => void
}) {
  const { openCase } = useNavigation()
  return (
    <ScrollArea type="auto">
      <Table
        striped
        highlightOnHover
        stickyHeader
        verticalSpacing={6}
        horizontalSpacing="xs"
        data-testid="portfolio-table"
        className="case-table"
      >
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map((column) => (
              <SortableHeader key={column.field} {...column} sort={sort} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr
              key={row.id}
              className="portfolio-row"
              data-testid="case-row"
              tabIndex={0}
              onClick={() => openCase(row.id)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') openCase(row.id)
              }}
            >
              <Table.Td className="tabular" fz="sm" fw={500}>
                {row.reference}
              </Table.Td>
              <Table.Td className="party-cell" title={row.debtorName}>
                <Text size="sm" fw={500} truncate>
                  {row.debtorName}
                </Text>
                <Text size="xs" c="dimmed">
                  {row.debtorKind === 'company' ? 'Entreprise' : 'Particulier'}
                </Text>
              </Table.Td>
              <Table.Td className="party-cell" title={row.clientName}>
                <Text size="sm" truncate>
                  {row.clientName}
                </Text>
              </Table.Td>
              <Table.Td>
                <PhaseBadge phase={row.phase} />
              </Table.Td>
              <Table.Td>
                <StatusBadge row={row} />
              </Table.Td>
              <Table.Td className="tabular" ta="right" fw={500}>
                {formatCents(row.balanceCents)}
              </Table.Td>
              <Table.Td className="tabular" ta="right" c={row.daysPastDue > 90 ? 'red' : undefined}>
                {row.balanceCents > 0 ? formatInteger(row.daysPastDue) : '—'}
              </Table.Td>
              <Table.Td>
                {row.lastContactAt ? (
                  <>
                    <Text size="sm">{formatInstant(row.lastContactAt)}</Text>
                    {row.lastContactOutcome && (
                      <Text size="xs" c="dimmed">
                        {CALL_OUTCOMES.labels[row.lastContactOutcome]}
                      </Text>
                    )}
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    Aucun
                  </Text>
                )}
              </Table.Td>
              <Table.Td className="tabular">{row.nextActionOn ? formatDate(row.nextActionOn) : '—'}</Table.Td>
              <Table.Td>
                <Text size="sm">{row.collectorName ?? '—'}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  )
}
