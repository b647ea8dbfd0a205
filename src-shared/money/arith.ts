/**
 * Exact integer arithmetic for money. Amounts are integer cents held in `number` (safe up to
 * 2^53, i.e. ~90 000 billion euros); every product that may exceed that is done in BigInt.
 */

export type Cents = number
/** Integer basis points: 1 bp = 0.01 %, so 8.01 % = 801 bp. */
export type BasisPoints = number

export function assertCents(value: number, what = 'amount'): Cents {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of cents, got ${value}`)
  return value
}

export function assertNonNegativeCents(value: number, what = 'amount'): Cents {
  assertCents(value, what)
  if (value < 0) throw new RangeError(`${what} must not be negative, got ${value}`)
  return value
}

export function assertBasisPoints(value: number, what = 'rate'): BasisPoints {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${what} must be an integer number of basis points, got ${value}`)
  return value
}

/** numerator / denominator rounded half away from zero ("half-up" on amounts). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('Division by zero')
  if (denominator < 0n) return divRoundHalfUp(-numerator, -denominator)
  const negative = numerator < 0n
  const abs = negative ? -numerator : numerator
  const rounded = (2n * abs + denominator) / (2n * denominator)
  return negative ? -rounded : rounded
}

export function toSafeNumber(value: bigint, what = 'amount'): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} is too large to be represented exactly: ${value}`)
  }
  return Number(value)
}

export function sumCents(values: readonly number[]): Cents {
  let total = 0
  for (const v of values) total += v
  return assertCents(total, 'sum')
}

/**
 * Exact percent → basis points using the decimal text of the number, so 8.01 gives 801
 * and not 800.999…; more than two decimals cannot be represented and is refused.
 */
export function percentToBasisPoints(percent: number | string): BasisPoints {
  const text = typeof percent === 'number' ? String(percent) : percent.trim()
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text)
  if (!match) throw new RangeError(`Rate must be a percentage with at most two decimals, got ${text}`)
  const [, sign, whole, fraction = ''] = match
  const bp = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
  return sign === '-' && bp !== 0 ? -bp : bp
}

/** Basis points → percent string with two decimals, for display and exports (801 → "8.01"). */
export function basisPointsToPercentString(bp: BasisPoints): string {
  const abs = Math.abs(bp)
  return `${bp < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
