import { In, type EntityManager } from 'typeorm'
import {
  AppError,
  agencyIdentitySchema,
  notFound,
  type AgencyIdentity,
  type CaseDocumentDto,
  type LetterDto,
  type LetterPreview,
  type SessionUser,
  type SmtpSettings,
  type SmtpSettingsView,
  type StoredFile,
  type TemplateDto,
  type TemplateSummary
} from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import {
  BLOCK_CATALOGUE,
  DEFAULT_TEMPLATES,
  DEMAND_PROFILES,
  PLACEHOLDER_CATALOGUE,
  SEND_CHANNEL_LABELS,
  type SendChannel,
  type TemplateCode,
  type TemplateContent,
  type LetterModel,
  type TemplateProfile,
  UnknownPlaceholderError,
  checkLetter,
  defaultTemplate,
  isTemplateCode,
  letterText,
  malformedPlaceholders,
  placeholdersIn,
  splitBody
} from '@shared/documents'
import { formatDate } from '@shared/format/french'
import { uuid7 } from '@shared/ids/uuid7'
import { JOURNAL_KINDS, type JournalKind } from '@shared/domain/enums'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import { log } from '../../platform/log'
import { fileSecretStore, type SecretStore } from '../../platform/secret-store'
import { CaseEntity } from '../cases/case.entity'
import { DebtorAddressEntity } from '../debtors/debtor-contact.entity'
import { JournalEntryEntity } from '../journal/journal-entry.entity'
import { appendJournalEntry, type Author } from '../journal/journal.service'
import { buildCaseStatement } from '../money/statement.service'
import { loadCaseMoney, partyKind } from '../money/money-context'
import type { RatesService } from '../money/rates.service'
import { InstallmentEntity } from '../plans/plan.entities'
import { suspendRowAudit } from '../audit/audit-trail'
import { SettingEntity } from '../settings/setting.entity'
import { UserEntity } from '../users/user.entity'
import { DocumentEntity } from './document.entity'
import { DocumentTemplateEntity } from './document-template.entity'
import { FileStore } from './file-store'
import { LetterEntity } from './letter.entity'
import { type LetterSource, buildLetter } from './letter-builder'
import { renderPdf } from './pdf-pool'
import { PDFDocument } from 'pdf-lib'

export const AGENCY_SETTING_KEY = 'documents.agency'
export const SMTP_SETTING_KEY = 'documents.smtp'
/** Name of the SMTP password in the secret store. */
export const SMTP_PASSWORD_SECRET = 'smtp.password'
const SESSION_USER_KEY = 'session.userId'

export const EMPTY_AGENCY: AgencyIdentity = {
  name: '',
  legalForm: '',
  siren: '',
  capital: '',
  rcsCity: '',
  addressLine1: '',
  addressLine2: '',
  postalCode: '',
  city: '',
  phone: '',
  email: '',
  insurer: '',
  insurancePolicy: '',
  clientAccountBank: '',
  clientAccountHolder: '',
  clientAccountIban: '',
  clientAccountBic: '',
  chequePayee: '',
  prosecutorDeclaration: '',
  dpoContact: '',
  retention: '',
  paymentDelayDays: 8,
  signatory: '',
  logoSha256: null
}

export interface RenderRequest {
  caseId: string
  templateCode: string
  at: string
  extra?: Record<string, string>
}

export interface RenderedLetter {
  pdf: Buffer
  templateVersion: number
  text: string
  /** Printed on the letter; repeated by every later one if it is the first. */
  reference: string
  profile: TemplateProfile
}

/**
 * A letter built and checked (it passed every rule), not rendered yet: its model is plain
 * data, rendered by renderPrepared (in a PDF worker thread when there is one).
 */
export interface PreparedLetter {
  model: LetterModel
  templateVersion: number
  text: string
  reference: string
  profile: TemplateProfile
  caseId: string
  at: CalendarDate
}

export interface StoreRequest {
  caseId: string
  templateCode: string
  templateVersion: number
  pdf: Buffer
  title: string
  channel: SendChannel
  batchId?: string | null
  /** Defaults to the session user, now. */
  author?: Author
  recipient?: string | null
  /** Extra facts for the journal entry (the payment a receipt is for). */
  details?: Record<string, unknown>
  /**
   * The journal line's own wording (a dunning step: "Relance « … » : courrier simple généré"),
   * so that a letter made by a step is one entry carrying both the step's and the document's facts.
   */
  summary?: string
}

interface RenderMeta {
  caseId: string
  reference: string
  at: CalendarDate
  profile: TemplateProfile
  text: string
}

/** A PDF returned by renderLetter, until it is stored: its reference, date and text. */
const renderMeta = new WeakMap<Buffer, RenderMeta>()

const refuse = (message: string, log: string) => new AppError('BUSINESS_RULE', message, log)

function templateContent(row: DocumentTemplateEntity): TemplateContent {
  return { title: row.title, subject: row.subject, body: row.body, closing: row.closing, sms: row.sms }
}

function agencyGaps(a: AgencyIdentity): string[] {
  const gaps: string[] = []
  if (!a.name) gaps.push('nom')
  if (!a.addressLine1 || !a.postalCode || !a.city) gaps.push('adresse')
  if (!a.insurer) gaps.push('assurance de responsabilité civile professionnelle (R. 124-2)')
  if (!a.clientAccountIban) gaps.push('compte réservé aux fonds des créanciers (R. 124-2)')
  if (!a.dpoContact) gaps.push('contact du délégué à la protection des données')
  return gaps
}

