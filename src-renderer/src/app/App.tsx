import { useCallback, useEffect, useMemo, useState } from 'react'
import { AppShell, Badge, Center, Group, Loader, NavLink, Title } from '@mantine/core'
import { useChannel } from '../api/client'
import { ErrorPanel } from '../components/ErrorPanel'
import { ColorSchemeToggle } from '../components/ColorSchemeToggle'
import { UserMenu } from '../features/auth/UserMenu'
import { useAuth } from '../features/auth/AuthGate'
import { mayCall } from '@shared/contract/permissions'
import { PortfolioPage } from '../features/portfolio/PortfolioPage'
import { AgendaPage } from '../features/agenda/AgendaPage'
import { AgendaCountBadge } from '../features/agenda/AgendaCountBadge'
import { DunningPendingBadge } from '../features/dunning/DunningPendingBadge'
import { ReportsPage } from '../features/reports/ReportsPage'
import { RemittancesPage } from '../features/remittances/RemittancesPage'
import { SettingsPage } from '../features/settings/SettingsPage'
import { DunningPage } from '../features/dunning/DunningPage'
import { ImportPage } from '../features/imports/ImportPage'
import { WelcomePage } from '../features/welcome/WelcomePage'
import { CaseFilePage } from '../features/case-file/CaseFilePage'
import { FieldPage } from '../features/sync/FieldPage'
import { MissingRatesBanner } from '../components/MissingRatesBanner'
import { NavigationContext, PAGES, type Navigation, type PageId } from './navigation'

const PAGE_KEY = 'recouvra.page'
/** A page the role cannot use (the main process would refuse its channel) is not offered. */
const PAGE_CHANNEL: Partial<Record<PageId, string>> = { remittances: 'remittances:list', imports: 'imports:list' }

export function App() {
  const info = useChannel('app:info', {})
  const auth = useAuth()
  const [page, setPageState] = useState<PageId>(
    () => (sessionStorage.getItem(PAGE_KEY) as PageId | null) ?? 'portfolio'
  )
  const [openCaseId, setOpenCaseId] = useState<string | null>(null)

  useEffect(() => sessionStorage.setItem(PAGE_KEY, page), [page])

  const setPage = useCallback((next: PageId) => {
    setOpenCaseId(null)
    setPageState(next)
  }, [])
  const closeCase = useCallback(() => setOpenCaseId(null), [])
  const navigation: Navigation = useMemo(
    () => ({ page, goTo: setPage, openCaseId, openCase: setOpenCaseId, closeCase }),
    [page, setPage, openCaseId, closeCase]
  )

  // Alt+1…4 switch pages from anywhere, including inside a text field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey) return
      const target = PAGES.find((p) => p.shortcut === event.key)
      if (target) {
        event.preventDefault()
        setPage(target.id)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [setPage])

  // Readiness marker for end-to-end tests: they wait on it, never on sleeps.
  useEffect(() => {
    document.body.dataset.appState = info.isSuccess ? 'ready' : info.isError ? 'error' : 'loading'
  }, [info.isSuccess, info.isError])

  if (info.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    )
  }
  if (info.isError) {
    return (
      <Center h="100vh" p="xl">
        <ErrorPanel error={info.error} title="Recouvra ne peut pas lire sa base de données" />
      </Center>
    )
  }

  return (
    <NavigationContext.Provider value={navigation}>
      <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Group gap="xs">
              <img src="./favicon.svg" alt="" width={26} height={26} />
              <Title order={3}>Recouvra</Title>
            </Group>
            <Group gap="md">
              <UserMenu />
              <ColorSchemeToggle />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Navigation principale">
          {PAGES.filter((p) => !auth || !(p.id in PAGE_CHANNEL) || mayCall(auth.user.role, PAGE_CHANNEL[p.id]!)).map(
            (p) => (
              <NavLink
                key={p.id}
                component="button"
                label={p.label}
                active={page === p.id && !openCaseId}
                aria-current={page === p.id ? 'page' : undefined}
                onClick={() => setPage(p.id)}
                rightSection={
                  <Group gap={4} wrap="nowrap">
                    {p.id === 'agenda' && !info.data.isEmpty && <AgendaCountBadge />}
                    {p.id === 'dunning' && !info.data.isEmpty && <DunningPendingBadge />}
                    <Badge size="xs" variant="default" radius="sm">
                      Alt+{p.shortcut}
                    </Badge>
                  </Group>
                }
              />
            )
          )}
        </AppShell.Navbar>
        <AppShell.Main>
          {page !== 'settings' && !info.data.isEmpty && <MissingRatesBanner />}
          {openCaseId ? (
            <CaseFilePage key={openCaseId} caseId={openCaseId} />
          ) : info.data.isEmpty && page !== 'settings' && page !== 'imports' ? (
            <WelcomePage />
          ) : page === 'portfolio' ? (
            <PortfolioPage />
          ) : page === 'agenda' ? (
            <AgendaPage />
          ) : page === 'reports' ? (
            <ReportsPage />
          ) : page === 'remittances' ? (
            <RemittancesPage />
          ) : page === 'dunning' ? (
            <DunningPage />
          ) : page === 'imports' ? (
            <ImportPage />
          ) : page === 'field' ? (
            <FieldPage />
          ) : (
            <SettingsPage info={info.data} />
          )}
        </AppShell.Main>
      </AppShell>
    </NavigationContext.Provider>
  )
}
