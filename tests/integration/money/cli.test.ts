/**
 * The money commands of the CLI: their functions called directly, then the built bundle run as
 * a user runs it (`node out/main/cli.js …`). The bundle is rebuilt first when a source is newer
 * (scripts/run-cli.mjs does the check), so the test never runs stale code.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseStatement } from '@shared/contract'
import { BUNDLED_RATE_TABLE } from '@shared/money'
import { createApp } from '../../../src-main/app/create-app'
import { CliArgumentError, interestReport, parseInterestArgs } from '../../../src-main/modules/money/money-cli'
import { fixedClock } from '../../../src-main/platform/clock'
import { TEST_NOW, tempDir } from '../helpers/temp-app'
import { COMPANY, seedCase } from './fixtures'

const ROOT = join(__dirname, '../../..')
const CLI = join(ROOT, 'out/main/cli.js')

const args = (line: string) =>
  Object.fromEntries([...line.matchAll(/--([a-z-]+) (\S+)/g)].map((m) => [m[1]!, m[2]!])) as Record<string, string>

describe('interest: the command functions', () => {
  it('compute legal interest semester by semester (other-cases column), each piece rounded', () => {
    const report = interestReport(
      parseInterestArgs(args('--principal 1234.56 --from 2023-03-15 --to 2025-01-31 --basis legal --creditor other')),
      BUNDLED_RATE_TABLE
    )
    // 1 234,56 € × rate × days / year days, half-up per piece:
    //   [2023-03-15, 2023-07-01) 108 d × 2.06 % / 365 =  7.525 → 7.53
    //   [2023-07-01, 2024-01-01) 184 d × 4.22 % / 365 = 26.263 → 26.26
    //   [2024-01-01, 2024-07-01) 182 d × 5.07 % / 366 = 31.125 → 31.13
    //   [2024-07-01, 2025-01-01) 184 d × 4.92 % / 366 = 30.536 → 30.54
    //   [2025-01-01, 2025-01-31)  30 d × 3.71 % / 365 =  3.765 → 3.76      total 99.22
    expect(report).toEqual({
      interestCents: 9922,
      periods: [
        { from: '2023-03-15', to: '2023-07-01', days: 108, ratePercent: 2.06, interestCents: 753 },
        { from: '2023-07-01', to: '2024-01-01', days: 184, ratePercent: 4.22, interestCents: 2626 },
        { from: '2024-01-01', to: '2024-07-01', days: 182, ratePercent: 5.07, interestCents: 3113 },
        { from: '2024-07-01', to: '2025-01-01', days: 184, ratePercent: 4.92, interestCents: 3054 },
        { from: '2025-01-01', to: '2025-01-31', days: 30, ratePercent: 3.71, interestCents: 376 }
      ]
    })
  })

  it('apply the judgment increase and a contractual rate', () => {
    // 1 000 € for an individual creditor (8.01 % in 2024-S1), judgment enforceable on 2024-02-15:
    // +5 points from 2024-04-15. 105 d × 8.01 % / 366 = 22.98; 77 d × 13.01 % / 366 = 27.37.
    const judgment = interestReport(
      parseInterestArgs(
        args(
          '--principal 1000 --from 2024-01-01 --to 2024-07-01 --basis legal --creditor individual --judgment 2024-02-15'
        )
      ),
      BUNDLED_RATE_TABLE
    )
    expect(judgment.periods.map((p) => [p.from, p.days, p.ratePercent, p.interestCents])).toEqual([
      ['2024-01-01', 105, 8.01, 2298],
      ['2024-04-15', 77, 13.01, 2737]
    ])
    // 500 € at 12 % for 91 days of 2024: 500 × 12 % × 91 / 366 = 14.918 → 14.92.
    const contract = interestReport(
      parseInterestArgs(
        args('--principal 500,00 --from 2024-01-01 --to 2024-04-01 --basis contract:12 --creditor other')
      ),
      BUNDLED_RATE_TABLE
    )
    expect(contract).toEqual({
      interestCents: 1492,
      periods: [{ from: '2024-01-01', to: '2024-04-01', days: 91, ratePercent: 12, interestCents: 1492 }]
    })
  })

  it('refuse bad arguments with one French line', () => {
    const refuse = (line: string) => {
      try {
        parseInterestArgs(args(line))
      } catch (error) {
        expect(error).toBeInstanceOf(CliArgumentError)
        return (error as Error).message
      }
      throw new Error('accepted')
    }
    const ok = '--from 2024-01-01 --to 2024-07-01 --basis legal --creditor other'
    expect(refuse(`--principal 12.345 ${ok}`)).toBe(
      '--principal : montant invalide « 12.345 » (euros positifs, deux décimales au plus, ex. 1234.56).'
    )
    expect(refuse(`--principal -5 ${ok}`)).toContain('montant invalide')
    expect(refuse('--principal 10 --from 2024-02-30 --to 2024-07-01 --basis legal --creditor other')).toBe(
      '--from : date invalide « 2024-02-30 » (format AAAA-MM-JJ).'
    )
    expect(refuse('--principal 10 --from 2024-07-01 --to 2024-01-01 --basis legal --creditor other')).toBe(
      '--to (2024-01-01) précède --from (2024-07-01).'
    )
    expect(refuse('--principal 10 --from 2024-01-01 --to 2024-07-01 --basis usury --creditor other')).toBe(
      '--basis : « usury » inconnu (legal, b2b ou contract:<taux>).'
    )
    expect(refuse('--principal 10 --from 2024-01-01 --to 2024-07-01 --basis legal --creditor bank')).toBe(
      '--creditor : « bank » inconnu (individual ou other).'
    )
    expect(refuse('--principal 10 --from 2024-01-01 --to 2024-07-01 --basis legal')).toBe(
      '--creditor est obligatoire (ex. --creditor other).'
    )
    expect(
      refuse('--principal 10 --from 2024-01-01 --to 2024-07-01 --basis b2b --creditor other --judgment 2024-02-01')
    ).toContain('ne s’applique qu’à l’intérêt légal')
  })
})

describe('the built CLI', () => {
  const data = tempDir('recouvra-cli-')
  let reference: string

  beforeAll(async () => {
    // Rebuilds out/ when a source is newer than the bundle, then prints the help.
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/run-cli.mjs'), 'help'], {
      cwd: ROOT,
      encoding: 'utf8'
    })
    expect(build.status, build.stderr).toBe(0)
    const app = await createApp({ dataDir: data.path, clock: fixedClock(TEST_NOW) })
    try {
      const seeded = await seedCase(app, {
        creditor: COMPANY,
        debtor: COMPANY,
        claims: [
          {
            invoiceNumber: 'F-2024-031',
            principalCents: 100_000,
            dueOn: '2024-03-31',
            interestBasis: 'b2b_penalty',
            indemnityApplies: true
          }
        ]
      })
      reference = seeded.reference
      await app.call('money:record-payment', {
        caseId: seeded.caseId,
        receivedOn: '2024-06-01',
        amountCents: 50_000,
        method: 'transfer',
        receivedBy: 'agency'
      })
    } finally {
      await app.close()
    }
  }, 180_000)
  afterAll(() => data.remove())

  const run = (line: string) => {
    const result = spawnSync(process.execPath, [CLI, ...line.split(' '), '--data-dir', data.path], { encoding: 'utf8' })
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }

  it('interest --json prints exactly the documented document', () => {
    const result = run(
      'interest --principal 1234.56 --from 2023-03-15 --to 2025-01-31 --basis legal --creditor other --json'
    )
    expect(result.status).toBe(0)
    const printed = JSON.parse(result.stdout)
    expect(Object.keys(printed)).toEqual(['interestCents', 'periods'])
    expect(printed.interestCents).toBe(9922)
    expect(Object.keys(printed.periods[0])).toEqual(['from', 'to', 'days', 'ratePercent', 'interestCents'])
    expect(printed.periods).toHaveLength(5)
  })

  it('a bad argument exits non-zero with one French line on stderr and nothing on stdout', () => {
    for (const line of [
      'interest --principal abc --from 2023-03-15 --to 2025-01-31 --basis legal --creditor other --json',
      'interest --principal 10 --from 2023-03-15 --to 2025-01-31 --basis legal --creditor other --colour',
      'interest --principal 10 --from 2023-03-15 --to 2026-09-01 --basis legal --creditor other'
    ]) {
      const result = run(line)
      expect(result.status, line).not.toBe(0)
      const lines = result.stderr.trim().split('\n')
      expect(lines, line).toHaveLength(1)
      expect(lines[0]).toMatch(/^Erreur : /)
      expect(result.stdout, line).toBe('')
    }
    // Past the last known semester: the message names it.
    expect(
      run('interest --principal 10 --from 2023-03-15 --to 2026-09-01 --basis legal --creditor other').stderr
    ).toContain('du 2e semestre 2026 n’est pas encore enregistré (dernier semestre connu : 1er semestre 2026)')
  })

  it('statement --case --at --json prints the same statement as the channel', () => {
    const result = run(`statement --case ${reference} --at 2024-09-01 --json`)
    expect(result.status).toBe(0)
    const statement = JSON.parse(result.stdout) as CaseStatement
    expect(statement).toMatchObject({ caseReference: reference, at: '2024-09-01' })
    // The figures of tests/integration/money/statement.test.ts: balance 584,50 €.
    expect(statement.totals).toMatchObject({
      principalCents: 100_000,
      interestCents: 4450,
      paidCents: 50_000,
      balanceCents: 58_450
    })
    const text = run(`statement --case ${reference} --at 2024-09-01`)
    expect(text.stdout).toContain(`Décompte du dossier ${reference} au 01/09/2024`)
    expect(text.stdout).toContain('Total dû : 584,50')
    const unknown = run('statement --case REC-NOPE --at 2024-09-01')
    expect(unknown).toMatchObject({ status: 1, stderr: 'Erreur : Dossier introuvable.\n' })
  })
})
