import { useState } from 'react'
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Spoiler,
  Stack,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { RemittanceDto, RemittanceList, RemittancePreview } from '@shared/contract'
import { addDays, addMonths, fromParts, parts, todayInParis } from '@shared/dates/calendar-date'
import { PAYMENT_METHODS, PAYMENT_RECEIVERS, REMITTANCE_STATUSES } from '@shared/domain/enums'
import { formatBasisPoints, formatCents, formatDate } from '@shared/format/french'
import { useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel, fieldError } from '../../components/ErrorPanel'
import { dateError } from '../case-file/money-fields'
import { RemittanceStatementButton } from '../documents/RemittanceStatementButton'

type RemittanceRow = RemittanceList['remittances'][number]

function Figure({ label, cents, strong, testId }: { label: string; cents: number; strong?: boolean; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={strong ? 700 : 500} size={strong ? 'lg' : 'md'} className="tabular" data-testid={testId}>
        {formatCents(cents)}
      </Text>
    </div>
  )
}

/** Totals, due date and lines of a remittance statement (preview or saved). */
function RemittanceStatement({ preview, today }: { preview: RemittancePreview; today: string }) {
  const { totals } = preview
  const late = preview.lines.filter((l) => l.late && l.receivedBy === 'agency')
  return (
    <Stack gap="sm" data-testid="remittance-preview">
      <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }}>
        <Figure label="Encaissé par le cabinet" cents={totals.agencyCollectedCents} testId="remittance-agency" />
        <Figure label="Reçu directement par le client" cents={totals.clientCollectedCents} testId="remittance-client" />
        <Figure label="Commission" cents={totals.commissionCents} testId="remittance-commission" />
        <Figure
          label={`TVA sur commission (${formatBasisPoints(totals.vatRateBp)})`}
          cents={totals.vatCents}
          testId="remittance-vat"
        />
        <Figure label="Net" cents={totals.netCents} />
        <Figure label="À reverser au client" cents={totals.toRemitCents} strong testId="remittance-to-remit" />
        {totals.dueByClientCents > 0 && (
          <Figure
            label="Dû par le client au cabinet"
            cents={totals.dueByClientCents}
            strong
            testId="remittance-due-by-client"
          />
        )}
      </SimpleGrid>
      <Text size="sm" data-testid="remittance-due-on">
        {preview.dueOn
          ? `À reverser au plus tard le ${formatDate(preview.dueOn)} (fonds remis au client dans le mois de l’encaissement, CPCE R124-6, sauf délai prévu au mandat).`
          : 'Aucun encaissement du cabinet sur la période : rien à reverser.'}
      </Text>
      {preview.dueOn && preview.dueOn < today && (
        <Alert color="red" p="xs" data-testid="remittance-late">
          Le délai de reversement est dépassé depuis le {formatDate(preview.dueOn)} : {late.length} encaissement
          {late.length > 1 ? 's' : ''} en retard.
        </Alert>
      )}
      {preview.earlierUnremitted.count > 0 && (
        <Alert color="orange" p="xs">
          {preview.earlierUnremitted.count} encaissement{preview.earlierUnremitted.count > 1 ? 's' : ''} antérieur
          {preview.earlierUnremitted.count > 1 ? 's' : ''} à la période (
          {formatCents(preview.earlierUnremitted.amountCents)}
          {preview.earlierUnremitted.oldestCollectedOn
            ? `, le plus ancien du ${formatDate(preview.earlierUnremitted.oldestCollectedOn)}`
            : ''}
          ) n’ont jamais été reversés : élargissez la période pour les inclure.
        </Alert>
      )}
      {preview.lines.length === 0 ? (
        <Text size="sm" c="dimmed">
          Aucun paiement à reverser sur cette période.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={800} maxHeight={360}>
          <Table striped stickyHeader className="tabular" data-testid="remittance-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Dossier</Table.Th>
                <Table.Th>Reçu le</Table.Th>
                <Table.Th>Encaissé le</Table.Th>
                <Table.Th>Moyen</Table.Th>
                <Table.Th>Reçu par</Table.Th>
                <Table.Th ta="right">Montant</Table.Th>
                <Table.Th ta="right">Commission</Table.Th>
                <Table.Th>À reverser le</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.lines.map((l) => (
                <Table.Tr key={l.paymentId}>
                  <Table.Td>{l.caseReference}</Table.Td>
                  <Table.Td>{formatDate(l.receivedOn)}</Table.Td>
                  <Table.Td>{formatDate(l.collectedOn)}</Table.Td>
                  <Table.Td>{PAYMENT_METHODS.labels[l.method]}</Table.Td>
                  <Table.Td>
                    {l.receivedBy === 'client' ? (
                      <Badge size="sm" variant="light" color="grape" tt="none">
                        {PAYMENT_RECEIVERS.labels[l.receivedBy]}
                      </Badge>
                    ) : (
                      PAYMENT_RECEIVERS.labels[l.receivedBy]
                    )}
                  </Table.Td>
                  <Table.Td ta="right" c={l.amountCents < 0 ? 'red' : undefined}>
                    {formatCents(l.amountCents)}
                  </Table.Td>
                  <Table.Td ta="right">
                    {formatCents(l.commissionCents)}{' '}
                    <Text span size="xs" c="dimmed">
                      ({formatBasisPoints(l.commissionRateBp)})
                    </Text>
                  </Table.Td>
                  <Table.Td c={l.late ? 'red' : undefined}>
                    {l.receivedBy === 'agency' ? formatDate(l.dueOn) : '—'}
                    {l.late && l.receivedBy === 'agency' ? ' (en retard)' : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  )
}

function MarkPaidDialog({
  remittance,
  today,
  onClose
}: {
  remittance: RemittanceRow | RemittanceDto
  today: string
  onClose: () => void
}) {
  const [paidOn, setPaidOn] = useState(today)
  const [transfer, setTransfer] = useState('')
  const [touched, setTouched] = useState(false)
  const markPaid = useChannelMutation('remittances:mark-paid', {
    onSuccess: (r) => notifications.show({ color: 'teal', message: `Relevé ${r.reference} marqué comme reversé` })
  })
  const paidOnError = dateError(paidOn, {
    max: today,
    maxLabel: 'La date du virement ne peut pas être postérieure à aujourd’hui'
  })
  return (
    <Modal opened onClose={onClose} title={`Reversement ${remittance.reference}`}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          setTouched(true)
          if (paidOnError) return
          markPaid.mutate(
            { remittanceId: remittance.id, paidOn, transferReference: transfer.trim() || null },
            { onSuccess: onClose }
          )
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            {formatCents(remittance.totals.toRemitCents)} à reverser à {remittance.clientName}, au plus tard le{' '}
            {formatDate(remittance.dueOn)}.
          </Text>
          <TextInput
            type="date"
            label="Virement effectué le"
            required
            value={paidOn}
            max={today}
            onChange={(e) => setPaidOn(e.currentTarget.value)}
            error={(touched ? paidOnError : undefined) ?? fieldError(markPaid.error, 'paidOn')}
            data-autofocus
          />
          <TextInput
            label="Référence du virement"
            value={transfer}
            onChange={(e) => setTransfer(e.currentTarget.value)}
            error={fieldError(markPaid.error, 'transferReference')}
          />
          {markPaid.error && !markPaid.error.issues?.length ? <ErrorPanel error={markPaid.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" type="button" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={markPaid.isPending} data-testid="remittance-mark-paid-submit">
              Marquer comme reversé
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

function StatusBadge({ row }: { row: RemittanceRow }) {
  return (
    <Group gap={4}>
      <Badge size="sm" variant="light" color={row.status === 'paid' ? 'teal' : 'blue'} tt="none">
        {REMITTANCE_STATUSES.labels[row.status]}
      </Badge>
      {row.late && (
        <Badge size="sm" variant="light" color="red" tt="none">
          {row.status === 'paid' ? 'Reversé en retard' : 'En retard'}
        </Badge>
      )}
    </Group>
  )
}

/** Previous month, first to last day: the usual period of a remittance statement. */
function previousMonth(today: string): { from: string; to: string } {
  const { year, month } = parts(today)
  const first = fromParts(year, month, 1)
  return { from: addMonths(first, -1), to: addDays(first, -1) }
}

/**
 * Reversements: for a client and a period, the statement of what the agency collected, its
 * commission and VAT, and the net to remit by the R124-6 deadline; saved, then marked paid.
 */
export function RemittancesPage() {
  const today = todayInParis()
  const clients = useChannel('clients:list', {})
  const [clientId, setClientId] = useState<string | null>(null)
  const [period, setPeriod] = useState(() => previousMonth(today))
  const [asked, setAsked] = useState<{ clientId: string; from: string; to: string } | null>(null)
  const [status, setStatus] = useState<'all' | 'pending' | 'paid'>('all')
  const [paying, setPaying] = useState<RemittanceRow | RemittanceDto | null>(null)
  const preview = useChannel('remittances:preview', asked!, { enabled: asked !== null, retry: false })
  const list = useChannel('remittances:list', status === 'all' ? {} : { status })
  const create = useChannelMutation('remittances:create', {
    onSuccess: (r) => notifications.show({ color: 'teal', message: `Relevé de reversement ${r.reference} créé` })
  })

  const errors = {
    from: dateError(period.from, { max: today, maxLabel: 'Le début de période est dans le futur' }),
    to: dateError(period.to, {
      min: period.from,
      minLabel: 'La fin de la période précède son début',
      max: today,
      maxLabel: 'La fin de période est dans le futur'
    })
  }
  const canPreview = clientId !== null && !errors.from && !errors.to
  const created = create.data && asked && create.data.clientId === asked.clientId ? create.data : null

  return (
    <Stack>
      <Title order={2}>Reversements</Title>
      {list.data && list.data.alerts.length > 0 && (
        <Alert
          color={list.data.alerts.some((a) => a.late) ? 'red' : 'orange'}
          title={`Fonds à reverser : ${list.data.alerts.length} client${list.data.alerts.length > 1 ? 's' : ''} (${formatCents(list.data.alerts.reduce((sum, a) => sum + a.amountCents, 0))})`}
          data-testid="remittance-alerts"
        >
          <Spoiler maxHeight={88} showLabel="Voir tous les clients" hideLabel="Réduire">
            <Stack gap={2}>
              {list.data.alerts.map((a) => (
                <Text key={a.clientId} size="sm">
                  <Anchor component="button" size="sm" onClick={() => setClientId(a.clientId)}>
                    {a.clientName}
                  </Anchor>{' '}
                  : {formatCents(a.amountCents)} ({a.paymentCount} encaissement{a.paymentCount > 1 ? 's' : ''}) à
                  reverser {a.late ? 'depuis le' : 'au plus tard le'} {formatDate(a.earliestDueOn)}
                  {a.late ? ' — en retard' : ''}
                </Text>
              ))}
            </Stack>
          </Spoiler>
        </Alert>
      )}
      <Card withBorder>
        <Text fw={600} mb="xs">
          Nouveau relevé de reversement
        </Text>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            if (canPreview) {
              create.reset()
              setAsked({ clientId: clientId!, from: period.from, to: period.to })
            }
          }}
        >
          <Group align="flex-start" gap="sm">
            <Select
              label="Client"
              placeholder={clients.isPending ? 'Chargement…' : 'Choisir un client'}
              searchable
              w={320}
              data={(clients.data ?? []).map((c) => ({ value: c.id, label: `${c.legalName} (${c.code})` }))}
              value={clientId}
              onChange={setClientId}
              nothingFoundMessage="Aucun client"
              data-testid="remittance-client"
            />
            <TextInput
              type="date"
              label="Du"
              value={period.from}
              max={today}
              onChange={(e) => {
                const from = e.currentTarget.value
                setPeriod((p) => ({ ...p, from }))
              }}
              error={errors.from ?? fieldError(preview.error, 'from')}
              data-testid="remittance-from"
            />
            <TextInput
              type="date"
              label="Au"
              value={period.to}
              max={today}
              onChange={(e) => {
                const to = e.currentTarget.value
                setPeriod((p) => ({ ...p, to }))
              }}
              error={errors.to ?? fieldError(preview.error, 'to')}
              data-testid="remittance-to"
            />
            <Button type="submit" mt={25} disabled={!canPreview} data-testid="remittance-preview-button">
              Prévisualiser
            </Button>
          </Group>
        </form>
        {asked && (
          <Stack gap="sm" mt="md">
            {preview.isPending ? (
              <Loader size="sm" />
            ) : preview.isError ? (
              <ErrorPanel error={preview.error} />
            ) : created ? (
              <Alert color="teal" title={`Relevé ${created.reference} créé`} data-testid="remittance-created">
                <Group justify="space-between">
                  <Text size="sm">
                    {formatCents(created.totals.toRemitCents)} à reverser à {created.clientName} au plus tard le{' '}
                    {formatDate(created.dueOn)}.
                  </Text>
                  <Button size="xs" variant="white" onClick={() => setPaying(created)}>
                    Marquer comme reversé
                  </Button>
                </Group>
              </Alert>
            ) : (
              <>
                <Text size="sm" fw={500}>
                  {preview.data.clientName} — du {formatDate(preview.data.periodFrom)} au{' '}
                  {formatDate(preview.data.periodTo)}
                </Text>
                <RemittanceStatement preview={preview.data} today={today} />
                {create.error ? <ErrorPanel error={create.error} title="Relevé non créé" /> : null}
                <Group justify="flex-end">
                  <Button
                    onClick={() => create.mutate(asked)}
                    loading={create.isPending}
                    disabled={preview.data.lines.length === 0}
                    data-testid="remittance-create"
                  >
                    Créer le relevé
                  </Button>
                </Group>
              </>
            )}
          </Stack>
        )}
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>Relevés</Text>
          <SegmentedControl
            size="xs"
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            data={[
              { value: 'all', label: 'Tous' },
              { value: 'pending', label: REMITTANCE_STATUSES.labels.pending },
              { value: 'paid', label: REMITTANCE_STATUSES.labels.paid }
            ]}
          />
        </Group>
        {list.isPending ? (
          <Loader size="sm" />
        ) : list.isError ? (
          <ErrorPanel error={list.error} />
        ) : list.data.remittances.length === 0 ? (
          <Text size="sm" c="dimmed">
            Aucun relevé de reversement.
          </Text>
        ) : (
          <Table striped highlightOnHover className="tabular" data-testid="remittances-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Référence</Table.Th>
                <Table.Th>Client</Table.Th>
                <Table.Th>Période</Table.Th>
                <Table.Th ta="right">Encaissé</Table.Th>
                <Table.Th ta="right">Commission TTC</Table.Th>
                <Table.Th ta="right">À reverser</Table.Th>
                <Table.Th>Échéance</Table.Th>
                <Table.Th>Statut</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.remittances.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.reference}</Table.Td>
                  <Table.Td>{r.clientName}</Table.Td>
                  <Table.Td>
                    {formatDate(r.periodFrom)} – {formatDate(r.periodTo)}
                  </Table.Td>
                  <Table.Td ta="right">{formatCents(r.totals.agencyCollectedCents)}</Table.Td>
                  <Table.Td ta="right">{formatCents(r.totals.commissionCents + r.totals.vatCents)}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {formatCents(r.totals.toRemitCents)}
                  </Table.Td>
                  <Table.Td>{formatDate(r.dueOn)}</Table.Td>
                  <Table.Td>
                    <StatusBadge row={r} />
                    {r.paidOn && (
                      <Text size="xs" c="dimmed">
                        le {formatDate(r.paidOn)}
                        {r.transferReference ? ` · ${r.transferReference}` : ''}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <RemittanceStatementButton remittanceId={r.id} />
                    {r.status === 'pending' && (
                      <Button size="compact-xs" variant="light" onClick={() => setPaying(r)}>
                        Marquer reversé
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {paying && <MarkPaidDialog remittance={paying} today={today} onClose={() => setPaying(null)} />}
    </Stack>
  )
}
