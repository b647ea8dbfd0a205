import { useEffect, useMemo, useState } from 'react'
import { BarChart, CompositeChart, DonutChart } from '@mantine/charts'
import {
  Card,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip
} from '@mantine/core'
import { CASE_AGE_BUCKET_LABELS, REPORT_KIND_LABELS, type DashboardData, type ReportScopeInput } from '@shared/contract'
import { addMonths, parts, todayInParis, type CalendarDate } from '@shared/dates/calendar-date'
import { CASE_PHASES, PROMISE_STATUSES, type PromiseStatus } from '@shared/domain/enums'
import { formatCents, formatDate, formatInteger } from '@shared/format/french'
import { useChannel } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { ExportButton } from './ExportButton'
import '@mantine/charts/styles.css'
import './reports.css'

const SHORT_MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.']

function monthLabel(month: CalendarDate): string {
  const { year, month: m } = parts(month)
  return `${SHORT_MONTHS[m - 1]} ${String(year).slice(2)}`
}

/** 1 234 567 € → "1,2 M€", 350 000 → "350 k€": chart axes. */
function compactEuros(value: number): string {
  const abs = Math.abs(value)
  if (abs >= 1_000_000) return `${(value / 1_000_000).toFixed(1).replace('.', ',')} M€`
  if (abs >= 100_000) return `${Math.round(value / 1_000)} k€`
  if (abs >= 1_000) return `${(value / 1_000).toFixed(1).replace('.', ',').replace(',0', '')} k€`
  return `${Math.round(value)} €`
}

const euros = (cents: number) => cents / 100
const eurosTooltip = (value: number) => formatCents(Math.round(value * 100))

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1).replace('.', ',')}\u00a0%`
}

type PeriodId = '3' | '6' | '12' | '24' | 'year' | 'last-year'
const PERIODS: Array<{ value: PeriodId; label: string }> = [
  { value: '3', label: '3 derniers mois' },
  { value: '6', label: '6 derniers mois' },
  { value: '12', label: '12 derniers mois' },
  { value: '24', label: '24 derniers mois' },
  { value: 'year', label: 'Année en cours' },
  { value: 'last-year', label: 'Année précédente' }
]

/** The period of a preset, ending today (or the last year's 31 December). */
function periodOf(id: PeriodId, today: CalendarDate): { from: CalendarDate; to: CalendarDate } {
  const { year } = parts(today)
  if (id === 'year') return { from: `${year}-01-01`, to: today }
  if (id === 'last-year') return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` }
  const months = Number(id)
  return { from: addMonths(`${today.slice(0, 7)}-01`, -(months - 1)), to: today }
}

/** The page's filters survive a visit to another page (for the session). */
const FILTERS_KEY = 'recouvra.reports'
interface SavedFilters {
  clientIds: string[]
  collectorIds: string[]
  periodId: PeriodId
}

function readFilters(): SavedFilters {
  const fallback: SavedFilters = { clientIds: [], collectorIds: [], periodId: '12' }
  try {
    const value = JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? 'null') as Partial<SavedFilters> | null
    if (!value) return fallback
    return {
      clientIds: Array.isArray(value.clientIds) ? value.clientIds.filter((v) => typeof v === 'string') : [],
      collectorIds: Array.isArray(value.collectorIds) ? value.collectorIds.filter((v) => typeof v === 'string') : [],
      periodId: PERIODS.some((p) => p.value === value.periodId) ? value.periodId! : '12'
    }
  } catch {
    return fallback
  }
}

const PROMISE_COLORS: Record<PromiseStatus, string> = {
  kept: 'teal.6',
  partially_kept: 'yellow.6',
  broken: 'red.6',
  pending: 'blue.4',
  cancelled: 'gray.5'
}

function Figure({
  label,
  value,
  detail,
  testId
}: {
  label: string
  value: string | undefined
  detail?: string
  testId: string
}) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      {value === undefined ? (
        <Skeleton h={28} mt={6} />
      ) : (
        <Text fz={24} fw={700} className="tabular" data-testid={testId}>
          {value}
        </Text>
      )}
      {detail && (
        <Text size="xs" c="dimmed" className="tabular">
          {detail}
        </Text>
      )}
    </Card>
  )
}