/**
 * Letters and documents: templates (versioned in the database), the legal checks, PDF
 * rendering, the content-addressed store and the letter register. The dunning engine calls
 * renderLetter and storeGenerated inside its own transactions.
 */
export class DocumentsService {
  readonly store: FileStore

  /** Where the SMTP password lives (never the settings table: see platform/secret-store.ts). */
  readonly secrets: SecretStore

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly rates: RatesService,
    secrets?: SecretStore
  ) {
    this.store = new FileStore(db.dataDir, db)
    this.secrets = secrets ?? fileSecretStore(db.dataDir)
  }

  /* ------------------------------------------------------------ templates */

  /** Stores version 1 of every shipped template that the database does not have yet. */
  async ensureDefaultTemplates(): Promise<void> {
    const existing = await this.db.read((m) =>
      m.createQueryBuilder(DocumentTemplateEntity, 't').select('DISTINCT t.code', 'code').getRawMany<{ code: string }>()
    )
    const have = new Set(existing.map((r) => r.code))
    const missing = DEFAULT_TEMPLATES.filter((t) => !have.has(t.code))
    if (missing.length === 0) return
    const now = this.clock.now().toISOString()
    await this.db.write(async (manager) => {
      for (const t of missing)
        await manager.insert(DocumentTemplateEntity, {
          id: uuid7(),
          createdAt: now,
          createdBy: null,
          code: t.code,
          version: 1,
          name: t.name,
          profile: t.profile,
          defaultChannel: t.defaultChannel,
          ...t.content,
          note: 'Modèle livré avec Recouvra'
        })
    })
  }

  async template(manager: EntityManager, code: string, version?: number): Promise<DocumentTemplateEntity> {
    if (!isTemplateCode(code))
      throw new AppError('VALIDATION', `Modèle de courrier inconnu : ${code}.`, `Unknown template ${code}`)
    const row = await manager.findOne(DocumentTemplateEntity, {
      where: version ? { code, version } : { code },
      order: { version: 'DESC' }
    })
    if (row) return row
    if (version) throw notFound('DocumentTemplate', `${code} v${version}`, 'Version de modèle')
    // Not seeded yet (a database opened before this version): the shipped text is version 1.
    const t = defaultTemplate(code)
    return Object.assign(new DocumentTemplateEntity(), {
      id: '',
      createdAt: '',
      createdBy: null,
      code,
      version: 1,
      name: t.name,
      profile: t.profile,
      defaultChannel: t.defaultChannel,
      ...t.content,
      note: null
    })
  }

  listTemplates(): Promise<TemplateSummary[]> {
    return this.db.read(async (manager) => {
      const out: TemplateSummary[] = []
      for (const t of DEFAULT_TEMPLATES) {
        const row = await this.template(manager, t.code)
        out.push({
          code: t.code,
          name: row.name,
          profile: row.profile,
          defaultChannel: row.defaultChannel,
          version: row.version,
          updatedAt: row.createdAt
        })
      }
      return out
    })
  }

  getTemplate(code: TemplateCode, version?: number): Promise<TemplateDto> {
    return this.db.read((manager) => this.templateDto(manager, code, version))
  }

  private async templateDto(manager: EntityManager, code: TemplateCode, version?: number): Promise<TemplateDto> {
    const row = await this.template(manager, code, version)
    const versions = await manager
      .createQueryBuilder(DocumentTemplateEntity, 't')
      .leftJoin(UserEntity, 'u', 'u.id = t.created_by')
      .select(['t.version AS version', 't.created_at AS createdAt', 'u.display_name AS authorName', 't.note AS note'])
      .where('t.code = :code', { code })
      .orderBy('t.version', 'DESC')
      .getRawMany<{ version: number; createdAt: string; authorName: string | null; note: string | null }>()
    return {
      code,
      name: row.name,
      profile: row.profile,
      defaultChannel: row.defaultChannel,
      version: row.version,
      updatedAt: row.createdAt,
      content: templateContent(row),
      note: row.note,
      versions: versions.map((v) => ({ ...v, version: Number(v.version) }))
    }
  }

  /** Placeholders and block markers a template may use; a typo is refused before saving. */
  static validateContent(content: TemplateContent): string[] {
    const known = new Set(PLACEHOLDER_CATALOGUE.map((p) => p.name))
    const blocks = new Set(BLOCK_CATALOGUE.map((b) => b.name))
    const problems: string[] = []
    for (const [field, value] of Object.entries(content)) {
      for (const name of placeholdersIn(value))
        if (!known.has(name)) problems.push(`champ inconnu {{${name}}} (${field})`)
      for (const bad of malformedPlaceholders(value)) problems.push(`accolades mal fermées « ${bad} » (${field})`)
    }
    for (const part of splitBody(content.body))
      if (part.kind === 'block' && !blocks.has(part.name)) problems.push(`bloc inconnu [[${part.name}]]`)
    return problems
  }

  async saveTemplate(
    input: { code: TemplateCode; content: TemplateContent; note?: string | null },
    user: SessionUser
  ): Promise<TemplateDto> {
    if (user.role === 'collector')
      throw new AppError(
        'FORBIDDEN',
        'Seul un responsable peut modifier les modèles de courrier.',
        `User ${user.id} may not edit templates`
      )
    const problems = DocumentsService.validateContent(input.content)
    if (problems.length)
      throw new AppError(
        'VALIDATION',
        `Modèle non enregistré : ${problems.join(' ; ')}.`,
        `Template ${input.code} invalid`
      )
    return this.db.write(async (manager) => {
      const current = await this.template(manager, input.code)
      const stored = await manager.findOne(DocumentTemplateEntity, {
        where: { code: input.code },
        order: { version: 'DESC' }
      })
      await manager.insert(DocumentTemplateEntity, {
        id: uuid7(),
        createdAt: this.clock.now().toISOString(),
        createdBy: user.id,
        code: input.code,
        version: (stored?.version ?? 0) + 1,
        name: current.name,
        profile: current.profile,
        defaultChannel: current.defaultChannel,
        ...input.content,
        note: input.note ?? null
      })
      return this.templateDto(manager, input.code)
    })
  }

  /**
   * "Restaurer cette version": a new version whose content is the old one's. Versions are never
   * edited: letters keep pointing at the version they were made with.
   */
  async restoreTemplate(input: { code: TemplateCode; version: number }, user: SessionUser): Promise<TemplateDto> {
    const old = await this.db.read((manager) => this.template(manager, input.code, input.version))
    const latest = await this.db.read((manager) => this.template(manager, input.code))
    if (latest.version === old.version)
      throw new AppError(
        'BUSINESS_RULE',
        `La version ${old.version} est déjà la version en vigueur.`,
        `Template ${input.code} v${old.version} is current`
      )
    return this.saveTemplate(
      { code: input.code, content: templateContent(old), note: `Restauration de la version ${old.version}` },
      user
    )
  }

  /* --------------------------------------------------------------- settings */

  async agency(manager: EntityManager): Promise<AgencyIdentity> {
    const row = await manager.findOne(SettingEntity, { where: { key: AGENCY_SETTING_KEY } })
    if (!row) return { ...EMPTY_AGENCY }
    const parsed = agencyIdentitySchema.safeParse({ ...EMPTY_AGENCY, ...(JSON.parse(row.value) as object) })
    return parsed.success ? parsed.data : { ...EMPTY_AGENCY }
  }

  getAgency(): Promise<AgencyIdentity> {
    return this.db.read((m) => this.agency(m))
  }

  async saveAgency(identity: AgencyIdentity, user: { id: string }): Promise<AgencyIdentity> {
    return this.db.write(async (manager) => {
      await this.putSetting(manager, AGENCY_SETTING_KEY, identity, user.id)
      return identity
    })
  }

  private async putSetting(manager: EntityManager, key: string, value: unknown, userId: string | null): Promise<void> {
    await manager.save(SettingEntity, {
      key,
      value: JSON.stringify(value),
      updatedAt: this.clock.now().toISOString(),
      updatedBy: userId
    })
  }

  async uploadLogo(
    input: { dataBase64: string; mimeType: string },
    user: { id: string }
  ): Promise<{ logoSha256: string }> {
    const content = Buffer.from(input.dataBase64, 'base64')
    const png = content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const jpeg = content[0] === 0xff && content[1] === 0xd8
    if (!png && !jpeg)
      throw new AppError('VALIDATION', 'Le logo doit être une image PNG ou JPEG.', 'Logo is neither PNG nor JPEG')
    if (content.length > 2_000_000) throw new AppError('VALIDATION', 'Le logo dépasse 2 Mo.', 'Logo too large')
    const sha256 = await this.db.write(async (manager) => {
      const { sha256 } = await this.store.put(content, png ? '.png' : '.jpg', manager)
      const identity = await this.agency(manager)
      await this.putSetting(manager, AGENCY_SETTING_KEY, { ...identity, logoSha256: sha256 }, user.id)
      await this.putSetting(manager, `${AGENCY_SETTING_KEY}.logo`, { sha256, ext: png ? '.png' : '.jpg' }, user.id)
      return sha256
    })
    return { logoSha256: sha256 }
  }

  async logo(manager: EntityManager): Promise<{ content: Buffer; mimeType: string } | null> {
    const identity = await this.agency(manager)
    if (!identity.logoSha256) return null
    const row = await manager.findOne(SettingEntity, { where: { key: `${AGENCY_SETTING_KEY}.logo` } })
    const meta = row ? (JSON.parse(row.value) as { sha256: string; ext: string }) : null
    if (!meta || meta.sha256 !== identity.logoSha256) return null
    const path = `documents/${meta.sha256.slice(0, 2)}/${meta.sha256}${meta.ext}`
    try {
      return {
        content: await this.store.read(path, meta.sha256, manager),
        mimeType: meta.ext === '.png' ? 'image/png' : 'image/jpeg'
      }
    } catch {
      return null
    }
  }

  getLogo(): Promise<{ dataBase64: string; mimeType: string } | null> {
    return this.db.read(async (m) => {
      const logo = await this.logo(m)
      return logo ? { dataBase64: logo.content.toString('base64'), mimeType: logo.mimeType } : null
    })
  }

  /** The SMTP settings, the password read from the secret store (main process only). */
  async smtp(manager: EntityManager): Promise<SmtpSettings | null> {
    const row = await manager.findOne(SettingEntity, { where: { key: SMTP_SETTING_KEY } })
    if (!row) return null
    const stored = JSON.parse(row.value) as Partial<SmtpSettings>
    return { ...(stored as SmtpSettings), password: this.secrets.get(SMTP_PASSWORD_SECRET) ?? '' }
  }

  /** What the renderer sees: never the password, only whether one is set. */
  async getSmtp(): Promise<SmtpSettingsView> {
    const s = await this.db.read((m) => this.smtp(m))
    const { password: _password, ...rest } = s ?? {
      host: '',
      port: 587,
      secure: false,
      user: '',
      password: '',
      from: ''
    }
    return { ...rest, hasPassword: this.secrets.has(SMTP_PASSWORD_SECRET) }
  }

  /** An empty password keeps the stored one; a new one replaces it in the secret store. */
  async saveSmtp(input: SmtpSettings, user: { id: string }): Promise<SmtpSettingsView> {
    const { password, ...settings } = input
    if (password) this.secrets.set(SMTP_PASSWORD_SECRET, password)
    await this.db.write((manager) => this.putSetting(manager, SMTP_SETTING_KEY, settings, user.id))
    return this.getSmtp()
  }

  /**
   * Start-up: a password saved in clear in the settings table by an earlier version moves to
   * the secret store and leaves the table. Entries the audit trail recorded before this version
   * (SMTP settings saved with a password) still hold it: the trail is append-only and chained;
   * change the password at the mail provider after upgrading.
   */
  async migrateSmtpPassword(): Promise<boolean> {
    const row = await this.db.read((m) => m.findOne(SettingEntity, { where: { key: SMTP_SETTING_KEY } }))
    if (!row) return false
    const stored = JSON.parse(row.value) as Record<string, unknown>
    if (!('password' in stored)) return false
    const { password, ...settings } = stored
    if (typeof password === 'string' && password && !this.secrets.has(SMTP_PASSWORD_SECRET))
      this.secrets.set(SMTP_PASSWORD_SECRET, password)
    await this.db.write(async (manager) => {
      // The row's previous value holds the clear password: this one rewrite is kept out of the
      // audit trail's row copies (they would record it as "before").
      await suspendRowAudit(manager, 1)
      try {
        await this.putSetting(manager, SMTP_SETTING_KEY, settings, row.updatedBy)
      } finally {
        await suspendRowAudit(manager, -1)
      }
    })
    log.info('SMTP password moved from the settings table to the secret store')
    return true
  }

  /* ---------------------------------------------------------------- letters */

  /** The first letter demanding payment on a case, if any (R124-4: every later step repeats it). */
  async firstLetter(manager: EntityManager, caseId: string): Promise<LetterEntity | null> {
    return manager.findOne(LetterEntity, {
      where: { caseId, demand: true, status: In(['generated', 'sent']) },
      order: { letterDate: 'ASC', createdAt: 'ASC' }
    })
  }

  private async nextReference(manager: EntityManager, caseId: string, caseRef: string): Promise<string> {
    const count = await manager.count(LetterEntity, { where: { caseId } })
    let n = count + 1
    while (await manager.exists(LetterEntity, { where: { reference: `${caseRef}/C${n}` } })) n++
    return `${caseRef}/C${n}`
  }

  /** Everything the letter needs, read in the caller's unit of work. */
  async source(
    manager: EntityManager,
    req: RenderRequest,
    template: { code: TemplateCode; version: number; profile: TemplateProfile; content: TemplateContent }
  ): Promise<LetterSource> {
    const ctx = await loadCaseMoney(manager, req.caseId)
    const statement = buildCaseStatement(ctx, req.at, await this.rates.table(manager))
    const agency = await this.agency(manager)
    const address = await manager.findOne(DebtorAddressEntity, {
      where: { debtorId: ctx.debtor.id },
      order: { validTo: 'ASC', validFrom: 'DESC' }
    })
    const current =
      (await manager
        .createQueryBuilder(DebtorAddressEntity, 'a')
        .where('a.debtor_id = :id AND a.valid_to IS NULL', { id: ctx.debtor.id })
        .orderBy('a.valid_from', 'DESC')
        .getOne()) ?? address
    const first = await this.firstLetter(manager, req.caseId)
    const collector = ctx.caseRow.collectorId
      ? await manager.findOne(UserEntity, { where: { id: ctx.caseRow.collectorId } })
      : null
    const logo = await this.logo(manager)
    const demand = DEMAND_PROFILES.includes(template.profile)
    const c = ctx.client
    const src: LetterSource = {
      at: req.at,
      templateCode: template.code,
      templateVersion: template.version,
      profile: template.profile,
      content: template.content,
      agency,
      logo: logo?.mimeType === 'image/png' || logo?.mimeType === 'image/jpeg' ? logo.content : null,
      caseRef: ctx.caseRow.reference,
      letterReference: await this.nextReference(manager, req.caseId, ctx.caseRow.reference),
      creditor: {
        name: c.legalName,
        addressLines: [c.addressLine1, c.addressLine2 ?? '', `${c.postalCode} ${c.city}`].filter(Boolean),
        iban: c.iban,
        contactEmail: c.contactEmail
      },
      debtor: {
        name: ctx.debtor.displayName,
        civility: ctx.debtor.kind === 'individual' ? ctx.debtor.civility : null,
        addressLines: current
          ? [current.line1, current.line2 ?? '', `${current.postalCode} ${current.city}`].filter(Boolean)
          : [],
        isConsumer: partyKind(ctx.debtor) === 'consumer'
      },
      mandate: { reference: ctx.mandate.reference, remittanceDelayDays: ctx.mandate.remittanceDelayDays },
      collectorName: collector?.displayName ?? null,
      statement,
      hasEnforceableTitle: ctx.caseRow.phase === 'enforcement',
      isFirstLetter: demand && !first,
      firstLetter: first ? { reference: first.reference, date: first.letterDate } : null,
      extra: req.extra
    }
    if (template.profile === 'receipt' || template.code === 'client-payment-notice') {
      const paymentId = req.extra?.paymentId
      const payment = paymentId
        ? ctx.payments.find((p) => p.id === paymentId)
        : [...ctx.payments].reverse().find((p) => p.amountCents > 0 && p.reversesPaymentId === null)
      if (!payment)
        throw refuse('Aucun paiement à quittancer dans ce dossier.', `No payment for receipt on ${req.caseId}`)
      const invoices = new Map(ctx.claims.map((cl) => [cl.id, cl.invoiceNumber]))
      src.payment = {
        receivedOn: payment.receivedOn,
        amountCents: payment.amountCents,
        method: payment.method,
        reference: payment.reference,
        lines: (ctx.allocations.get(payment.id) ?? [])
          .filter((l) => l.amountCents !== 0)
          .map((l) => ({
            claim: `n° ${invoices.get(l.claimId) ?? '?'}`,
            component: l.component,
            amountCents: l.amountCents
          }))
      }
    }
    if (template.profile === 'plan') {
      const plan =
        [...ctx.plans].reverse().find((p) => ['active', 'proposed', 'draft'].includes(p.status)) ?? ctx.plans.at(-1)
      if (!plan)
        throw refuse(
          'Aucun échéancier dans ce dossier : enregistrez d’abord l’échéancier accepté par le débiteur.',
          `No plan on ${req.caseId}`
        )
      const installments = await manager.find(InstallmentEntity, {
        where: { planId: plan.id },
        order: { sequence: 'ASC' }
      })
      src.plan = {
        totalCents: installments.reduce((s, i) => s + i.amountCents, 0),
        installments: installments.map((i) => ({ dueOn: i.dueOn, amountCents: i.amountCents }))
      }
    }
    if (template.profile === 'court') src.evidence = await this.evidence(manager, req.caseId)
    return src
  }

  private async evidence(manager: EntityManager, caseId: string): Promise<NonNullable<LetterSource['evidence']>> {
    const docs = await manager.find(DocumentEntity, { where: { caseId }, order: { createdAt: 'ASC' } })
    const letters = await manager.find(LetterEntity, {
      where: { caseId },
      order: { letterDate: 'ASC', createdAt: 'ASC' }
    })
    const templates = new Map(DEFAULT_TEMPLATES.map((t) => [t.code as string, t.name]))
    const byDoc = new Map(docs.map((d) => [d.id, d]))
    const courtCodes = new Set(['injunction-summary', 'evidence-bundle'])
    const journal = await manager.find(JournalEntryEntity, {
      where: { caseId },
      order: { occurredAt: 'ASC', id: 'ASC' }
    })
    const contactKinds = new Set<JournalKind>(['call', 'letter', 'email', 'sms', 'visit', 'promise', 'plan', 'payment'])
    return {
      documents: docs
        .filter((d) => !courtCodes.has(d.templateCode ?? ''))
        .map((d) => ({ title: d.title, date: formatDate(d.createdAt.slice(0, 10)), sha256: d.sha256 })),
      letters: letters
        .filter((l) => !courtCodes.has(l.templateCode) && l.status !== 'cancelled')
        .map((l) => ({
          reference: l.reference,
          date: l.letterDate,
          title: templates.get(l.templateCode) ?? l.templateCode,
          channel: SEND_CHANNEL_LABELS[l.channel],
          sentOn: l.sentOn,
          tracking: l.trackingNumber,
          sha256: byDoc.get(l.documentId)?.sha256 ?? '',
          text: l.text
        })),
      journal: journal
        .filter((j) => contactKinds.has(j.kind))
        .map((j) => ({
          at: `${formatDate(j.occurredAt.slice(0, 10))} ${j.occurredAt.slice(11, 16)}`,
          kind: JOURNAL_KINDS.labels[j.kind],
          summary: j.summary
        }))
    }
  }

  /**
   * The evidence bundle with, after its own pages, every letter of the case as it was stored
   * (the original PDFs, each checked against its SHA-256 on reading): what a judge or a
   * commissaire de justice is shown is the letter sent, not a copy of its text.
   */
  async appendLetterOriginals(manager: EntityManager, caseId: string, bundle: Uint8Array): Promise<Buffer> {
    const letters = await manager.find(LetterEntity, {
      where: { caseId },
      order: { letterDate: 'ASC', createdAt: 'ASC' }
    })
    const kept = letters.filter(
      (l) => l.status !== 'cancelled' && l.templateCode !== 'injunction-summary' && l.templateCode !== 'evidence-bundle'
    )
    const out = await PDFDocument.load(bundle, { updateMetadata: false })
    for (const letter of kept) {
      const document = await manager.findOne(DocumentEntity, { where: { id: letter.documentId } })
      if (!document) continue
      const original = await PDFDocument.load(await this.store.read(document.storagePath, document.sha256, manager), {
        updateMetadata: false
      })
      for (const page of await out.copyPages(original, original.getPageIndices())) out.addPage(page)
    }
    return Buffer.from(await out.save())
  }

  /**
   * Builds, checks and renders a letter. Throws BUSINESS_RULE with every reason when a rule
   * refuses it; nothing is stored (see storeGenerated).
   */
  async renderLetter(manager: EntityManager, req: RenderRequest): Promise<RenderedLetter> {
    return this.renderPrepared(await this.prepareLetter(manager, req))
  }

  /**
   * The database half of renderLetter: builds and checks the letter (refusals thrown as in
   * renderLetter). A batch renders the result later with renderPrepared, outside the read.
   */
  async prepareLetter(manager: EntityManager, req: RenderRequest): Promise<PreparedLetter> {
    const row = await this.template(manager, req.templateCode)
    return this.prepareWith(manager, req, {
      code: row.code as TemplateCode,
      version: row.version,
      profile: row.profile,
      content: templateContent(row)
    })
  }

  private async prepare(
    manager: EntityManager,
    req: RenderRequest,
    template: { code: TemplateCode; version: number; profile: TemplateProfile; content: TemplateContent },
    strict: boolean
  ) {
    const src = await this.source(manager, req, template)
    const refusals: { rule: string; message: string }[] = []
    const gaps = agencyGaps(src.agency)
    if (gaps.length)
      refusals.push({
        rule: 'data',
        message: `Identité de l’agence incomplète (Paramètres › Agence) : ${gaps.join(', ')}.`
      })
    if (src.profile !== 'client' && src.profile !== 'court' && src.debtor.addressLines.length === 0)
      refusals.push({ rule: 'data', message: 'Le débiteur n’a pas d’adresse postale en cours.' })
    let built
    try {
      built = buildLetter(src, { strict })
    } catch (error) {
      if (error instanceof UnknownPlaceholderError)
        throw new AppError('VALIDATION', `Champ inconnu dans le modèle : {{${error.placeholder}}}.`, error.message)
      throw error
    }
    refusals.push(...checkLetter(built.model, built.facts))
    return { src, built, refusals }
  }

  private async prepareWith(
    manager: EntityManager,
    req: RenderRequest,
    template: { code: TemplateCode; version: number; profile: TemplateProfile; content: TemplateContent }
  ): Promise<PreparedLetter> {
    const { src, built, refusals } = await this.prepare(manager, req, template, true)
    if (refusals.length)
      throw refuse(
        `Courrier refusé : ${refusals.map((r) => r.message).join(' ')}`,
        `Letter ${template.code} refused on case ${req.caseId}: ${refusals.map((r) => r.rule).join(', ')}`
      )
    return {
      model: built.model,
      templateVersion: template.version,
      text: letterText(built.model),
      reference: src.letterReference,
      profile: template.profile,
      caseId: req.caseId,
      at: req.at
    }
  }

  /** The render half of renderLetter: the PDF of a prepared letter, ready for storeGenerated. */
  async renderPrepared(letter: PreparedLetter): Promise<RenderedLetter> {
    const pdf = await renderPdf(letter.model)
    renderMeta.set(pdf, {
      caseId: letter.caseId,
      reference: letter.reference,
      at: letter.at,
      profile: letter.profile,
      text: letter.text
    })
    return {
      pdf,
      templateVersion: letter.templateVersion,
      text: letter.text,
      reference: letter.reference,
      profile: letter.profile
    }
  }

  /** Preview: renders even a refused letter (with its reasons), stores nothing. */
  async preview(req: RenderRequest, content?: TemplateContent): Promise<LetterPreview> {
    return this.db.read(async (manager) => {
      const row = await this.template(manager, req.templateCode)
      const template = {
        code: row.code as TemplateCode,
        version: content ? row.version + 1 : row.version,
        profile: row.profile,
        content: content ?? templateContent(row)
      }
      const { built, refusals } = await this.prepare(manager, req, template, false)
      const pdf = await renderPdf(built.model)
      return {
        templateCode: template.code,
        templateVersion: template.version,
        pdfBase64: pdf.toString('base64'),
        text: letterText(built.model),
        refusals: refusals as LetterPreview['refusals']
      }
    })
  }

  async previewTemplate(input: {
    code: TemplateCode
    content: TemplateContent
    caseId?: string | null
    at: string
  }): Promise<LetterPreview> {
    const caseId =
      input.caseId ??
      (await this.db.read(
        async (m) => (await m.findOne(CaseEntity, { where: { status: 'open' }, order: { reference: 'ASC' } }))?.id
      ))
    if (!caseId)
      throw new AppError(
        'NOT_FOUND',
        'Aucun dossier pour l’aperçu : créez ou importez d’abord un dossier.',
        'No case for preview'
      )
    return this.preview({ caseId, templateCode: input.code, at: input.at }, input.content)
  }

  private async authorOf(manager: EntityManager): Promise<Author> {
    const setting = await manager.findOne(SettingEntity, { where: { key: SESSION_USER_KEY } })
    const chosen = setting ? (JSON.parse(setting.value) as string) : null
    const user =
      (chosen && (await manager.findOne(UserEntity, { where: { id: chosen, active: true } }))) ||
      (await manager.findOne(UserEntity, { where: { role: 'admin', active: true }, order: { createdAt: 'ASC' } }))
    return { userId: user?.id ?? '', now: this.clock.now().toISOString() }
  }

  /**
   * Stores a rendered PDF once in the content-addressed store, records the document (append-only),
   * the letter register row and the journal entry, in the caller's transaction.
   */
  async storeGenerated(
    manager: EntityManager,
    req: StoreRequest
  ): Promise<{ documentId: string; sha256: string; letterId: string; reference: string; journalEntryId: string }> {
    const caseRow = await manager.findOne(CaseEntity, { where: { id: req.caseId } })
    if (!caseRow) throw notFound('Case', req.caseId, 'Dossier')
    const meta = renderMeta.get(req.pdf)
    const author = req.author ?? (await this.authorOf(manager))
    const at = meta?.at ?? author.now.slice(0, 10)
    const row = await this.template(manager, req.templateCode, req.templateVersion)
    let reference = meta?.reference ?? (await this.nextReference(manager, req.caseId, caseRow.reference))
    if (await manager.exists(LetterEntity, { where: { reference } }))
      reference = await this.nextReference(manager, req.caseId, caseRow.reference)
    const { sha256, storagePath } = await this.store.put(req.pdf, '.pdf', manager)
    const documentId = uuid7()
    const safeRef = reference.replace(/[^A-Za-z0-9-]+/g, '-')
    await manager.insert(DocumentEntity, {
      id: documentId,
      createdAt: author.now,
      createdBy: author.userId || null,
      caseId: req.caseId,
      claimId: null,
      kind: 'letter',
      title: req.title.slice(0, 200),
      fileName: `${safeRef}-${req.templateCode}.pdf`,
      mimeType: 'application/pdf',
      sizeBytes: req.pdf.length,
      sha256,
      storagePath,
      templateCode: req.templateCode,
      templateVersion: req.templateVersion
    })
    const letterId = uuid7()
    const demand = DEMAND_PROFILES.includes(row.profile)
    await manager.insert(LetterEntity, {
      id: letterId,
      createdAt: author.now,
      createdBy: author.userId || null,
      updatedAt: author.now,
      updatedBy: author.userId || null,
      version: 1,
      documentId,
      caseId: req.caseId,
      templateCode: req.templateCode,
      templateVersion: req.templateVersion,
      reference,
      letterDate: at,
      channel: req.channel,
      demand,
      batchId: req.batchId ?? null,
      status: 'generated',
      sentOn: null,
      trackingNumber: null,
      recipient: req.recipient ?? null,
      text: meta?.text ?? ''
    })
    const kind: JournalKind =
      req.channel === 'email'
        ? 'email'
        : req.channel === 'sms'
          ? 'sms'
          : row.profile === 'court'
            ? 'document'
            : 'letter'
    const journalEntryId = await appendJournalEntry(
      manager,
      {
        caseId: req.caseId,
        kind,
        summary: req.summary
          ? `${req.summary} (réf. ${reference})`
          : `Courrier « ${req.title} » généré (réf. ${reference}, ${SEND_CHANNEL_LABELS[req.channel].toLowerCase()})`,
        details: {
          documentId,
          letterId,
          reference,
          letterDate: at,
          templateCode: req.templateCode,
          templateVersion: req.templateVersion,
          channel: req.channel,
          sha256,
          batchId: req.batchId ?? null,
          ...req.details
        },
        relatedId: documentId
      },
      author
    )
    return { documentId, sha256, letterId, reference, journalEntryId }
  }

  /** Channel handler: render, check, store and journal in one transaction. */
  async generate(
    input: {
      caseId: string
      templateCode: TemplateCode
      at: string
      channel: SendChannel
      recipient?: string | null
      extra?: Record<string, string>
    },
    user: SessionUser
  ): Promise<LetterDto> {
    const letterId = await this.db.write(async (manager) => {
      const rendered = await this.renderLetter(manager, input)
      const row = await this.template(manager, input.templateCode)
      const stored = await this.storeGenerated(manager, {
        caseId: input.caseId,
        templateCode: input.templateCode,
        templateVersion: rendered.templateVersion,
        pdf: rendered.pdf,
        title: row.name,
        channel: input.channel,
        recipient: input.recipient ?? null,
        author: { userId: user.id, now: this.clock.now().toISOString() }
      })
      return stored.letterId
    })
    return this.letter(letterId)
  }

  letter(letterId: string): Promise<LetterDto> {
    return this.db.read((m) => this.letterDto(m, letterId))
  }

  async letterDto(manager: EntityManager, letterId: string): Promise<LetterDto> {
    const l = await manager.findOne(LetterEntity, { where: { id: letterId } })
    if (!l) throw notFound('Letter', letterId, 'Courrier')
    const doc = await manager.findOneOrFail(DocumentEntity, { where: { id: l.documentId } })
    return toLetterDto(l, doc.sha256)
  }

  listLetters(caseId: string): Promise<LetterDto[]> {
    return this.db.read(async (manager) => {
      const letters = await manager.find(LetterEntity, { where: { caseId }, order: { createdAt: 'DESC', id: 'DESC' } })
      const docs = letters.length
        ? await manager.findByIds(
            DocumentEntity,
            letters.map((l) => l.documentId)
          )
        : []
      const sha = new Map(docs.map((d) => [d.id, d.sha256]))
      return letters.map((l) => toLetterDto(l, sha.get(l.documentId) ?? ''))
    })
  }

  async markSent(
    input: { letterId: string; sentOn: string; trackingNumber?: string | null },
    user: SessionUser
  ): Promise<LetterDto> {
    return this.db.write(async (manager) => {
      const l = await manager.findOne(LetterEntity, { where: { id: input.letterId } })
      if (!l) throw notFound('Letter', input.letterId, 'Courrier')
      if (l.status === 'sent')
        throw refuse(`Ce courrier a déjà été marqué envoyé le ${formatDate(l.sentOn!)}.`, `Letter ${l.id} already sent`)
      if (l.channel === 'registered_letter' && !input.trackingNumber)
        throw new AppError(
          'VALIDATION',
          'Indiquez le numéro de suivi de la lettre recommandée.',
          'Missing tracking number'
        )
      if (input.sentOn < l.letterDate)
        throw new AppError(
          'VALIDATION',
          'La date d’envoi ne peut pas précéder la date du courrier.',
          'Sent before letter date'
        )
      const now = this.clock.now().toISOString()
      await manager.update(
        LetterEntity,
        { id: l.id },
        {
          status: 'sent',
          sentOn: input.sentOn,
          trackingNumber: input.trackingNumber ?? null,
          updatedAt: now,
          updatedBy: user.id,
          version: l.version + 1
        }
      )
      const name = DEFAULT_TEMPLATES.find((t) => t.code === l.templateCode)?.name ?? l.templateCode
      await appendJournalEntry(
        manager,
        {
          caseId: l.caseId,
          kind: l.channel === 'email' ? 'email' : l.channel === 'sms' ? 'sms' : 'letter',
          summary: `Courrier « ${name} » envoyé le ${formatDate(input.sentOn)} (réf. ${l.reference}, ${SEND_CHANNEL_LABELS[l.channel].toLowerCase()}${input.trackingNumber ? `, suivi n° ${input.trackingNumber}` : ''})`,
          details: {
            letterId: l.id,
            documentId: l.documentId,
            reference: l.reference,
            sentOn: input.sentOn,
            trackingNumber: input.trackingNumber ?? null
          },
          occurredAt: `${input.sentOn}T12:00:00.000Z` > now ? now : `${input.sentOn}T12:00:00.000Z`,
          relatedId: l.documentId
        },
        { userId: user.id, now }
      )
      return this.letterDto(manager, l.id)
    })
  }

  /** Cancels a letter generated by mistake, before it is sent; the stored PDF is kept as evidence. */
  async cancel(input: { letterId: string; reason: string }, user: SessionUser): Promise<LetterDto> {
    return this.db.write(async (manager) => {
      const l = await manager.findOne(LetterEntity, { where: { id: input.letterId } })
      if (!l) throw notFound('Letter', input.letterId, 'Courrier')
      if (l.status !== 'generated')
        throw refuse(
          l.status === 'sent' ? 'Un courrier envoyé ne peut pas être annulé.' : 'Ce courrier est déjà annulé.',
          `Letter ${l.id} is ${l.status}`
        )
      const now = this.clock.now().toISOString()
      await manager.update(
        LetterEntity,
        { id: l.id },
        { status: 'cancelled', updatedAt: now, updatedBy: user.id, version: l.version + 1 }
      )
      const name = DEFAULT_TEMPLATES.find((t) => t.code === l.templateCode)?.name ?? l.templateCode
      await appendJournalEntry(
        manager,
        {
          caseId: l.caseId,
          kind: 'document',
          summary: `Courrier « ${name} » annulé avant envoi (réf. ${l.reference}) : ${input.reason}`,
          details: { letterId: l.id, documentId: l.documentId, reference: l.reference, reason: input.reason },
          relatedId: l.documentId
        },
        { userId: user.id, now }
      )
      return this.letterDto(manager, l.id)
    })
  }

  listDocuments(caseId: string): Promise<CaseDocumentDto[]> {
    return this.db.read(async (manager) => {
      const docs = await manager.find(DocumentEntity, { where: { caseId }, order: { createdAt: 'DESC', id: 'DESC' } })
      const letters = await manager.find(LetterEntity, { where: { caseId } })
      const byDoc = new Map(letters.map((l) => [l.documentId, l]))
      return docs.map((d) => {
        const l = byDoc.get(d.id)
        return {
          id: d.id,
          caseId: d.caseId,
          kind: d.kind,
          title: d.title,
          fileName: d.fileName,
          mimeType: d.mimeType,
          sizeBytes: d.sizeBytes,
          sha256: d.sha256,
          templateCode: d.templateCode,
          templateVersion: d.templateVersion,
          createdAt: d.createdAt,
          letter: l ? toLetterDto(l, d.sha256) : null
        }
      })
    })
  }

  openDocument(documentId: string): Promise<StoredFile> {
    return this.db.read(async (manager) => {
      const d = await manager.findOne(DocumentEntity, { where: { id: documentId } })
      if (!d) throw notFound('Document', documentId, 'Document')
      let content: Buffer
      try {
        content = await this.store.read(d.storagePath, d.sha256, manager)
      } catch (error) {
        // A file erased by the anonymisation says so (FileStore's French message).
        if (error instanceof AppError) throw error
        throw new AppError(
          'CONFLICT',
          'Le fichier de ce document est introuvable ou a été modifié depuis son enregistrement (empreinte SHA-256 différente).',
          `Stored file of document ${d.id}: ${(error as Error).message}`
        )
      }
      return {
        documentId: d.id,
        fileName: d.fileName,
        mimeType: d.mimeType,
        sha256: d.sha256,
        dataBase64: content.toString('base64')
      }
    })
  }
}

export function toLetterDto(l: LetterEntity, sha256: string): LetterDto {
  return {
    id: l.id,
    documentId: l.documentId,
    caseId: l.caseId,
    templateCode: l.templateCode as TemplateCode,
    templateName: DEFAULT_TEMPLATES.find((t) => t.code === l.templateCode)?.name ?? l.templateCode,
    templateVersion: l.templateVersion,
    reference: l.reference,
    letterDate: l.letterDate,
    channel: l.channel,
    status: l.status,
    sentOn: l.sentOn,
    trackingNumber: l.trackingNumber,
    recipient: l.recipient,
    sha256,
    batchId: l.batchId,
    createdAt: l.createdAt
  }
}
