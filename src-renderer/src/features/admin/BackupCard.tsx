import { useState } from 'react'
import { Alert, Badge, Button, Card, Code, Group, Modal, NumberInput, Stack, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { BACKUP_KIND_LABELS, type BackupInfo } from '@shared/contract'
import { formatInstant, formatInteger } from '@shared/format/french'
import { useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { RestoreFromFile } from './RestoreFromFile'

const SHOWN = 12

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${formatInteger(Math.max(1, Math.round(bytes / 1024)))} Ko`
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`
}

/** Paramètres › Sauvegardes: list, manual backup, restore (after confirmation), retention. */
export function BackupCard() {
  const overview = useChannel('backup:list', {})
  const [toRestore, setToRestore] = useState<BackupInfo | null>(null)
  const [retention, setRetention] = useState<number | string>('')
  const create = useChannelMutation('backup:create', {
    onSuccess: (b) =>
      notifications.show({
        color: 'teal',
        title: 'Sauvegarde faite',
        message: `${b.name} (${formatSize(b.sizeBytes)})`
      })
  })
  const restore = useChannelMutation('backup:restore', {
    onSuccess: (r) => {
      setToRestore(null)
      notifications.show({
        color: 'teal',
        title: 'Base restaurée',
        message: `État du ${formatInstant(r.restored.createdAt)} rétabli. L’état précédent est gardé dans ${r.safetyBackup.name}.`
      })
    }
  })
  const setRetentionDays = useChannelMutation('backup:set-retention', {
    onSuccess: (o) =>
      notifications.show({
        color: 'teal',
        title: 'Durée de conservation enregistrée',
        message: `${o.retentionDays} jours`
      })
  })

  return (
    <Card withBorder data-testid="backup-card">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Sauvegardes</Title>
        <Group gap="xs">
          <RestoreFromFile />
          <Button size="xs" loading={create.isPending} onClick={() => create.mutate({})} data-testid="backup-create">
            Sauvegarder maintenant
          </Button>
        </Group>
      </Group>
      {create.error && <ErrorPanel error={create.error} />}
      {overview.isError && <ErrorPanel error={overview.error} />}
      {overview.data && (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Une sauvegarde est faite automatiquement chaque jour et avant chaque mise à jour de la base, dans{' '}
            <Code>{overview.data.folder}</Code>. Les sauvegardes manuelles sont gardées jusqu’à ce que vous les
            supprimiez.
          </Text>
          <Group align="flex-end" gap="sm">
            <NumberInput
              label="Garder les sauvegardes automatiques (jours)"
              min={1}
              max={3650}
              w={300}
              value={retention === '' ? overview.data.retentionDays : retention}
              onChange={setRetention}
              data-testid="backup-retention"
            />
            <Button
              variant="light"
              disabled={retention === '' || retention === overview.data.retentionDays}
              loading={setRetentionDays.isPending}
              onClick={() => setRetentionDays.mutate({ retentionDays: Number(retention) })}
            >
              Enregistrer
            </Button>
          </Group>
          {setRetentionDays.error && <ErrorPanel error={setRetentionDays.error} />}
          {overview.data.backups.length === 0 ? (
            <Text size="sm">Aucune sauvegarde pour l’instant.</Text>
          ) : (
            <Table striped data-testid="backup-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th ta="right">Taille</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {overview.data.backups.slice(0, SHOWN).map((b) => (
                  <Table.Tr key={b.name} data-testid="backup-row">
                    <Table.Td>{formatInstant(b.createdAt)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={b.kind === 'manual' ? 'blue' : 'gray'}>
                        {BACKUP_KIND_LABELS[b.kind]}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right" className="tabular">
                      {formatSize(b.sizeBytes)}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setToRestore(b)}>
                        Restaurer…
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
      <Modal opened={toRestore !== null} onClose={() => setToRestore(null)} title="Restaurer une sauvegarde">
        {toRestore && (
          <Stack>
            <Alert color="orange">
              La base va revenir à son état du {formatInstant(toRestore.createdAt)}. Tout ce qui a été saisi depuis sera
              retiré de la base, mais gardé dans une sauvegarde « Avant restauration » faite juste avant.
            </Alert>
            <Text size="sm">
              La sauvegarde est vérifiée (contrôle d’intégrité complet) avant de remplacer quoi que ce soit.
            </Text>
            {restore.error && <ErrorPanel error={restore.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setToRestore(null)}>
                Annuler
              </Button>
              <Button
                color="red"
                loading={restore.isPending}
                onClick={() => restore.mutate({ name: toRestore.name })}
                data-testid="backup-restore-confirm"
              >
                Restaurer
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  )
}
