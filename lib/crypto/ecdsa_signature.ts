/**
 * ECDSA signature encodings: ASN.1 DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
 * (RFC 3279 §2.2.3, RFC 5480 §2.2.3; what cosign, Go, OpenSSL and securesystemslib write) and IEEE
 * P1363 `r ‖ s` with fixed-width halves (what WebCrypto and the DSSE spec example use).
 *
 * The DER decoder is strict (minimal INTEGERs, no negative values, no trailing bytes, no
 * BER lengths) and range-checks `0 < r, s < n`, so every malleable or non-canonical encoding in
 * the Wycheproof suites is refused before the math runs.
 *
 * Internal: not re-exported from `mod.ts`.
 *
 * @module
 */

import { DerReader, encodeDerInteger, encodeDerSequence } from "../encoding/der.ts";

/** Converts a P1363 `r ‖ s` signature (`2 × size` bytes) to DER. */
export function p1363ToDer(signature: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  if (signature.length !== 2 * size) throw new RangeError("Cannot convert signature: wrong length");
  return encodeDerSequence([
    encodeDerInteger(signature.subarray(0, size)),
    encodeDerInteger(signature.subarray(size)),
  ]);
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/**
 * Converts a strict DER signature to P1363, checking `0 < r, s < order`.
 *
 * @returns The `2 × size` byte signature, or `undefined` when the input is not a canonical DER
 *   signature with in-range values.
 */
export function derToP1363(
  signature: Uint8Array,
  size: number,
  order: bigint,
): Uint8Array<ArrayBuffer> | undefined {
  try {
    const outer = new DerReader(signature);
    const seq = outer.readSequence();
    outer.end();
    const r = seq.readUnsignedIntegerBytes();
    const s = seq.readUnsignedIntegerBytes();
    seq.end();
    if (r.length > size || s.length > size) return undefined;
    const out = new Uint8Array(2 * size);
    out.set(r, size - r.length);
    out.set(s, 2 * size - s.length);
    return checkP1363(out, size, order) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Tells whether a P1363 signature has the right length and `0 < r, s < order`. */
export function checkP1363(signature: Uint8Array, size: number, order: bigint): boolean {
  if (signature.length !== 2 * size) return false;
  const r = bytesToBigint(signature.subarray(0, size));
  const s = bytesToBigint(signature.subarray(size));
  return r > 0n && r < order && s > 0n && s < order;
}
