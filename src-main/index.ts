import 'reflect-metadata'
import { join } from 'node:path'
import { writeFile } from 'node:fs/promises'
import { app, BrowserWindow, dialog, ipcMain, safeStorage } from 'electron'
import { createApp, type RecouvraApp } from './app/create-app'
import { DatabaseCorruptError } from './db/database'
import { latestSoundBackup, scheduleDailyBackups } from './modules/backup/backup.service'
import { replaceDatabaseFile } from './modules/backup/sqlite-backup'
import { scheduleDunningPreview } from './modules/dunning/dunning.service'
import { scheduleMoneyChecks } from './modules/money/money-checks'
import { formatInstant } from '@shared/format/french'
import { resolveDataDir } from './platform/data-dir'
import { resolveDatabaseUrl } from './platform/database-target'
import { registerSaveFileHandler } from './transports/save-file'
import { log } from './platform/log'
import { secretStoreFor } from './platform/secret-store'
import { registerIpcHandlers } from './transports/electron-ipc'
import { isAppUrl } from './window/navigation-policy'
import { installSecurityGuards } from './window/security'
import { mainWindowOptions } from './window/window-options'

/** Desktop entry point: Electron around the same app `npm run serve` and the CLI run. */

const appEntry = {
  devServerUrl: !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined,
  indexHtmlPath: join(__dirname, '../renderer/index.html')
}

let recouvra: RecouvraApp | null = null

async function start(): Promise<void> {
  installSecurityGuards(appEntry)
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'))
  try {
    recouvra = await createApp({
      dataDir,
      databaseUrl: resolveDatabaseUrl(process.argv, process.env, dataDir),
      // Secrets (SMTP password, a field copy's office password) in the OS keychain through
      // safeStorage when the OS offers one, else the data folder's key file (secret-store.ts).
      secrets: secretStoreFor(dataDir, safeStorage)
    })
  } catch (error) {
    log.error('Could not open the database', error)
    if (error instanceof DatabaseCorruptError && (await offerLastBackup(error))) return
    dialog.showErrorBox(
      'Recouvra ne peut pas démarrer',
      `La base de données n’a pas pu être ouverte ou mise à jour.\nDossier : ${dataDir}\n\n` +
        'Une copie de sauvegarde est faite avant chaque mise à jour, dans le sous-dossier « backups ».\n\n' +
        `Détail technique : ${(error as Error).message}`
    )
    app.exit(1)
    return
  }
  scheduleDailyBackups(recouvra.services.backups)
  scheduleDunningPreview(recouvra.services.dunning)
  // The daily checks wait for the first screen (the window shown, then its first requests).
  let shown: () => void = () => undefined
  scheduleMoneyChecks(recouvra.services.dailyChecks, {
    paymentDocuments: recouvra.services.payments.documents,
    started: new Promise<void>((resolve) => (shown = resolve))
  })
  registerIpcHandlers(ipcMain, recouvra.dispatcher, (url) => isAppUrl(url, appEntry))
  registerSaveFileHandler(ipcMain, (url) => isAppUrl(url, appEntry), {
    chooseFile: async (defaultName, extension) => {
      const options = {
        defaultPath: join(app.getPath('downloads'), defaultName),
        filters: [{ name: extension.toUpperCase(), extensions: [extension] }]
      }
      const focused = BrowserWindow.getFocusedWindow()
      const chosen = focused ? await dialog.showSaveDialog(focused, options) : await dialog.showSaveDialog(options)
      return chosen.canceled || !chosen.filePath ? null : chosen.filePath
    },
    writeFile: (path, bytes) => writeFile(path, bytes)
  })

  const window = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js')))
  window.once('ready-to-show', () => {
    window.show()
    shown()
  })
  if (appEntry.devServerUrl) await window.loadURL(appEntry.devServerUrl)
  else await window.loadFile(appEntry.indexHtmlPath)
}

/**
 * Start-up quick_check failed: say so in French and offer the newest sound backup. On yes, the
 * damaged file is kept aside, the backup copied in its place and the app restarted.
 */
async function offerLastBackup(error: DatabaseCorruptError): Promise<boolean> {
  const backup = await latestSoundBackup(error.dataDir)
  if (!backup) {
    dialog.showErrorBox(
      'Base de données endommagée',
      `Le fichier ${error.file} est endommagé et aucune sauvegarde intacte n’a été trouvée dans le dossier « backups ».\n` +
        'N’écrivez rien dans ce dossier et contactez votre support informatique.'
    )
    app.exit(1)
    return true
  }
  const choice = dialog.showMessageBoxSync({
    type: 'error',
    title: 'Base de données endommagée',
    message: 'La base de données de Recouvra est endommagée.',
    detail:
      `La vérification au démarrage a trouvé des erreurs dans ${error.file}.\n\n` +
      `Dernière sauvegarde intacte : ${formatInstant(backup.info.createdAt)} (${backup.info.name}).\n` +
      'Les saisies faites depuis cette sauvegarde seront perdues. Le fichier endommagé est conservé à côté pour le support.',
    buttons: ['Restaurer cette sauvegarde', 'Quitter'],
    defaultId: 0,
    cancelId: 1
  })
  if (choice !== 0) {
    app.exit(1)
    return true
  }
  const aside = replaceDatabaseFile(error.file, backup.file, new Date().toISOString().replace(/[:.]/g, '-'))
  log.info(`Damaged database moved to ${aside}; restored ${backup.file}`)
  app.relaunch()
  app.exit(0)
  return true
}

if (!app.requestSingleInstanceLock()) {
  // A second instance would open the same SQLite file: focus the first one instead.
  app.quit()
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows()
    if (window) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })
  app.whenReady().then(start, (error: unknown) => log.error('Electron failed to start', error))
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', (event) => {
    if (!recouvra) return
    event.preventDefault()
    const closing = recouvra
    recouvra = null
    closing.close().finally(() => app.quit())
  })
}
