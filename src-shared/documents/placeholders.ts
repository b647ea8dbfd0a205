/**
 * Placeholders in letter templates: `{{debiteur.nom}}`. Managers write templates as plain text
 * blocks; these functions find, check and fill the placeholders. Pure: no Node, no DOM.
 */

/** A placeholder name: lower-case words joined by dots or underscores (`montant.solde_du`). */
export const PLACEHOLDER_PATTERN = /\{\{\s*([a-z0-9_]+(?:\.[a-z0-9_]+)*)\s*\}\}/g

/** A block marker on a line of its own: `[[créances]]` inserts a table where it stands. */
export const BLOCK_MARKER_PATTERN = /^\s*\[\[\s*([a-zéèêàç_ -]+?)\s*\]\]\s*$/iu

export type MergeData = Readonly<Record<string, string>>

/** Names used in a text, in order of first appearance, without duplicates. */
export function placeholdersIn(text: string): string[] {
  const seen = new Set<string>()
  for (const match of text.matchAll(PLACEHOLDER_PATTERN)) seen.add(match[1]!)
  return [...seen]
}

/** `{{` or `}}` left unmatched: a typo that would print braces in a letter. */
export function malformedPlaceholders(text: string): string[] {
  const stripped = text.replace(PLACEHOLDER_PATTERN, '')
  const problems: string[] = []
  const pattern = /\{\{[^}]{0,40}|[^{]{0,20}\}\}/g
  for (const match of stripped.matchAll(pattern)) problems.push(match[0].trim())
  return problems
}

/** Placeholders of a text that the merge data does not know. */
export function unknownPlaceholders(text: string, known: Iterable<string>): string[] {
  const names = new Set(known)
  return placeholdersIn(text).filter((name) => !names.has(name))
}

/**
 * Replaces every placeholder with its value. An unknown name is left visible as `{{name}}`
 * in preview mode (`strict: false`) and throws otherwise, so no letter leaves with a hole.
 */
export function mergeText(text: string, data: MergeData, options: { strict?: boolean } = {}): string {
  return text.replace(PLACEHOLDER_PATTERN, (whole, name: string) => {
    const value = data[name]
    if (value !== undefined) return value
    if (options.strict ?? true) throw new UnknownPlaceholderError(name)
    return whole
  })
}

export class UnknownPlaceholderError extends Error {
  constructor(readonly placeholder: string) {
    super(`Unknown placeholder {{${placeholder}}}`)
  }
}

export type BodyPart = { kind: 'paragraph'; text: string } | { kind: 'block'; name: string }

/**
 * Splits a body into paragraphs (separated by a blank line; a single line break stays inside
 * the paragraph) and block markers (`[[créances]]` on a line of its own).
 */
export function splitBody(body: string): BodyPart[] {
  const parts: BodyPart[] = []
  let lines: string[] = []
  const flush = () => {
    const text = lines.join('\n').trim()
    if (text) parts.push({ kind: 'paragraph', text })
    lines = []
  }
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    const marker = BLOCK_MARKER_PATTERN.exec(line)
    if (marker) {
      flush()
      parts.push({ kind: 'block', name: marker[1]!.toLowerCase() })
    } else if (line.trim() === '') {
      flush()
    } else {
      lines.push(line)
    }
  }
  flush()
  return parts
}
