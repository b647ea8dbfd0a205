import { join } from 'node:path'

/**
 * The benchmarks' demo database: one folder per size, seed and history, kept between runs.
 *   RECOUVRA_BENCH_CASES=200000  RECOUVRA_BENCH_SEED=1  RECOUVRA_BENCH_HISTORY=busy
 *   RECOUVRA_BENCH_DIR=/tmp/recouvra-bench
 * `busy` is the file the issue asks to measure: 200,000 cases, ~600,000 claims and ~2,000,000
 * journal entries.
 */
export const BENCH_CASES = Number(process.env.RECOUVRA_BENCH_CASES ?? 200_000)
export const BENCH_SEED = Number(process.env.RECOUVRA_BENCH_SEED ?? 1)
export const BENCH_HISTORY = (process.env.RECOUVRA_BENCH_HISTORY ?? 'busy') as 'standard' | 'busy'
export const BENCH_ROOT = process.env.RECOUVRA_BENCH_DIR ?? '/tmp/recouvra-bench'
export const benchDataDir = (): string =>
  join(BENCH_ROOT, `demo-${BENCH_CASES}-seed-${BENCH_SEED}${BENCH_HISTORY === 'busy' ? '-busy' : ''}`)