function ChartCard({
  title,
  subtitle,
  children,
  testId
}: {
  title: string
  subtitle?: string
  children: React.ReactNode
  testId: string
}) {
  return (
    <Card withBorder data-testid={testId}>
      <Group justify="space-between" mb="sm" align="baseline">
        <Title order={4}>{title}</Title>
        {subtitle && (
          <Text size="xs" c="dimmed">
            {subtitle}
          </Text>
        )}
      </Group>
      {children}
    </Card>
  )
}

/**
 * The manager's dashboard: recovery over time, aging, pipeline, collectors and promises for a
 * client selection and a period, with the figures of the Excel reports (same functions in the
 * main process), and the buttons that export those reports.
 */
export function ReportsPage() {
  const clients = useChannel('clients:list', {}, { staleTime: 5 * 60_000 })
  const users = useChannel('users:list', {}, { staleTime: 5 * 60_000 })
  const [saved] = useState(readFilters)
  const [clientIds, setClientIds] = useState<string[]>(saved.clientIds)
  const [collectorIds, setCollectorIds] = useState<string[]>(saved.collectorIds)
  const [periodId, setPeriodId] = useState<PeriodId>(saved.periodId)
  useEffect(() => {
    sessionStorage.setItem(FILTERS_KEY, JSON.stringify({ clientIds, collectorIds, periodId }))
  }, [clientIds, collectorIds, periodId])
  const today = todayInParis()
  const period = periodOf(periodId, today)
  const scope: ReportScopeInput = useMemo(
    () => ({
      ...(clientIds.length ? { clientIds } : {}),
      ...(collectorIds.length ? { collectorIds } : {}),
      from: period.from,
      to: period.to
    }),
    [clientIds, collectorIds, period.from, period.to]
  )
  const dashboard = useChannel('reports:dashboard', scope, { placeholderData: (previous) => previous })
  const closed = useChannel('cases:list', {
    limit: 1,
    filters: {
      statuses: ['closed'],
      ...(clientIds.length ? { clientIds } : {}),
      ...(collectorIds.length ? { collectorIds } : {})
    }
  })
  const data = dashboard.data

  return (
    <Stack gap="md" className="reports-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Rapports</Title>
        <Group gap="xs" align="flex-end" data-testid="reports-filters">
          <MultiSelect
            label="Clients"
            size="xs"
            placeholder={clientIds.length ? undefined : 'Tous'}
            data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.legalName }))}
            value={clientIds}
            onChange={setClientIds}
            searchable
            clearable
            nothingFoundMessage="Aucun client"
            w={280}
            maxDropdownHeight={300}
          />
          <MultiSelect
            label="Chargés de recouvrement"
            size="xs"
            placeholder={collectorIds.length ? undefined : 'Tous'}
            data={(users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
            value={collectorIds}
            onChange={setCollectorIds}
            searchable
            clearable
            w={220}
          />
          <Select
            label="Période"
            size="xs"
            data={PERIODS}
            value={periodId}
            onChange={(value) => value && setPeriodId(value as PeriodId)}
            allowDeselect={false}
            w={170}
            data-testid="reports-period"
          />
        </Group>
      </Group>
      <Text size="xs" c="dimmed" data-testid="reports-scope">
        Période du {formatDate(period.from)} au {formatDate(period.to)} · encours et balance âgée au{' '}
        {formatDate(data?.scope.asOf ?? today)} · montants en principal (hors intérêts)
      </Text>

      {dashboard.error ? (
        <ErrorPanel error={dashboard.error} title="Les rapports ne peuvent pas être calculés" />
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, md: 3 }}>
            <Figure
              label="Dossiers actifs"
              value={data && formatInteger(data.totals.openCount)}
              detail="En cours et suspendus"
              testId="report-open-count"
            />
            <Figure
              label="Encours à recouvrer"
              value={data && formatCents(data.totals.openBalanceCents)}
              testId="report-open-balance"
            />
            <Figure
              label="Dossiers clôturés"
              value={closed.data && formatInteger(closed.data.total)}
              testId="report-closed-count"
            />
            <Figure
              label="Taux de recouvrement"
              value={data && percent(data.totals.rate)}
              detail={
                data &&
                `${formatCents(data.totals.recoveredCents)} sur ${formatCents(data.totals.placedCents)} confiés dans la période`
              }
              testId="report-recovery-rate"
            />
            <Figure
              label="Encaissements de la période"
              value={data && formatCents(data.totals.collectedCents)}
              detail={
                data?.totals.averageDaysToRecover != null
                  ? `Délai moyen de recouvrement : ${Math.round(data.totals.averageDaysToRecover)} jours`
                  : undefined
              }
              testId="report-collected"
            />
            <Figure
              label="Promesses tenues"
              value={data && percent(data.promises.keptRate)}
              detail="Des promesses échues faites dans la période"
              testId="report-kept-rate"
            />
          </SimpleGrid>

          <ChartCard
            title="Recouvrement dans le temps"
            subtitle="Par mois : montant confié et recouvré sur les dossiers ouverts ce mois-là, encaissements du mois"
            testId="chart-recovery"
          >
            {data ? <RecoveryChart data={data} /> : <Skeleton h={280} />}
          </ChartCard>

          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <ChartCard title="Balance âgée" subtitle="Solde dû par ancienneté de l’impayé" testId="chart-aging">
              {data ? (
                <BarChart
                  h={260}
                  data={data.aging.map((b) => ({
                    tranche: CASE_AGE_BUCKET_LABELS[b.bucket],
                    solde: euros(b.balanceCents),
                    dossiers: b.count
                  }))}
                  dataKey="tranche"
                  series={[{ name: 'solde', label: 'Solde dû', color: 'orange.6' }]}
                  valueFormatter={eurosTooltip}
                  yAxisProps={{ tickFormatter: compactEuros, width: 70 }}
                  withBarValueLabel
                  valueLabelProps={{ formatter: (v: unknown) => compactEuros(Number(v)), fontSize: 11 }}
                />
              ) : (
                <Skeleton h={260} />
              )}
            </ChartCard>
            <ChartCard title="Dossiers actifs par phase" subtitle="En cours et suspendus" testId="chart-pipeline">
              {data ? (
                <BarChart
                  h={260}
                  data={data.pipeline.map((p) => ({
                    phase: CASE_PHASES.labels[p.phase],
                    dossiers: p.count,
                    solde: euros(p.balanceCents)
                  }))}
                  dataKey="phase"
                  orientation="vertical"
                  series={[{ name: 'dossiers', label: 'Dossiers', color: 'indigo.6' }]}
                  valueFormatter={(v) => formatInteger(Math.round(v))}
                  yAxisProps={{ width: 120 }}
                  withBarValueLabel
                  valueLabelProps={{ formatter: (v: unknown) => formatInteger(Math.round(Number(v))), fontSize: 11 }}
                />
              ) : (
                <Skeleton h={260} />
              )}
            </ChartCard>
          </SimpleGrid>

          <SimpleGrid cols={{ base: 1, lg: 3 }}>
            <div className="reports-span-2">
              <ChartCard
                title="Performance des chargés de recouvrement"
                subtitle="Encaissé sur leurs dossiers dans la période"
                testId="chart-collectors"
              >
                {data ? <CollectorsChart data={data} /> : <Skeleton h={280} />}
              </ChartCard>
            </div>
            <ChartCard
              title="Promesses de paiement"
              subtitle="Faites dans la période, selon leur suite"
              testId="chart-promises"
            >
              {data ? <PromisesChart data={data} /> : <Skeleton h={280} />}
            </ChartCard>
          </SimpleGrid>

          {data && <CollectorsTable data={data} />}
        </>
      )}

      <Card withBorder data-testid="reports-exports">
        <Title order={4} mb={4}>
          Exports Excel
        </Title>
        <Text size="xs" c="dimmed" mb="sm">
          Avec les clients, chargés de recouvrement et la période choisis ci-dessus ; une feuille de paramètres, une
          feuille par axe, des totaux en formules. La vue du portefeuille s’exporte depuis la page Portefeuille.
        </Text>
        <Group gap="xs">
          <ExportButton input={{ kind: 'aging', scope }} label={REPORT_KIND_LABELS.aging} testId="export-aging" />
          <ExportButton
            input={{ kind: 'recovery', scope }}
            label={REPORT_KIND_LABELS.recovery}
            testId="export-recovery"
          />
          <ExportButton
            input={{ kind: 'activity', scope }}
            label={REPORT_KIND_LABELS.activity}
            testId="export-activity"
          />
          <Tooltip label="Encaissements de la période non encore reversés, par client (relevés non enregistrés)">
            <ExportButton
              input={{ kind: 'remittance', scope: { ...scope, collectorIds: undefined } }}
              label={REPORT_KIND_LABELS.remittance}
              testId="export-remittance"
            />
          </Tooltip>
        </Group>
      </Card>
    </Stack>
  )
}

