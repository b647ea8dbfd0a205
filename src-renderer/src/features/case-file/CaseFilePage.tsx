import { Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useEffect } from 'react'
import { formatCents, formatDate, formatInstant } from '@shared/format/french'
import { CALL_OUTCOMES } from '@shared/domain/enums'
import { useChannel } from '../../api/client'
import { useNavigation } from '../../app/navigation'
import { ErrorPanel } from '../../components/ErrorPanel'
import { PhaseBadge, StatusBadge } from '../../components/badges'

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </div>
  )
}

/** The case file (dossier). Esc goes back to where it was opened from. */
export function CaseFilePage({ caseId }: { caseId: string }) {
  const { closeCase } = useNavigation()
  const summary = useChannel('cases:get-summary', { id: caseId })

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (
        event.key === 'Escape' &&
        !(event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement)
      ) {
        closeCase()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [closeCase])

  if (summary.isPending) return <Loader />
  if (summary.isError) return <ErrorPanel error={summary.error} title="Ce dossier ne peut pas être ouvert" />
  const c = summary.data
  return (
    <Stack gap="md" data-testid="case-file">
      <Group justify="space-between">
        <Group gap="sm">
          <Button variant="subtle" size="xs" onClick={closeCase}>
            ← Retour (Échap)
          </Button>
          <Title order={2}>{c.debtorName}</Title>
          <PhaseBadge phase={c.phase} />
          <StatusBadge row={c} />
        </Group>
        <Text c="dimmed" className="tabular">
          Dossier {c.reference}
        </Text>
      </Group>
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, md: 4, xl: 6 }}>
          <Field label="Client">{c.clientName}</Field>
          <Field label="Chargé de recouvrement">{c.collectorName ?? 'Non affecté'}</Field>
          <Field label="Ouvert le">{formatDate(c.openedOn)}</Field>
          <Field label="Prochaine action">{c.nextActionOn ? formatDate(c.nextActionOn) : '—'}</Field>
          <Field label="Dernier contact">
            {c.lastContactAt
              ? `${formatInstant(c.lastContactAt)}${c.lastContactOutcome ? ` · ${CALL_OUTCOMES.labels[c.lastContactOutcome]}` : ''}`
              : 'Aucun'}
          </Field>
          <Field label="Plus ancienne échéance">{c.oldestDueOn ? formatDate(c.oldestDueOn) : '—'}</Field>
        </SimpleGrid>
      </Card>
      <SimpleGrid cols={3}>
        <Card withBorder>
          <Field label="Principal">{formatCents(c.principalCents)}</Field>
        </Card>
        <Card withBorder>
          <Field label="Payé">{formatCents(c.paidCents)}</Field>
        </Card>
        <Card withBorder>
          <Field label="Solde dû">{formatCents(c.balanceCents)}</Field>
        </Card>
      </SimpleGrid>
    </Stack>
  )
}
