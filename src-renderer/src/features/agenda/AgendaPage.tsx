import { useEffect, useRef, useState } from 'react'
import {
  Badge,
  Card,
  Chip,
  Group,
  Kbd,
  LoadingOverlay,
  Pagination,
  Select,
  Stack,
  Table,
  Text,
  Title
} from '@mantine/core'
import { keepPreviousData } from '@tanstack/react-query'
import {
  AGENDA_ITEM_KINDS,
  AGENDA_ITEM_LABELS,
  DEADLINE_LOOKAHEAD_DAYS,
  type AgendaItemKind,
  type AgendaReason,
  type AgendaRow
} from '@shared/contract'
import { CASE_PRIORITIES } from '@shared/domain/enums'
import { formatCents, formatDateLong, formatInteger } from '@shared/format/french'
import { useChannel } from '../../api/client'
import { useNavigation } from '../../app/navigation'
import { ErrorPanel } from '../../components/ErrorPanel'
import { scopeInput, setAgendaScope, useAgendaScope } from './agenda-scope'
import '../case-file/case-file.css'

const PAGE_SIZE = 50
const PRIORITY_COLORS = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' } as const
const KIND_COLORS: Record<AgendaItemKind, string> = {
  deadline: 'red',
  next_action: 'blue',
  promise: 'teal',
  installment: 'grape',
  dunning: 'orange',
  prescription: 'yellow'
}

function ReasonBadge({ reason }: { reason: AgendaReason }) {
  const late = reason.daysLate > 0
  return (
    <Badge
      size="sm"
      variant={late || reason.kind === 'deadline' || reason.urgent ? 'light' : 'outline'}
      color={reason.kind === 'deadline' || reason.urgent ? 'red' : late ? 'orange' : KIND_COLORS[reason.kind]}
      data-testid={`agenda-reason-${reason.kind}`}
      data-urgent={reason.urgent ? 'true' : undefined}
      tt="none"
      radius="sm"
      style={{ maxWidth: 420 }}
      title={reason.label}
    >
      {reason.label}
      {late && reason.kind !== 'deadline' ? ` · J+${reason.daysLate}` : ''}
    </Badge>
  )
}

/**
 * The collector's day: cases to work today or overdue — legal deadlines (ahead of time),
 * scheduled next actions, promises to check, plan installments due — one row per case with every
 * reason, legal deadlines first, then by priority and amount. Enter or a click opens the case.
 */
