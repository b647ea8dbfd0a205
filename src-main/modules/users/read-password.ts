/**
 * Reads a password for the command line (`users password`) without it ever appearing in the
 * shell history or the process list: typed at a terminal with no echo (asked twice), or piped
 * by a script (`printf '%s\n' "$PW" | npm run cli -- users password --login admin`), first line.
 */

export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean
  setRawMode?(mode: boolean): unknown
}

export class PasswordInputError extends Error {}

/** One line typed at a terminal in raw mode: nothing echoed, Backspace, Ctrl-C and Ctrl-D handled. */
function readHiddenLine(input: SecretInput, output: NodeJS.WritableStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt)
    let typed = ''
    input.setRawMode?.(true)
    input.resume()
    const finish = (error: Error | null) => {
      input.removeListener('data', onData)
      input.setRawMode?.(false)
      input.pause()
      output.write('\n')
      if (error) reject(error)
      else resolve(typed)
    }
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(null)
        if (char === '\u0003' || char === '\u0004') return finish(new PasswordInputError('Saisie interrompue.'))
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('')
        else if (char >= ' ') typed += char
      }
    }
    input.on('data', onData)
  })
}

/** The first line of piped input (trailing CR/LF removed). */
function readFirstLine(input: SecretInput): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const done = () => {
      input.removeListener('data', onData)
      input.removeListener('end', done)
      input.removeListener('error', reject)
      resolve(text.split(/\r?\n/)[0] ?? '')
    }
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString()
      if (text.includes('\n') || text.length > 10_000) done()
    }
    input.on('data', onData)
    input.on('end', done)
    input.on('error', reject)
    input.resume()
  })
}

export async function readPassword(
  input: SecretInput = process.stdin,
  output: NodeJS.WritableStream = process.stderr
): Promise<string> {
  if (input.isTTY) {
    const first = await readHiddenLine(input, output, 'Nouveau mot de passe (rien ne s’affiche) : ')
    const second = await readHiddenLine(input, output, 'Confirmez le mot de passe : ')
    if (first !== second) throw new PasswordInputError('Les deux saisies diffèrent : rien n’a été changé.')
    if (first === '') throw new PasswordInputError('Mot de passe vide : rien n’a été changé.')
    return first
  }
  const line = await readFirstLine(input)
  if (line === '') {
    throw new PasswordInputError(
      'Aucun mot de passe reçu sur l’entrée standard (tapez-le dans un terminal, ou envoyez-le par un tube).'
    )
  }
  return line
}
