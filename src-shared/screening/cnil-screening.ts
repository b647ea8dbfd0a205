/**
 * Screening of free-text comments before they are saved (legal-facts.md §8, CNIL "Zones
 * bloc-notes et commentaires : les bons réflexes"). A debtor may read every comment (right of
 * access): no sensitive data (health, religion, political or union opinions, sex life,
 * origins: GDPR art. 9), no offences or convictions (art. 10), no insults, no subjective
 * judgments. The collector sees the words found and why, and rephrases.
 *
 * Matching is accent- and case-insensitive, on whole words, with the usual inflections written
 * into each pattern. A keyword list cannot understand a sentence: it catches the common cases
 * and leaves the rest to the warning banner and periodic review.
 *
 * Pure and shared: the form highlights as the collector types, the main process refuses.
 */

export const SCREENING_CATEGORIES = {
  health: {
    label: 'Santé',
    reason: 'Donnée de santé : donnée sensible, interdite dans un commentaire (RGPD art. 9).'
  },
  religion: {
    label: 'Religion',
    reason: 'Conviction religieuse : donnée sensible, interdite dans un commentaire (RGPD art. 9).'
  },
  political: {
    label: 'Opinion politique',
    reason: 'Opinion politique : donnée sensible, interdite dans un commentaire (RGPD art. 9).'
  },
  union: {
    label: 'Appartenance syndicale',
    reason: 'Appartenance syndicale : donnée sensible, interdite dans un commentaire (RGPD art. 9).'
  },
  sexual_life: {
    label: 'Vie sexuelle',
    reason: 'Vie ou orientation sexuelle : donnée sensible, interdite dans un commentaire (RGPD art. 9).'
  },
  origins: {
    label: 'Origine',
    reason: 'Origine raciale ou ethnique : donnée sensible, interdite dans un commentaire (RGPD art. 9).'
  },
  offences: {
    label: 'Infraction',
    reason:
      'Infraction ou condamnation pénale : donnée qu’un cabinet de recouvrement ne peut pas enregistrer (RGPD art. 10).'
  },
  insult: {
    label: 'Propos injurieux',
    reason: 'Propos injurieux : un commentaire reste objectif et courtois, le débiteur peut le lire (droit d’accès).'
  },
  judgment: {
    label: 'Jugement subjectif',
    reason: 'Jugement de valeur : décrivez des faits vérifiables plutôt qu’une appréciation de la personne (CNIL).'
  }
} as const

export type ScreeningCategory = keyof typeof SCREENING_CATEGORIES

/**
 * Patterns over normalized text (lower case, no accents, œ → oe, ’ → '). A space stands for
 * any run of spaces or hyphens. Inflections are spelled out in each pattern.
 */