export function AgendaPage() {
  const { openCase } = useNavigation()
  const session = useChannel('session:current', {})
  const users = useChannel('users:list', {}, { staleTime: 5 * 60_000 })
  const scope = useAgendaScope()
  const [kinds, setKinds] = useState<AgendaItemKind[]>([])
  const [page, setPage] = useState(1)
  const [active, setActive] = useState(0)
  const listRef = useRef<HTMLDivElement>(null)
  const manager = session.data?.role === 'manager' || session.data?.role === 'admin'
  const agenda = useChannel(
    'agenda:list',
    {
      ...scopeInput(scope),
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
      ...(kinds.length ? { kinds } : {})
    },
    { placeholderData: keepPreviousData }
  )
  const rows = agenda.data?.rows ?? []
  const current = Math.min(active, Math.max(0, rows.length - 1))
  const team = agenda.data?.collectorId === null

  // Ready for the keyboard as soon as it shows: Enter opens the first case.
  useEffect(() => {
    if (agenda.isSuccess) listRef.current?.focus({ preventScroll: true })
  }, [agenda.isSuccess])

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (rows.length === 0) return
    if (event.key === 'ArrowDown' || event.key === 'j') {
      event.preventDefault()
      setActive(Math.min(rows.length - 1, current + 1))
    } else if (event.key === 'ArrowUp' || event.key === 'k') {
      event.preventDefault()
      setActive(Math.max(0, current - 1))
    } else if (event.key === 'Enter') {
      event.preventDefault()
      const row = rows[current]
      if (row) openCase(row.caseId)
    }
  }

  const collectorOptions = [
    { value: 'me', label: `Mon agenda (${session.data?.displayName ?? '…'})` },
    { value: 'team', label: 'Toute l’équipe' },
    ...(users.data ?? [])
      .filter((u) => u.active && u.role === 'collector' && u.id !== session.data?.id)
      .map((u) => ({ value: u.id, label: u.displayName }))
  ]
  const counts = agenda.data?.counts
  const today = agenda.data?.today

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Agenda</Title>
          <Text c="dimmed" size="sm">
            {today ? `${formatDateLong(today)} : ` : ''}à traiter aujourd’hui et en retard · échéances légales à{' '}
            {DEADLINE_LOOKAHEAD_DAYS} jours
          </Text>
        </div>
        <Group gap="md" align="flex-end">
          {counts && (
            <Text size="sm" data-testid="agenda-totals">
              <Text span fw={700} className="tabular">
                {formatInteger(counts.cases)}
              </Text>{' '}
              dossier{counts.cases > 1 ? 's' : ''} à traiter, dont{' '}
              <Text span fw={700} c={counts.overdueCases > 0 ? 'red' : undefined}>
                {formatInteger(counts.overdueCases)}
              </Text>{' '}
              en retard
            </Text>
          )}
          {manager && (
            <Select
              label="Chargé de recouvrement"
              data={collectorOptions}
              value={scope}
              onChange={(value) => {
                setAgendaScope(value ?? 'me')
                setPage(1)
                setActive(0)
              }}
              allowDeselect={false}
              searchable
              w={260}
              data-testid="agenda-scope"
            />
          )}
        </Group>
      </Group>

      <Group gap={6}>
        <Chip
          size="xs"
          checked={kinds.length === 0}
          onChange={() => {
            setKinds([])
            setPage(1)
            setActive(0)
          }}
        >
          Tout
        </Chip>
        <Chip.Group
          multiple
          value={kinds}
          onChange={(v) => {
            setKinds(v as AgendaItemKind[])
            setPage(1)
            setActive(0)
          }}
        >
          {AGENDA_ITEM_KINDS.map((kind) => (
            <Chip key={kind} value={kind} size="xs" color={KIND_COLORS[kind]}>
              {AGENDA_ITEM_LABELS[kind]} ({counts ? formatInteger(counts.byKind[kind]) : '…'})
            </Chip>
          ))}
        </Chip.Group>
      </Group>

      {agenda.isError ? (
        <ErrorPanel error={agenda.error} />
      ) : (
        <Card withBorder padding={0} pos="relative">
          <LoadingOverlay visible={agenda.isFetching} zIndex={10} loaderProps={{ size: 'sm' }} />
          {agenda.data && rows.length === 0 ? (
            <Text p="xl" c="dimmed" ta="center" data-testid="agenda-empty">
              Rien à traiter aujourd’hui.
            </Text>
          ) : (
            <div
              ref={listRef}
              tabIndex={0}
              onKeyDown={onKeyDown}
              aria-label="Dossiers à traiter (flèches pour choisir, Entrée pour ouvrir)"
              style={{ outline: 'none', overflowX: 'auto' }}
              data-testid="agenda-list"
            >
              <Table highlightOnHover className="tabular">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Priorité</Table.Th>
                    <Table.Th>Dossier</Table.Th>
                    <Table.Th>À faire</Table.Th>
                    <Table.Th ta="right">Solde dû</Table.Th>
                    {team && <Table.Th>Chargé</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row: AgendaRow, index) => (
                    <Table.Tr
                      key={row.caseId}
                      className="agenda-row"
                      data-active={index === current}
                      data-testid="agenda-row"
                      onClick={() => openCase(row.caseId)}
                      onMouseEnter={() => setActive(index)}
                    >
                      <Table.Td>
                        <Badge size="sm" variant="light" color={PRIORITY_COLORS[row.priority]} tt="none">
                          {CASE_PRIORITIES.labels[row.priority]}
                        </Badge>
                      </Table.Td>
                      <Table.Td style={{ maxWidth: 280 }}>
                        <Text size="sm" fw={600} truncate>
                          {row.debtorName}
                        </Text>
                        <Text size="xs" c="dimmed" truncate>
                          {row.caseReference} · {row.clientName}
                          {row.caseStatus === 'suspended' ? ` · suspendu` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {row.reasons.map((reason) => (
                            <ReasonBadge key={reason.refId + reason.kind} reason={reason} />
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">{formatCents(row.balanceCents)}</Table.Td>
                      {team && <Table.Td>{row.collectorName ?? '—'}</Table.Td>}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </Card>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> choisir · <Kbd size="xs">Entrée</Kbd> ouvrir le dossier
          {agenda.data && agenda.data.total > 0
            ? ` · dossiers ${(page - 1) * PAGE_SIZE + 1} à ${Math.min(page * PAGE_SIZE, agenda.data.total)} sur ${formatInteger(agenda.data.total)}`
            : ''}
        </Text>
        <Pagination
          total={agenda.data ? Math.max(1, Math.ceil(agenda.data.total / PAGE_SIZE)) : 1}
          value={page}
          onChange={(p) => {
            setPage(p)
            setActive(0)
          }}
          size="sm"
        />
      </Group>
    </Stack>
  )
}
