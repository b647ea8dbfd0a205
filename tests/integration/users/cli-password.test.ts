import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { TRUST_COMMANDS } from '../../../src-main/modules/audit/trust-cli'
import { readPassword, type SecretInput } from '../../../src-main/modules/users/read-password'
import { verifyPassword } from '../../../src-main/modules/users/password'
import { openTempApp } from '../helpers/temp-app'

/** `users password`: the password comes from stdin (no echo at a terminal), not the command line. */

let app: RecouvraApp
let dispose: () => Promise<void>
beforeEach(async () => {
  ;({ app, dispose } = await openTempApp())
  await app.call('users:create', {
    login: 'claire',
    displayName: 'Claire',
    role: 'manager',
    password: 'ancien mot de passe'
  })
})
afterEach(() => dispose())

const command = TRUST_COMMANDS['users password']

async function hashOf(login: string): Promise<string | null> {
  const [row] = await app.db.read((m) => m.query('SELECT password_hash FROM app_user WHERE login = ?', [login]))
  return row.password_hash
}

/** A terminal: keys arrive one by one after the prompt; raw mode is switched on and off. */
function terminal(keys: string) {
  const stream = new PassThrough() as PassThrough & SecretInput
  stream.isTTY = true
  const modes: boolean[] = []
  stream.setRawMode = (mode: boolean) => modes.push(mode)
  const output = new PassThrough()
  let shown = ''
  output.on('data', (c: Buffer) => {
    shown += c.toString()
    // Answer each prompt with the next line of keys.
    const lines = keys.split('\n')
    const prompts = (shown.match(/: $/gm) ?? []).length
    if (shown.endsWith(': ') && lines[prompts - 1] !== undefined)
      setImmediate(() => stream.write(lines[prompts - 1] + '\r'))
  })
  return { stream, output, modes, shown: () => shown }
}

describe('users password', () => {
  it('reads the password piped on stdin (first line), for scripts', async () => {
    const input = new PassThrough()
    input.end('nouveau secret 2026\nignored second line\n')
    const result = await command.run(app, { login: 'claire' }, input)
    expect(result).toMatchObject({ login: 'claire' })
    expect(await verifyPassword('nouveau secret 2026', await hashOf('claire'))).toBe(true)
  })

  it('asks twice without echo at a terminal, and refuses two different entries', async () => {
    const t = terminal('tapé au clavier\ntapé au clavier')
    expect(await readPassword(t.stream, t.output)).toBe('tapé au clavier')
    expect(t.modes).toEqual([true, false, true, false])
    expect(t.shown()).not.toContain('tapé')
    expect(t.shown()).toContain('Nouveau mot de passe (rien ne s’affiche)')

    const wrong = terminal('un\ndeux')
    await expect(readPassword(wrong.stream, wrong.output)).rejects.toThrow(/Les deux saisies diffèrent/)
    // Backspace edits what was typed.
    const edited = terminal('secretX\u007f\nsecret')
    expect(await readPassword(edited.stream, edited.output)).toBe('secret')
  })

  it('refuses empty input in French and changes nothing', async () => {
    const before = await hashOf('claire')
    const input = new PassThrough()
    input.end('')
    await expect(command.run(app, { login: 'claire' }, input)).rejects.toMatchObject({
      userMessage: expect.stringMatching(/Aucun mot de passe reçu/)
    })
    expect(await hashOf('claire')).toBe(before)
  })

  it('still takes --password, with a warning about the shell history', async () => {
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      await command.run(app, { login: 'claire', password: 'en clair sur la ligne' })
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/historique du shell/)
    } finally {
      warn.mockRestore()
    }
    expect(await verifyPassword('en clair sur la ligne', await hashOf('claire'))).toBe(true)
  })
})
