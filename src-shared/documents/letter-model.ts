/**
 * A letter as data, before it becomes a PDF: what the rules check and what the renderer lays
 * out. The same model gives the PDF, the text of an e-mail or SMS and the preview.
 */

export const TEMPLATE_CODES = [
  'courtesy-reminder',
  'reminder',
  'firm-reminder',
  'last-reminder',
  'formal-notice',
  'plan-agreement',
  'payment-receipt',
  'client-payment-notice',
  'statement',
  'injunction-summary',
  'evidence-bundle',
  'remittance-statement',
  'reversal-notice'
] as const
export type TemplateCode = (typeof TEMPLATE_CODES)[number]

export function isTemplateCode(value: string): value is TemplateCode {
  return (TEMPLATE_CODES as readonly string[]).includes(value)
}

/**
 * What a template is for; decides the automatic blocks and the rules:
 * - amicable / formal_notice / plan: letters demanding payment from the debtor (R124-4);
 * - receipt / statement: information to the debtor (repeat the first letter's reference);
 * - client: to the creditor; court: for the judge or the commissaire de justice.
 */
export type TemplateProfile = 'amicable' | 'formal_notice' | 'plan' | 'receipt' | 'statement' | 'client' | 'court'

export const DEMAND_PROFILES: readonly TemplateProfile[] = ['amicable', 'formal_notice', 'plan']
export const DEBTOR_PROFILES: readonly TemplateProfile[] = ['amicable', 'formal_notice', 'plan', 'receipt', 'statement']

export const SEND_CHANNELS = ['letter', 'registered_letter', 'email', 'sms'] as const
export type SendChannel = (typeof SEND_CHANNELS)[number]
export const SEND_CHANNEL_LABELS: Record<SendChannel, string> = {
  letter: 'Lettre simple',
  registered_letter: 'Lettre recommandée avec accusé de réception',
  email: 'E-mail',
  sms: 'SMS'
}

/** The editable part of a template: plain text with placeholders, no code. */
export interface TemplateContent {
  /** Heading of the letter (« Relance », « Mise en demeure »). */
  title: string
  /** « Objet : » line. */
  subject: string
  /**
   * Paragraphs separated by a blank line; a line `[[créances]]` (or another block name)
   * inserts that table where it stands.
   */
  body: string
  /** Formule de politesse. */
  closing: string
  /** Short text for an SMS sent at this step (optional). */
  sms: string
}

export interface TemplateDefinition {
  code: TemplateCode
  /** French name shown in lists. */
  name: string
  profile: TemplateProfile
  defaultChannel: SendChannel
  content: TemplateContent
}

export type LetterSection =
  | { kind: 'paragraph'; text: string }
  | {
      kind: 'table'
      name: string
      title?: string
      columns: string[]
      /** 'right' for amounts. */
      align: ('left' | 'right')[]
      rows: string[][]
      footer?: string[]
      /** Relative column widths. */
      widths?: number[]
      /** Font size per column (a SHA-256 must fit on one line, never hyphenated). */
      fontSizes?: (number | undefined)[]
    }
  | { kind: 'legal'; id: LegalBlockId; heading: string; text: string }
  /** Starts a new page (evidence bundle parts). */
  | { kind: 'page_break' }
  | { kind: 'heading'; text: string }

export type LegalBlockId = 'r124_4' | 'l111_8' | 'gdpr' | 'first_letter' | 'payment_methods'

export interface LetterParty {
  name: string
  addressLines: string[]
  /** Above the address: « Lettre recommandée avec demande d’avis de réception ». */
  mention?: string | null
}

const ANNEX_IDS: readonly LegalBlockId[] = ['l111_8', 'gdpr']

/** The letter body, and the legal information blocks printed after the signature. */
export function splitAnnexes(sections: LetterSection[]): { body: LetterSection[]; annexes: LetterSection[] } {
  const isAnnex = (s: LetterSection) => s.kind === 'legal' && ANNEX_IDS.includes(s.id)
  return { body: sections.filter((s) => !isAnnex(s)), annexes: sections.filter(isAnnex) }
}

export interface LetterModel {
  templateCode: TemplateCode
  templateVersion: number
  profile: TemplateProfile
  /** Letterhead: agency name and identity lines. */
  letterhead: { name: string; lines: string[]; logoPng?: Uint8Array | null }
  recipient: LetterParty
  /** « Lyon, le 23 novembre 2026 » */
  placeDate: string
  references: { label: string; value: string }[]
  title: string
  subject: string
  sections: LetterSection[]
  closing: string
  signature: string[]
  /** Legal identity at the foot of every page. */
  footer: string
}

/** Every word of the letter, in reading order (used by the rules and for e-mail bodies). */
export function letterText(model: LetterModel, options: { includeLegal?: boolean } = {}): string {
  const out: string[] = [model.letterhead.name, ...model.letterhead.lines, model.recipient.name]
  out.push(...model.recipient.addressLines, model.placeDate)
  for (const ref of model.references) out.push(`${ref.label} : ${ref.value}`)
  out.push(model.title, model.subject)
  const { body, annexes } = splitAnnexes(model.sections)
  for (const section of [...body, null, ...annexes]) {
    if (section === null) {
      out.push(model.closing, ...model.signature)
      continue
    }
    if (section.kind === 'paragraph' || section.kind === 'heading') out.push(section.text)
    else if (section.kind === 'table') {
      if (section.title) out.push(section.title)
      out.push(section.columns.join(' | '))
      for (const row of section.rows) out.push(row.join(' | '))
      if (section.footer) out.push(section.footer.join(' | '))
    } else if (section.kind === 'legal') {
      if (options.includeLegal ?? true) out.push(section.heading, section.text)
    }
  }
  out.push(model.footer)
  return out.filter((line) => line.trim() !== '').join('\n')
}