function RecoveryChart({ data }: { data: DashboardData }) {
  return (
    <CompositeChart
      h={280}
      data={data.months.map((m) => ({
        mois: monthLabel(m.month),
        confie: euros(m.placedCents),
        recouvre: euros(m.recoveredCents),
        encaisse: euros(m.collectedCents)
      }))}
      dataKey="mois"
      series={[
        { name: 'confie', label: 'Confié', color: 'gray.5', type: 'bar' },
        { name: 'recouvre', label: 'Recouvré sur ces dossiers', color: 'teal.6', type: 'bar' },
        { name: 'encaisse', label: 'Encaissements du mois', color: 'blue.7', type: 'line' }
      ]}
      valueFormatter={eurosTooltip}
      yAxisProps={{ tickFormatter: compactEuros, width: 70 }}
      withLegend
      legendProps={{ verticalAlign: 'bottom' }}
      maxBarWidth={28}
    />
  )
}

function CollectorsChart({ data }: { data: DashboardData }) {
  const rows = data.collectors
    .filter((c) => c.collectedCents !== 0 || c.calls > 0)
    .sort((a, b) => b.collectedCents - a.collectedCents)
    .slice(0, 15)
  return (
    <BarChart
      h={Math.max(220, rows.length * 26 + 40)}
      data={rows.map((c) => ({ gestionnaire: c.collectorName, encaisse: euros(c.collectedCents) }))}
      dataKey="gestionnaire"
      orientation="vertical"
      series={[{ name: 'encaisse', label: 'Encaissé', color: 'teal.6' }]}
      valueFormatter={eurosTooltip}
      xAxisProps={{ tickFormatter: compactEuros }}
      yAxisProps={{ width: 150 }}
    />
  )
}

