import { useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { SyncConflictView } from '@shared/contract'
import { CASE_PHASES, CASE_STATUSES, CLOSURE_REASONS } from '@shared/domain/enums'
import { formatCents, formatDate, formatInstant, formatInteger } from '@shared/format/french'
import { useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useAuth } from '../auth/AuthGate'

/** French names of the fields a conflict can be about. */
const FIELD_LABELS: Record<string, string> = {
  number: 'Numéro',
  attachedRecords: 'Enregistrements rattachés',
  kind: 'Type',
  status: 'Statut',
  phase: 'Phase',
  closureReason: 'Motif de clôture',
  closedOn: 'Clôturé le',
  nextActionOn: 'Prochaine action',
  address: 'Adresse e-mail',
  line1: 'Adresse',
  line2: 'Complément',
  postalCode: 'Code postal',
  city: 'Ville',
  priority: 'Priorité',
  collectorId: 'Chargé de recouvrement',
  displayName: 'Nom',
  amountCents: 'Montant',
  dueOn: 'Échéance'
}

const CODE_LABELS: Record<string, Record<string, string>> = {
  status: CASE_STATUSES.labels,
  phase: CASE_PHASES.labels,
  closureReason: CLOSURE_REASONS.labels
}

function shown(column: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'number' && column.endsWith('Cents')) return formatCents(value)
  const text = String(value)
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDate(text)
  return CODE_LABELS[column]?.[text] ?? text
}

function when(instant: string | null): string {
  return instant ? formatInstant(instant) : 'jamais'
}

export function FieldPage() {
  const status = useChannel('sync:status', {})
  if (status.isPending) return <Text c="dimmed">Chargement…</Text>
  if (status.isError) return <ErrorPanel error={status.error} />
  return (
    <Stack gap="lg" data-testid="field-page">
      <Title order={2}>Travail terrain</Title>
      {status.data.fieldCopy ? <FieldCopy /> : <OfficeCheckouts />}
    </Stack>
  )
}

