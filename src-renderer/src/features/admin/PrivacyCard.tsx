import { useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { formatDate, formatInteger } from '@shared/format/french'
import { call, useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Paramètres › Données personnelles: access requests, retention and anonymisation (RGPD). */
export function PrivacyCard() {
  const settings = useChannel('privacy:settings', {})
  const preview = useChannel('privacy:retention-preview', {})
  const [years, setYears] = useState<number | string>('')
  const [selected, setSelected] = useState<string[]>([])
  const [confirming, setConfirming] = useState(false)
  const [reference, setReference] = useState('')
  const [exporting, setExporting] = useState(false)
  const [exportError, setExportError] = useState<unknown>(null)
  const setRetention = useChannelMutation('privacy:set-retention', {
    onSuccess: (s) =>
      notifications.show({ color: 'teal', title: 'Durée enregistrée', message: `${s.retentionYears} ans` })
  })
  const anonymise = useChannelMutation('privacy:anonymise', {
    onSuccess: (r) => {
      setSelected([])
      setConfirming(false)
      notifications.show({
        color: 'teal',
        title: 'Anonymisation faite',
        message: `${r.anonymised} débiteur(s), ${r.cases} dossier(s), ${r.storedFilesErased} fichier(s) de courrier supprimé(s) ; une entrée de journal sur chaque dossier.`
      })
    }
  })

  const exportAccess = async () => {
    setExporting(true)
    setExportError(null)
    try {
      const file = await call('privacy:debtor-export', { caseReference: reference.trim() })
      downloadBlob(`${file.fileBaseName}.json`, new Blob([file.json], { type: 'application/json' }))
      downloadBlob(
        `${file.fileBaseName}.xlsx`,
        new Blob([base64ToBytes(file.xlsxBase64)], {
          type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        })
      )
      notifications.show({ color: 'teal', title: 'Export prêt', message: `${file.fileBaseName} (.json et .xlsx)` })
    } catch (e) {
      setExportError(e)
    } finally {
      setExporting(false)
    }
  }

  const candidates = preview.data?.candidates ?? []
  return (
    <Card withBorder data-testid="privacy-card">
      <Title order={4} mb="sm">
        Données personnelles (RGPD)
      </Title>
      <Stack gap="md">
        <Stack gap="xs">
          <Text fw={600} size="sm">
            Demande d’accès d’un débiteur
          </Text>
          <Text size="sm" c="dimmed">
            Exporte tout ce que la base contient sur le débiteur d’un dossier (identité, coordonnées, dossiers,
            créances, paiements, journal et commentaires, notes de solvabilité, courriers), en JSON et en classeur
            Excel. L’export est noté au journal de chaque dossier.
          </Text>
          <Group align="flex-end" gap="sm">
            <TextInput
              label="Référence d’un dossier du débiteur"
              placeholder="REC-2026-000123"
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              w={260}
              data-testid="privacy-reference"
            />
            <Button
              variant="light"
              disabled={reference.trim().length < 3}
              loading={exporting}
              onClick={exportAccess}
              data-testid="privacy-export"
            >
              Exporter ses données
            </Button>
          </Group>
          {exportError !== null && <ErrorPanel error={exportError} />}
        </Stack>

        <Stack gap="xs">
          <Text fw={600} size="sm">
            Durée de conservation
          </Text>
          {settings.data && (
            <Group align="flex-end" gap="sm">
              <NumberInput
                label="Anonymiser les débiteurs dont tous les dossiers sont clôturés depuis (ans)"
                min={1}
                max={30}
                w={460}
                value={years === '' ? settings.data.retentionYears : years}
                onChange={setYears}
              />
              <Button
                variant="light"
                disabled={years === '' || years === settings.data.retentionYears}
                loading={setRetention.isPending}
                onClick={() => setRetention.mutate({ retentionYears: Number(years) })}
              >
                Enregistrer
              </Button>
            </Group>
          )}
          {setRetention.error && <ErrorPanel error={setRetention.error} />}
          {preview.isError && <ErrorPanel error={preview.error} />}
          {preview.data && (
            <>
              <Text size="sm" data-testid="privacy-preview-total">
                {preview.data.total === 0
                  ? `Aucun débiteur à anonymiser (dossiers clôturés avant le ${formatDate(preview.data.cutoff)}).`
                  : `${formatInteger(preview.data.total)} débiteur(s) dont tous les dossiers sont clôturés avant le ${formatDate(preview.data.cutoff)}.`}
              </Text>
              {candidates.length > 0 && (
                <Table striped fz="sm" data-testid="privacy-preview">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>
                        <Checkbox
                          aria-label="Tout choisir"
                          checked={selected.length === candidates.length}
                          indeterminate={selected.length > 0 && selected.length < candidates.length}
                          onChange={(e) =>
                            setSelected(e.currentTarget.checked ? candidates.map((c) => c.debtorId) : [])
                          }
                        />
                      </Table.Th>
                      <Table.Th>Débiteur</Table.Th>
                      <Table.Th ta="right">Dossiers</Table.Th>
                      <Table.Th>Dernière clôture</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {candidates.slice(0, 100).map((c) => (
                      <Table.Tr key={c.debtorId}>
                        <Table.Td>
                          <Checkbox
                            aria-label={c.displayName}
                            checked={selected.includes(c.debtorId)}
                            onChange={(e) =>
                              setSelected((s) =>
                                e.currentTarget.checked ? [...s, c.debtorId] : s.filter((id) => id !== c.debtorId)
                              )
                            }
                          />
                        </Table.Td>
                        <Table.Td>{c.displayName}</Table.Td>
                        <Table.Td ta="right">{c.cases}</Table.Td>
                        <Table.Td>{formatDate(c.lastClosedOn)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Group>
                <Button
                  color="red"
                  variant="light"
                  disabled={selected.length === 0}
                  onClick={() => setConfirming(true)}
                >
                  Anonymiser la sélection ({selected.length})
                </Button>
              </Group>
            </>
          )}
        </Stack>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Anonymiser des débiteurs">
        <Stack>
          <Alert color="orange">
            Identité, adresses, téléphones et e-mails de {selected.length} débiteur(s) seront effacés, et les textes
            libres de leurs dossiers (journal, notes, textes des courriers, références de paiement) remplacés par «
            [anonymisé] ». Les fichiers des courriers, e-mails et SMS de ces dossiers sont supprimés (leur empreinte
            SHA-256 et leur description restent), ainsi que leurs valeurs dans le journal d’audit, qui reste vérifiable.
            Les montants, dates et étapes restent. Cette opération ne peut pas être annulée (sauf en restaurant une
            sauvegarde).
          </Alert>
          <Text size="sm" c="dimmed">
            Les sauvegardes déjà faites contiennent encore ces données jusqu’à leur suppression par la durée de
            conservation des sauvegardes (les sauvegardes manuelles restent jusqu’à ce que vous les supprimiez).
          </Text>
          {anonymise.error && <ErrorPanel error={anonymise.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Annuler
            </Button>
            <Button color="red" loading={anonymise.isPending} onClick={() => anonymise.mutate({ debtorIds: selected })}>
              Anonymiser
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  )
}