function PromisesChart({ data }: { data: DashboardData }) {
  const slices = data.promises.byStatus
    .filter((s) => s.count > 0)
    .map((s) => ({ name: PROMISE_STATUSES.labels[s.status], value: s.count, color: PROMISE_COLORS[s.status] }))
  return (
    <Stack align="center" gap="xs">
      <DonutChart
        h={200}
        data={slices.length ? slices : [{ name: 'Aucune', value: 1, color: 'gray.3' }]}
        chartLabel={percent(data.promises.keptRate) + ' tenues'}
        valueFormatter={(v) => formatInteger(Math.round(v))}
        withTooltip
        size={180}
        thickness={26}
      />
      <Group gap="sm" justify="center">
        {data.promises.byStatus.map((s) => (
          <Group key={s.status} gap={4} wrap="nowrap">
            <span
              className="reports-swatch"
              style={{ background: `var(--mantine-color-${PROMISE_COLORS[s.status].replace('.', '-')})` }}
            />
            <Text size="xs" className="tabular">
              {PROMISE_STATUSES.labels[s.status]} : {formatInteger(s.count)}
            </Text>
          </Group>
        ))}
      </Group>
    </Stack>
  )
}

function CollectorsTable({ data }: { data: DashboardData }) {
  const rows = data.collectors.filter((c) => c.calls > 0 || c.collectedCents !== 0 || c.promisesMade > 0)
  return (
    <Card withBorder data-testid="collectors-table">
      <Title order={4} mb="sm">
        Activité des chargés de recouvrement
      </Title>
      <Table.ScrollContainer minWidth={800}>
        <Table striped highlightOnHover className="tabular">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Chargé de recouvrement</Table.Th>
              <Table.Th ta="right">Appels</Table.Th>
              <Table.Th ta="right">Taux de contact</Table.Th>
              <Table.Th ta="right">Promesses faites</Table.Th>
              <Table.Th ta="right">Taux de tenue</Table.Th>
              <Table.Th ta="right">Échéanciers négociés</Table.Th>
              <Table.Th ta="right">Encaissé</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={String(c.collectorId)}>
                <Table.Td>{c.collectorName}</Table.Td>
                <Table.Td ta="right">{formatInteger(c.calls)}</Table.Td>
                <Table.Td ta="right">{c.calls ? percent(c.contactRate) : '—'}</Table.Td>
                <Table.Td ta="right">{formatInteger(c.promisesMade)}</Table.Td>
                <Table.Td ta="right">{c.promisesKept + c.promisesFailed ? percent(c.promisesKeptRate) : '—'}</Table.Td>
                <Table.Td ta="right">{formatInteger(c.plansNegotiated)}</Table.Td>
                <Table.Td ta="right">{formatCents(c.collectedCents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  )
}
