import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, noInput, uuidSchema } from './schemas'
import type { CalendarDate } from '../dates/calendar-date'
import {
  SEND_CHANNELS,
  TEMPLATE_CODES,
  type SendChannel,
  type TemplateCode,
  type TemplateProfile
} from '../documents/letter-model'
import type { LetterRule } from '../documents/rules'

/* ---------------------------------------------------------- agency identity */

const text = (max: number) => z.string().trim().max(max)

/** The agency's identity, printed on every letter (R124-2, R124-4 1°, RGPD). */
export const agencyIdentitySchema = z
  .object({
    name: text(200).min(1, 'Nom de l’agence obligatoire'),
    legalForm: text(60),
    siren: text(9).regex(/^(\d{9})?$/, 'SIREN : 9 chiffres'),
    capital: text(60),
    rcsCity: text(100),
    addressLine1: text(200).min(1, 'Adresse obligatoire'),
    addressLine2: text(200),
    postalCode: text(10).min(1, 'Code postal obligatoire'),
    city: text(100).min(1, 'Ville obligatoire'),
    phone: text(30),
    email: text(254),
    /** R124-2 1°: professional civil-liability insurance. */
    insurer: text(200),
    insurancePolicy: text(100),
    /** R124-2 2°: account used only for funds collected for creditors. */
    clientAccountBank: text(200),
    clientAccountHolder: text(200),
    clientAccountIban: text(34),
    clientAccountBic: text(11),
    /** Payee of cheques. */
    chequePayee: text(200),
    /** R124-2 3°: declaration to the procureur de la République. */
    prosecutorDeclaration: text(300),
    dpoContact: text(300),
    /** Printed in the GDPR block: how long data are kept. */
    retention: text(300),
    /** Days given to pay in a mise en demeure / firm reminder. */
    paymentDelayDays: z.number().int().min(1).max(60),
    signatory: text(120),
    logoSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable()
  })
  .strict()
export type AgencyIdentity = z.output<typeof agencyIdentitySchema>

export const smtpSettingsSchema = z
  .object({
    host: text(200),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean(),
    user: text(200),
    /** Empty = keep the stored password. */
    password: z.string().max(200),
    from: text(254)
  })
  .strict()
export type SmtpSettings = z.output<typeof smtpSettingsSchema>
/** Never sends the password back to the renderer. */
export type SmtpSettingsView = Omit<SmtpSettings, 'password'> & { hasPassword: boolean }

/* ---------------------------------------------------------------- templates */

export const templateCodeSchema = z.enum(TEMPLATE_CODES)
export const sendChannelSchema = z.enum(SEND_CHANNELS)

export const templateContentSchema = z
  .object({
    title: text(200),
    subject: text(300),
    body: z.string().max(20000),
    closing: text(500),
    sms: text(480)
  })
  .strict()

export interface TemplateSummary {
  code: TemplateCode
  name: string
  profile: TemplateProfile
  defaultChannel: SendChannel
  version: number
  updatedAt: string
}

export interface TemplateDto extends TemplateSummary {
  content: z.output<typeof templateContentSchema>
  note: string | null
  versions: { version: number; createdAt: string; authorName: string | null; note: string | null }[]
}

/* ------------------------------------------------------------------ letters */

export interface LetterPreview {
  templateCode: TemplateCode
  templateVersion: number
  pdfBase64: string
  text: string
  /** Reasons the letter would be refused; empty when it may be generated. */
  refusals: { rule: LetterRule | 'data'; message: string }[]
}

export interface LetterDto {
  id: string
  documentId: string
  caseId: string
  templateCode: TemplateCode
  templateName: string
  templateVersion: number
  reference: string
  letterDate: CalendarDate
  channel: SendChannel
  status: 'generated' | 'sent' | 'cancelled'
  sentOn: CalendarDate | null
  trackingNumber: string | null
  recipient: string | null
  sha256: string
  batchId: string | null
  createdAt: string
}

export interface CaseDocumentDto {
  id: string
  caseId: string | null
  kind: string
  title: string
  fileName: string
  mimeType: string
  sizeBytes: number
  sha256: string
  templateCode: string | null
  templateVersion: number | null
  createdAt: string
  letter: LetterDto | null
}

export interface StoredFile {
  documentId: string
  fileName: string
  mimeType: string
  sha256: string
  dataBase64: string
}

const letterRequest = {
  caseId: uuidSchema,
  templateCode: templateCodeSchema,
  at: calendarDateSchema
}

