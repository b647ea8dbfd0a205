import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  CASE_AGE_BUCKET_LABELS,
  CASE_AGE_BUCKETS,
  REPORT_KIND_LABELS,
  type ActivityRow,
  type AgingRow,
  type CaseSortField,
  type CaseSummary,
  type ChannelParsedInput,
  type DashboardData,
  type RecoveryRow,
  type RemittanceLineDto,
  type RemittancePreview,
  type ReportFile,
  type ReportKind,
  type ReportScope,
  type ReportScopeInput,
  type SessionUser
} from '@shared/contract'
import { addDays, type CalendarDate } from '@shared/dates/calendar-date'
import {
  CALL_OUTCOMES,
  CLOSURE_REASONS,
  CASE_PHASES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  PARTY_KINDS,
  PAYMENT_METHODS,
  PAYMENT_RECEIVERS,
  SUSPENSION_REASONS
} from '@shared/domain/enums'
import { formatCents, formatDate, formatInstant } from '@shared/format/french'
import { ageBucketOf, monthsOf, ratio, resolveScope, weekStart } from '@shared/reports/figures'
import type { EntityManager } from 'typeorm'
import type { Database } from '../../db/database'
import type { Clock } from '../../platform/clock'
import type { CasesService } from '../cases/cases.service'
import type { RemittancesService } from '../money/remittances.service'
import { plannerHintsFor } from '../search/planner-hints'
import {
  activityRows,
  agingRows,
  collectionMonths,
  keptRate,
  pipelineRows,
  promiseStatuses,
  recoveryRows,
  scopeNames,
  sumActivity
} from './report-figures'
import { ReportWorkbook, type ColumnSpec, type CoverLine } from './report-workbook'

type ExportInput = ChannelParsedInput<'reports:export'>
type CasesExportInput = Extract<ExportInput, { kind: 'cases' }>

/** Dashboards kept (per scope) until the next write. */
const DASHBOARD_CACHE_SIZE = 20

/**
 * Rows read at a time when a portfolio view is exported (by primary key, from the list's ids in
 * display order: CasesService.orderedIds). Measured at 200,000 cases with 5,000-row pages of the
 * former position-paged reads: 14.8 s of CPU instead of 15.6–15.7 s, for more memory: not kept.
 */
export const EXPORT_PAGE_SIZE = 500

const FILE_STEMS: Readonly<Record<ReportKind, string>> = {
  aging: 'balance-agee',
  recovery: 'performance-recouvrement',
  activity: 'activite-charges-recouvrement',
  remittance: 'releves-reversement',
  cases: 'portefeuille'
}

const SORT_LABELS: Readonly<Record<CaseSortField, string>> = {
  reference: 'Référence',
  debtorName: 'Débiteur',
  clientName: 'Client',
  phase: 'Phase',
  status: 'Statut',
  balance: 'Solde dû',
  daysPastDue: 'Jours de retard',
  lastContactAt: 'Dernier contact',
  nextActionOn: 'Prochaine action',
  collectorName: 'Chargé',
  openedOn: 'Ouverture',
  priority: 'Priorité',
  prescriptionOn: 'Prescription'
}

/**
 * Manager reports: the dashboard figures and the Excel workbooks, both from report-figures.ts;
 * the portfolio export pages through CasesService.list with the screen's filters and sort.
 */
