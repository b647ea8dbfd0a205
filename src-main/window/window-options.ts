import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The main window's settings. Kept free of Electron imports so the security test can assert
 * every flag from the very object the app uses.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Recouvra',
    autoHideMenuBar: true,
    backgroundColor: '#f8f9fa',
    webPreferences: {
      preload: preloadPath,
      // The renderer shows debtor data and could be fed hostile strings: it gets no Node, no
      // shared JS world with the preload, and an OS sandbox.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: true
    }
  }
}
