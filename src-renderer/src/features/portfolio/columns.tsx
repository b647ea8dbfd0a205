import { Badge, Group, Table, Text, UnstyledButton } from '@mantine/core'
import { CALL_OUTCOMES, CASE_PHASES, CASE_STATUSES, CLOSURE_REASONS, SUSPENSION_REASONS } from '@shared/domain/enums'
import { formatCents, formatDate, formatInstant, formatInteger } from '@shared/format/french'
import type { CaseSortField, CaseSummary } from '@shared/contract'
import { type CalendarDate, daysBetween, todayInParis } from '@shared/dates/calendar-date'
import { CheckedOutMark } from '../sync/CheckedOutMark'

export interface SortState {
  field: CaseSortField
  direction: 'asc' | 'desc'
}

/**
 * The portfolio's columns, in order; widths in pixels for the fixed table layout (flex: shares the
 * rest). They add up to 1,116 px: the table's min-width (portfolio.css) keeps ~185 px for the
 * debtor's name, the column a collector reads first; a narrower window scrolls sideways.
 */
export const COLUMNS: Array<{ field: CaseSortField; label: string; numeric?: boolean; width?: number }> = [
  { field: 'reference', label: 'Référence', width: 136 },
  { field: 'debtorName', label: 'Débiteur' },
  { field: 'clientName', label: 'Client', width: 128 },
  { field: 'phase', label: 'Phase', width: 132 },
  { field: 'status', label: 'Statut', width: 100 },
  { field: 'balance', label: 'Solde dû', numeric: true, width: 96 },
  { field: 'daysPastDue', label: 'Retard (jours)', numeric: true, width: 72 },
  { field: 'lastContactAt', label: 'Dernier contact', width: 124 },
  { field: 'nextActionOn', label: 'Prochaine action', width: 88 },
  { field: 'prescriptionOn', label: 'Prescription', width: 140 },
  { field: 'collectorName', label: 'Chargé', width: 100 }
]

const STATUS_COLORS: Record<CaseSummary['status'], string> = { open: 'teal', suspended: 'yellow', closed: 'gray' }
const PHASE_COLORS: Record<CaseSummary['phase'], string> = {
  amicable: 'blue',
  formal_notice: 'orange',
  judicial: 'grape',
  enforcement: 'red',
  closed: 'gray'
}

/** The status, and under it the reason of a suspension or closure: narrow enough for the table. */
function CompactStatus({ row }: { row: CaseSummary }) {
  const reason =
    row.status === 'suspended' && row.suspensionReason
      ? SUSPENSION_REASONS.labels[row.suspensionReason]
      : row.status === 'closed' && row.closureReason
        ? CLOSURE_REASONS.labels[row.closureReason]
        : null
  return (
    <>
      <Badge color={STATUS_COLORS[row.status]} variant="dot" radius="sm" tt="none" size="sm">
        {CASE_STATUSES.labels[row.status]}
      </Badge>
      {reason && (
        <Text size="xs" c="dimmed" truncate title={reason}>
          {reason}
        </Text>
      )}
    </>
  )
}

export function SortableHeader({
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

/** The cells of one case, in the order of COLUMNS. */
/**
 * The next prescription among the case's claims still demandable: red within 30 days, orange
 * within 90; claims already time-barred are counted beside it (they no longer hide the others).
 */
function PrescriptionCell({ on, prescribed }: { on: CalendarDate | null; prescribed: number }) {
  const days = on === null ? null : daysBetween(todayInParis(), on)
  const barred =
    prescribed > 0 ? `${prescribed} facture${prescribed > 1 ? 's' : ''} prescrite${prescribed > 1 ? 's' : ''}` : null
  const title = [days === null ? null : days < 0 ? 'Prescrite' : `Dans ${days} jour${days > 1 ? 's' : ''}`, barred]
    .filter(Boolean)
    .join(' — ')
  return (
    <Table.Td
      className="tabular"
      c={days === null ? undefined : days <= 30 ? 'red' : days <= 90 ? 'orange' : undefined}
      title={title || undefined}
      data-testid="case-prescription"
    >
      {on === null ? (prescribed > 0 ? null : '—') : formatDate(on)}
      {prescribed > 0 ? (
        <Text size="xs" c="red" fw={500} data-testid="case-prescribed-claims">
          {barred}
        </Text>
      ) : null}
    </Table.Td>
  )
}

export function CaseCells({ row }: { row: CaseSummary }) {
  return (
    <>
      <Table.Td className="tabular" fw={500} title={row.reference}>
        {row.reference}
      </Table.Td>
      <Table.Td className="party-cell" title={row.debtorName}>
        <Text size="sm" fw={500} truncate>
          {row.debtorName}
        </Text>
        <Text size="xs" c="dimmed">
          {row.debtorKind === 'company' ? 'Entreprise' : 'Particulier'}
          <CheckedOutMark caseId={row.id} />
        </Text>
      </Table.Td>
      <Table.Td className="party-cell" title={row.clientName}>
        <Text size="sm" truncate>
          {row.clientName}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={PHASE_COLORS[row.phase]} variant="light" radius="sm" tt="none" size="sm">
          {CASE_PHASES.labels[row.phase]}
        </Badge>
      </Table.Td>
      <Table.Td className="status-cell">
        <CompactStatus row={row} />
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
            <Text size="sm" className="tabular">
              {formatInstant(row.lastContactAt)}
            </Text>
            {row.lastContactOutcome && (
              <Text size="xs" c="dimmed" truncate>
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
      <PrescriptionCell on={row.prescriptionOn} prescribed={row.prescribedClaims} />
      <Table.Td className="party-cell" title={row.collectorName ?? undefined}>
        <Text size="sm" truncate>
          {row.collectorName ?? '—'}
        </Text>
      </Table.Td>
    </>
  )
}
