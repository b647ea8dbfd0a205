import type { ReactNode } from 'react'
import { Button, Chip, Group, MultiSelect, NumberInput, Select, Stack } from '@mantine/core'
import {
  CASE_AGE_BUCKET_LABELS,
  CASE_AGE_BUCKETS,
  CASE_PRESCRIPTION_WINDOW_LABELS,
  CASE_PRESCRIPTION_WINDOWS,
  type CaseAgeBucket,
  type CaseListFilters,
  type CasePrescriptionWindow
} from '@shared/contract'
import { CASE_PHASES, CASE_STATUSES, type CasePhase, type CaseStatus } from '@shared/domain/enums'
import { useChannel } from '../../api/client'

const phaseOptions = CASE_PHASES.values.map((value) => ({ value, label: CASE_PHASES.labels[value] }))
const statusOptions = CASE_STATUSES.values.map((value) => ({ value, label: CASE_STATUSES.labels[value] }))
const ageOptions = CASE_AGE_BUCKETS.map((value) => ({ value, label: CASE_AGE_BUCKET_LABELS[value] }))
const prescriptionOptions = CASE_PRESCRIPTION_WINDOWS.map((value) => ({
  value,
  label: CASE_PRESCRIPTION_WINDOW_LABELS[value]
}))

const euros = (cents: number | undefined) => (cents === undefined ? '' : cents / 100)
const cents = (value: string | number) =>
  value === '' || value === null || Number.isNaN(Number(value)) ? undefined : Math.round(Number(value) * 100)

/**
 * Every filter of the portfolio but the search box; all run in the main process. Changing one
 * calls `onChange` with the new filters (the page then goes back to the first row).
 */
export function FilterBar({
  filters,
  onChange,
  search
}: {
  filters: CaseListFilters
  onChange(filters: CaseListFilters): void
  /** The search box, first of the bar. */
  search: ReactNode
}) {
  const clients = useChannel('clients:list', {}, { staleTime: 5 * 60_000 })
  const users = useChannel('users:list', {}, { staleTime: 5 * 60_000 })
  const set = (patch: Partial<CaseListFilters>) => onChange({ ...filters, ...patch })
  const clear = (label: string) => ({ 'aria-label': `Effacer le filtre de ${label}` })

  return (
    <Stack gap={6} data-testid="portfolio-filters">
      <Group gap="xs" align="flex-start" wrap="nowrap">
        {search}
        <MultiSelect
          label="Phase"
          size="xs"
          placeholder={filters.phases?.length ? undefined : 'Toutes'}
          data={phaseOptions}
          value={filters.phases ?? []}
          onChange={(value) => set({ phases: value as CasePhase[] })}
          clearable
          clearButtonProps={clear('phase')}
          w={200}
        />
        <MultiSelect
          label="Statut"
          size="xs"
          placeholder={filters.statuses?.length ? undefined : 'Tous'}
          data={statusOptions}
          value={filters.statuses ?? []}
          onChange={(value) => set({ statuses: value as CaseStatus[] })}
          clearable
          clearButtonProps={clear('statut')}
          w={236}
        />
        <Select
          label="Client"
          size="xs"
          placeholder="Tous"
          data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.legalName }))}
          value={filters.clientIds?.[0] ?? null}
          onChange={(value) => set({ clientIds: value ? [value] : undefined })}
          searchable
          clearable
          clearButtonProps={clear('client')}
          nothingFoundMessage="Aucun client"
          w={210}
        />
        <Select
          label="Chargé"
          size="xs"
          placeholder="Tous"
          data={(users.data ?? [])
            .filter((u) => u.role === 'collector')
            .map((u) => ({ value: u.id, label: u.displayName }))}
          value={filters.collectorIds?.[0] ?? null}
          onChange={(value) => set({ collectorIds: value ? [value] : undefined })}
          searchable
          clearable
          clearButtonProps={clear('chargé')}
          nothingFoundMessage="Aucun chargé"
          w={170}
        />
      </Group>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NumberInput
          label="Solde min (€)"
          size="xs"
          value={euros(filters.balanceMinCents)}
          onChange={(value) => set({ balanceMinCents: cents(value) })}
          min={0}
          decimalScale={2}
          thousandSeparator=" "
          decimalSeparator=","
          hideControls
          w={105}
        />
        <NumberInput
          label="Solde max (€)"
          size="xs"
          value={euros(filters.balanceMaxCents)}
          onChange={(value) => set({ balanceMaxCents: cents(value) })}
          min={0}
          decimalScale={2}
          thousandSeparator=" "
          decimalSeparator=","
          hideControls
          w={105}
          error={
            filters.balanceMinCents !== undefined &&
            filters.balanceMaxCents !== undefined &&
            filters.balanceMinCents > filters.balanceMaxCents
              ? 'Inférieur au minimum'
              : undefined
          }
        />
        <MultiSelect
          label="Retard"
          size="xs"
          placeholder={filters.ageBuckets?.length ? undefined : 'Tous'}
          data={ageOptions}
          value={filters.ageBuckets ?? []}
          onChange={(value) => set({ ageBuckets: value as CaseAgeBucket[] })}
          clearable
          clearButtonProps={clear('retard')}
          w={190}
        />
        <Select
          label="Prescription"
          size="xs"
          placeholder="Toutes"
          data={prescriptionOptions}
          value={filters.prescriptionWithin ?? null}
          onChange={(value) => set({ prescriptionWithin: (value as CasePrescriptionWindow | null) ?? undefined })}
          clearable
          clearButtonProps={clear('prescription')}
          data-testid="filter-prescription"
          w={216}
        />
        <Group gap={6} pb={4} wrap="wrap">
          <Chip size="xs" checked={Boolean(filters.mine)} onChange={(mine) => set({ mine })}>
            Mes dossiers
          </Chip>
          <Chip size="xs" checked={Boolean(filters.nextActionDue)} onChange={(nextActionDue) => set({ nextActionDue })}>
            Action à faire
          </Chip>
          <Chip size="xs" checked={Boolean(filters.brokenPromise)} onChange={(brokenPromise) => set({ brokenPromise })}>
            Promesse non tenue
          </Chip>
          <Chip size="xs" checked={Boolean(filters.planInDefault)} onChange={(planInDefault) => set({ planInDefault })}>
            Échéancier défaillant
          </Chip>
        </Group>
        <Button size="xs" variant="subtle" onClick={() => onChange(filters.text ? { text: filters.text } : {})}>
          Effacer les filtres
        </Button>
      </Group>
    </Stack>
  )
}
