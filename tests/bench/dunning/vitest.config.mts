import { benchConfig } from '../bench-config'

/** Runs the dunning batch measurement alone (not part of `vitest run`): see dunning.measure.ts. */
export default benchConfig(['tests/bench/dunning/*.measure.ts'])
