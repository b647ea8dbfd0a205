import { benchConfig } from '../bench-config'

/** Runs the payment documents measurement alone (not part of `vitest run`): see payment-documents.measure.ts. */
export default benchConfig(['tests/bench/money/*.measure.ts'])
