import { useMemo, useRef, useState } from 'react'
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  FileInput,
  Group,
  MultiSelect,
  Pagination,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Switch,
  Table,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import {
  IMPORT_PREVIEW_PAGE,
  type ImportAnalysis,
  type ImportAssignment,
  type ImportBatchSummary,
  type ImportCounts,
  type ImportPreviewRow
} from '@shared/contract'
import { ENCODING_LABELS, SEPARATOR_LABELS } from '@shared/imports/csv'
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, mappingProblems, type ColumnMapping } from '@shared/imports/mapping'
import { formatCents, formatDate, formatInteger } from '@shared/format/french'
import { call, useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useNavigation } from '../../app/navigation'
import { saveFile } from '../../components/save-file'
import { fileToBase64 } from './files'

/** Import a client's portfolio: client and file, columns, preview, import. */
export function ImportPage() {
  const [step, setStep] = useState(0)
  const [clientId, setClientId] = useState<string | null>(null)
  const [mandateId, setMandateId] = useState<string | null>(null)
  const [file, setFile] = useState<File | null>(null)
  const [mappingName, setMappingName] = useState<string | null>(null)
  const [analysis, setAnalysis] = useState<ImportAnalysis | null>(null)
  const [mapping, setMapping] = useState<ColumnMapping | null>(null)
  const [result, setResult] = useState<ImportBatchSummary | null>(null)
  const [assignedTo, setAssignedTo] = useState<string | null>(null)

  const clients = useChannel('clients:list', {})
  const setup = useChannel('imports:setup', { clientId: clientId ?? '' }, { enabled: clientId !== null })
  const analyze = useChannelMutation('imports:analyze')

  const restart = () => {
    setStep(0)
    setFile(null)
    setAnalysis(null)
    setMapping(null)
    setResult(null)
  }

  const onAnalyze = async () => {
    if (!clientId || !file) return
    const contentBase64 = await fileToBase64(file)
    analyze.mutate(
      { clientId, fileName: file.name, contentBase64, mappingName },
      {
        onSuccess: (data) => {
          setAnalysis(data)
          setMapping(data.mapping)
          setStep(1)
        }
      }
    )
  }

  const activeMandates = (setup.data?.mandates ?? []).filter((m) => m.status === 'active')

  return (
    <Stack gap="md" data-testid="import-page">
      <Title order={2}>Import du portefeuille d’un client</Title>
      <Stepper active={step} onStepClick={(next) => next < step && !result && setStep(next)} size="sm">
        <Stepper.Step label="Client et fichier" description=".xlsx ou .csv">
          <Card withBorder maw={640}>
            <Stack>
              <Select
                label="Client (créancier)"
                placeholder="Choisir un client"
                searchable
                data={(clients.data ?? []).map((c) => ({ value: c.id, label: `${c.legalName} (${c.code})` }))}
                value={clientId}
                onChange={(value) => {
                  setClientId(value)
                  setMandateId(null)
                  setMappingName(null)
                }}
                data-testid="import-client"
              />
              <Select
                label="Mandat (convention de recouvrement)"
                placeholder={clientId ? 'Choisir un mandat actif' : 'Choisissez d’abord le client'}
                disabled={!clientId}
                data={activeMandates.map((m) => ({
                  value: m.id,
                  label: `${m.reference} — signé le ${formatDate(m.signedOn)}`
                }))}
                value={mandateId ?? (activeMandates.length === 1 ? activeMandates[0]!.id : null)}
                onChange={setMandateId}
                data-testid="import-mandate"
              />
              {clientId && setup.isSuccess && activeMandates.length === 0 && (
                <Alert color="orange">Ce client n’a aucun mandat actif : aucun dossier ne peut être ouvert.</Alert>
              )}
              {(setup.data?.savedMappings.length ?? 0) > 0 && (
                <Select
                  label="Correspondance des colonnes"
                  description="Enregistrée lors d’un import précédent de ce client ; sinon, détectée d’après les en-têtes"
                  placeholder="La plus récente"
                  clearable
                  data={(setup.data?.savedMappings ?? []).map((m) => ({
                    value: m.name,
                    label: `${m.name} (${new Date(m.savedAt).toLocaleDateString('fr-FR')})`
                  }))}
                  value={mappingName}
                  onChange={setMappingName}
                  data-testid="import-saved-mapping"
                />
              )}
              <FileInput
                label="Fichier des impayés"
                description="Classeur Excel (.xlsx) ou CSV (UTF-8 ou Windows-1252, séparateur ; ou ,) — 25 Mo au plus"
                placeholder="Choisir le fichier"
                accept=".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                value={file}
                onChange={setFile}
                clearable
                data-testid="import-file"
              />
              {analyze.isError && <ErrorPanel error={analyze.error} title="Fichier illisible" />}
              <Group justify="flex-end">
                <Button
                  onClick={() => {
                    if (!mandateId && activeMandates.length === 1) setMandateId(activeMandates[0]!.id)
                    void onAnalyze()
                  }}
                  disabled={!clientId || !file || activeMandates.length === 0}
                  loading={analyze.isPending}
                  data-testid="import-analyze"
                >
                  Lire le fichier
                </Button>
              </Group>
            </Stack>
          </Card>
        </Stepper.Step>
        <Stepper.Step label="Colonnes" description="Correspondance">
          {analysis && mapping && (
            <MappingStep
              analysis={analysis}
              mapping={mapping}
              onChange={setMapping}
              onBack={() => setStep(0)}
              onNext={() => setStep(2)}
            />
          )}
        </Stepper.Step>
        <Stepper.Step label="Aperçu" description="Avant import">
          {analysis && mapping && clientId && (mandateId ?? activeMandates[0]?.id) && (
            <PreviewStep
              analysis={analysis}
              mapping={mapping}
              clientId={clientId}
              mandateId={(mandateId ?? activeMandates[0]?.id)!}
              onBack={() => setStep(1)}
              onDone={(batch, assigned) => {
                setResult(batch)
                setAssignedTo(assigned)
                setStep(3)
              }}
            />
          )}
        </Stepper.Step>
        <Stepper.Completed>
          {result && <DoneStep batch={result} assignedTo={assignedTo} onRestart={restart} />}
        </Stepper.Completed>
      </Stepper>
      <RecentImports clientId={clientId} />
    </Stack>
  )
}

