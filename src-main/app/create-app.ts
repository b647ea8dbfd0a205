import { CHANNEL_NAMES, type ChannelInput, type ChannelName, type ChannelResult, RpcCallError } from '@shared/contract'
import { Database } from '../db/database'
import { combineHandlers } from '../ipc/handlers'
import { Dispatcher } from '../ipc/dispatcher'
import { systemClock, type Clock } from '../platform/clock'
import type { SecretStore } from '../platform/secret-store'
import { AppService } from '../modules/app/app.service'
import { appHandlers } from '../modules/app/app.handlers'
import { CasesService } from '../modules/cases/cases.service'
import { casesHandlers } from '../modules/cases/cases.handlers'
import { ClientsService } from '../modules/clients/clients.service'
import { directoryHandlers } from '../modules/clients/clients.handlers'
import { DemoService } from '../modules/demo/demo.service'
import { UsersService } from '../modules/users/users.service'
import { moneyHandlers } from '../modules/money/money.handlers'
import { PaymentDocumentsWorker } from '../modules/money/payment-documents'
import { PaymentsService } from '../modules/money/payments.service'
import { RatesService } from '../modules/money/rates.service'
import { RemittancesService } from '../modules/money/remittances.service'
import { LegalEventsService } from '../modules/money/legal-events.service'
import { DailyMoneyChecks } from '../modules/money/money-checks'
import { StatementService } from '../modules/money/statement.service'
import { plansHandlers } from '../modules/plans/plans.handlers'
import { PlansService } from '../modules/plans/plans.service'
import { PromisesService } from '../modules/plans/promises.service'
import { JournalService } from '../modules/journal/journal.service'
import { CaseFileService } from '../modules/cases/case-file.service'
import { CaseActionsService } from '../modules/cases/case-actions.service'
import { caseFileHandlers } from '../modules/cases/case-file.handlers'
import { CallsService } from '../modules/calls/calls.service'
import { callsHandlers } from '../modules/calls/calls.handlers'
import { SolvencyService } from '../modules/solvency/solvency.service'
import { solvencyHandlers } from '../modules/solvency/solvency.handlers'
import { AgendaService } from '../modules/agenda/agenda.service'
import { agendaHandlers } from '../modules/agenda/agenda.handlers'
import { ReportsService } from '../modules/reports/reports.service'
import { reportsHandlers } from '../modules/reports/reports.handlers'
import { ImportsService } from '../modules/imports/imports.service'
import { importsHandlers } from '../modules/imports/imports.handlers'
import { DocumentsService } from '../modules/documents/documents.service'
import { LetterDispatchService } from '../modules/documents/letter-dispatch.service'
import { documentsHandlers } from '../modules/documents/documents.handlers'
import { DunningService } from '../modules/dunning/dunning.service'
import { dunningHandlers } from '../modules/dunning/dunning.handlers'
import { BatchSendService } from '../modules/dunning/batch-send.service'
import { portfolioHandlers } from '../modules/portfolio/portfolio.handlers'
import { PortfolioViewsService } from '../modules/portfolio/portfolio-views.service'
import type { SearchIndex } from '../modules/search/search-index'
import { SqliteSearchIndex } from '../modules/search/sqlite-search-index'
import { pgPlannerHints, sqlitePlannerHints } from '../modules/search/planner-hints'
import { PgSearchIndex } from '../modules/search/pg-search-index'
import { BackupService } from '../modules/backup/backup.service'
import { backupHandlers } from '../modules/backup/backup.handlers'
import { databaseTargetHandlers } from '../modules/app/database-target.handlers'
import { AuditService } from '../modules/audit/audit.service'
import { auditHandlers } from '../modules/audit/audit.handlers'
import { PrivacyService } from '../modules/privacy/privacy.service'
import { privacyHandlers } from '../modules/privacy/privacy.handlers'
import { usersHandlers } from '../modules/users/users.handlers'
import { collectorScope } from '../modules/users/case-scope'
import { SyncService } from '../modules/sync/sync.service'
import { syncHandlers } from '../modules/sync/sync.handlers'

/**
 * The main-process application without any Electron: database, services and the dispatcher
 * every transport calls. The desktop app, `npm run serve`, the CLI and the tests all start here.
 */
export interface RecouvraApp {
  db: Database
  clock: Clock
  dispatcher: Dispatcher
  services: {
    app: AppService
    users: UsersService
    clients: ClientsService
    cases: CasesService
    demo: DemoService
    rates: RatesService
    statements: StatementService
    payments: PaymentsService
    remittances: RemittancesService
    plans: PlansService
    promises: PromisesService
    /** The daily checks run in slices after start-up (scheduleMoneyChecks); close() stops them. */
    dailyChecks: DailyMoneyChecks
    portfolioViews: PortfolioViewsService
    /** Writers of cases, claims, debtors and their contacts call it in their transaction. */
    search: SearchIndex
    journal: JournalService
    caseFile: CaseFileService
    caseActions: CaseActionsService
    calls: CallsService
    solvency: SolvencyService
    agenda: AgendaService
    reports: ReportsService
    imports: ImportsService
    /** Letters: templates, rule checks, PDF rendering, file store (renderLetter, storeGenerated). */
    documents: DocumentsService
    letters: LetterDispatchService
    dunning: DunningService
    /** Sending a dunning batch's e-mails (SMTP, .eml) and SMS (provider file). */
    batchSend: BatchSendService
    backups: BackupService
    audit: AuditService
    privacy: PrivacyService
    /** Offline field work: checkouts (office) and sync (field copy). */
    sync: SyncService
  }
  /** Calls a channel in process, through the same validation as the transports. */
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelResult<C>>
  close(): Promise<void>
}

