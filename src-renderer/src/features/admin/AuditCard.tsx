import { useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { AUDIT_OPERATION_LABELS, type AuditChainCheck, type AuditEntryDto } from '@shared/contract'
import { isCalendarDate } from '@shared/dates/calendar-date'
import { formatInstant } from '@shared/format/french'
import { call, useChannel } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'

const PAGE = 50
/** The list shows the latest 500; the CSV export has them all. */
const MAX_SHOWN = 500

function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** What changed, in one line: "value: 10 → 12". */
function changes(entry: AuditEntryDto): string {
  const before = entry.before ? (JSON.parse(entry.before) as Record<string, unknown>) : {}
  const after = entry.after ? (JSON.parse(entry.after) as Record<string, unknown>) : {}
  if (entry.operation === 'update') {
    return Object.keys(after)
      .map((k) => `${k} : ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`)
      .join(' ; ')
  }
  const shown = entry.operation === 'delete' ? before : after
  return Object.entries(shown)
    .filter(([, v]) => v !== null && v !== '')
    .slice(0, 6)
    .map(([k, v]) => `${k} : ${JSON.stringify(v)}`)
    .join(' ; ')
}

/**
 * Paramètres › Journal d'audit: every change with who, when, what, before and after; filter by
 * table, row and days; export as CSV; verify the SHA-256 chain.
 */
export function AuditCard() {
  const [tableName, setTableName] = useState('')
  const [rowId, setRowId] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [limit, setLimit] = useState(PAGE)
  const [check, setCheck] = useState<AuditChainCheck | null>(null)
  const [busy, setBusy] = useState<'verify' | 'export' | null>(null)
  const [error, setError] = useState<unknown>(null)
  const filter = {
    tableName: /^[a-z_]{1,64}$/.test(tableName) ? tableName : null,
    rowId: rowId.trim() || null,
    from: isCalendarDate(from) ? from : null,
    to: isCalendarDate(to) ? to : null
  }
  const list = useChannel('audit:list', { ...filter, limit }, { placeholderData: (previous) => previous })
  const data = list.data

  const verify = async () => {
    setBusy('verify')
    setError(null)
    try {
      setCheck(await call('audit:verify', {}))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(null)
    }
  }
  const exportCsv = async () => {
    setBusy('export')
    setError(null)
    try {
      const file = await call('audit:export', filter)
      download(file.fileName, file.csv, 'text/csv;charset=utf-8')
      notifications.show({ color: 'teal', title: 'Export prêt', message: `${file.rows} entrées dans ${file.fileName}` })
    } catch (e) {
      setError(e)
    } finally {
      setBusy(null)
    }
  }

  return (
    <Card withBorder data-testid="audit-card">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Journal d’audit</Title>
        <Group gap="xs">
          <Button size="xs" variant="light" loading={busy === 'verify'} onClick={verify} data-testid="audit-verify">
            Vérifier l’intégrité
          </Button>
          <Button size="xs" variant="light" loading={busy === 'export'} onClick={exportCsv} data-testid="audit-export">
            Exporter (CSV)
          </Button>
        </Group>
      </Group>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Chaque modification de la base est enregistrée ici (qui, quand, quoi, valeurs avant et après). Les entrées ne
          peuvent être ni modifiées ni supprimées, et chacune porte une empreinte SHA-256 qui dépend de la précédente.
        </Text>
        {check && (
          <Alert color={check.ok ? 'teal' : 'red'} data-testid="audit-check">
            {check.message}
          </Alert>
        )}
        {error !== null && <ErrorPanel error={error} />}
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Table"
            placeholder="collection_case"
            value={tableName}
            onChange={(e) => setTableName(e.currentTarget.value)}
            w={180}
          />
          <TextInput
            label="Ligne (identifiant)"
            value={rowId}
            onChange={(e) => setRowId(e.currentTarget.value)}
            w={300}
          />
          <TextInput label="Du (AAAA-MM-JJ)" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={140} />
          <TextInput label="Au (AAAA-MM-JJ)" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={140} />
        </Group>
        {list.isError && <ErrorPanel error={list.error} />}
        {data && (
          <ScrollArea h={420}>
            <Table striped stickyHeader data-testid="audit-list" fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>N°</Table.Th>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Utilisateur</Table.Th>
                  <Table.Th>Opération</Table.Th>
                  <Table.Th>Table / ligne</Table.Th>
                  <Table.Th>Valeurs</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.entries.map((e) => (
                  <Table.Tr key={e.seq} data-testid="audit-row">
                    <Table.Td className="tabular">{e.seq}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(e.at)}</Table.Td>
                    <Table.Td>{e.userName}</Table.Td>
                    <Table.Td>
                      <Badge size="xs" variant="light">
                        {AUDIT_OPERATION_LABELS[e.operation] ?? e.operation}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {e.action}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Code>{e.tableName}</Code>
                      <Text size="xs" c="dimmed">
                        {e.rowId ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" lineClamp={3}>
                        {changes(e)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {data.hasMore && limit < MAX_SHOWN && (
              <Group justify="center" mt="sm">
                <Button size="xs" variant="subtle" onClick={() => setLimit((n) => Math.min(MAX_SHOWN, n + PAGE))}>
                  Afficher plus
                </Button>
              </Group>
            )}
          </ScrollArea>
        )}
      </Stack>
    </Card>
  )
}
