import { useState } from 'react'
import { Alert, Button, FileButton, Group, Modal, Progress, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { BACKUP_UPLOAD_CHUNK_BYTES, BACKUP_UPLOAD_MAX_BYTES, type FileRestoreResult } from '@shared/contract'
import { formatInteger } from '@shared/format/french'
import { call } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'

function sizeLabel(bytes: number): string {
  if (bytes < 1024 * 1024) return `${formatInteger(Math.max(1, Math.round(bytes / 1024)))} Ko`
  return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/**
 * Paramètres › Sauvegardes › « Restaurer depuis un fichier… »: any .sqlite file the user picks
 * (a copy kept on a USB key, another computer's backup). The file travels in chunks to the data
 * folder, then the main process checks it (SQLite, integrity_check, a Recouvra database not
 * newer than the app) and, only then, backs up the current state and replaces it.
 */
export function RestoreFromFile() {
  const queryClient = useQueryClient()
  const [file, setFile] = useState<File | null>(null)
  const [sent, setSent] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)

  const close = () => {
    if (sent !== null) return
    setFile(null)
    setError(null)
  }

  const restore = async (picked: File) => {
    setError(null)
    setSent(0)
    try {
      const { uploadId } = await call('backup:upload-begin', { fileName: picked.name, sizeBytes: picked.size })
      for (let offset = 0; offset < picked.size; offset += BACKUP_UPLOAD_CHUNK_BYTES) {
        const chunk = new Uint8Array(await picked.slice(offset, offset + BACKUP_UPLOAD_CHUNK_BYTES).arrayBuffer())
        const { receivedBytes } = await call('backup:upload-chunk', { uploadId, offset, dataBase64: toBase64(chunk) })
        setSent(receivedBytes)
      }
      const result: FileRestoreResult = await call('backup:restore-upload', { uploadId })
      await queryClient.invalidateQueries()
      notifications.show({
        color: 'teal',
        title: 'Base restaurée',
        message: `Depuis ${result.fileName}${result.migrated > 0 ? ` (mise à jour du schéma : ${result.migrated})` : ''}. L’état précédent est gardé dans ${result.safetyBackup.name}.`
      })
      setSent(null)
      setFile(null)
    } catch (e) {
      setSent(null)
      setError(e)
    }
  }

  return (
    <>
      <FileButton onChange={setFile} accept=".sqlite,.db,.sqlite3,application/vnd.sqlite3,application/octet-stream">
        {(props) => (
          <Button {...props} size="xs" variant="default" data-testid="backup-restore-file">
            Restaurer depuis un fichier…
          </Button>
        )}
      </FileButton>
      <Modal opened={file !== null} onClose={close} title="Restaurer depuis un fichier">
        {file && (
          <Stack>
            <Text size="sm">
              Fichier choisi : <strong data-testid="restore-file-name">{file.name}</strong> ({sizeLabel(file.size)})
            </Text>
            <Alert color="orange">
              La base actuelle sera remplacée par ce fichier. Elle est d’abord gardée dans une sauvegarde « Avant
              restauration », qui permet de revenir en arrière.
            </Alert>
            <Text size="sm">
              Le fichier est vérifié avant de remplacer quoi que ce soit : base SQLite, contrôle d’intégrité complet,
              base Recouvra, version de l’application. Un fichier refusé ne change rien.
            </Text>
            {file.size > BACKUP_UPLOAD_MAX_BYTES && <Alert color="red">Fichier trop volumineux (16 Go au plus).</Alert>}
            {sent !== null && (
              <Stack gap={4}>
                <Progress value={file.size === 0 ? 100 : (sent / file.size) * 100} animated />
                <Text size="xs" c="dimmed">
                  {sent < file.size
                    ? `Envoi : ${sizeLabel(sent)} sur ${sizeLabel(file.size)}`
                    : 'Vérification du fichier et restauration…'}
                </Text>
              </Stack>
            )}
            {error !== null && <ErrorPanel error={error} title="Restauration refusée" />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={sent !== null}>
                Annuler
              </Button>
              <Button
                color="red"
                loading={sent !== null}
                disabled={file.size > BACKUP_UPLOAD_MAX_BYTES}
                onClick={() => void restore(file)}
                data-testid="backup-restore-file-confirm"
              >
                Vérifier et restaurer
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  )
}
