import 'reflect-metadata'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { createApp, type RecouvraApp } from './app/create-app'
import { resolveDataDir } from './platform/data-dir'
import { log } from './platform/log'
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
    recouvra = await createApp({ dataDir })
  } catch (error) {
    log.error('Could not open the database', error)
    dialog.showErrorBox(
      'Recouvra ne peut pas démarrer',
      `La base de données n’a pas pu être ouverte ou mise à jour.\nDossier : ${dataDir}\n\n` +
        'Une copie de sauvegarde est faite avant chaque mise à jour, dans le sous-dossier « backups ».\n\n' +
        `Détail technique : ${(error as Error).message}`
    )
    app.exit(1)
    return
  }
  registerIpcHandlers(ipcMain, recouvra.dispatcher, (url) => isAppUrl(url, appEntry))

  const window = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js')))
  window.once('ready-to-show', () => window.show())
  if (appEntry.devServerUrl) await window.loadURL(appEntry.devServerUrl)
  else await window.loadFile(appEntry.indexHtmlPath)
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
