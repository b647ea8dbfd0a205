import { describe, expect, it, vi } from 'vitest'
import {
  registerSaveFileHandler,
  safeFileName,
  saveFile,
  SAVE_FILE_CHANNEL
} from '../../../src-main/transports/save-file'
import { saveFile as rendererSaveFile } from '../../../src-renderer/src/components/save-file'

/** Reports and error reports: "Enregistrer sous…" in the desktop app, a download in a browser. */

const BYTES = Buffer.from('PK\u0003\u0004 workbook')

describe('main process: save dialog channel', () => {
  it('asks where to save under a safe proposed name, writes the bytes there', async () => {
    const chooseFile = vi.fn(async () => '/home/marie/Téléchargements/balance âgée.xlsx')
    const writeFile = vi.fn(async () => undefined)
    const result = await saveFile(
      { fileName: '../../etc/balance âgée.xlsx', base64: BYTES.toString('base64') },
      { chooseFile, writeFile }
    )
    expect(result).toEqual({ ok: true, saved: true })
    expect(chooseFile).toHaveBeenCalledWith('balance âgée.xlsx', 'xlsx')
    expect(writeFile).toHaveBeenCalledWith('/home/marie/Téléchargements/balance âgée.xlsx', BYTES)
  })

  it('writes nothing when the user cancels, and says so in French when writing fails', async () => {
    const writeFile = vi.fn(async () => undefined)
    expect(await saveFile({ fileName: 'a.xlsx', base64: 'AA==' }, { chooseFile: async () => null, writeFile })).toEqual(
      { ok: true, saved: false }
    )
    expect(writeFile).not.toHaveBeenCalled()
    const failing = await saveFile(
      { fileName: 'a.xlsx', base64: 'AA==' },
      {
        chooseFile: async () => '/ro/a.xlsx',
        writeFile: async () => {
          throw new Error('EACCES')
        }
      }
    )
    expect(failing).toEqual({
      ok: false,
      message: 'Le fichier n’a pas pu être enregistré à cet endroit (droits, disque plein ?).'
    })
    expect(await saveFile({ fileName: 3 }, { chooseFile: async () => 'x', writeFile })).toEqual({
      ok: false,
      message: 'Fichier à enregistrer invalide.'
    })
  })

  it('proposes names without folders or characters Windows refuses', () => {
    expect(safeFileName('C:\\Users\\x\\rapport: mai?.xlsx')).toBe('rapport_ mai_.xlsx')
    expect(safeFileName('..')).toBe('export.xlsx')
    expect(safeFileName('')).toBe('export.xlsx')
  })

  it('refuses calls from a frame that is not the app’s page', async () => {
    const handlers = new Map<string, (event: never, input: unknown) => unknown>()
    const chooseFile = vi.fn(async () => '/tmp/x.xlsx')
    registerSaveFileHandler(
      { handle: (channel, listener) => handlers.set(channel, listener as never) },
      (url) => url.startsWith('file://'),
      { chooseFile, writeFile: async () => undefined }
    )
    const handler = handlers.get(SAVE_FILE_CHANNEL)!
    expect(
      await handler({ senderFrame: { url: 'https://evil.example' } } as never, { fileName: 'a', base64: '' })
    ).toEqual({
      ok: false,
      message: 'Appel refusé : origine inconnue.'
    })
    expect(chooseFile).not.toHaveBeenCalled()
    expect(
      await handler({ senderFrame: { url: 'file:///app/index.html' } } as never, { fileName: 'a.xlsx', base64: '' })
    ).toEqual({
      ok: true,
      saved: true
    })
  })
})

describe('renderer: dialog or download', () => {
  it('uses the desktop app’s save dialog when the preload offers it', async () => {
    const download = vi.fn()
    const bridge = { saveFile: vi.fn(async () => ({ ok: true as const, saved: true })) }
    expect(await rendererSaveFile('r.xlsx', 'AA==', bridge, download)).toBe(true)
    expect(bridge.saveFile).toHaveBeenCalledWith('r.xlsx', 'AA==')
    expect(download).not.toHaveBeenCalled()
    bridge.saveFile.mockResolvedValueOnce({ ok: true, saved: false })
    expect(await rendererSaveFile('r.xlsx', 'AA==', bridge, download)).toBe(false)
    bridge.saveFile.mockResolvedValueOnce({ ok: false, message: 'Disque plein' } as never)
    await expect(rendererSaveFile('r.xlsx', 'AA==', bridge, download)).rejects.toThrow('Disque plein')
  })

  it('downloads in a browser (npm run serve)', async () => {
    const download = vi.fn()
    expect(await rendererSaveFile('r.xlsx', 'AA==', {}, download)).toBe(true)
    expect(download).toHaveBeenCalledWith('r.xlsx', 'AA==')
  })
})
