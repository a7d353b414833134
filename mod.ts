/**
 * StellaOps Provenance: prove container provenance offline.
 *
 * Build services produce signed attestations (DSSE envelopes over in-toto Statements: SLSA
 * Provenance v1 and `stella.ops/promotion@v1`); operators verify them with nothing but the files
 * in front of them. The CLI (`stella`, exported as `./cli`) is a thin adapter over these functions.
 *
 * @example Quick start
 * ```ts
 * import { canonicalize } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.equal(canonicalize({ b: 1, a: [true, null] }), '{"a":[true,null],"b":1}');
 * ```
 *
 * @module
 */

// encoding
export { ParseError, ValidationError } from "./lib/encoding/errors.ts";
export type { Problem } from "./lib/encoding/errors.ts";
export {
  concatBytes,
  decodeBase64,
  decodeBase64Any,
  decodeBase64Url,
  decodeHex,
  decodeUtf8,
  encodeBase64,
  encodeBase64Url,
  encodeHex,
  encodeUtf8,
  equalBytes,
  timingSafeEqual,
} from "./lib/encoding/bytes.ts";
// (encoding: canonical JSON, strict JSON, PEM)

// digest

// model

// keys

// sign
export { SIGNATURE_ALGORITHMS } from "./lib/sign/signer.ts";
export type { SignatureAlgorithm, Signer, Verifier } from "./lib/sign/signer.ts";

// verify

// kit
