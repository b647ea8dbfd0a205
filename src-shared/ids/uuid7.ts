/**
 * Time-ordered UUIDs (RFC 9562 version 7), made by the app rather than the database so that a
 * laptop working offline creates keys that never collide with the office's and sort by time.
 * Within one millisecond a counter in the random bits keeps keys made here strictly increasing.
 */

let lastMs = -1
let sequence = 0

function randomBytes(count: number): Uint8Array {
  const bytes = new Uint8Array(count)
  globalThis.crypto.getRandomValues(bytes)
  return bytes
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function uuid7(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16)
  let ms = nowMs
  if (ms <= lastMs) {
    ms = lastMs
    sequence = (sequence + 1) & 0xfff
    if (sequence === 0) ms = lastMs + 1 // 4096 keys in one millisecond: borrow the next one
  } else {
    sequence = ((bytes[6] ?? 0) << 4) & 0x7ff // random start, leaves room to count up
  }
  lastMs = ms
  // 48-bit big-endian milliseconds
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff
  bytes[2] = (ms >>> 24) & 0xff
  bytes[3] = (ms >>> 16) & 0xff
  bytes[4] = (ms >>> 8) & 0xff
  bytes[5] = ms & 0xff
  // version 7 + 12-bit sequence (rand_a), then variant 10 (rand_b)
  bytes[6] = 0x70 | ((sequence >>> 8) & 0x0f)
  bytes[7] = sequence & 0xff
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  let out = ''
  for (let i = 0; i < 16; i++) {
    out += HEX[bytes[i] ?? 0]
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-'
  }
  return out
}

/** Milliseconds since the epoch encoded in a v7 UUID. */
export function uuid7Timestamp(id: string): number {
  const hex = id.replace(/-/g, '').slice(0, 12)
  return parseInt(hex, 16)
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function isUuid7(value: string): boolean {
  return UUID_V7.test(value)
}