export class ReportsService {
  private readonly dashboards = new Map<string, { mark: number; data: DashboardData }>()

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly cases: CasesService,
    private readonly remittances: RemittancesService
  ) {}

  scope(input: ReportScopeInput): ReportScope {
    return resolveScope(input, this.clock.today())
  }

  /**
   * The dashboard's figures. Each is read on its own (the connection is shared: other calls
   * pass in between, a 200,000-case portfolio takes seconds in all), and the whole is kept
   * until the next write, so coming back to the page or switching filters back is instant.
   */
  async dashboard(input: ReportScopeInput): Promise<DashboardData> {
    const scope = this.scope(input)
    const key = JSON.stringify(scope)
    const mark = await this.db.read((manager) => plannerHintsFor(manager).writeMark(manager))
    const cached = this.dashboards.get(key)
    if (cached && cached.mark === mark) return cached.data
    const read = <T>(work: (manager: EntityManager) => Promise<T>) => this.db.read(work)
    const [total] = await read((m) => recoveryRows(m, scope, 'total'))
    const byMonth = new Map((await read((m) => recoveryRows(m, scope, 'month'))).map((r) => [r.key, r]))
    const collections = new Map((await read((m) => collectionMonths(m, scope))).map((c) => [c.month, c]))
    const [aging] = await read((m) => agingRows(m, scope, 'total'))
    const pipeline = await read((m) => pipelineRows(m, scope))
    const activity = await read((m) => activityRows(m, scope))
    const statuses = await read((m) => promiseStatuses(m, scope))
    const data: DashboardData = {
      scope,
      totals: {
        openCount: pipeline.reduce((s, p) => s + p.count, 0),
        openBalanceCents: pipeline.reduce((s, p) => s + p.balanceCents, 0),
        placedCents: total!.placedCents,
        recoveredCents: total!.recoveredCents,
        rate: total!.rate,
        averageDaysToRecover: total!.averageDaysToRecover,
        collectedCents: [...collections.values()].reduce((s, m) => s + m.collectedCents, 0)
      },
      months: monthsOf(scope.from, scope.to).map((month) => {
        const r = byMonth.get(month)
        return {
          month,
          placedCents: r?.placedCents ?? 0,
          recoveredCents: r?.recoveredCents ?? 0,
          rate: r?.rate ?? 0,
          collectedCents: collections.get(month)?.collectedCents ?? 0
        }
      }),
      aging: aging!.buckets,
      pipeline,
      collectors: sumActivity(activity, 'collector'),
      promises: { byStatus: statuses, keptRate: keptRate(statuses) }
    }
    this.dashboards.delete(key)
    this.dashboards.set(key, { mark, data })
    while (this.dashboards.size > DASHBOARD_CACHE_SIZE) this.dashboards.delete(this.dashboards.keys().next().value!)
    return data
  }

  /** Writes the report in the data folder (exports/) and returns it with its bytes. */
  async export(input: ExportInput, user: SessionUser | null): Promise<ReportFile> {
    const started = performance.now()
    const dir = join(this.db.dataDir, 'exports')
    mkdirSync(dir, { recursive: true })
    const stamp = formatInstant(this.clock.now().toISOString())
      .replace(/^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d)$/, '$3-$2-$1-$4$5')
      .replace(/[^0-9-]/g, '')
    const fileName = `${FILE_STEMS[input.kind]}-${stamp}.xlsx`
    const path = join(dir, fileName)
    const { rowCount } = await this.write(input, path, user)
    const bytes = readFileSync(path)
    return {
      kind: input.kind,
      fileName,
      path,
      sizeBytes: statSync(path).size,
      rowCount,
      base64: bytes.toString('base64'),
      durationMs: Math.round(performance.now() - started)
    }
  }

  /** Writes the report to `path` (the CLI's --out). */
  async write(input: ExportInput, path: string, user: SessionUser | null): Promise<{ rowCount: number }> {
    const book = new ReportWorkbook(path)
    switch (input.kind) {
      case 'aging':
        await this.writeAging(book, this.scope(input.scope))
        break
      case 'recovery':
        await this.writeRecovery(book, this.scope(input.scope))
        break
      case 'activity':
        await this.writeActivity(book, this.scope(input.scope))
        break
      case 'remittance':
        await this.writeRemittance(book, input.scope)
        break
      case 'cases':
        await this.writeCases(book, input, user)
        break
    }
    await book.commit()
    return { rowCount: book.rowCount }
  }

  /* ------------------------------------------------------------ cover */

  private async coverLines(scope: ReportScope, options: { period: boolean }): Promise<CoverLine[]> {
    const names = await this.db.read((manager) => scopeNames(manager, scope))
    return [
      { label: 'Établi le', value: formatInstant(this.clock.now().toISOString()) },
      { label: 'Arrêté au', value: scope.asOf, kind: 'date' },
      ...(options.period
        ? [
            { label: 'Période du', value: scope.from, kind: 'date' as const },
            { label: 'Période au (inclus)', value: scope.to, kind: 'date' as const }
          ]
        : []),
      { label: 'Clients', value: names.clients.length ? names.clients.join(', ') : 'Tous' },
      { label: 'Chargés de recouvrement', value: names.collectors.length ? names.collectors.join(', ') : 'Tous' }
    ]
  }

  /* ------------------------------------------------------------ aging */

  private async writeAging(book: ReportWorkbook, scope: ReportScope): Promise<void> {
    const [byClient, byCollector] = await this.db.read(async (manager) => [
      await agingRows(manager, scope, 'client'),
      await agingRows(manager, scope, 'collector')
    ])
    book.cover(REPORT_KIND_LABELS.aging, [
      ...(await this.coverLines(scope, { period: false })),
      { label: 'Dossiers retenus', value: 'En cours et suspendus, avec un solde dû' },
      {
        label: 'Âge',
        value:
          'Jours entre la plus ancienne échéance impayée et la date d’arrêté (une créance non échue compte 0 jour) : les tranches du filtre « Âge » du portefeuille.'
      },
      { label: 'Montants', value: 'Solde dû en principal (hors intérêts, qui dépendent du jour).' }
    ])
    const columns = (dimension: string): ColumnSpec<AgingRow>[] => [
      { key: 'label', header: dimension, width: 36, kind: 'text', value: (r) => r.label, total: { label: 'Total' } },
      { key: 'count', header: 'Dossiers', width: 11, kind: 'int', value: (r) => r.count, total: 'sum' },
      ...CASE_AGE_BUCKETS.map((bucket, i): ColumnSpec<AgingRow> => ({
        key: `b${i}`,
        header: CASE_AGE_BUCKET_LABELS[bucket],
        width: 16,
        kind: 'money',
        value: (r) => r.buckets[i]!.balanceCents,
        total: 'sum'
      })),
      { key: 'total', header: 'Solde dû total', width: 18, kind: 'money', value: (r) => r.balanceCents, total: 'sum' },
      {
        key: 'over90',
        header: 'Dont plus de 90 jours',
        width: 18,
        kind: 'money',
        value: (r) => r.buckets[3]!.balanceCents + r.buckets[4]!.balanceCents,
        total: 'sum'
      },
      {
        key: 'share90',
        header: 'Part à plus de 90 jours',
        width: 13,
        kind: 'percent',
        value: (r) =>
          r.balanceCents ? ratio(r.buckets[3]!.balanceCents + r.buckets[4]!.balanceCents, r.balanceCents) : null,
        total: { ratio: ['over90', 'total'] }
      }
    ]
    await book.table('Par client', columns('Client'), byClient)
    await book.table('Par chargé de recouvrement', columns('Chargé de recouvrement'), byCollector)
  }

  /* ---------------------------------------------------------- recovery */

  private async writeRecovery(book: ReportWorkbook, scope: ReportScope): Promise<void> {
    const data = await this.db.read(async (manager) => ({
      total: (await recoveryRows(manager, scope, 'total'))[0]!,
      client: await recoveryRows(manager, scope, 'client'),
      month: await recoveryRows(manager, scope, 'month'),
      phase: await recoveryRows(manager, scope, 'phase'),
      collections: await collectionMonths(manager, scope)
    }))
    book.cover(REPORT_KIND_LABELS.recovery, [
      ...(await this.coverLines(scope, { period: true })),
      { label: 'Dossiers retenus', value: 'Ouverts (confiés) pendant la période, quel que soit leur statut.' },
      { label: 'Montant confié', value: 'Principal des créances des dossiers.' },
      { label: 'Recouvré', value: 'Paiements reçus sur ces dossiers à ce jour, nets des rejets (chèques impayés…).' },
      { label: 'Taux de recouvrement', value: 'Recouvré ÷ montant confié.' },
      {
        label: 'Délai moyen de recouvrement',
        value: 'Jours entre l’ouverture et le dernier paiement, sur les dossiers soldés (plus rien de dû).'
      },
      {
        label: 'Phase atteinte',
        value: 'La phase la plus avancée que le dossier a connue (amiable, mise en demeure, judiciaire, exécution).'
      },
      {
        label: 'Encaissements du mois',
        value: 'Paiements reçus dans le mois sur tous les dossiers du périmètre, quelle que soit leur date d’ouverture.'
      },
      { label: 'Total confié (période)', value: data.total.placedCents, kind: 'money' },
      { label: 'Total recouvré (période)', value: data.total.recoveredCents, kind: 'money' },
      { label: 'Taux de recouvrement (période)', value: data.total.rate, kind: 'percent' }
    ])
    const columns = (dimension: string, kind: 'text' | 'month' = 'text'): ColumnSpec<RecoveryRow>[] => [
      {
        key: 'label',
        header: dimension,
        width: kind === 'month' ? 18 : 36,
        kind,
        value: (r) => (kind === 'month' ? r.key : r.label),
        total: { label: 'Total' }
      },
      { key: 'cases', header: 'Dossiers confiés', width: 12, kind: 'int', value: (r) => r.caseCount, total: 'sum' },
      { key: 'placed', header: 'Montant confié', width: 18, kind: 'money', value: (r) => r.placedCents, total: 'sum' },
      { key: 'recovered', header: 'Recouvré', width: 18, kind: 'money', value: (r) => r.recoveredCents, total: 'sum' },
      {
        key: 'rate',
        header: 'Taux de recouvrement',
        width: 14,
        kind: 'percent',
        value: (r) => (r.placedCents ? r.rate : null),
        total: { ratio: ['recovered', 'placed'] }
      },
      {
        key: 'balance',
        header: 'Solde restant dû',
        width: 18,
        kind: 'money',
        value: (r) => r.balanceCents,
        total: 'sum'
      },
      { key: 'settled', header: 'Dossiers soldés', width: 12, kind: 'int', value: (r) => r.settledCount, total: 'sum' },
      {
        key: 'days',
        header: 'Délai moyen de recouvrement (jours)',
        width: 16,
        kind: 'days',
        value: (r) => r.averageDaysToRecover,
        total: { weighted: 'settled' }
      }
    ]
    for (const sheet of ['Par client', 'Par mois d’ouverture', 'Par phase atteinte']) {
      book.setWeightedResult(sheet, 'days', data.total.averageDaysToRecover)
    }
    await book.table('Par client', columns('Client'), data.client)
    const byMonth = new Map(data.month.map((r) => [r.key, r]))
    const months = monthsOf(scope.from, scope.to).map(
      (month): RecoveryRow =>
        byMonth.get(month) ?? {
          key: month,
          label: month,
          caseCount: 0,
          placedCents: 0,
          recoveredCents: 0,
          balanceCents: 0,
          rate: 0,
          settledCount: 0,
          averageDaysToRecover: null
        }
    )
    const collected = new Map(data.collections.map((c) => [c.month, c.collectedCents]))
    await book.table(
      'Par mois d’ouverture',
      [
        ...columns('Mois d’ouverture', 'month'),
        {
          key: 'collected',
          header: 'Encaissements du mois',
          width: 18,
          kind: 'money',
          value: (r) => collected.get(r.key!) ?? 0,
          total: 'sum'
        }
      ],
      months
    )
    await book.table('Par phase atteinte', columns('Phase atteinte'), data.phase)
  }

  /* ---------------------------------------------------------- activity */

  private async writeActivity(book: ReportWorkbook, scope: ReportScope): Promise<void> {
    const rows = await this.db.read((manager) => activityRows(manager, scope))
    book.cover(REPORT_KIND_LABELS.activity, [
      ...(await this.coverLines(scope, { period: true })),
      {
        label: 'Appels',
        value: 'Appels enregistrés au journal par le chargé de recouvrement, le jour où ils ont eu lieu.'
      },
      {
        label: 'Contacts',
        value: 'Appels où quelqu’un a répondu pour le débiteur (tous sauf message laissé, pas de réponse, faux numéro).'
      },
      {
        label: 'Promesses',
        value: 'Promesses de paiement enregistrées par le chargé de recouvrement, le jour où elles ont été faites.'
      },
      {
        label: 'Taux de tenue',
        value:
          'Promesses tenues ÷ promesses échues (tenues, partiellement tenues ou non tenues) ; celles en attente ou annulées ne comptent pas encore.'
      },
      {
        label: 'Échéanciers négociés',
        value: 'Échéanciers enregistrés par le chargé de recouvrement, quelle que soit leur suite.'
      },
      {
        label: 'Encaissé',
        value: 'Paiements reçus (nets des rejets) sur les dossiers affectés au chargé de recouvrement.'
      },
      { label: 'Semaines', value: 'Du lundi au dimanche ; « Semaine du » donne le lundi.' }
    ])
    const columns = (withCollector: boolean, withWeek: boolean): ColumnSpec<ActivityRow>[] => [
      ...(withCollector
        ? [
            {
              key: 'collector',
              header: 'Chargé de recouvrement',
              width: 26,
              kind: 'text' as const,
              value: (r: ActivityRow) => r.collectorName,
              total: { label: 'Total' }
            }
          ]
        : []),
      ...(withWeek
        ? [
            {
              key: 'week',
              header: 'Semaine du',
              width: 13,
              kind: 'date' as const,
              value: (r: ActivityRow) => r.week,
              ...(withCollector ? {} : { total: { label: 'Total' } })
            }
          ]
        : []),
      { key: 'calls', header: 'Appels', width: 10, kind: 'int', value: (r) => r.calls, total: 'sum' },
      { key: 'contacts', header: 'Contacts', width: 10, kind: 'int', value: (r) => r.contacts, total: 'sum' },
      {
        key: 'contactRate',
        header: 'Taux de contact',
        width: 11,
        kind: 'percent',
        value: (r) => (r.calls ? r.contactRate : null),
        total: { ratio: ['contacts', 'calls'] }
      },
      { key: 'made', header: 'Promesses faites', width: 11, kind: 'int', value: (r) => r.promisesMade, total: 'sum' },
      { key: 'kept', header: 'Promesses tenues', width: 11, kind: 'int', value: (r) => r.promisesKept, total: 'sum' },
      {
        key: 'judged',
        header: 'Promesses échues',
        width: 11,
        kind: 'int',
        value: (r) => r.promisesKept + r.promisesFailed,
        total: 'sum'
      },
      {
        key: 'keptRate',
        header: 'Taux de tenue',
        width: 11,
        kind: 'percent',
        value: (r) => (r.promisesKept + r.promisesFailed ? r.promisesKeptRate : null),
        total: { ratio: ['kept', 'judged'] }
      },
      {
        key: 'plans',
        header: 'Échéanciers négociés',
        width: 13,
        kind: 'int',
        value: (r) => r.plansNegotiated,
        total: 'sum'
      },
      { key: 'collected', header: 'Encaissé', width: 17, kind: 'money', value: (r) => r.collectedCents, total: 'sum' }
    ]
    await book.table('Par chargé de recouvrement', columns(true, false), sumActivity(rows, 'collector'))
    // Every week of the period, quiet ones included (a gap in the list would look like missing data).
    const weeks = new Map(sumActivity(rows, 'week').map((r) => [r.week!, r]))
    const allWeeks: ActivityRow[] = []
    for (let week = weekStart(scope.from); week <= scope.to; week = addDays(week, 7)) {
      allWeeks.push(weeks.get(week) ?? { ...sumActivity([], 'total')[0]!, week })
    }
    await book.table('Par semaine', columns(false, true), allWeeks)
    await book.table('Chargé et semaine', columns(true, true), rows)
  }

  /* -------------------------------------------------------- remittance */

  /** Default period: the previous calendar month (statements are monthly). */
  private async writeRemittance(book: ReportWorkbook, input: ReportScopeInput): Promise<void> {
    const today = this.clock.today()
    const firstOfMonth = `${today.slice(0, 7)}-01`
    const previousMonthStart = `${addDays(firstOfMonth, -1).slice(0, 7)}-01`
    const scope = resolveScope(
      { ...input, from: input.from ?? previousMonthStart, to: input.to ?? addDays(firstOfMonth, -1) },
      today
    )
    const clientIds = await this.db.read(async (manager) => {
      const params: unknown[] = [scope.from, scope.to]
      let filter = ''
      if (scope.clientIds.length) {
        filter = ` AND c.client_id IN (${scope.clientIds.map(() => '?').join(', ')})`
        params.push(...scope.clientIds)
      }
      const rows: Array<{ id: string; name: string }> = await manager.query(
        `SELECT DISTINCT c.client_id AS id, cl.legal_name AS name FROM payment p
         JOIN collection_case c ON c.id = p.case_id JOIN client cl ON cl.id = c.client_id
         WHERE p.collected_on >= ? AND p.collected_on <= ?${filter}`,
        params
      )
      return rows.sort((a, b) => a.name.localeCompare(b.name, 'fr')).map((r) => r.id)
    })
    const previews: RemittancePreview[] = []
    for (const clientId of clientIds) {
      const preview = await this.remittances.preview({ clientId, from: scope.from, to: scope.to })
      if (preview.lines.length) previews.push(preview)
    }
    book.cover(REPORT_KIND_LABELS.remittance, [
      ...(await this.coverLines({ ...scope, collectorIds: [] }, { period: true })),
      {
        label: 'Contenu',
        value:
          'Pour chaque client, les paiements encaissés pendant la période et pas encore reversés (par le cabinet, ou directement par le client : la commission est due sur les deux), la commission du mandat, la TVA à 20 %, le net à reverser et sa date limite (CPCE R124-6 : encaissement + délai du mandat). Relevés non enregistrés : à valider dans l’application.'
      },
      { label: 'Clients', value: `${previews.length} client(s) avec des encaissements à reverser` }
    ])
    type Summary = RemittancePreview
    const summaryColumns: ColumnSpec<Summary>[] = [
      {
        key: 'client',
        header: 'Client',
        width: 36,
        kind: 'text',
        value: (p) => p.clientName,
        total: { label: 'Total' }
      },
      { key: 'lines', header: 'Paiements', width: 11, kind: 'int', value: (p) => p.lines.length, total: 'sum' },
      {
        key: 'agency',
        header: 'Encaissé par le cabinet',
        width: 18,
        kind: 'money',
        value: (p) => p.totals.agencyCollectedCents,
        total: 'sum'
      },
      {
        key: 'client',
        header: 'Encaissé par le client',
        width: 18,
        kind: 'money',
        value: (p) => p.totals.clientCollectedCents,
        total: 'sum'
      },
      {
        key: 'commission',
        header: 'Commission HT',
        width: 16,
        kind: 'money',
        value: (p) => p.totals.commissionCents,
        total: 'sum'
      },
      { key: 'vat', header: 'TVA', width: 14, kind: 'money', value: (p) => p.totals.vatCents, total: 'sum' },
      { key: 'net', header: 'Net', width: 16, kind: 'money', value: (p) => p.totals.netCents, total: 'sum' },
      {
        key: 'toRemit',
        header: 'À reverser',
        width: 16,
        kind: 'money',
        value: (p) => p.totals.toRemitCents,
        total: 'sum'
      },
      {
        key: 'dueByClient',
        header: 'Dû par le client',
        width: 16,
        kind: 'money',
        value: (p) => p.totals.dueByClientCents,
        total: 'sum'
      },
      { key: 'dueOn', header: 'À reverser au plus tard le', width: 16, kind: 'date', value: (p) => p.dueOn },
      {
        key: 'earlier',
        header: 'Antérieur non reversé',
        width: 18,
        kind: 'money',
        value: (p) => p.earlierUnremitted.amountCents,
        total: 'sum'
      }
    ]
    // Two columns share the key "client" above: give the second its own.
    summaryColumns[3] = { ...summaryColumns[3]!, key: 'clientCollected' }
    await book.table('Synthèse par client', summaryColumns, previews)
    type Line = RemittanceLineDto & { clientName: string }
    const lineColumns: ColumnSpec<Line>[] = [
      {
        key: 'client',
        header: 'Client',
        width: 30,
        kind: 'text',
        value: (l) => l.clientName,
        total: { label: 'Total' }
      },
      { key: 'case', header: 'Dossier', width: 16, kind: 'text', value: (l) => l.caseReference },
      { key: 'received', header: 'Reçu le', width: 12, kind: 'date', value: (l) => l.receivedOn },
      { key: 'collected', header: 'Encaissé le', width: 12, kind: 'date', value: (l) => l.collectedOn },
      { key: 'method', header: 'Mode', width: 14, kind: 'text', value: (l) => PAYMENT_METHODS.labels[l.method] },
      { key: 'by', header: 'Reçu par', width: 22, kind: 'text', value: (l) => PAYMENT_RECEIVERS.labels[l.receivedBy] },
      { key: 'amount', header: 'Montant', width: 15, kind: 'money', value: (l) => l.amountCents, total: 'sum' },
      {
        key: 'rate',
        header: 'Taux de commission',
        width: 12,
        kind: 'percent',
        value: (l) => l.commissionRateBp / 10_000
      },
      {
        key: 'commission',
        header: 'Commission HT',
        width: 15,
        kind: 'money',
        value: (l) => l.commissionCents,
        total: 'sum'
      },
      { key: 'due', header: 'À reverser au plus tard le', width: 16, kind: 'date', value: (l) => l.dueOn },
      { key: 'late', header: 'En retard', width: 10, kind: 'text', value: (l) => (l.late ? 'Oui' : 'Non') }
    ]
    await book.table(
      'Détail des paiements',
      lineColumns,
      previews.flatMap((p) => p.lines.map((l) => ({ ...l, clientName: p.clientName })))
    )
  }

  /* ------------------------------------------------------------- cases */

  /**
   * The portfolio as filtered and sorted on screen: cases:list's own query, page after page
   * (EXPORT_PAGE_SIZE rows), each page written and dropped before the next is read.
   */
  private async writeCases(book: ReportWorkbook, input: CasesExportInput, user: SessionUser | null): Promise<void> {
    const asOf = input.asOf ?? this.clock.today()
    const first = await this.cases.list({ offset: 0, limit: 1, sort: input.sort, filters: input.filters, asOf }, user)
    const names = await this.db.read((manager) =>
      scopeNames(manager, {
        clientIds: input.filters.clientIds ?? [],
        collectorIds: input.filters.collectorIds ?? [],
        from: asOf,
        to: asOf,
        asOf
      })
    )
    book.cover(REPORT_KIND_LABELS.cases, [
      { label: 'Établi le', value: formatInstant(this.clock.now().toISOString()) },
      { label: 'Arrêté au (jours de retard)', value: asOf, kind: 'date' },
      { label: 'Dossiers', value: first.total, kind: 'int' },
      { label: 'Solde dû total', value: first.totalBalanceCents, kind: 'money' },
      {
        label: 'Tri',
        value: `${SORT_LABELS[input.sort.field]} (${input.sort.direction === 'asc' ? 'croissant' : 'décroissant'})`
      },
      ...describeFilters(input.filters, names, user),
      ...(first.searchIgnored ? [{ label: 'Recherche ignorée', value: 'Trop courte pour filtrer' }] : [])
    ])
    const cases = this.cases
    // The list's ids in display order, read once (one pass, ~40 bytes a case), then the rows by
    // primary key a chunk at a time: linear, where position-paged reads (OFFSET) each skipped
    // every row before them. The next chunk is asked for before this one is written: SQLite
    // reads it on its own thread while the rows are turned into XML on this one.
    const { ids } = await cases.orderedIds({ sort: input.sort, filters: input.filters, asOf }, user)
    const read = (from: number) => cases.summariesOf(ids.slice(from, from + EXPORT_PAGE_SIZE), asOf)
    async function* pages(): AsyncGenerator<CaseSummary> {
      let next = read(0)
      for (let from = 0; from < ids.length; from += EXPORT_PAGE_SIZE) {
        const rows = await next
        if (from + EXPORT_PAGE_SIZE < ids.length) next = read(from + EXPORT_PAGE_SIZE)
        yield* rows
      }
    }
    const columns: ColumnSpec<CaseSummary>[] = [
      {
        key: 'reference',
        header: 'Référence',
        width: 17,
        kind: 'text',
        value: (c) => c.reference,
        total: { label: 'Total' }
      },
      { key: 'debtor', header: 'Débiteur', width: 30, kind: 'text', value: (c) => c.debtorName },
      { key: 'kind', header: 'Type', width: 11, kind: 'text', value: (c) => PARTY_KINDS.labels[c.debtorKind] },
      { key: 'client', header: 'Client', width: 28, kind: 'text', value: (c) => c.clientName },
      { key: 'phase', header: 'Phase', width: 15, kind: 'text', value: (c) => CASE_PHASES.labels[c.phase] },
      { key: 'status', header: 'Statut', width: 11, kind: 'text', value: (c) => CASE_STATUSES.labels[c.status] },
      {
        key: 'reason',
        header: 'Motif (suspension, clôture)',
        width: 20,
        kind: 'text',
        value: (c) =>
          c.suspensionReason
            ? SUSPENSION_REASONS.labels[c.suspensionReason]
            : c.closureReason
              ? CLOSURE_REASONS.labels[c.closureReason]
              : null
      },
      {
        key: 'priority',
        header: 'Priorité',
        width: 10,
        kind: 'text',
        value: (c) => CASE_PRIORITIES.labels[c.priority]
      },
      {
        key: 'collector',
        header: 'Chargé de recouvrement',
        width: 20,
        kind: 'text',
        value: (c) => c.collectorName ?? 'Non affecté'
      },
      { key: 'principal', header: 'Principal', width: 15, kind: 'money', value: (c) => c.principalCents, total: 'sum' },
      { key: 'paid', header: 'Payé', width: 15, kind: 'money', value: (c) => c.paidCents, total: 'sum' },
      { key: 'balance', header: 'Solde dû', width: 15, kind: 'money', value: (c) => c.balanceCents, total: 'sum' },
      {
        key: 'oldestDue',
        header: 'Plus ancienne échéance impayée',
        width: 15,
        kind: 'date',
        value: (c) => c.oldestDueOn
      },
      {
        key: 'days',
        header: 'Jours de retard',
        width: 10,
        kind: 'int',
        value: (c) => (c.oldestDueOn ? c.daysPastDue : null)
      },
      {
        key: 'bucket',
        header: 'Tranche d’âge',
        width: 16,
        kind: 'text',
        value: (c) => (c.oldestDueOn ? CASE_AGE_BUCKET_LABELS[ageBucketOf(c.daysPastDue)] : null)
      },
      {
        key: 'lastContact',
        header: 'Dernier contact',
        width: 13,
        kind: 'date',
        value: (c) => (c.lastContactAt ? parisDay(c.lastContactAt) : null)
      },
      {
        key: 'outcome',
        header: 'Résultat du dernier contact',
        width: 24,
        kind: 'text',
        value: (c) => (c.lastContactOutcome ? CALL_OUTCOMES.labels[c.lastContactOutcome] : null)
      },
      { key: 'next', header: 'Prochaine action', width: 13, kind: 'date', value: (c) => c.nextActionOn },
      { key: 'opened', header: 'Ouvert le', width: 12, kind: 'date', value: (c) => c.openedOn }
    ]
    await book.table('Dossiers', columns, pages())
  }
}