const TERMS: Record<ScreeningCategory, string[]> = {
  health: [
    'malad(?:e|es|ie|ies|if|ifs|ive|ives)',
    'cancer(?:s|eux|euse|euses)?',
    'tumeur(?:s)?',
    'chimio(?:therapie|therapies)?',
    'radiotherapie(?:s)?',
    'hopita(?:l|ux)',
    'hospitalis(?:e|ee|es|ees|ation|ations)',
    'depression(?:s)?',
    'depressi(?:f|fs|ve|ves)',
    'burn ?out',
    'handicap(?:e|ee|es|ees|s)?',
    'invalidite',
    'enceinte(?:s)?',
    'grossesse(?:s)?',
    'diabet(?:e|es|ique|iques)',
    'sida',
    'vih',
    'seropositi(?:f|fs|ve|ves)',
    'alcooli(?:que|ques|sme)',
    'alcoolo(?:s)?',
    'drogu(?:e|ee|es|ees)',
    'toxico(?:s|mane|manes|manie)?',
    'psychiatr(?:e|es|ie|ique|iques)',
    'therapie(?:s)?',
    'medicament(?:s)?',
    'arret(?:s)? de travail',
    'covid(?: 19)?',
    'alzheimer',
    'parkinson',
    'schizophren(?:e|es|ie)',
    'bipolaire(?:s)?',
    'autis(?:te|tes|me)',
    'obes(?:e|es|ite)',
    '(?:probleme|problemes|souci|soucis|raison|raisons|etat|ennuis) de sante'
  ],
  religion: [
    'religi(?:on|ons|eux|euse|euses)',
    'musulman(?:e|es|s)?',
    'islam(?:ique|iques|iste|istes)?',
    'jui(?:f|fs|ve|ves)',
    'judaisme',
    'chretien(?:ne|nes|s)?',
    'catholique(?:s)?',
    'protestant(?:e|es|s)?',
    'evangeli(?:que|ques|ste|stes)',
    'temoin(?:s)? de jehovah',
    'bouddhist(?:e|es)',
    'hindou(?:e|es|s)?',
    'athee(?:s)?',
    'mosquee(?:s)?',
    'eglise(?:s)?',
    'synagogue(?:s)?',
    'ramadan',
    'careme',
    'shabbat',
    'pretre(?:s)?',
    'imam(?:s)?',
    'rabbin(?:s)?',
    'pratiquant(?:e|es|s)?',
    'secte(?:s)?',
    'voilee(?:s)?'
  ],
  political: [
    'communiste(?:s)?',
    'socialiste(?:s)?',
    'gaulliste(?:s)?',
    'trotskiste(?:s)?',
    'anarchiste(?:s)?',
    'fasciste(?:s)?',
    'facho(?:s)?',
    'nazi(?:e|es|s)?',
    'gauchiste(?:s)?',
    'extreme(?:s)? (?:droite|gauche)',
    'militant(?:e|es|s)?',
    'gilet(?:s)? jaune(?:s)?',
    '(?:parti|partis|opinion|opinions|conviction|convictions|idees) politique(?:s)?',
    'front national',
    'rassemblement national',
    'france insoumise',
    'insoumis(?:e|es)?',
    'lepeniste(?:s)?',
    'melenchoniste(?:s)?',
    'macroniste(?:s)?'
  ],
  union: [
    'syndiqu(?:e|ee|es|ees)',
    'syndicat(?:s)?',
    'syndicaliste(?:s)?',
    'syndica(?:l|le|les|ux)',
    'cgt',
    'cfdt',
    'cfe cgc',
    'greviste(?:s)?'
  ],
  sexual_life: [
    'homosexu(?:el|elle|els|elles|alite)',
    'homo(?:s)?',
    'gay(?:s)?',
    'lesbienne(?:s)?',
    'bisexu(?:el|elle|els|elles)',
    'transsexu(?:el|elle|els|elles)',
    'transgenre(?:s)?',
    'libertin(?:e|es|s)?',
    'echangiste(?:s)?',
    'prostitu(?:e|ee|es|ees|tion)',
    'escort(?:s)?',
    'sexu(?:el|elle|els|elles|alite)',
    'sexe',
    'amant(?:e|es|s)?',
    'maitresse(?:s)?',
    'adulter(?:e|es|in|ine|ins|ines)',
    'extra ?conjuga(?:l|le|les|ux)'
  ],
  origins: [
    'arabe(?:s)?',
    'maghrebin(?:e|es|s)?',
    'africain(?:e|es|s)?',
    'black(?:s)?',
    'beur(?:s|ette|ettes)?',
    'rebeu(?:s)?',
    'renoi(?:s)?',
    'gitan(?:e|es|s)?',
    'tzigane(?:s)?',
    'manouche(?:s)?',
    'romanichel(?:le|les|s)?',
    'asiatique(?:s)?',
    'ethni(?:e|es|que|ques)',
    'racia(?:l|le|les|ux)',
    'race(?:s)?',
    'immigre(?:e|es|s)?',
    'sans papiers',
    'clandestin(?:e|es|s)?',
    "d'origine \\p{L}+",
    'origine(?:s)? etrangere(?:s)?',
    'couleur de peau'
  ],
  offences: [
    'prison(?:s)?',
    'emprisonn(?:e|ee|es|ees|ement)',
    'incarcer(?:e|ee|es|ees|ation)',
    'detenu(?:e|es|s)?',
    'taulard(?:e|es|s)?',
    'casier judiciaire',
    'condamnation(?:s)? penale(?:s)?',
    'condamn(?:e|ee|es|ees) (?:pour|au penal|a de la prison)',
    'garde a vue',
    'delinquan(?:t|te|ts|tes|ce)',
    'delit(?:s)?',
    'crime(?:s)?',
    'criminel(?:le|les|s)?',
    'voleu(?:r|rs|se|ses)',
    'escro(?:c|cs|querie|queries)',
    'fraudeu(?:r|rs|se|ses)',
    'dealer(?:s)?',
    'trafiquant(?:e|es|s)?',
    'trafic de (?:drogue|stupefiants)',
    'mis(?:e|es)? en examen',
    'controle judiciaire',
    'bracelet electronique',
    'recidivist(?:e|es)',
    'tribunal correctionnel',
    "cour d'assises"
  ],
  insult: [
    'con(?:s|ne|nes|nard|nards|nasse|nasses)?',
    'connerie(?:s)?',
    'salaud(?:s)?',
    'salop(?:e|es|ard|ards)?',
    'ordure(?:s)?',
    'enfoire(?:e|es|s)?',
    'encule(?:e|es|s)?',
    'batard(?:e|es|s)?',
    'merd(?:e|es|eux|euse|euses)',
    'putain',
    'pute(?:s)?',
    'abruti(?:e|es|s)?',
    'cretin(?:e|es|s)?',
    'debile(?:s)?',
    'idiot(?:e|es|s)?',
    'imbecile(?:s)?',
    'stupide(?:s)?',
    'cingle(?:e|es|s)?',
    'dingue(?:s)?',
    'fou',
    'fous',
    'folle(?:s)?',
    'barjo(?:t|ts|s)?',
    'psychopathe(?:s)?',
    'pervers(?:e|es)?',
    'hysterique(?:s)?',
    'clochard(?:e|es|s)?',
    'racaille(?:s)?',
    'beauf(?:s)?',
    'plouc(?:s)?',
    'minable(?:s)?',
    'ivrogne(?:s)?',
    'pede(?:s)?',
    'bougnoule(?:s)?',
    'negre(?:s|sse|sses)?',
    'youpin(?:e|es|s)?',
    'chinetoque(?:s)?'
  ],
  judgment: [
    'menteu(?:r|rs|se|ses)',
    'mytho(?:s|mane|manes)?',
    'malhonnete(?:s)?',
    'de mauvaise foi',
    'mauvaise foi',
    'mauvais(?:e|es)? payeu(?:r|rs|se|ses)',
    'faineant(?:e|es|s)?',
    'feignant(?:e|es|s)?',
    'paresseu(?:x|se|ses)',
    'radin(?:e|es|s)?',
    'pingre(?:s)?',
    'profiteu(?:r|rs|se|ses)',
    'parasite(?:s)?',
    'agressi(?:f|fs|ve|ves)',
    'louche(?:s)?',
    'bizarre(?:s)?',
    'desagreable(?:s)?',
    'antipathique(?:s)?',
    'arrogant(?:e|es|s)?',
    'insupportable(?:s)?',
    'penible(?:s)?',
    'lourdingue(?:s)?',
    'cas soci(?:al|aux)',
    'sale(?:s)? type(?:s)?',
    'pas fiable(?:s)?',
    'irresponsable(?:s)?',
    'bon(?:ne|nes|s)? a rien'
  ]
}

