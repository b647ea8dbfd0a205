import { Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import type { AppInfo, DatabaseCounts } from '@shared/contract'
import { formatInteger } from '@shared/format/french'
import { ColorSchemeToggle } from '../../components/ColorSchemeToggle'
import { todayInParis } from '@shared/dates/calendar-date'
import { RatesCard } from './RatesCard'
import { DocumentsSettings } from '../documents/DocumentsSettings'
import { BackupCard } from '../admin/BackupCard'
import { DatabaseCard } from './DatabaseCard'
import { AuditCard } from '../admin/AuditCard'
import { PrivacyCard } from '../admin/PrivacyCard'
import { UsersCard } from '../admin/UsersCard'
import { ScenariosCard } from '../dunning/ScenariosCard'

const COUNT_LABELS: Record<keyof DatabaseCounts, string> = {
  clients: 'Clients',
  mandates: 'Conventions de recouvrement',
  debtors: 'Débiteurs',
  cases: 'Dossiers',
  claims: 'Créances',
  journalEntries: 'Entrées de journal',
  payments: 'Paiements',
  users: 'Utilisateurs'
}

export function SettingsPage({ info }: { info: AppInfo }) {
  return (
    <Stack>
      <Title order={2}>Paramètres</Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={4} mb="sm">
            Application
          </Title>
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>Version</Table.Td>
                <Table.Td data-testid="app-version">{info.version}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>Dossier des données</Table.Td>
                <Table.Td>
                  <Code>{info.dataDir}</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>Base de données</Table.Td>
                <Table.Td>
                  <Code>{info.databaseFile}</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>Schéma</Table.Td>
                <Table.Td>{info.schemaVersion}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>Moteur</Table.Td>
                <Table.Td>{info.databaseEngine}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Group mt="md" gap="sm">
            <Text size="sm">Thème</Text>
            <ColorSchemeToggle />
          </Group>
        </Card>
        <Card withBorder>
          <Title order={4} mb="sm">
            Contenu de la base
          </Title>
          <Table>
            <Table.Tbody>
              {(Object.keys(COUNT_LABELS) as Array<keyof DatabaseCounts>).map((key) => (
                <Table.Tr key={key}>
                  <Table.Td>{COUNT_LABELS[key]}</Table.Td>
                  <Table.Td ta="right" className="tabular">
                    {formatInteger(info.counts[key])}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
      <RatesCard today={todayInParis()} />
      <DocumentsSettings today={todayInParis()} />
      <ScenariosCard />
      <UsersCard />
      <DatabaseCard />
      <BackupCard />
      <AuditCard />
      <PrivacyCard />
    </Stack>
  )
}