export const documentChannels = {
  'documents:agency-get': channel<AgencyIdentity>()(noInput, 'The agency identity printed on letters (settings).'),
  'documents:agency-save': channel<AgencyIdentity>()(
    agencyIdentitySchema,
    'Saves the agency identity (name, legal form, SIREN, address, R124-2 insurance and client account, DPO).'
  ),
  'documents:logo-upload': channel<{ logoSha256: string }>()(
    z.object({ dataBase64: z.string().min(1).max(2_800_000), mimeType: z.enum(['image/png', 'image/jpeg']) }).strict(),
    'Stores the agency logo (PNG or JPEG, at most 2 MB) in the file store and sets it on the identity.'
  ),
  'documents:logo-get': channel<{ dataBase64: string; mimeType: string } | null>()(noInput, 'The stored agency logo.'),
  'documents:smtp-get': channel<SmtpSettingsView>()(noInput, 'SMTP settings for sending e-mails (no password).'),
  'documents:smtp-save': channel<SmtpSettingsView>()(smtpSettingsSchema, 'Saves the SMTP settings.'),
  'templates:list': channel<TemplateSummary[]>()(noInput, 'Letter templates, latest version of each.'),
  'templates:get': channel<TemplateDto>()(
    z.object({ code: templateCodeSchema, version: z.number().int().positive().optional() }).strict(),
    'One template version (latest by default) with its version history.'
  ),
  'templates:save': channel<TemplateDto>()(
    z.object({ code: templateCodeSchema, content: templateContentSchema, note: text(500).nullish() }).strict(),
    'Saves a template edit as its next version (managers); placeholders and block markers are checked.'
  ),
  'templates:restore': channel<TemplateDto>()(
    z.object({ code: templateCodeSchema, version: z.number().int().positive() }).strict(),
    'Restores a past version (managers): a new version equal to it; versions are never edited.'
  ),
  'templates:preview': channel<LetterPreview>()(
    z
      .object({
        code: templateCodeSchema,
        content: templateContentSchema,
        caseId: uuidSchema.nullish(),
        at: calendarDateSchema
      })
      .strict(),
    'Renders unsaved template content on a case (or the first case) for the live preview, with the rule checks.'
  ),
  'letters:preview': channel<LetterPreview>()(
    z.object(letterRequest).strict(),
    'Renders a letter for a case without storing it, with the reasons it would be refused.'
  ),
  'letters:generate': channel<LetterDto>()(
    z.object({ ...letterRequest, channel: sendChannelSchema, recipient: text(254).nullish() }).strict(),
    'Generates a letter, stores the PDF once (SHA-256) and records it in the case journal; refuses a letter breaking a rule.'
  ),
  'letters:mark-sent': channel<LetterDto>()(
    z
      .object({
        letterId: uuidSchema,
        sentOn: calendarDateSchema,
        trackingNumber: text(40).nullish()
      })
      .strict(),
    'Marks a letter sent on a date (tracking number required for a registered letter) and journals it.'
  ),
  'letters:cancel': channel<LetterDto>()(
    z.object({ letterId: uuidSchema, reason: text(300).min(3, 'Motif obligatoire') }).strict(),
    'Cancels a generated letter that was not sent (the PDF stays stored); a cancelled letter is never the first letter.'
  ),
  'letters:list': channel<LetterDto[]>()(z.object({ caseId: uuidSchema }).strict(), 'Letters of a case, newest first.'),
  'letters:email': channel<{ letter: LetterDto; emlDocumentId: string | null; messageId: string | null }>()(
    z
      .object({
        letterId: uuidSchema,
        to: z.string().trim().email('Adresse e-mail invalide'),
        mode: z.enum(['eml', 'smtp']),
        /** SMTP: the user checked an uncertain sending (interrupted by a crash) and sends it again. */
        confirmResend: z.boolean().optional()
      })
      .strict(),
    'E-mails a generated letter with its PDF attached: an .eml file stored for the mail client, or sent through SMTP.'
  ),
  'letters:email-confirm-sent': channel<LetterDto>()(
    z
      .object({
        letterId: uuidSchema,
        /** How the user checked the uncertain sending did leave (sent folder, the recipient…). */
        verification: text(500).min(3, 'Indiquez comment l’envoi a été vérifié')
      })
      .strict(),
    'Records as sent, without sending it again, an uncertain e-mail (interrupted by a crash while handed to the SMTP server) the user checked did leave: the attempt, letter and dunning step sent, journalled with the verification note.'
  ),
  'letters:sms': channel<LetterDto>()(
    z.object({ ...letterRequest, phone: text(20).min(6) }).strict(),
    'Records the SMS text of a template step, to send through the agency provider, with its journal entry.'
  ),
  'documents:list': channel<CaseDocumentDto[]>()(
    z.object({ caseId: uuidSchema }).strict(),
    'Stored documents of a case (letters, evidence), newest first.'
  ),
  'documents:open': channel<StoredFile>()(
    z.object({ documentId: uuidSchema }).strict(),
    'The stored file of a document, checked against its SHA-256.'
  ),
  'documents:injunction-file': channel<{ summary: LetterDto; bundle: LetterDto }>()(
    z.object({ caseId: uuidSchema, at: calendarDateSchema }).strict(),
    'Builds the injonction de payer file: request summary and evidence bundle (statement, letters, journal, documents with SHA-256).'
  ),
  'documents:remittance-statement': channel<StoredFile>()(
    z.object({ remittanceId: uuidSchema }).strict(),
    'Renders and stores the client’s remittance statement (collections, commission, VAT, net) as a PDF.'
  ),
  'documents:reversal-notice': channel<LetterDto>()(
    z.object({ paymentId: uuidSchema }).strict(),
    'From a payment reversal: the debtor’s corrective notice (Avis de rectification: the reversed payment, the corrected balance), generated and recorded sent.'
  ),
  'documents:payment-documents': channel<{ receipt: LetterDto; clientNotice: LetterDto }>()(
    z.object({ paymentId: uuidSchema }).strict(),
    'Generates the debtor’s receipt (R124-6) and the client’s payment notice (R124-5) for a payment.'
  )
}
