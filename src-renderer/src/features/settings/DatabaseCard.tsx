import { useState } from 'react'
import { Alert, Button, Card, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'

/**
 * Paramètres › Base de données (agency mode): the embedded file of this machine, or the agency's
 * shared PostgreSQL server. The choice is saved in the data folder and applies at the next start.
 */
export function DatabaseCard() {
  const target = useChannel('database:get-target', {})
  const [url, setUrl] = useState('')
  const save = useChannelMutation('database:set-target', {
    onSuccess: (saved) => {
      setUrl('')
      notifications.show({
        color: 'teal',
        title: 'Base de données enregistrée',
        message: saved.savedUrl
          ? `${saved.checked ?? 'Serveur'} joint. ${saved.restartNeeded ? 'Redémarrez Recouvra pour l’utiliser.' : ''}`
          : `Fichier local de ce poste. ${saved.restartNeeded ? 'Redémarrez Recouvra pour l’utiliser.' : ''}`
      })
    }
  })
  if (target.isError && target.error.code === 'FORBIDDEN') return null

  return (
    <Card withBorder data-testid="database-card">
      <Title order={4} mb="sm">
        Base de données
      </Title>
      {target.isError && <ErrorPanel error={target.error} />}
      {target.data && (
        <Stack gap="sm">
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>En service</Table.Td>
                <Table.Td data-testid="database-current">
                  {target.data.currentUrl ? (
                    <>
                      Serveur partagé PostgreSQL <Code>{target.data.currentUrl}</Code>
                    </>
                  ) : (
                    'Fichier local de ce poste (SQLite)'
                  )}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>Au prochain démarrage</Table.Td>
                <Table.Td data-testid="database-saved">
                  {target.data.savedUrl ? <Code>{target.data.savedUrl}</Code> : 'Fichier local de ce poste'}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {target.data.overridden && (
            <Alert color="yellow">
              Sur ce poste, l’option --database ou la variable RECOUVRA_DATABASE_URL choisit la base à la place de ce
              réglage.
            </Alert>
          )}
          <Text size="sm" c="dimmed">
            Un cabinet à plusieurs gestionnaires travaille sur un serveur PostgreSQL partagé. Pour y verser les données
            de ce poste : <Code>npm run cli -- db copy --from … --to postgres://…</Code> (voir le README).
          </Text>
          <Text size="sm" c="dimmed" data-testid="database-files-gc">
            Fichiers stockés (courriers, e-mails, logos) que plus rien ne référence, et cache de fichiers de ce poste :{' '}
            <Code>npm run cli -- db files-gc</Code> les supprime (jamais un document du dossier).
          </Text>
          <Group align="end">
            <TextInput
              flex={1}
              label="Serveur PostgreSQL"
              placeholder="postgres://utilisateur:motdepasse@serveur:5432/recouvra"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              data-testid="database-url"
            />
            <Button
              disabled={url.trim() === ''}
              loading={save.isPending}
              onClick={() => save.mutate({ url: url.trim() })}
              data-testid="database-save"
            >
              Tester et enregistrer
            </Button>
            {target.data.savedUrl && (
              <Button variant="default" loading={save.isPending} onClick={() => save.mutate({ url: null })}>
                Revenir au fichier local
              </Button>
            )}
          </Group>
          {save.error && <ErrorPanel error={save.error} />}
        </Stack>
      )}
    </Card>
  )
}
