/**
 * "The same debtor twice under slightly different spellings": two name keys (already folded:
 * lower case, no accents, single spaces) that differ by a typo or two, or by the order or
 * presence of a legal form.
 */

const LEGAL_FORMS = new Set([
  'sarl',
  'sas',
  'sasu',
  'eurl',
  'sa',
  'sci',
  'snc',
  'scp',
  'selarl',
  'ei',
  'eirl',
  'ste',
  'societe',
  'ets',
  'etablissements',
  'et',
  'cie',
  'm',
  'mme',
  'mr',
  'mlle'
])

/** The words that identify: legal forms and civilities dropped, sorted (order never matters). */
export function identityWords(key: string): string {
  return key
    .split(' ')
    .filter((word) => word !== '' && !LEGAL_FORMS.has(word))
    .sort()
    .join(' ')
}

/** Levenshtein distance, or `max + 1` as soon as it is known to exceed `max`. */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  if (a === b) return 0
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      current.push(value)
      if (value < rowMin) rowMin = value
    }
    if (rowMin > max) return max + 1
    previous = current
  }
  return previous[b.length]!
}

/**
 * Two different keys naming, most likely, the same debtor: the same identifying words, or
 * one or two typos apart (one for short names, where two would join different people).
 */
export function probablySameName(a: string, b: string): boolean {
  if (a === b) return false
  const wordsA = identityWords(a)
  const wordsB = identityWords(b)
  if (wordsA === '' || wordsB === '') return false
  if (wordsA === wordsB) return true
  const max = Math.min(wordsA.length, wordsB.length) >= 10 ? 2 : 1
  return boundedEditDistance(wordsA, wordsB, max) <= max
}