/** On a laptop's copy: what it holds, what waits to be sent, the sync button, the conflicts. */
function FieldCopy() {
  const status = useChannel('sync:status', {})
  const run = useChannelMutation('sync:run', {
    onSuccess: (r) =>
      notifications.show({
        color: r.openConflicts > 0 ? 'orange' : 'teal',
        message:
          `Synchronisation terminée${r.resumed ? ' (reprise)' : ''} : ${r.sent} envoyé(s), ${r.pulled} reçu(s)` +
          (r.openConflicts > 0 ? `, ${r.openConflicts} conflit(s) à résoudre` : '') +
          (r.waiting > 0 ? ` ; ${r.waiting} enregistrement(s) en attente d’un conflit` : '')
      })
  })
  const [confirmReturn, setConfirmReturn] = useState(false)
  const giveBack = useChannelMutation('sync:return', {
    onSuccess: (r) => {
      setConfirmReturn(false)
      notifications.show({
        color: 'teal',
        message: `Dossiers rendus au cabinet : ${r.caseCount} dossier(s), synchronisation finale (${r.sent} envoyé(s), ${r.pulled} reçu(s)).`
      })
    }
  })
  if (!status.data?.fieldCopy) return null
  const s = status.data
  const returned = s.lastRunStatus === 'returned'
  const open = s.conflicts.filter((c) => c.status === 'open')
  const resolved = s.conflicts.filter((c) => c.status === 'resolved')
  return (
    <Stack gap="md">
      <Card withBorder data-testid="field-copy">
        <Stack gap={6}>
          <Group justify="space-between">
            <Title order={4}>Copie terrain : {s.label}</Title>
            <Badge
              color={s.lastRunStatus === 'done' ? 'teal' : returned ? 'gray' : 'orange'}
              data-testid="field-run-status"
            >
              {s.lastRunStatus === 'done'
                ? 'Synchronisée'
                : returned
                  ? 'Rendue au cabinet'
                  : s.lastRunStatus === 'running'
                    ? 'Synchronisation en cours'
                    : 'Synchronisation interrompue'}
            </Badge>
          </Group>
          <Text size="sm">
            Poste <b>{s.deviceId}</b> — {formatInteger(s.caseCount)} dossier(s) sortis le {when(s.checkedOutAt)}
          </Text>
          <Text size="sm">Base du cabinet : {s.officeLocation}</Text>
          <Text size="sm" data-testid="field-last-sync">
            Dernière synchronisation : {when(s.lastSyncAt)}
          </Text>
          <Text size="sm" data-testid="field-pending">
            À envoyer au cabinet : {formatInteger(s.pendingNew)} nouvel(s) enregistrement(s),{' '}
            {formatInteger(s.pendingEdits)} modification(s)
            {s.pendingWaiting > 0 &&
              `, ${formatInteger(s.pendingWaiting)} en attente de la résolution d’un conflit (envoyés ensuite)`}
          </Text>
          {s.resumable && (
            <Alert color="orange" data-testid="field-resumable">
              La dernière synchronisation a été coupée
              {s.lastError ? ` (${s.lastError})` : ''} : la prochaine reprendra où elle s’est arrêtée, sans rien envoyer
              deux fois.
            </Alert>
          )}
          {returned ? (
            <Alert color="gray" data-testid="field-returned">
              Dossiers rendus au cabinet le {when(s.lastSyncAt)} : cette copie terrain est en lecture seule et ne se
              synchronise plus. Vous pouvez supprimer son dossier de cet ordinateur.
            </Alert>
          ) : (
            <Group>
              <Button onClick={() => run.mutate({})} loading={run.isPending} data-testid="field-sync-run">
                Synchroniser avec le cabinet
              </Button>
              {!confirmReturn && (
                <Button variant="default" onClick={() => setConfirmReturn(true)} data-testid="field-return">
                  Rendre les dossiers
                </Button>
              )}
            </Group>
          )}
          {confirmReturn && !returned && (
            <Alert color="blue" data-testid="field-return-confirm">
              <Stack gap="xs">
                <Text size="sm">
                  Une dernière synchronisation envoie vos saisies au cabinet, qui reprend alors les{' '}
                  {formatInteger(s.caseCount)} dossier(s). Cette copie passe en lecture seule. Les conflits doivent être
                  réglés avant.
                </Text>
                <Group>
                  <Button
                    onClick={() => giveBack.mutate({})}
                    loading={giveBack.isPending}
                    data-testid="field-return-submit"
                  >
                    Synchroniser et rendre les dossiers
                  </Button>
                  <Button variant="subtle" onClick={() => setConfirmReturn(false)}>
                    Annuler
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {run.isError && <ErrorPanel error={run.error} />}
          {giveBack.isError && <ErrorPanel error={giveBack.error} />}
        </Stack>
      </Card>

      <Title order={3}>Conflits à résoudre ({open.length})</Title>
      {open.length === 0 ? (
        <Text c="dimmed" data-testid="field-no-conflict">
          Aucun conflit en attente.
        </Text>
      ) : (
        open.map((c) => <ConflictCard key={c.id} conflict={c} />)
      )}
      {resolved.length > 0 && (
        <>
          <Title order={4}>Conflits résolus</Title>
          <Table data-testid="field-resolved">
            <Table.Tbody>
              {resolved.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.label}</Table.Td>
                  <Table.Td>
                    {c.resolution === 'mine'
                      ? 'Valeur du terrain gardée'
                      : c.resolution === 'office'
                        ? 'Valeur du cabinet gardée'
                        : 'Nouvelle valeur saisie'}
                  </Table.Td>
                  <Table.Td>{c.resolvedAt ? formatInstant(c.resolvedAt) : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  )
}

function ConflictCard({ conflict }: { conflict: SyncConflictView }) {
  const [editing, setEditing] = useState(false)
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(conflict.columns).map(([k, v]) => [k, v.mine == null ? '' : String(v.mine)]))
  )
  const resolve = useChannelMutation('sync:resolve', {
    onSuccess: () => notifications.show({ color: 'teal', message: 'Conflit résolu (noté au journal du dossier)' })
  })
  const closed = conflict.kind === 'case-closed'
  const deleted = conflict.kind === 'office-deleted'
  return (
    <Card withBorder data-testid="field-conflict">
      <Stack gap="xs">
        <Text fw={600}>{conflict.label}</Text>
        {closed && (
          <Text size="sm" c="dimmed">
            Le cabinet a clôturé ce dossier pendant que vous négociiez sur le terrain : rouvrir le dossier pour garder
            votre accord, ou garder la clôture (votre accord est alors annulé, mais conservé dans l’historique).
          </Text>
        )}
        {deleted && (
          <Text size="sm" c="dimmed">
            Le cabinet a supprimé cet élément pendant que vous le modifiiez sur le terrain : le garder (il sera recréé
            au cabinet à la prochaine synchronisation) ou accepter la suppression.
          </Text>
        )}
        {conflict.waitingLine && (
          <Alert color="orange" data-testid="conflict-waiting">
            {conflict.waitingLine}
          </Alert>
        )}
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Champ</Table.Th>
              <Table.Th>Au départ</Table.Th>
              <Table.Th>Terrain (vous)</Table.Th>
              <Table.Th>Cabinet</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {Object.entries(conflict.columns).map(([column, v]) => (
              <Table.Tr key={column}>
                <Table.Td>{FIELD_LABELS[column] ?? column}</Table.Td>
                <Table.Td>{shown(column, v.base)}</Table.Td>
                <Table.Td data-testid="conflict-mine">{shown(column, v.mine)}</Table.Td>
                <Table.Td data-testid="conflict-office">{shown(column, v.office)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {editing && (
          <Group align="end">
            {Object.keys(conflict.columns).map((column) => (
              <TextInput
                key={column}
                label={`Nouvelle valeur — ${FIELD_LABELS[column] ?? column}`}
                value={values[column] ?? ''}
                onChange={(e) => setValues({ ...values, [column]: e.currentTarget.value })}
              />
            ))}
            <Button
              onClick={() => resolve.mutate({ conflictId: conflict.id, choice: 'edit', values })}
              loading={resolve.isPending}
            >
              Enregistrer
            </Button>
          </Group>
        )}
        <Group>
          <Button
            variant="light"
            onClick={() => resolve.mutate({ conflictId: conflict.id, choice: 'mine' })}
            loading={resolve.isPending}
            data-testid="conflict-keep-mine"
          >
            {closed
              ? 'Rouvrir le dossier et garder mon accord'
              : deleted
                ? 'Garder et recréer au cabinet'
                : 'Garder ma valeur'}
          </Button>
          <Button
            variant="light"
            color="gray"
            onClick={() => resolve.mutate({ conflictId: conflict.id, choice: 'office' })}
            loading={resolve.isPending}
            data-testid="conflict-keep-office"
          >
            {closed ? 'Garder la clôture du cabinet' : deleted ? 'Accepter la suppression' : 'Garder celle du cabinet'}
          </Button>
          {!closed && !editing && (
            <Button variant="subtle" onClick={() => setEditing(true)}>
              Saisir une autre valeur…
            </Button>
          )}
        </Group>
        {resolve.isError && <ErrorPanel error={resolve.error} />}
      </Stack>
    </Card>
  )
}

/** At the office: check cases out to a collector's laptop, and see who has which cases out. */
function OfficeCheckouts() {
  const auth = useAuth()
  const users = useChannel('users:list', {})
  const clients = useChannel('clients:list', {})
  const views = useChannel('portfolio:list-views', {})
  const checkouts = useChannel('sync:checkouts', {})
  const [mode, setMode] = useState<'client' | 'view'>('client')
  const [collectorId, setCollectorId] = useState<string | null>(auth?.user.role === 'collector' ? auth.user.id : null)
  const [clientId, setClientId] = useState<string | null>(null)
  const [viewId, setViewId] = useState<string | null>(null)
  const [deviceId, setDeviceId] = useState('')
  const [targetDir, setTargetDir] = useState('')
  const checkout = useChannelMutation('sync:checkout', {
    onSuccess: (r) =>
      notifications.show({
        color: 'teal',
        message: `Copie terrain créée : ${r.caseCount} dossier(s) dans ${r.targetDir}`
      })
  })
  const selection = mode === 'client' ? (clientId ? { clientId } : null) : viewId ? { viewId } : null
  const ready = !!collectorId && !!selection && deviceId.trim() !== '' && targetDir.trim() !== ''
  return (
    <Stack gap="md">
      <Card withBorder data-testid="checkout-form">
        <Stack gap="sm">
          <Title order={4}>Sortir des dossiers sur le terrain</Title>
          <Text size="sm" c="dimmed">
            Une copie de travail est écrite dans un dossier vide (clé USB, dossier du portable) : le collaborateur
            l’ouvre avec Recouvra et travaille sans réseau. Au retour, « Synchroniser » renvoie son travail au cabinet.
            Les dossiers restent modifiables au cabinet : les modifications faites des deux côtés sont signalées à la
            synchronisation.
          </Text>
          <Select
            label="Collaborateur"
            placeholder="Choisir"
            data={(users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.displayName }))}
            value={collectorId}
            onChange={setCollectorId}
            disabled={auth?.user.role === 'collector'}
            searchable
            data-testid="checkout-collector"
          />
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v as 'client' | 'view')}
            data={[
              { value: 'client', label: 'Portefeuille d’un client' },
              { value: 'view', label: 'Vue enregistrée' }
            ]}
          />
          {mode === 'client' ? (
            <Select
              label="Client"
              placeholder="Choisir"
              data={(clients.data ?? []).map((c) => ({
                value: c.id,
                label: `${c.legalName} (${c.openCaseCount} dossier(s))`
              }))}
              value={clientId}
              onChange={setClientId}
              searchable
              data-testid="checkout-client"
            />
          ) : (
            <Select
              label="Vue du portefeuille"
              placeholder="Choisir"
              data={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
              value={viewId}
              onChange={setViewId}
              data-testid="checkout-view"
            />
          )}
          <Group grow>
            <TextInput
              label="Poste (ordinateur portable)"
              placeholder="PC-Julie"
              value={deviceId}
              onChange={(e) => setDeviceId(e.currentTarget.value)}
              data-testid="checkout-device"
            />
            <TextInput
              label="Dossier de destination (vide)"
              placeholder="/media/cle-usb/terrain"
              value={targetDir}
              onChange={(e) => setTargetDir(e.currentTarget.value)}
              data-testid="checkout-target"
            />
          </Group>
          <Group>
            <Button
              disabled={!ready}
              loading={checkout.isPending}
              onClick={() =>
                selection &&
                collectorId &&
                checkout.mutate({ collectorId, deviceId: deviceId.trim(), targetDir: targetDir.trim(), ...selection })
              }
              data-testid="checkout-submit"
            >
              Créer la copie terrain
            </Button>
          </Group>
          {checkout.isError && <ErrorPanel error={checkout.error} />}
        </Stack>
      </Card>

      <Title order={3}>Dossiers sortis</Title>
      {checkouts.isError ? (
        <ErrorPanel error={checkouts.error} />
      ) : (checkouts.data ?? []).length === 0 ? (
        <Text c="dimmed">Aucun dossier n’est sorti sur le terrain.</Text>
      ) : (
        <Table striped data-testid="checkouts-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Sélection</Table.Th>
              <Table.Th>Collaborateur</Table.Th>
              <Table.Th>Poste</Table.Th>
              <Table.Th ta="right">Dossiers</Table.Th>
              <Table.Th>Sortis le</Table.Th>
              <Table.Th>Dernière synchronisation</Table.Th>
              <Table.Th>Conflits</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(checkouts.data ?? []).map((c) => (
              <Table.Tr key={c.id} data-testid="checkout-row">
                <Table.Td>
                  {c.label}{' '}
                  {c.status === 'returned' && (
                    <Badge color="gray" size="sm" data-testid="checkout-returned">
                      Rendue
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{c.collectorName ?? '—'}</Table.Td>
                <Table.Td>{c.deviceId}</Table.Td>
                <Table.Td ta="right">{formatInteger(c.caseCount)}</Table.Td>
                <Table.Td>{formatInstant(c.createdAt)}</Table.Td>
                <Table.Td>{when(c.lastSyncAt)}</Table.Td>
                <Table.Td>
                  {c.openConflicts > 0 ? <Badge color="orange">{c.openConflicts}</Badge> : <Text size="sm">—</Text>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