export async function createApp(options: {
  dataDir: string
  clock?: Clock
  /** Where secrets (SMTP password) go: the OS keychain in Electron, a key file by default. */
  secrets?: SecretStore
  /** A postgres:// URL: the agency's shared server (agency mode). Otherwise the SQLite file in dataDir. */
  databaseUrl?: string | null
}): Promise<RecouvraApp> {
  const clock = options.clock ?? systemClock
  const db = options.databaseUrl
    ? await Database.openPostgres(options.databaseUrl, options.dataDir)
    : await Database.open(options.dataDir)
  db.auditClock = () => clock.now()
  try {
    const app = new AppService(db)
    const users = new UsersService(db, clock)
    const clients = new ClientsService(db)
    const postgres = db.dialect === 'postgres'
    const search: SearchIndex = postgres ? new PgSearchIndex() : new SqliteSearchIndex()
    const cases = new CasesService(db, clock, search, postgres ? pgPlannerHints : sqlitePlannerHints)
    const demo = new DemoService(db, clock, app)
    const rates = new RatesService(db, clock)
    const statements = new StatementService(db, rates)
    const payments = new PaymentsService(db, rates, clock)
    const remittances = new RemittancesService(db, clock)
    const plans = new PlansService(db, rates, clock)
    const promises = new PromisesService(db, clock)
    const dailyChecks = new DailyMoneyChecks({ db, clock })
    const journal = new JournalService(db)
    const caseFile = new CaseFileService(db, clock)
    const caseActions = new CaseActionsService(db, clock, journal)
    const calls = new CallsService(db, clock, journal)
    const solvency = new SolvencyService(db, clock, journal, caseActions)
    const agenda = new AgendaService(db, clock)
    const reports = new ReportsService(db, clock, cases, remittances)
    const imports = new ImportsService(db, clock, search)
    const documents = new DocumentsService(db, clock, rates, options.secrets)
    const letters = new LetterDispatchService(db, clock, documents)
    payments.documents = new PaymentDocumentsWorker(db, clock, documents)
    const dunning = new DunningService(db, clock, statements)
    dunning.letters = documents
    const batchSend = new BatchSendService(db, clock, documents, letters)
    const portfolioViews = new PortfolioViewsService(db, clock)
    const backups = new BackupService(db, clock, () => search.ensureConsistent(db))
    const audit = new AuditService(db)
    const privacy = new PrivacyService(db, clock, search)
    const sync = new SyncService(db, clock, search, undefined, options.secrets)
    await users.ensureAdministrator()
    await documents.ensureDefaultTemplates()
    await documents.migrateSmtpPassword()
    await search.ensureConsistent(db)

    const handlers = combineHandlers(CHANNEL_NAMES, [
      appHandlers(app, users, demo, dailyChecks),
      directoryHandlers(clients, users),
      casesHandlers(cases),
      portfolioHandlers(portfolioViews),
      moneyHandlers({ rates, statements, payments, remittances, legalEvents: new LegalEventsService(db, clock) }),
      plansHandlers(plans, promises),
      caseFileHandlers(caseFile, journal, caseActions),
      callsHandlers(calls),
      solvencyHandlers(solvency),
      agendaHandlers(agenda),
      reportsHandlers(reports),
      importsHandlers(imports),
      documentsHandlers(documents, letters),
      dunningHandlers(dunning, batchSend),
      backupHandlers(backups),
      databaseTargetHandlers(db),
      auditHandlers(audit, clock),
      privacyHandlers(privacy),
      usersHandlers(users),
      syncHandlers({ sync, cases, views: portfolioViews, users })
    ])
    const dispatcher = new Dispatcher(handlers, {
      resolve: (transport, sessionKey) => users.resolve(transport, sessionKey),
      checkScope: collectorScope(db, users)
    })

    return {
      db,
      clock,
      dispatcher,
      services: {
        app,
        users,
        clients,
        cases,
        demo,
        rates,
        statements,
        payments,
        remittances,
        plans,
        promises,
        dailyChecks,
        portfolioViews,
        search,
        journal,
        caseFile,
        caseActions,
        calls,
        solvency,
        agenda,
        reports,
        imports,
        documents,
        letters,
        dunning,
        batchSend,
        backups,
        audit,
        privacy,
        sync
      },
      async call(channel, input) {
        const response = await dispatcher.dispatch(channel, input, 'direct')
        if (!response.ok) throw new RpcCallError(channel, response.error)
        return response.data as never
      },
      close: async () => {
        // Background work ends (or stops after its current step, resumable) before the database closes.
        await Promise.all([dailyChecks.stop(), dunning.stop(), batchSend.stop(), payments.documents?.stop()])
        await db.close()
      }
    }
  } catch (error) {
    await db.close()
    throw error
  }
}
