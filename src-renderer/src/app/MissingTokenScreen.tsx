import { Alert, Center, Code, Stack, Text, Title } from '@mantine/core'

/** Shown in a browser opened without the address `npm run serve` printed (no access token). */
export function MissingTokenScreen() {
  return (
    <Center h="100vh" p="xl">
      <Stack maw={560}>
        <Title order={2}>Recouvra</Title>
        <Alert color="orange" title="Adresse incomplète">
          <Text size="sm">
            Pour des raisons de sécurité, Recouvra n’accepte que l’adresse complète affichée au lancement du serveur,
            qui contient un jeton d’accès. Relancez le serveur puis ouvrez l’adresse indiquée :
          </Text>
          <Code block mt="sm">
            npm run serve
          </Code>
        </Alert>
      </Stack>
    </Center>
  )
}
