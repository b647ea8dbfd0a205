import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react'
import { Button, Card, Center, Loader, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { PASSWORD_MIN_LENGTH, RpcCallError, type SessionUser } from '@shared/contract'
import { call, useChannel } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'

interface Auth {
  user: SessionUser
  signOut: () => void
}

const AuthContext = createContext<Auth | null>(null)

/** The signed-in user and sign-out, for the header. */
export function useAuth(): Auth | null {
  return useContext(AuthContext)
}

const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart'] as const

/**
 * Shows the first-run wizard, the sign-in screen, or the app. Locks (signs out) after the idle
 * time; any call refused for want of a session brings the sign-in screen back.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient()
  const status = useChannel('auth:status', {}, { staleTime: Infinity })
  const [locked, setLocked] = useState(false)
  const lastActivity = useRef(0)

  const refresh = () => void queryClient.resetQueries()

  // A call refused because the session ended (idle lock in the main process, account changed).
  useEffect(() => {
    return queryClient.getQueryCache().subscribe((event) => {
      const error = event.query.state.error
      if (event.type === 'updated' && error instanceof RpcCallError && error.code === 'UNAUTHORIZED') {
        if (event.query.queryKey[0] !== 'auth:status') void status.refetch()
      }
    })
  }, [queryClient, status])

  const user = status.data?.user ?? null
  const idleMinutes = status.data?.idleLockMinutes ?? 15
  const signedIn = user !== null && !status.data?.needsSetup

  useEffect(() => {
    if (!signedIn) return
    lastActivity.current = Date.now()
    const touch = () => (lastActivity.current = Date.now())
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touch, { passive: true })
    const timer = window.setInterval(() => {
      if (Date.now() - lastActivity.current > idleMinutes * 60_000) {
        setLocked(true)
        void call('auth:sign-out', {}).finally(refresh)
      }
    }, 15_000)
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch)
      window.clearInterval(timer)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signedIn, idleMinutes])

  useEffect(() => {
    if (status.data && !signedIn) document.body.dataset.appState = status.data.needsSetup ? 'setup' : 'sign-in'
  }, [status.data, signedIn])

  if (status.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    )
  }
  if (status.isError) {
    return (
      <Center h="100vh" p="xl">
        <ErrorPanel error={status.error} title="Recouvra ne répond pas" />
      </Center>
    )
  }
  if (status.data.needsSetup) return <SetupWizard onDone={refresh} />
  if (!user) return <SignInScreen locked={locked} onDone={() => (setLocked(false), refresh())} />
  const signOut = () => void call('auth:sign-out', {}).finally(refresh)
  return <AuthContext.Provider value={{ user, signOut }}>{children}</AuthContext.Provider>
}

function Screen({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Center h="100vh" p="md">
      <Card withBorder w={420} p="xl">
        <Stack>
          <Title order={2}>{title}</Title>
          {children}
        </Stack>
      </Card>
    </Center>
  )
}

function SignInScreen({ locked, onDone }: { locked: boolean; onDone: () => void }) {
  const [login, setLogin] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await call('auth:sign-in', { login, password })
      onDone()
    } catch (e) {
      setError(e)
      setPassword('')
    } finally {
      setBusy(false)
    }
  }
  return (
    <Screen title={locked ? 'Session verrouillée' : 'Connexion à Recouvra'}>
      <form onSubmit={submit} data-testid="sign-in-form">
        <Stack>
          {locked && (
            <Text size="sm" c="dimmed">
              La session a été verrouillée après une période d’inactivité. Reconnectez-vous pour continuer.
            </Text>
          )}
          <TextInput
            label="Identifiant"
            autoComplete="username"
            required
            value={login}
            onChange={(e) => setLogin(e.currentTarget.value)}
            data-testid="sign-in-login"
            autoFocus
          />
          <PasswordInput
            label="Mot de passe"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="sign-in-password"
          />
          {error !== null && <ErrorPanel error={error} title="Connexion refusée" />}
          <Button type="submit" loading={busy} data-testid="sign-in-submit">
            Se connecter
          </Button>
        </Stack>
      </form>
    </Screen>
  )
}

function SetupWizard({ onDone }: { onDone: () => void }) {
  const [login, setLogin] = useState('admin')
  const [displayName, setDisplayName] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const mismatch = confirm.length > 0 && confirm !== password
  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    if (password !== confirm) return
    setBusy(true)
    setError(null)
    try {
      await call('auth:setup', { login, displayName, password })
      onDone()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Screen title="Bienvenue : créez le compte administrateur">
      <form onSubmit={submit} data-testid="setup-form">
        <Stack>
          <Text size="sm" c="dimmed">
            L’administrateur gère les comptes des responsables et des chargés de recouvrement. Recouvra demandera ce mot
            de passe à chaque ouverture et après une période d’inactivité.
          </Text>
          <TextInput
            label="Identifiant"
            required
            value={login}
            onChange={(e) => setLogin(e.currentTarget.value)}
            data-testid="setup-login"
          />
          <TextInput
            label="Nom affiché"
            required
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            data-testid="setup-name"
          />
          <PasswordInput
            label="Mot de passe"
            description={`Au moins ${PASSWORD_MIN_LENGTH} caractères`}
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="setup-password"
          />
          <PasswordInput
            label="Confirmation"
            required
            value={confirm}
            error={mismatch ? 'Les deux mots de passe diffèrent' : undefined}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            data-testid="setup-confirm"
          />
          {error !== null && <ErrorPanel error={error} />}
          <Button type="submit" loading={busy} disabled={mismatch} data-testid="setup-submit">
            Créer le compte et commencer
          </Button>
        </Stack>
      </form>
    </Screen>
  )
}
