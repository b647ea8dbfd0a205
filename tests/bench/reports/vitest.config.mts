import { benchConfig } from '../bench-config'

/** The reports benchmark alone (see tests/bench/README.md); never part of `npm test`. */
export default benchConfig([process.env.RECOUVRA_BENCH_FILE ?? 'tests/bench/reports/reports.measure.ts'], {
  testTimeout: 3_600_000,
  hookTimeout: 3_600_000,
  // The figures go to the console and to a JSON file; keep vitest's own output short.
  reporters: ['default']
})