const WORD_CHAR = '[\\p{L}\\p{N}]'

interface CompiledTerm {
  category: ScreeningCategory
  regex: RegExp
}

const COMPILED: CompiledTerm[] = (Object.keys(TERMS) as ScreeningCategory[]).flatMap((category) =>
  TERMS[category].map((pattern) => ({
    category,
    regex: new RegExp(`(?<!${WORD_CHAR})(?:${pattern.replace(/ /g, "[\\s\\-']*")})(?!${WORD_CHAR})`, 'gu')
  }))
)

/**
 * Lower case, accents removed, ligatures split, typographic apostrophes straightened; `map[i]`
 * is the index in the original text of the character at `i`, so findings point into what the
 * collector typed.
 */
export function normalizeForScreening(text: string): { normalized: string; map: number[] } {
  let normalized = ''
  const map: number[] = []
  let index = 0
  for (const char of text) {
    let out = char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    if (out === 'œ') out = 'oe'
    else if (out === 'æ') out = 'ae'
    else if (out === '’' || out === 'ʼ' || out === '‘') out = "'"
    else if (out === 'ß') out = 'ss'
    for (const o of out) {
      normalized += o
      for (let k = 0; k < o.length; k++) map.push(index)
    }
    index += char.length
  }
  map.push(index)
  return { normalized, map }
}

export interface ScreeningFinding {
  /** The words as typed. */
  text: string
  /** Offsets in the original text, [start, end). */
  start: number
  end: number
  category: ScreeningCategory
  label: string
  reason: string
}

export interface ScreeningResult {
  ok: boolean
  findings: ScreeningFinding[]
}

/** Finds the words a comment may not contain, in reading order, without overlaps. */
export function screenText(text: string): ScreeningResult {
  if (!text.trim()) return { ok: true, findings: [] }
  const { normalized, map } = normalizeForScreening(text)
  const raw: Array<{ start: number; end: number; category: ScreeningCategory }> = []
  for (const term of COMPILED) {
    term.regex.lastIndex = 0
    for (const match of normalized.matchAll(term.regex)) {
      const start = match.index
      raw.push({ start, end: start + match[0].length, category: term.category })
    }
  }
  // Longest match first at each position, then drop what overlaps an earlier finding.
  raw.sort((a, b) => a.start - b.start || b.end - a.end)
  const findings: ScreeningFinding[] = []
  let reached = -1
  for (const r of raw) {
    if (r.start < reached) continue
    reached = r.end
    const start = map[r.start]!
    const end = map[r.end] ?? text.length
    const info = SCREENING_CATEGORIES[r.category]
    findings.push({
      text: text.slice(start, end),
      start,
      end,
      category: r.category,
      label: info.label,
      reason: info.reason
    })
  }
  return { ok: findings.length === 0, findings }
}

/** One French sentence listing the words found and why, for a refusal or a banner. */
export function screeningMessage(findings: readonly ScreeningFinding[]): string {
  if (findings.length === 0) return ''
  const byCategory = new Map<ScreeningCategory, string[]>()
  for (const f of findings) {
    const words = byCategory.get(f.category) ?? []
    if (!words.includes(f.text)) words.push(f.text)
    byCategory.set(f.category, words)
  }
  const parts = [...byCategory].map(
    ([category, words]) => `${words.map((w) => `« ${w} »`).join(', ')} — ${SCREENING_CATEGORIES[category].reason}`
  )
  return `Ce commentaire ne peut pas être enregistré tel quel. Reformulez sans : ${parts.join(' ; ')}`
}
