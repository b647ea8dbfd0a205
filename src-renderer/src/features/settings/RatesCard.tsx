import { useState } from 'react'
import { Alert, Button, Card, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import type { RateTables } from '@shared/contract'
import { formatBasisPoints, formatDate } from '@shared/format/french'
import { useChannel, useChannelMutation } from '../../api/client'
import { ErrorPanel, fieldError } from '../../components/ErrorPanel'
import { missingCurrentSemesters, semesterLabel } from './rates-status'

const SHOWN_SEMESTERS = 6

function LegalRatesTable({ rows }: { rows: RateTables['legalInterest'] }) {
  return (
    <Table striped data-testid="legal-rates">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Semestre</Table.Th>
          <Table.Th ta="right">Créancier particulier</Table.Th>
          <Table.Th ta="right">Autres cas</Table.Th>
          <Table.Th>Source</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.semester}>
            <Table.Td>
              {semesterLabel(row.semester)}
              <Text size="xs" c="dimmed">
                {formatDate(row.from)} – {formatDate(row.to)}
              </Text>
            </Table.Td>
            <Table.Td ta="right" className="tabular">
              {formatBasisPoints(row.creditorIndividualBp)}
            </Table.Td>
            <Table.Td ta="right" className="tabular">
              {formatBasisPoints(row.otherCasesBp)}
            </Table.Td>
            <Table.Td>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {row.source ?? '—'}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function EcbRatesTable({ rows }: { rows: RateTables['ecbRefinancing'] }) {
  return (
    <Table striped data-testid="ecb-rates">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Semestre</Table.Th>
          <Table.Th ta="right">Taux BCE</Table.Th>
          <Table.Th ta="right">Pénalités B2B (BCE + 10)</Table.Th>
          <Table.Th>Source</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.semester}>
            <Table.Td>{semesterLabel(row.semester)}</Table.Td>
            <Table.Td ta="right" className="tabular">
              {formatBasisPoints(row.ecbRateBp)}
            </Table.Td>
            <Table.Td ta="right" className="tabular">
              {formatBasisPoints(row.b2bPenaltyBp)}
            </Table.Td>
            <Table.Td>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {row.source ?? '—'}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** Adds the one semester a table accepts next; the main process refuses gaps and overlaps. */
function AddSemesterForm({ tables }: { tables: RateTables }) {
  const [kind, setKind] = useState<'legal_interest' | 'ecb_refinancing'>('legal_interest')
  const [individual, setIndividual] = useState('')
  const [other, setOther] = useState('')
  const [ecb, setEcb] = useState('')
  const [source, setSource] = useState('')
  const add = useChannelMutation('rates:add-semester')
  const semester = kind === 'legal_interest' ? tables.nextLegalSemester : tables.nextEcbSemester

  const submit = () =>
    add.mutate(
      kind === 'legal_interest'
        ? {
            kind,
            semester,
            creditorIndividualPercent: individual,
            otherCasesPercent: other,
            source: source || undefined
          }
        : { kind, semester, ratePercent: ecb, source: source || undefined },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', title: 'Taux enregistré', message: `${semesterLabel(semester)} ajouté.` })
          setIndividual('')
          setOther('')
          setEcb('')
          setSource('')
        }
      }
    )

  return (
    <Stack gap="sm" data-testid="add-semester">
      <Group justify="space-between">
        <Title order={5}>Ajouter le semestre suivant</Title>
        <SegmentedControl
          size="xs"
          value={kind}
          onChange={(value) => setKind(value as typeof kind)}
          data={[
            { value: 'legal_interest', label: 'Intérêt légal' },
            { value: 'ecb_refinancing', label: 'Taux BCE' }
          ]}
        />
      </Group>
      <Text size="sm">
        Semestre à saisir : <strong>{semesterLabel(semester)}</strong>. Recopiez les taux publiés au Journal officiel
        (arrêté) ou par la Banque centrale européenne ; un taux enregistré ne peut plus être modifié.
      </Text>
      <Group align="flex-start">
        {kind === 'legal_interest' ? (
          <>
            <TextInput
              label="Créancier particulier (%)"
              placeholder="ex. 6,67"
              value={individual}
              onChange={(e) => setIndividual(e.currentTarget.value)}
              error={fieldError(add.error, 'creditorIndividualPercent')}
              w={190}
            />
            <TextInput
              label="Autres cas (%)"
              placeholder="ex. 2,62"
              value={other}
              onChange={(e) => setOther(e.currentTarget.value)}
              error={fieldError(add.error, 'otherCasesPercent')}
              w={150}
            />
          </>
        ) : (
          <TextInput
            label="Taux de refinancement (%)"
            placeholder="ex. 2,15"
            value={ecb}
            onChange={(e) => setEcb(e.currentTarget.value)}
            error={fieldError(add.error, 'ratePercent')}
            w={200}
          />
        )}
        <TextInput
          label="Source"
          placeholder="ex. Arrêté du 19 juin 2026, JO du 24 juin 2026"
          value={source}
          onChange={(e) => setSource(e.currentTarget.value)}
          style={{ flex: 1 }}
          maxLength={200}
        />
        <Button onClick={submit} loading={add.isPending} mt={25}>
          Enregistrer
        </Button>
      </Group>
      {add.isError && <ErrorPanel error={add.error} title="Taux refusé" />}
    </Stack>
  )
}

/** Paramètres › Taux: the official tables every interest computation reads. */
export function RatesCard({ today }: { today: string }) {
  const rates = useChannel('rates:list', {})
  if (rates.isError) return <ErrorPanel error={rates.error} />
  if (!rates.data) return null
  const missing = missingCurrentSemesters(rates.data, today)
  return (
    <Card withBorder>
      <Stack>
        <Title order={4}>Taux d’intérêt</Title>
        {missing.length > 0 && (
          <Alert color="orange" title="Taux du semestre en cours manquant" data-testid="rates-missing">
            {missing.join(' ')} Les calculs d’intérêts au-delà du dernier semestre connu sont refusés plutôt que devinés
            : saisissez le taux dès sa publication.
          </Alert>
        )}
        <Text size="sm" fw={500}>
          Taux de l’intérêt légal (les {SHOWN_SEMESTERS} derniers semestres sur {rates.data.legalInterest.length})
        </Text>
        <LegalRatesTable rows={rates.data.legalInterest.slice(-SHOWN_SEMESTERS).reverse()} />
        <Text size="sm" fw={500}>
          Taux de refinancement de la BCE au 1er janvier / 1er juillet
        </Text>
        <EcbRatesTable rows={rates.data.ecbRefinancing.slice(-SHOWN_SEMESTERS).reverse()} />
        <AddSemesterForm tables={rates.data} />
      </Stack>
    </Card>
  )
}
