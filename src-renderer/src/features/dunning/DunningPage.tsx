import { useEffect, useMemo, useRef, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  Progress,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import {
  DUNNING_SKIP_LABELS,
  type DunningBatchDetail,
  type DunningJobStatus,
  type DunningPreviewItem
} from '@shared/contract'
import { todayInParis } from '@shared/dates/calendar-date'
import { DUNNING_CHANNEL_LABELS, type DunningChannel } from '@shared/dunning/scenario'
import { CASE_PHASES } from '@shared/domain/enums'
import { formatCents, formatDate, formatInteger } from '@shared/format/french'
import { call, useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useNavigation } from '../../app/navigation'
import { BatchOutbox } from './BatchOutbox'

const CHANNEL_COLORS: Record<DunningChannel, string> = {
  letter: 'blue',
  registered_letter: 'red',
  email: 'teal',
  sms: 'grape',
  call: 'orange'
}

const SHORT_CHANNEL_LABELS: Record<DunningChannel, string> = {
  letter: 'Courrier',
  registered_letter: 'LRAR',
  email: 'E-mail',
  sms: 'SMS',
  call: 'Appel'
}

type Selection = { mode: 'all_except' | 'only'; keys: Set<string> }

const keyOf = (item: { caseId: string; stepId: string }) => `${item.caseId}:${item.stepId}`
const MAX_ROWS = 500

export function ChannelBadge({ channel }: { channel: DunningChannel }) {
  return (
    <Badge
      size="sm"
      variant="light"
      color={CHANNEL_COLORS[channel]}
      title={DUNNING_CHANNEL_LABELS[channel]}
      style={{ overflow: 'visible', flexShrink: 0 }}
    >
      {SHORT_CHANNEL_LABELS[channel]}
    </Badge>
  )
}

function downloadPdf(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The daily run: preview, confirm, progress with cancel, then the batch. */
export function DunningPage() {
  const [at, setAt] = useState(todayInParis())
  // Today's preview is shown as soon as the page opens; nothing is done before confirmation.
  const [requestedAt, setRequestedAt] = useState<string | null>(() => todayInParis())
  const preview = useChannel('dunning:preview', { at: requestedAt ?? at }, { enabled: requestedAt !== null })
  // The selection: every step due but `keys`, or only `keys` (the page shows the first 1,000).
  const [selection, setSelection] = useState<Selection>({ mode: 'all_except', keys: new Set() })
  const [job, setJob] = useState<DunningJobStatus | null>(null)
  const [batchId, setBatchId] = useState<string | null>(null)
  const queryClient = useQueryClient()
  /** Jobs whose end was handled: polls still in flight when it ended are ignored. */
  const finished = useRef(new Set<string>())

  const items = useMemo(() => preview.data?.items ?? [], [preview.data])
  const total = preview.data?.totalItems ?? 0
  const confirmedCount = selection.mode === 'all_except' ? total - selection.keys.size : selection.keys.size

  const start = useChannelMutation('dunning:start', {
    onSuccess: (status) => {
      setJob(status)
      setBatchId(null)
    }
  })

  // Poll the job while it runs.
  const running = job !== null && (job.state === 'running' || job.state === 'writing')
  useEffect(() => {
    if (!running || !job) return
    const timer = setInterval(() => {
      call('dunning:job', { jobId: job.jobId }).then(
        (status) => {
          if (finished.current.has(status.jobId)) return
          setJob(status)
          if (status.state === 'running' || status.state === 'writing') return
          finished.current.add(status.jobId)
          void queryClient.invalidateQueries()
          if (status.state === 'done') {
            setBatchId(status.batchId)
            notifications.show({ color: 'green', message: status.message ?? 'Lot enregistré.' })
            setRequestedAt(null)
            setSelection({ mode: 'all_except', keys: new Set() })
          } else if (status.state === 'cancelled') {
            notifications.show({ color: 'yellow', message: status.message ?? 'Génération annulée.' })
          } else if (status.state === 'failed') {
            notifications.show({ color: 'red', message: status.message ?? 'La génération a échoué.' })
          }
        },
        () => undefined
      )
    }, 400)
    return () => clearInterval(timer)
  }, [running, job, queryClient])

  const percent = job && job.total > 0 ? Math.round((job.done / job.total) * 100) : 0

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Relances</Title>
        <Group align="flex-end">
          <TextInput
            type="date"
            label="Date des relances"
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            data-testid="dunning-date"
            w={180}
          />
          <Button
            onClick={() => {
              setSelection({ mode: 'all_except', keys: new Set() })
              setJob(null)
              setBatchId(null)
              if (requestedAt === at) void preview.refetch()
              else setRequestedAt(at)
            }}
            disabled={running || !at}
            data-testid="dunning-preview"
          >
            Prévisualiser
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Le moteur examine chaque dossier ouvert et propose l’étape due de son scénario. Rien n’est envoyé ni enregistré
        avant votre confirmation ; une étape n’est jamais faite deux fois.
      </Text>

      {job && (
        <Card withBorder data-testid="dunning-job">
          <Group justify="space-between" mb="xs">
            <Text fw={500}>
              {job.state === 'running'
                ? `Préparation des courriers : ${formatInteger(job.done)} / ${formatInteger(job.total)}`
                : job.state === 'writing'
                  ? 'Enregistrement du lot…'
                  : (job.message ?? '')}
            </Text>
            {running && (
              <Button
                color="red"
                variant="light"
                size="xs"
                onClick={() => void call('dunning:cancel', { jobId: job.jobId }).then(setJob)}
                data-testid="dunning-cancel"
              >
                Annuler
              </Button>
            )}
          </Group>
          <Progress
            value={job.state === 'done' ? 100 : percent}
            animated={running}
            color={job.state === 'cancelled' || job.state === 'failed' ? 'red' : 'blue'}
            data-testid="dunning-progress"
          />
          {job.failures.length > 0 && (
            <Alert color="orange" mt="sm" title={`${job.failures.length} étape(s) non faite(s)`}>
              {job.failures.slice(0, 20).map((f) => (
                <Text size="sm" key={`${f.caseId}-${f.stepName}`}>
                  {f.caseReference} — {f.stepName} : {f.reason}
                </Text>
              ))}
            </Alert>
          )}
        </Card>
      )}

      {batchId && <BatchCard batchId={batchId} />}

      {requestedAt !== null && preview.isFetching && (
        <Group>
          <Loader size="sm" />
          <Text size="sm">Examen des dossiers…</Text>
        </Group>
      )}
      {preview.isError && <ErrorPanel error={preview.error} />}
      {requestedAt !== null && preview.data && !preview.isFetching && !batchId && (
        <PreviewCard
          items={items}
          selection={selection}
          setSelection={setSelection}
          data={preview.data}
          confirmedCount={confirmedCount}
          disabled={running || start.isPending}
          onConfirm={() =>
            start.mutate({
              at: preview.data.at,
              fingerprint: preview.data.fingerprint,
              selection: selection.mode,
              keys: [...selection.keys]
            })
          }
        />
      )}
      {start.isError && <ErrorPanel error={start.error} />}
      <RecentBatches onOpen={setBatchId} />
    </Stack>
  )
}

function PreviewCard(props: {
  items: DunningPreviewItem[]
  selection: Selection
  setSelection: (s: Selection) => void
  data: NonNullable<ReturnType<typeof useChannel<'dunning:preview'>>['data']>
  confirmedCount: number
  disabled: boolean
  onConfirm: () => void
}) {
  const { items, selection, setSelection, data } = props
  const included = (key: string) => (selection.mode === 'all_except') !== selection.keys.has(key)
  const { openCase } = useNavigation()
  const letters = (data.byChannel.letter ?? 0) + (data.byChannel.registered_letter ?? 0)
  const calls = data.byChannel.call ?? 0
  const everything = selection.mode === 'all_except' && selection.keys.size === 0
  const nothing = selection.mode === 'only' && selection.keys.size === 0
  return (
    <Card withBorder data-testid="dunning-preview-card">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={4}>Aperçu au {formatDate(data.at)}</Title>
          <Text size="sm" c="dimmed">
            {formatInteger(data.casesExamined)} dossiers examinés en {formatInteger(data.durationMs)} ms —{' '}
            {formatInteger(data.totalItems)} étape(s) dues dont {formatInteger(letters)} courrier(s) et{' '}
            {formatInteger(calls)} appel(s)
          </Text>
        </div>
        <Button
          onClick={props.onConfirm}
          disabled={props.disabled || props.confirmedCount === 0}
          data-testid="dunning-confirm"
        >
          Confirmer et générer ({formatInteger(props.confirmedCount)})
        </Button>
      </Group>
      {data.uncheckedLetters > 0 && (
        <Alert color="blue" mb="sm" data-testid="dunning-unchecked">
          {formatInteger(data.uncheckedLetters)} courrier(s) n’ont pas leur décompte vérifié dans cet aperçu (limité aux
          3 000 premiers) : chacun le sera à la génération, et un courrier refusé (taux manquant, créance prescrite…)
          sera signalé avec sa raison, sans rien enregistrer pour son dossier.
        </Alert>
      )}
      {data.errors.length > 0 && (
        <Alert
          color="orange"
          mb="sm"
          title={`${data.errors.length} dossier(s) à régulariser`}
          data-testid="dunning-errors"
        >
          <ScrollArea.Autosize mah={160}>
            {data.errors.map((e) => (
              <Text size="sm" key={`${e.caseId}-${e.stepName}`}>
                <b>{e.caseReference}</b> — {e.stepName} : {e.reason}
              </Text>
            ))}
          </ScrollArea.Autosize>
        </Alert>
      )}
      {Object.keys(data.skipped).length > 0 && (
        <Group gap="xs" mb="sm" data-testid="dunning-skipped">
          {Object.entries(data.skipped).map(([code, n]) => (
            <Badge
              key={code}
              variant="outline"
              color="gray"
              title={data.skippedSamples
                .filter((s) => s.code === code)
                .map((s) => `${s.caseReference} : ${s.reason}`)
                .join('\n')}
            >
              {DUNNING_SKIP_LABELS[code] ?? code} : {formatInteger(n)}
            </Badge>
          ))}
        </Group>
      )}
      {data.totalItems === 0 ? (
        <Text c="dimmed">Aucune étape due à cette date.</Text>
      ) : (
        <ScrollArea.Autosize mah={520}>
          <Table striped highlightOnHover stickyHeader data-testid="dunning-items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>
                  <Checkbox
                    aria-label="Tout sélectionner"
                    checked={everything}
                    indeterminate={!everything && !nothing}
                    onChange={() =>
                      setSelection(
                        everything ? { mode: 'only', keys: new Set() } : { mode: 'all_except', keys: new Set() }
                      )
                    }
                  />
                </Table.Th>
                <Table.Th>Dossier</Table.Th>
                <Table.Th>Débiteur</Table.Th>
                <Table.Th>Client</Table.Th>
                <Table.Th>Étape</Table.Th>
                <Table.Th>Envoi</Table.Th>
                <Table.Th>Prévue le</Table.Th>
                <Table.Th ta="right">Solde</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.slice(0, MAX_ROWS).map((item) => {
                const key = keyOf(item)
                return (
                  <Table.Tr key={key} data-testid="dunning-item">
                    <Table.Td>
                      <Checkbox
                        aria-label={`Inclure ${item.caseReference}`}
                        checked={included(key)}
                        onChange={() => {
                          const next = new Set(selection.keys)
                          if (next.has(key)) next.delete(key)
                          else next.add(key)
                          setSelection({ mode: selection.mode, keys: next })
                        }}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Text
                        size="sm"
                        c="blue"
                        onClick={() => openCase(item.caseId)}
                        className="tabular"
                        style={{ cursor: 'pointer', whiteSpace: 'nowrap' }}
                      >
                        {item.caseReference}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{item.debtorName}</Text>
                      <Text size="xs" c="dimmed">
                        {item.postalCode ?? 'sans code postal'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" lineClamp={1}>
                        {item.clientName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{item.stepName}</Text>
                      {item.phaseChange && (
                        <Text size="xs" c="orange">
                          Passage en phase « {CASE_PHASES.labels[item.phaseChange]} »
                        </Text>
                      )}
                      {item.caughtUp.length > 0 && (
                        <Text size="xs" c="dimmed" title={item.caughtUp.join(', ')}>
                          {item.caughtUp.length} étape(s) antérieure(s) passée(s)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td miw={100}>
                      <ChannelBadge channel={item.channel} />
                    </Table.Td>
                    <Table.Td className="tabular">{formatDate(item.dueOn)}</Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatCents(item.balanceCents)}
                    </Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
          {data.totalItems > Math.min(items.length, MAX_ROWS) && (
            <Text size="sm" c="dimmed" mt="xs">
              … et {formatInteger(data.totalItems - Math.min(items.length, MAX_ROWS))} autre(s) étape(s),{' '}
              {selection.mode === 'all_except' ? 'comprises' : 'non comprises'} dans la génération.
            </Text>
          )}
        </ScrollArea.Autosize>
      )}
    </Card>
  )
}

function RecentBatches({ onOpen }: { onOpen: (id: string) => void }) {
  const batches = useChannel('dunning:batches', { limit: 10 })
  if (!batches.data || batches.data.length === 0) return null
  return (
    <Card withBorder>
      <Title order={4} mb="sm">
        Lots récents
      </Title>
      <Table data-testid="dunning-batches">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th ta="right">Étapes</Table.Th>
            <Table.Th ta="right">Courriers</Table.Th>
            <Table.Th>À envoyer</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {batches.data.map((b) => (
            <Table.Tr key={b.id}>
              <Table.Td>{formatDate(b.runOn)}</Table.Td>
              <Table.Td ta="right">{formatInteger(b.actionCount)}</Table.Td>
              <Table.Td ta="right">{formatInteger(b.letterCount)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {b.unsentLetters > 0 && (
                    <Badge color="orange" variant="light">
                      {b.unsentLetters} à poster
                    </Badge>
                  )}
                  {b.unsentMessages > 0 && (
                    <Badge color="grape" variant="light">
                      {b.unsentMessages} e-mail/SMS à envoyer
                    </Badge>
                  )}
                  {b.unsentLetters === 0 && b.unsentMessages === 0 && (
                    <Badge color="green" variant="light">
                      Envoyé
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" onClick={() => onOpen(b.id)}>
                  Ouvrir
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  )
}

function BatchCard({ batchId }: { batchId: string }) {
  const batch = useChannel('dunning:batch', { batchId })
  const [sentOn, setSentOn] = useState(todayInParis())
  const [tracking, setTracking] = useState<Record<string, string>>({})
  const { openCase } = useNavigation()
  const completeTask = useChannelMutation('dunning:complete-task')
  const markSent = useChannelMutation('dunning:mark-sent', {
    onSuccess: (r) => notifications.show({ color: 'green', message: `${r.updated} envoi(s) marqué(s) envoyé(s).` })
  })
  if (batch.isError) return <ErrorPanel error={batch.error} />
  if (!batch.data) return <Loader size="sm" />
  const b: DunningBatchDetail = batch.data
  const unsent = b.actions.filter(
    (a) => (a.channel === 'letter' || a.channel === 'registered_letter') && a.sentOn === null
  )
  const registered = unsent.filter((a) => a.channel === 'registered_letter')
  return (
    <Card withBorder data-testid="dunning-batch">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={4}>Lot du {formatDate(b.runOn)}</Title>
          <Text size="sm" c="dimmed">
            {formatInteger(b.actionCount)} étape(s), {formatInteger(b.letterCount)} courrier(s) à imprimer, dans l’ordre
            des codes postaux
          </Text>
        </div>
        {b.hasPrintFile && (
          <Button
            variant="light"
            data-testid="dunning-print"
            onClick={() =>
              void call('dunning:print-file', { batchId }).then(
                (f) => downloadPdf(f.fileName, f.base64),
                (error: unknown) =>
                  notifications.show({ color: 'red', message: (error as Error).message ?? 'Fichier indisponible' })
              )
            }
          >
            Fichier d’impression (PDF)
          </Button>
        )}
      </Group>
      <ScrollArea.Autosize mah={420}>
        <Table striped data-testid="dunning-batch-actions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>CP</Table.Th>
              <Table.Th>Dossier</Table.Th>
              <Table.Th>Débiteur</Table.Th>
              <Table.Th>Étape</Table.Th>
              <Table.Th>Envoi</Table.Th>
              <Table.Th>État</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {b.actions.map((a) => (
              <Table.Tr key={a.id} data-testid="dunning-batch-action">
                <Table.Td className="tabular">{a.postalCode ?? '—'}</Table.Td>
                <Table.Td>
                  <Text
                    size="sm"
                    c="blue"
                    style={{ cursor: 'pointer', whiteSpace: 'nowrap' }}
                    onClick={() => openCase(a.caseId)}
                  >
                    {a.caseReference}
                  </Text>
                </Table.Td>
                <Table.Td>{a.debtorName}</Table.Td>
                <Table.Td>{a.stepName}</Table.Td>
                <Table.Td miw={100}>
                  <ChannelBadge channel={a.channel} />
                </Table.Td>
                <Table.Td>
                  {a.channel === 'call' ? (
                    a.completedOn ? (
                      <Text size="sm">Fait le {formatDate(a.completedOn)}</Text>
                    ) : (
                      <Group gap="xs" wrap="nowrap">
                        <Text size="sm">Dans l’agenda</Text>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          onClick={() => completeTask.mutate({ actionId: a.id })}
                          loading={completeTask.isPending}
                        >
                          Marquer fait
                        </Button>
                      </Group>
                    )
                  ) : a.sentOn ? (
                    <Text size="sm">
                      Envoyé le {formatDate(a.sentOn)}
                      {a.trackingNumber ? ` — n° ${a.trackingNumber}` : ''}
                    </Text>
                  ) : a.channel === 'registered_letter' ? (
                    <TextInput
                      size="xs"
                      placeholder="N° de suivi LRAR"
                      aria-label={`Numéro de suivi ${a.caseReference}`}
                      value={tracking[a.id] ?? ''}
                      onChange={(e) => setTracking({ ...tracking, [a.id]: e.currentTarget.value })}
                    />
                  ) : (
                    <Text size="sm" c="orange">
                      {a.channel === 'letter' ? 'À poster' : 'À envoyer'}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {unsent.length > 0 && (
        <Group mt="md" align="flex-end">
          <TextInput
            type="date"
            label="Date d’envoi"
            value={sentOn}
            onChange={(e) => setSentOn(e.currentTarget.value)}
            w={180}
          />
          <Button
            onClick={() =>
              markSent.mutate({
                batchId,
                sentOn,
                tracking: Object.fromEntries(
                  registered.filter((a) => tracking[a.id]?.trim()).map((a) => [a.id, tracking[a.id]!.trim()])
                )
              })
            }
            loading={markSent.isPending}
            data-testid="dunning-mark-sent"
          >
            Marquer {unsent.length} courrier(s) comme posté(s)
          </Button>
          {registered.length > 0 && (
            <Text size="xs" c="dimmed">
              {registered.length} lettre(s) recommandée(s) : saisissez chaque numéro de suivi.
            </Text>
          )}
        </Group>
      )}
      {markSent.isError && <ErrorPanel error={markSent.error} />}
      <BatchOutbox batchId={batchId} />
    </Card>
  )
}
