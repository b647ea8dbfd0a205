import { basename, extname } from 'node:path'
import type { IpcMainLike } from './electron-ipc'
import { log } from '../platform/log'

/**
 * The desktop app's "Enregistrer sous…" for files the renderer received from a channel (reports,
 * error reports): the renderer hands over the name and bytes, the main process asks where to
 * save them in the system's dialog and writes them. Electron-free (the dialog and the writing
 * are passed in) so it is tested under Node; `index.ts` wires Electron's. Not a contract
 * channel: it has no meaning on the loopback transport, where the browser downloads the file.
 */

export const SAVE_FILE_CHANNEL = 'app:save-file'
/** Largest file accepted, base64 (reports of 200,000 cases are ~15 MB). */
const MAX_BASE64_CHARS = 200 * 1024 * 1024

export type SaveFileResult = { ok: true; saved: boolean } | { ok: false; message: string }

export interface SaveFileDeps {
  /** Electron's dialog.showSaveDialog for the sender's window: the chosen path, or null if cancelled. */
  chooseFile(defaultName: string, extension: string): Promise<string | null>
  writeFile(path: string, bytes: Buffer): Promise<void>
}

/** A name safe to propose: no folders, no characters Windows refuses, never empty. */
export function safeFileName(name: string): string {
  const base = [...basename(name.replace(/\\/g, '/'))]
    .map((ch) => (ch.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(ch) ? '_' : ch))
    .join('')
    .trim()
  return base === '' || base === '.' || base === '..' ? 'export.xlsx' : base.slice(0, 200)
}

export async function saveFile(input: unknown, deps: SaveFileDeps): Promise<SaveFileResult> {
  const { fileName, base64 } = (input ?? {}) as { fileName?: unknown; base64?: unknown }
  if (typeof fileName !== 'string' || typeof base64 !== 'string' || base64.length > MAX_BASE64_CHARS) {
    return { ok: false, message: 'Fichier à enregistrer invalide.' }
  }
  const name = safeFileName(fileName)
  const path = await deps.chooseFile(name, extname(name).slice(1) || 'xlsx')
  if (!path) return { ok: true, saved: false }
  try {
    await deps.writeFile(path, Buffer.from(base64, 'base64'))
    return { ok: true, saved: true }
  } catch (error) {
    log.error(`Saving ${name} failed`, error)
    return { ok: false, message: 'Le fichier n’a pas pu être enregistré à cet endroit (droits, disque plein ?).' }
  }
}

/** Registers the channel; calls from a frame that is not the app's own page are refused. */
export function registerSaveFileHandler(
  ipcMain: IpcMainLike,
  isTrustedSender: (frameUrl: string) => boolean,
  deps: SaveFileDeps
): void {
  ipcMain.handle(SAVE_FILE_CHANNEL, async (event, input): Promise<SaveFileResult> => {
    if (!isTrustedSender(event.senderFrame?.url ?? ''))
      return { ok: false, message: 'Appel refusé : origine inconnue.' }
    return saveFile(input, deps)
  })
}
