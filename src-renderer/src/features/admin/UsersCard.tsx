import { useState } from 'react'
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { PASSWORD_MIN_LENGTH, type UserAccount } from '@shared/contract'
import { USER_ROLES, type UserRole } from '@shared/domain/enums'
import { useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useAuth } from '../auth/AuthGate'

const ROLE_OPTIONS = USER_ROLES.values.map((value) => ({ value, label: USER_ROLES.labels[value] }))

/** Paramètres › Utilisateurs (administrators): accounts, roles, passwords, idle lock, portfolio opening. */
export function UsersCard() {
  const auth = useAuth()
  if (auth?.user.role !== 'admin') return null
  return <UsersCardContent />
}

function UsersCardContent() {
  const accounts = useChannel('users:accounts', {})
  const settings = useChannel('users:security-settings', {})
  const [creating, setCreating] = useState(false)
  const [passwordFor, setPasswordFor] = useState<UserAccount | null>(null)
  const [idle, setIdle] = useState<number | string>('')
  const update = useChannelMutation('users:update')
  const setIdleLock = useChannelMutation('users:set-idle-lock', {
    onSuccess: (s) =>
      notifications.show({ color: 'teal', title: 'Verrouillage', message: `Après ${s.idleLockMinutes} min` })
  })
  const setOpen = useChannelMutation('users:set-portfolio-open')

  return (
    <Card withBorder data-testid="users-card">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Utilisateurs</Title>
        <Button size="xs" onClick={() => setCreating(true)} data-testid="user-create-open">
          Nouveau compte
        </Button>
      </Group>
      {accounts.isError && <ErrorPanel error={accounts.error} />}
      {update.error && <ErrorPanel error={update.error} />}
      {accounts.data && (
        <Table striped fz="sm" data-testid="users-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Nom</Table.Th>
              <Table.Th>Identifiant</Table.Th>
              <Table.Th>Rôle</Table.Th>
              <Table.Th>État</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {accounts.data.map((u) => (
              <Table.Tr key={u.id} data-testid="user-row">
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>{u.login}</Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    w={200}
                    data={ROLE_OPTIONS}
                    value={u.role}
                    allowDeselect={false}
                    aria-label={`Rôle de ${u.displayName}`}
                    onChange={(role) => role && update.mutate({ userId: u.id, role: role as UserRole })}
                  />
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={u.active ? 'teal' : 'gray'}>
                    {u.active ? (u.hasPassword ? 'Actif' : 'Sans mot de passe') : 'Désactivé'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="compact-xs" variant="subtle" onClick={() => setPasswordFor(u)}>
                      Mot de passe…
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color={u.active ? 'red' : 'teal'}
                      onClick={() => update.mutate({ userId: u.id, active: !u.active })}
                    >
                      {u.active ? 'Désactiver' : 'Réactiver'}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {settings.data && (
        <Stack gap="xs" mt="md">
          <Group align="flex-end" gap="sm">
            <NumberInput
              label="Verrouiller après (minutes d’inactivité)"
              min={1}
              max={480}
              w={300}
              value={idle === '' ? settings.data.idleLockMinutes : idle}
              onChange={setIdle}
            />
            <Button
              variant="light"
              disabled={idle === '' || idle === settings.data.idleLockMinutes}
              loading={setIdleLock.isPending}
              onClick={() => setIdleLock.mutate({ minutes: Number(idle) })}
            >
              Enregistrer
            </Button>
          </Group>
          {setIdleLock.error && <ErrorPanel error={setIdleLock.error} />}
          <Switch
            checked={settings.data.portfolioOpenToCollectors}
            onChange={(e) => setOpen.mutate({ open: e.currentTarget.checked })}
            label="Les chargés de recouvrement voient tout le portefeuille (sinon seulement les dossiers qui leur sont affectés)"
          />
        </Stack>
      )}
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
      <PasswordModal account={passwordFor} onClose={() => setPasswordFor(null)} />
    </Card>
  )
}

function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [login, setLogin] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [role, setRole] = useState<UserRole>('collector')
  const [password, setPassword] = useState('')
  const create = useChannelMutation('users:create', {
    onSuccess: (u) => {
      notifications.show({ color: 'teal', title: 'Compte créé', message: `${u.displayName} (${u.login})` })
      setLogin('')
      setDisplayName('')
      setPassword('')
      onClose()
    }
  })
  return (
    <Modal opened={opened} onClose={onClose} title="Nouveau compte">
      <Stack>
        <TextInput
          label="Identifiant"
          value={login}
          onChange={(e) => setLogin(e.currentTarget.value)}
          data-testid="user-login"
        />
        <TextInput
          label="Nom affiché"
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          data-testid="user-name"
        />
        <Select
          label="Rôle"
          data={ROLE_OPTIONS}
          value={role}
          allowDeselect={false}
          onChange={(r) => r && setRole(r as UserRole)}
        />
        <PasswordInput
          label="Mot de passe provisoire"
          description={`Au moins ${PASSWORD_MIN_LENGTH} caractères`}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          data-testid="user-password"
        />
        {create.error && <ErrorPanel error={create.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuler
          </Button>
          <Button
            loading={create.isPending}
            onClick={() => create.mutate({ login, displayName, role, password })}
            data-testid="user-create"
          >
            Créer
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

function PasswordModal({ account, onClose }: { account: UserAccount | null; onClose: () => void }) {
  const [password, setPassword] = useState('')
  const setPasswordMutation = useChannelMutation('users:set-password', {
    onSuccess: (u) => {
      notifications.show({ color: 'teal', title: 'Mot de passe changé', message: u.displayName })
      setPassword('')
      onClose()
    }
  })
  return (
    <Modal
      opened={account !== null}
      onClose={onClose}
      title={`Nouveau mot de passe${account ? ` — ${account.displayName}` : ''}`}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Les sessions ouvertes de ce compte sont fermées.
        </Text>
        <PasswordInput
          label="Mot de passe"
          description={`Au moins ${PASSWORD_MIN_LENGTH} caractères`}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        {setPasswordMutation.error && <ErrorPanel error={setPasswordMutation.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuler
          </Button>
          <Button
            loading={setPasswordMutation.isPending}
            onClick={() => account && setPasswordMutation.mutate({ userId: account.id, password })}
          >
            Enregistrer
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
