const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0))
/** Character codes of a SID with a two-letter prefix, reused. */
const SID_CODES = new Uint8Array(34)
const ASCII = new TextDecoder()
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * A small seeded pseudo-random generator (sfc32 seeded through a string hash), so that the same
 * seed gives the same SIDs. Each double owns its own instance: no module-level state.
 */
export class SeededRandom {
  private a = 0
  private b = 0
  private c = 0
  private d = 0

  constructor(private readonly seed: string | number) {
    this.reset()
  }

  /** Starts the sequence over from the seed: the same SIDs come again. */
  reset(): void {
    const seed = this.seed
    let h = 1779033703 ^ String(seed).length
    const s = String(seed)
    for (let i = 0; i < s.length; i++) {
      h = Math.imul(h ^ s.charCodeAt(i), 3432918353)
      h = (h << 13) | (h >>> 19)
    }
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507)
      h = Math.imul(h ^ (h >>> 13), 3266489909)
      h ^= h >>> 16
      return h >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    this.a >>>= 0
    this.b >>>= 0
    this.c >>>= 0
    this.d >>>= 0
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** 32 lowercase hex characters, the body of a Twilio SID. */
  hex32(): string {
    return this.sid('')
  }

  /** `length` characters of `[0-9A-Za-z]`, e.g. the code of a short link. */
  alphanumeric(length: number): string {
    let out = ''
    for (let i = 0; i < length; i++) out += ALPHANUMERIC[this.nextUint32() % ALPHANUMERIC.length]
    return out
  }

  /** A SID with the given two-letter prefix, e.g. `sid('SM')`. */
  sid(prefix: string): string {
    // the prefix and the digits are written as character codes and decoded once: one flat string (a
    // concatenation would be flattened again each time it is hashed as a Map key)
    const p = prefix.length
    const codes = p === 2 ? SID_CODES : new Uint8Array(p + 32)
    for (let i = 0; i < p; i++) codes[i] = prefix.charCodeAt(i)
    for (let word = 0; word < 4; word++) {
      const n = this.nextUint32()
      for (let digit = 0; digit < 8; digit++)
        codes[p + word * 8 + digit] = HEX_DIGITS[(n >>> (28 - 4 * digit)) & 15]!
    }
    return ASCII.decode(codes)
  }
}
