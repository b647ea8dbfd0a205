import '@mantine/core/styles.css'
import '@mantine/notifications/styles.css'
import './app/global.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { MantineProvider } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { setInvoke } from './api/client'
import { pickTransport } from './api/transport'
import { App } from './app/App'
import { AuthGate } from './features/auth/AuthGate'
import { MissingTokenScreen } from './app/MissingTokenScreen'
import { theme } from './app/theme'

const queryClient = new QueryClient({
  defaultOptions: {
    // Local data: no network flakiness to retry over, and a refusal should show at once.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 }
  }
})

const transport = pickTransport()
if (transport.kind !== 'missing-token') setInvoke(transport.invoke)
document.documentElement.dataset.transport = transport.kind

const root = document.getElementById('root')
if (!root) throw new Error('No #root element')
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        {transport.kind === 'missing-token' ? (
          <MissingTokenScreen />
        ) : (
          <AuthGate>
            <App />
          </AuthGate>
        )}
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>
)
