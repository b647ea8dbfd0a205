import { benchConfig } from '../bench-config'

/** The import benchmark alone (see tests/bench/README.md): never part of `npm test`. */
export default benchConfig(['tests/bench/imports/imports.measure.ts'], {
  setupFiles: ['tests/integration/setup.ts'],
  testTimeout: 3_600_000,
  hookTimeout: 3_600_000,
  reporters: ['default']
})
