import { describe, expect, it } from 'vitest'
import { CASE_AGE_BUCKET_DAYS } from '@shared/contract'
import {
  ageBucketEarliestDue,
  ageBucketOf,
  excelSerial,
  monthsOf,
  ratio,
  resolveScope,
  weekStart
} from '@shared/reports/figures'
import { parseReportArgs } from '../../../src-main/modules/reports/report-cli'
import { CliArgumentError } from '../../../src-main/modules/money/money-cli'

describe('report figures', () => {
  it('puts days past due in the portfolio buckets, bounds included', () => {
    expect([0, 30, 31, 60, 61, 90, 91, 180, 181, 5000].map(ageBucketOf)).toEqual([
      '0-30',
      '0-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '91-180',
      '91-180',
      '181+',
      '181+'
    ])
    expect(ageBucketOf(-12)).toBe('0-30')
  })

  it('gives each bucket its earliest due date (what SQL compares)', () => {
    const limits = ageBucketEarliestDue('2026-11-23')
    expect(limits.map((l) => l.earliest)).toEqual(['2026-10-24', '2026-09-24', '2026-08-25', '2026-05-27', null])
    expect(CASE_AGE_BUCKET_DAYS['0-30'].max).toBe(30)
  })

  it('rates, weeks, months and Excel serial days', () => {
    expect(ratio(1, 0)).toBe(0)
    expect(ratio(1, 4)).toBe(0.25)
    expect(weekStart('2026-11-23')).toBe('2026-11-23') // a Monday
    expect(weekStart('2026-11-29')).toBe('2026-11-23') // the Sunday after
    expect(monthsOf('2025-12-15', '2026-02-01')).toEqual(['2025-12-01', '2026-01-01', '2026-02-01'])
    expect(excelSerial('1899-12-31')).toBe(1)
    expect(excelSerial('2024-02-29')).toBe(45351)
  })

  it('defaults the scope to the twelve months up to today', () => {
    expect(resolveScope({}, '2026-11-23')).toEqual({
      clientIds: [],
      collectorIds: [],
      from: '2025-12-01',
      to: '2026-11-23',
      asOf: '2026-11-23'
    })
  })
})

describe('cli report arguments', () => {
  it('reads the kind, the file and the portfolio filters', () => {
    const args = parseReportArgs({
      kind: 'cases',
      out: '/tmp/x.xlsx',
      status: 'open,suspended',
      age: '91-180,181+',
      'balance-min': '1 000,50',
      sort: 'balance:desc',
      client: ['ACME']
    })
    expect(args.cases).toMatchObject({
      statuses: ['open', 'suspended'],
      ageBuckets: ['91-180', '181+'],
      balanceMinCents: 100050,
      sort: { field: 'balance', direction: 'desc' }
    })
    expect(args.clients).toEqual(['ACME'])
  })

  it('refuses in French what it cannot read', () => {
    expect(() => parseReportArgs({ kind: 'nope', out: '/tmp/x.xlsx' })).toThrow(CliArgumentError)
    expect(() => parseReportArgs({ kind: 'aging', out: '/tmp/x.csv' })).toThrow(/\.xlsx/)
    expect(() => parseReportArgs({ kind: 'cases', out: '/tmp/x.xlsx', status: 'ouvert' })).toThrow(/--status/)
    expect(() => parseReportArgs({ kind: 'aging', out: '/tmp/x.xlsx', from: '31/12/2025' })).toThrow(/AAAA-MM-JJ/)
  })
})
