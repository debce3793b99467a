/**
 * Alertmanager's alert fingerprint: prometheus/common `model/signature.go` `labelSetToFingerprint` — FNV-1a 64 over
 * the label names in byte order, each name and value followed by the separator byte 0xff (a byte that cannot occur
 * in UTF-8), printed as 16 lower-case hex digits (`Fingerprint.String`, `%016x`). The empty set hashes to the FNV
 * offset basis. Computing it the same way means an alert pushed to Alertmanager and the one it sends back by
 * webhook carry the same fingerprint as Highway's own.
 */
const OFFSET_64 = 14695981039346656037n
const PRIME_64 = 1099511628211n
const MASK_64 = (1n << 64n) - 1n
const SEPARATOR_BYTE = 0xff

/** The fingerprint of a label set, as Alertmanager prints it (`%016x`). */
export function fingerprintOf(labels: Readonly<Record<string, string>>): string {
  // Go's sort.Strings compares bytes: compare UTF-8 encodings, not UTF-16 code units.
  const names = Object.keys(labels)
    .map((n) => ({ n, b: Buffer.from(n, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.b, b.b))
  let h = OFFSET_64
  const add = (byte: number): void => {
    h ^= BigInt(byte)
    h = (h * PRIME_64) & MASK_64
  }
  for (const { n, b } of names) {
    for (const byte of b) add(byte)
    add(SEPARATOR_BYTE)
    for (const byte of Buffer.from(labels[n] ?? '', 'utf8')) add(byte)
    add(SEPARATOR_BYTE)
  }
  return h.toString(16).padStart(16, '0')
}
