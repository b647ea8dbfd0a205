// `npm run test:integration:pg`: the integration suite on PostgreSQL (agency mode), on the
// server named by RECOUVRA_TEST_PG_URL; says why and succeeds when there is none.
import { spawnSync } from 'node:child_process'

if (!process.env.RECOUVRA_TEST_PG_URL) {
  process.stdout.write(
    'Skipped: RECOUVRA_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:54329/postgres); .ci/run starts a throwaway PostgreSQL server and sets it.\n'
  )
  process.exit(0)
}
const run = spawnSync('npx', ['vitest', 'run', '--project', 'integration-pg', ...process.argv.slice(2)], {
  stdio: 'inherit'
})
process.exit(run.status ?? 1)