/** One formatter for every row (todayInParis builds one per call: slow and heavy 200,000 times). */
const PARIS_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit'
})

/** Paris days by UTC hour ("2026-11-23T09"): offsets are whole hours, so the hour decides the day. */
const parisDays = new Map<string, CalendarDate>()

/** The day an instant falls on in France (formatting once per hour met: 0.8 s of 200,000 rows otherwise). */
function parisDay(iso: string): CalendarDate {
  const hour = iso.slice(0, 13)
  let day = parisDays.get(hour)
  if (day === undefined) {
    day = PARIS_DAY.format(new Date(iso))
    if (parisDays.size > 100_000) parisDays.clear()
    parisDays.set(hour, day)
  }
  return day
}

function describeFilters(
  filters: CasesExportInput['filters'],
  names: { clients: string[]; collectors: string[] },
  user: SessionUser | null
): CoverLine[] {
  const lines: CoverLine[] = []
  const list = (label: string, values: string[] | undefined) => {
    if (values?.length) lines.push({ label, value: values.join(', ') })
  }
  list(
    'Statuts',
    filters.statuses?.map((s) => CASE_STATUSES.labels[s])
  )
  list(
    'Phases',
    filters.phases?.map((p) => CASE_PHASES.labels[p])
  )
  list(
    'Priorités',
    filters.priorities?.map((p) => CASE_PRIORITIES.labels[p])
  )
  list('Clients', names.clients)
  list('Chargés de recouvrement', names.collectors)
  if (filters.mine) lines.push({ label: 'Dossiers de', value: user?.displayName ?? 'l’utilisateur' })
  if (filters.balanceMinCents !== undefined)
    lines.push({ label: 'Solde minimum', value: formatCents(filters.balanceMinCents) })
  if (filters.balanceMaxCents !== undefined)
    lines.push({ label: 'Solde maximum', value: formatCents(filters.balanceMaxCents) })
  list(
    'Âge',
    filters.ageBuckets?.map((b) => CASE_AGE_BUCKET_LABELS[b])
  )
  if (filters.brokenPromise) lines.push({ label: 'Promesse non tenue', value: 'Oui' })
  if (filters.planInDefault) lines.push({ label: 'Échéancier en défaut', value: 'Oui' })
  if (filters.nextActionDue) lines.push({ label: 'Action à faire', value: 'Prochaine action échue' })
  if (filters.nextActionDueBy)
    lines.push({ label: 'Prochaine action au plus tard le', value: formatDate(filters.nextActionDueBy) })
  if (filters.text) lines.push({ label: 'Recherche', value: filters.text })
  if (lines.length === 0) lines.push({ label: 'Filtres', value: 'Aucun (tout le portefeuille)' })
  return lines
}