function MappingStep({
  analysis,
  mapping,
  onChange,
  onBack,
  onNext
}: {
  analysis: ImportAnalysis
  mapping: ColumnMapping
  onChange: (mapping: ColumnMapping) => void
  onBack: () => void
  onNext: () => void
}) {
  const problems = mappingProblems(mapping)
  const columns = analysis.headers.map((header, index) => {
    // An example from the first sample row that has one (the first row may leave it empty).
    const example = analysis.sampleRows.map((row) => row[index]).find((value) => value)
    return {
      value: String(index),
      label: `${header || `Colonne ${index + 1}`}${example ? ` — ex. « ${example} »` : ''}`
    }
  })
  const format =
    analysis.format === 'xlsx'
      ? `Classeur Excel, feuille « ${analysis.sheetName ?? '?'} »`
      : `CSV ${ENCODING_LABELS[analysis.encoding!]}, séparateur ${SEPARATOR_LABELS[analysis.separator!]}`
  return (
    <Stack>
      <Text data-testid="import-file-info">
        {analysis.fileName} — {format} — {formatInteger(analysis.rowCount)} ligne(s) de données.{' '}
        {analysis.mappingName
          ? `Correspondance reprise du modèle « ${analysis.mappingName} » enregistré pour ce client.`
          : 'Correspondance détectée d’après les en-têtes : vérifiez-la.'}
      </Text>
      <Table withTableBorder striped maw={900} data-testid="import-mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Donnée Recouvra</Table.Th>
            <Table.Th>Colonne du fichier</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {IMPORT_FIELDS.map((field) => (
            <Table.Tr key={field}>
              <Table.Td>{IMPORT_FIELD_LABELS[field]}</Table.Td>
              <Table.Td>
                <Select
                  aria-label={IMPORT_FIELD_LABELS[field]}
                  placeholder="(non importé)"
                  clearable
                  data={columns}
                  value={mapping[field] === null ? null : String(mapping[field])}
                  onChange={(value) => onChange({ ...mapping, [field]: value === null ? null : Number(value) })}
                  data-testid={`import-map-${field}`}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {problems.length > 0 && (
        <Alert color="orange" title="Correspondance incomplète">
          {problems.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </Alert>
      )}
      <Group>
        <Button variant="default" onClick={onBack}>
          Retour
        </Button>
        <Button onClick={onNext} disabled={problems.length > 0} data-testid="import-to-preview">
          Voir l’aperçu
        </Button>
      </Group>
    </Stack>
  )
}

const DEBTOR_ACTIONS = { create: 'Nouveau débiteur', match: 'Débiteur existant', repeat: 'Même débiteur' } as const

function debtorLabel(row: ImportPreviewRow): string {
  if (!row.debtorAction) return '—'
  return row.debtorAction === 'repeat'
    ? `Même débiteur que ligne ${row.debtorFirstRow}`
    : DEBTOR_ACTIONS[row.debtorAction]
}

function caseLabel(row: ImportPreviewRow): string {
  switch (row.caseAction) {
    case 'create':
      return 'Nouveau dossier'
    case 'repeat':
      return `Ajoutée au nouveau dossier (ligne ${row.caseFirstRow})`
    case 'add':
      return `Ajoutée au dossier en cours ${row.caseReference}`
    default:
      return 'Non importée'
  }
}

function CountsGrid({ counts }: { counts: ImportCounts }) {
  const items: Array<[string, string, string]> = [
    ['Lignes lues', formatInteger(counts.rows), 'rows'],
    ['À importer', formatInteger(counts.importedRows), 'imported'],
    ['En erreur', formatInteger(counts.errorRows), 'errors'],
    ['Avec avertissement', formatInteger(counts.warningRows), 'warnings'],
    ['Nouveaux débiteurs', formatInteger(counts.newDebtors), 'new-debtors'],
    ['Débiteurs existants', formatInteger(counts.matchedDebtors), 'matched-debtors'],
    ['Nouveaux dossiers', formatInteger(counts.newCases), 'new-cases'],
    ['Dossiers en cours complétés', formatInteger(counts.casesAddedTo), 'cases-added-to'],
    ['Montant des créances', formatCents(counts.totalCents), 'total']
  ]
  if (counts.newPhones + counts.newEmails > 0) {
    items.push([
      'Coordonnées ajoutées aux débiteurs existants',
      `${formatInteger(counts.newPhones)} tél. · ${formatInteger(counts.newEmails)} e-mail`,
      'new-contacts'
    ])
  }
  return (
    <SimpleGrid cols={{ base: 3, md: 5, lg: items.length }} data-testid="import-counts">
      {items.map(([label, value, id]) => (
        <Card key={id} withBorder padding="xs">
          <Text size="xs" c="dimmed">
            {label}
          </Text>
          <Text fw={600} className="tabular" data-testid={`import-count-${id}`}>
            {value}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  )
}

function PreviewStep({
  analysis,
  mapping,
  clientId,
  mandateId,
  onBack,
  onDone
}: {
  analysis: ImportAnalysis
  mapping: ColumnMapping
  clientId: string
  mandateId: string
  onBack: () => void
  /** `assigned`: to whom the new cases went, in French (null: nobody yet). */
  onDone: (batch: ImportBatchSummary, assigned: string | null) => void
}) {
  const [page, setPage] = useState(1)
  const [onlyProblems, setOnlyProblems] = useState(false)
  const [skipErrors, setSkipErrors] = useState(false)
  const [saveMapping, setSaveMapping] = useState(true)
  const [mappingName, setMappingName] = useState(analysis.mappingName ?? 'Modèle habituel')
  const [downloading, setDownloading] = useState(false)
  const [assignMode, setAssignMode] = useState<ImportAssignment['mode']>('none')
  const [collectorIds, setCollectorIds] = useState<string[]>([])
  const users = useChannel('users:list', {})
  const target = { uploadId: analysis.uploadId, clientId, mandateId, mapping }
  const preview = useChannel('imports:preview', {
    ...target,
    rowsOffset: (page - 1) * IMPORT_PREVIEW_PAGE,
    rowsLimit: IMPORT_PREVIEW_PAGE,
    onlyProblems
  })
  // To whom the new cases of the import being sent go, for the last step.
  const assignedLabel = useRef<string | null>(null)
  const commit = useChannelMutation('imports:commit', {
    onSuccess: (batch) => onDone(batch, assignedLabel.current)
  })
  const problemsByRow = useMemo(() => {
    const map = new Map<number, string[]>()
    for (const p of preview.data?.rowProblems ?? []) {
      const list = map.get(p.row) ?? []
      list.push(p.message)
      map.set(p.row, list)
    }
    return map
  }, [preview.data])

  if (preview.isPending) return <Text>Lecture du fichier et rapprochement avec la base…</Text>
  if (preview.isError) return <ErrorPanel error={preview.error} title="Aperçu impossible" />
  const { counts, problems, problemCount, rows, rowsTotal } = preview.data
  const errors = counts.errorRows
  const collectors = (users.data ?? [])
    .filter((u) => u.active && u.role !== 'admin')
    .map((u) => ({ value: u.id, label: u.displayName }))
  const assignment: ImportAssignment | null =
    assignMode === 'none'
      ? { mode: 'none' }
      : collectorIds.length === 0
        ? null
        : assignMode === 'collector'
          ? { mode: 'collector', collectorId: collectorIds[0]! }
          : { mode: 'round-robin', collectorIds }

  const downloadReport = async () => {
    setDownloading(true)
    try {
      const report = await call('imports:error-report', target)
      await saveFile(report.fileName, report.contentBase64)
    } catch (error) {
      notifications.show({ color: 'red', title: 'Rapport d’erreurs', message: String((error as Error).message) })
    } finally {
      setDownloading(false)
    }
  }

  const onCommit = () => {
    const names = (users.data ?? []).filter((u) => assignment !== null && collectorIdsOf(assignment).includes(u.id))
    assignedLabel.current =
      names.length === 0
        ? null
        : names.length === 1
          ? names[0]!.displayName
          : `${names.map((u) => u.displayName).join(', ')} à tour de rôle`
    commit.mutate({
      ...target,
      skipErrorRows: skipErrors,
      saveMappingAs: saveMapping && mappingName.trim() ? mappingName.trim() : null,
      assignment: assignment ?? { mode: 'none' }
    })
  }

  return (
    <Stack>
      <CountsGrid counts={counts} />
      {problemCount > 0 && (
        <Card withBorder>
          <Group justify="space-between" mb="xs">
            <Title order={4}>
              {formatInteger(problemCount)} problème(s) sur {formatInteger(errors + counts.warningRows)} ligne(s)
            </Title>
            <Button variant="light" onClick={downloadReport} loading={downloading} data-testid="import-error-report">
              Télécharger les lignes à corriger (.xlsx)
            </Button>
          </Group>
          <Table striped withTableBorder data-testid="import-problems" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>Ligne</Table.Th>
                <Table.Th w={180}>Colonne</Table.Th>
                <Table.Th w={130}>Gravité</Table.Th>
                <Table.Th>Motif</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {problems.slice(0, 200).map((p, i) => (
                <Table.Tr key={`${p.row}-${i}`}>
                  <Table.Td className="tabular">{p.row}</Table.Td>
                  <Table.Td>{p.column ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge color={p.severity === 'error' ? 'red' : 'orange'} variant="light">
                      {p.severity === 'error' ? 'Erreur' : 'Avertissement'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{p.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {problemCount > 200 && (
            <Text size="sm" c="dimmed" mt="xs">
              Les 200 premiers problèmes sont affichés ; le fichier des lignes à corriger les contient tous.
            </Text>
          )}
        </Card>
      )}
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={4}>Ligne par ligne</Title>
          <Switch
            label="Seulement les lignes avec un problème"
            checked={onlyProblems}
            onChange={(event) => {
              setOnlyProblems(event.currentTarget.checked)
              setPage(1)
            }}
          />
        </Group>
        <Table striped withTableBorder data-testid="import-rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>Ligne</Table.Th>
              <Table.Th>Débiteur</Table.Th>
              <Table.Th>Facture</Table.Th>
              <Table.Th ta="right">Montant</Table.Th>
              <Table.Th>Échéance</Table.Th>
              <Table.Th>Fiche débiteur</Table.Th>
              <Table.Th>Dossier</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr
                key={row.row}
                data-testid="import-row"
                title={problemsByRow.get(row.row)?.join('\n')}
                c={row.severity === 'error' ? 'red' : undefined}
              >
                <Table.Td className="tabular">{row.row}</Table.Td>
                <Table.Td>{row.debtorName || '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{row.invoiceNumber || '—'}</Table.Td>
                <Table.Td ta="right" className="tabular" style={{ whiteSpace: 'nowrap' }}>
                  {row.amountCents === null ? '—' : formatCents(row.amountCents)}
                </Table.Td>
                <Table.Td className="tabular">{row.dueOn ? formatDate(row.dueOn) : '—'}</Table.Td>
                <Table.Td>
                  {debtorLabel(row)}
                  {row.newContacts.length > 0 && (
                    <Text size="xs" c="teal.8" data-testid="import-row-new-contacts">
                      + {row.newContacts.join(', ')} (ajouté{row.newContacts.length > 1 ? 's' : ''} à sa fiche)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {row.severity === 'error' ? (
                    <Text size="sm" c="red">
                      Non importée : {(problemsByRow.get(row.row) ?? ['erreur']).join(' ; ')}
                    </Text>
                  ) : (
                    caseLabel(row)
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {rowsTotal > IMPORT_PREVIEW_PAGE && (
          <Pagination
            mt="sm"
            total={Math.ceil(rowsTotal / IMPORT_PREVIEW_PAGE)}
            value={page}
            onChange={setPage}
            aria-label="Pages de l’aperçu"
          />
        )}
      </Card>
      <Card withBorder>
        <Stack gap="xs">
          {errors > 0 && (
            <Checkbox
              label={`Importer sans les ${formatInteger(errors)} ligne(s) en erreur (à renvoyer au client corrigées)`}
              checked={skipErrors}
              onChange={(event) => setSkipErrors(event.currentTarget.checked)}
              data-testid="import-skip-errors"
            />
          )}
          <Group align="flex-end">
            <Checkbox
              label="Enregistrer la correspondance des colonnes pour ce client sous le nom"
              checked={saveMapping}
              onChange={(event) => setSaveMapping(event.currentTarget.checked)}
            />
            <TextInput
              aria-label="Nom du modèle de colonnes"
              value={mappingName}
              onChange={(event) => setMappingName(event.currentTarget.value)}
              disabled={!saveMapping}
              maxLength={60}
            />
          </Group>
          {counts.newCases > 0 && (
            <Stack gap={4} data-testid="import-assignment">
              <Text size="sm" fw={500}>
                Gestionnaire des {formatInteger(counts.newCases)} nouveau(x) dossier(s)
              </Text>
              <Group align="flex-start">
                <SegmentedControl
                  value={assignMode}
                  onChange={(value) => {
                    setAssignMode(value as ImportAssignment['mode'])
                    if (value === 'collector') setCollectorIds((ids) => ids.slice(0, 1))
                  }}
                  data={[
                    { value: 'none', label: 'À répartir plus tard' },
                    { value: 'collector', label: 'Un gestionnaire' },
                    { value: 'round-robin', label: 'À tour de rôle' }
                  ]}
                  data-testid="import-assign-mode"
                />
                {assignMode === 'collector' && (
                  <Select
                    aria-label="Gestionnaire des nouveaux dossiers"
                    placeholder="Choisir un gestionnaire"
                    searchable
                    data={collectors}
                    value={collectorIds[0] ?? null}
                    onChange={(value) => setCollectorIds(value ? [value] : [])}
                    data-testid="import-assign-collector"
                  />
                )}
                {assignMode === 'round-robin' && (
                  <MultiSelect
                    aria-label="Gestionnaires qui se partagent les nouveaux dossiers"
                    placeholder="Choisir les gestionnaires"
                    searchable
                    data={collectors}
                    value={collectorIds}
                    onChange={setCollectorIds}
                    miw={320}
                    data-testid="import-assign-collectors"
                  />
                )}
              </Group>
              {assignMode === 'round-robin' && collectorIds.length > 1 && (
                <Text size="xs" c="dimmed">
                  Les nouveaux dossiers sont confiés à tour de rôle, dans l’ordre du fichier (environ{' '}
                  {formatInteger(Math.ceil(counts.newCases / collectorIds.length))} chacun).
                </Text>
              )}
              {counts.casesAddedTo > 0 && (
                <Text size="xs" c="dimmed">
                  Les créances ajoutées aux dossiers en cours restent à leur gestionnaire actuel.
                </Text>
              )}
            </Stack>
          )}
          {commit.isError && <ErrorPanel error={commit.error} title="Import refusé" />}
          <Group>
            <Button variant="default" onClick={onBack}>
              Retour aux colonnes
            </Button>
            <Button
              onClick={onCommit}
              disabled={counts.importedRows === 0 || (errors > 0 && !skipErrors) || assignment === null}
              loading={commit.isPending}
              data-testid="import-commit"
            >
              Importer {formatInteger(counts.importedRows)} ligne(s)
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  )
}

function collectorIdsOf(assignment: ImportAssignment): string[] {
  return assignment.mode === 'none'
    ? []
    : assignment.mode === 'collector'
      ? [assignment.collectorId]
      : assignment.collectorIds
}

function DoneStep({
  batch,
  assignedTo,
  onRestart
}: {
  batch: ImportBatchSummary
  assignedTo: string | null
  onRestart: () => void
}) {
  const navigation = useNavigation()
  const c = batch.counts
  return (
    <Alert color="green" title="Import enregistré" data-testid="import-done">
      <Stack gap="xs">
        <Text>
          {formatInteger(c.importedRows)} ligne(s) de « {batch.fileName} » importée(s) pour {batch.clientName} :{' '}
          {formatInteger(c.newCases)} nouveau(x) dossier(s), {formatInteger(c.casesAddedTo)} dossier(s) en cours
          complété(s), {formatInteger(c.newDebtors)} nouveau(x) débiteur(s), {formatCents(c.totalCents)} de créances.
          {c.newPhones + c.newEmails > 0 &&
            ` Coordonnées ajoutées aux débiteurs existants : ${formatInteger(c.newPhones)} téléphone(s), ${formatInteger(c.newEmails)} e-mail(s).`}
          {c.newCases > 0 &&
            (assignedTo
              ? ` Nouveaux dossiers confiés à ${assignedTo}.`
              : ' Nouveaux dossiers sans gestionnaire : à répartir depuis le portefeuille.')}
        </Text>
        <Group>
          <Button onClick={() => navigation.goTo('portfolio')} data-testid="import-open-portfolio">
            Voir le portefeuille
          </Button>
          <Button variant="default" onClick={onRestart}>
            Importer un autre fichier
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}

function RecentImports({ clientId }: { clientId: string | null }) {
  const list = useChannel('imports:list', { clientId })
  const undo = useChannelMutation('imports:undo', {
    onSuccess: (batch) =>
      notifications.show({
        color: 'green',
        message: `Import « ${batch.fileName} » annulé : ses dossiers sont retirés.`
      })
  })
  if (!list.data || list.data.length === 0) return null
  return (
    <Card withBorder data-testid="import-history">
      <Title order={4} mb="xs">
        Imports récents{clientId ? ' de ce client' : ''}
      </Title>
      {undo.isError && <ErrorPanel error={undo.error} title="Annulation impossible" />}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Client</Table.Th>
            <Table.Th>Fichier</Table.Th>
            <Table.Th ta="right">Lignes importées</Table.Th>
            <Table.Th ta="right">Nouveaux dossiers</Table.Th>
            <Table.Th>État</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.map((batch) => (
            <Table.Tr key={batch.id} data-testid="import-batch">
              <Table.Td className="tabular">
                {new Date(batch.createdAt).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' })}
              </Table.Td>
              <Table.Td>{batch.clientName}</Table.Td>
              <Table.Td>{batch.fileName}</Table.Td>
              <Table.Td ta="right" className="tabular">
                {formatInteger(batch.counts.importedRows)}
              </Table.Td>
              <Table.Td ta="right" className="tabular">
                {formatInteger(batch.counts.newCases)}
              </Table.Td>
              <Table.Td>
                {batch.status === 'undone' ? (
                  <Text size="sm" c="dimmed">
                    Annulé
                  </Text>
                ) : (
                  <Text size="sm" c="green.8" fw={500}>
                    Importé
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {batch.status === 'committed' && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    disabled={batch.undoBlockedReason !== null}
                    title={batch.undoBlockedReason ?? 'Retire les dossiers, débiteurs et créances créés par cet import'}
                    loading={undo.isPending && undo.variables?.batchId === batch.id}
                    onClick={() => {
                      if (window.confirm(`Annuler l’import « ${batch.fileName} » ? Ses dossiers seront retirés.`)) {
                        undo.mutate({ batchId: batch.id })
                      }
                    }}
                  >
                    Annuler l’import
                  </Button>
                )}
                {batch.status === 'committed' && batch.undoBlockedReason && (
                  <Text size="xs" c="dimmed">
                    {batch.undoBlockedReason}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  )
}
