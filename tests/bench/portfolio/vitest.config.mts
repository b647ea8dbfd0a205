import { benchConfig } from '../bench-config'

/** `npm run bench`: the portfolio measurement alone, never part of `npm test` (see README.md). */
export default benchConfig([process.env.RECOUVRA_BENCH_FILE ?? 'tests/bench/portfolio/portfolio.measure.ts'], {
  testTimeout: 3_600_000,
  hookTimeout: 3_600_000,
  // The figures go to the console and to a JSON file; keep vitest's own output short.
  reporters: ['default']
})
