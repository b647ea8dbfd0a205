import { Button, Group, Text } from '@mantine/core'
import { USER_ROLES } from '@shared/domain/enums'
import { useAuth } from './AuthGate'

/** Header: who is signed in, and sign-out. */
export function UserMenu() {
  const auth = useAuth()
  if (!auth) return null
  return (
    <Group gap="xs">
      <Text size="sm" c="dimmed" data-testid="session-user">
        {auth.user.displayName} · {USER_ROLES.labels[auth.user.role]}
      </Text>
      <Button size="compact-xs" variant="subtle" onClick={auth.signOut} data-testid="sign-out">
        Se déconnecter
      </Button>
    </Group>
  )
}
