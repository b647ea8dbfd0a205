import 'reflect-metadata'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createApp } from './app/create-app'
import { scheduleDailyBackups } from './modules/backup/backup.service'
import { scheduleDunningPreview } from './modules/dunning/dunning.service'
import { scheduleMoneyChecks } from './modules/money/money-checks'
import { resolveDataDir } from './platform/data-dir'
import { redactUrl } from './db/database'
import { resolveDatabaseUrl } from './platform/database-target'
import { log } from './platform/log'
import { startLoopbackServer } from './transports/http-server'

const DEFAULT_PORT = 5183

/**
 * `npm run serve`: the whole app without Electron, for machines where no Electron binary can be
 * installed. Opens in any Chromium at the printed loopback address.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, database: { type: 'string' } },
    allowPositionals: false
  })
  const dataDir = resolveDataDir(values['data-dir'] ? ['--data-dir', values['data-dir']] : [])
  const requestedPort = values.port ?? process.env.RECOUVRA_PORT
  const port = requestedPort === undefined ? DEFAULT_PORT : Number(requestedPort)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${requestedPort}`)

  const databaseUrl = resolveDatabaseUrl(
    values.database !== undefined ? ['--database', values.database] : [],
    process.env,
    dataDir
  )
  const app = await createApp({ dataDir, databaseUrl })
  const stopBackups = scheduleDailyBackups(app.services.backups)
  const stopDunningPreview = scheduleDunningPreview(app.services.dunning)
  // A few seconds after start-up: the browser's first screen goes first.
  const stopMoneyChecks = scheduleMoneyChecks(app.services.dailyChecks, {
    paymentDocuments: app.services.payments.documents,
    startAfterMs: 5000
  })
  const staticDir = join(__dirname, '..', 'renderer')
  let server
  try {
    server = await startLoopbackServer({ dispatcher: app.dispatcher, staticDir, port })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || requestedPort !== undefined) throw error
    log.warn(`Port ${port} is busy, using a free one`)
    server = await startLoopbackServer({ dispatcher: app.dispatcher, staticDir, port: 0 })
  }
  process.stdout.write(`\nRecouvra est prêt. Ouvrez cette adresse dans Chromium ou Chrome :\n\n  ${server.url}\n\n`)
  process.stdout.write(`Données : ${dataDir}\n`)
  if (databaseUrl) process.stdout.write(`Base partagée PostgreSQL : ${redactUrl(databaseUrl)}\n`)
  process.stdout.write('Arrêt : Ctrl+C\n')

  const shutdown = async () => {
    stopBackups()
    stopDunningPreview()
    stopMoneyChecks()
    await server.close()
    await app.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
}

main().catch((error: unknown) => {
  log.error('Recouvra serve failed to start', error)
  process.exit(1)
})
