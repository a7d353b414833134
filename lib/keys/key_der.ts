/**
 * DER key containers: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) and PKCS#8 PrivateKeyInfo /
 * OneAsymmetricKey (RFC 5208 §5, RFC 5958 §2), for Ed25519 (RFC 8410), ECDSA P-256/P-384
 * (RFC 5480, RFC 5915) and RSA (RFC 3279, RFC 8017).
 *
 * Import is strict DER and validates the key (see `lib/keys/_material.ts`); export writes the
 * canonical encoding OpenSSL and Go write (PKCS#8 v1; EC private keys with the public point and
 * without repeated curve parameters).
 *
 * @module
 */

import { makePrivateKey, makePublicKey, pkcs8Of, spkiOf } from "./_store.ts";
import { parsePkcs8, parseSpki } from "./_material.ts";
import type { ImportKeyOptions, PrivateKey, PublicKey } from "./key.ts";

/**
 * Imports a public key from DER SubjectPublicKeyInfo bytes.
 *
 * @param der DER SubjectPublicKeyInfo.
 * @param options Input name and default algorithm.
 * @returns The public key.
 * @throws {ParseError} `KEY_INVALID` when the DER or the key is malformed; `KEY_UNSUPPORTED` for
 *   other algorithms, curves or sizes.
 * @throws {TypeError} When `options.algorithm` does not fit the key type.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { importSpki } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const der = decodeBase64("MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
 * assert.equal(importSpki(der).type, "ed25519");
 * assert.throws(() => importSpki(der.subarray(1)), { code: "KEY_INVALID" });
 * ```
 */
export function importSpki(der: Uint8Array, options: ImportKeyOptions = {}): PublicKey {
  return makePublicKey(parseSpki(der, options.name), options.algorithm);
}

/**
 * Imports a private key from DER PKCS#8 bytes.
 *
 * @param der DER PrivateKeyInfo (v1) or OneAsymmetricKey (v2).
 * @param options Input name and default algorithm.
 * @returns The private key.
 * @throws {ParseError} `KEY_INVALID` when the DER or the key is malformed or inconsistent;
 *   `KEY_UNSUPPORTED` for other algorithms, curves or sizes.
 * @throws {TypeError} When `options.algorithm` does not fit the key type.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64 } from "@stellaops/provenance/encoding";
 * import { importPkcs8 } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const der = decodeBase64("MC4CAQAwBQYDK2VwBCIEIALEbo1EFnWFqBK/wC+hhypG/8hXEerwdNetAoFoFVdv");
 * const key = importPkcs8(der);
 * assert.equal(key.kind, "private");
 * assert.equal(key.publicKey.type, "ed25519");
 * ```
 */
export function importPkcs8(der: Uint8Array, options: ImportKeyOptions = {}): PrivateKey {
  return makePrivateKey(parsePkcs8(der, options.name), options.algorithm);
}

/**
 * Exports the DER SubjectPublicKeyInfo of a public key (or of a private key's public half).
 *
 * @param key A public or private key.
 * @returns The canonical DER bytes (a fresh copy).
 * @throws {TypeError} When `key` is not a key made by this toolkit or is an HMAC secret.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64, encodeBase64 } from "@stellaops/provenance/encoding";
 * import { exportSpki, importSpki } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const b64 = "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
 * assert.equal(encodeBase64(exportSpki(importSpki(decodeBase64(b64)))), b64);
 * ```
 */
export function exportSpki(key: PublicKey | PrivateKey): Uint8Array<ArrayBuffer> {
  return spkiOf(key);
}

/**
 * Exports a private key as DER PKCS#8 (v1, as `openssl pkcs8 -topk8 -nocrypt` writes it).
 *
 * @param key A private key.
 * @returns The canonical DER bytes (a fresh copy; treat them as secret).
 * @throws {TypeError} When `key` is not a private key made by this toolkit.
 *
 * @example Usage
 * ```ts
 * import { decodeBase64, encodeBase64 } from "@stellaops/provenance/encoding";
 * import { exportPkcs8, importPkcs8 } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const b64 = "MC4CAQAwBQYDK2VwBCIEIALEbo1EFnWFqBK/wC+hhypG/8hXEerwdNetAoFoFVdv";
 * assert.equal(encodeBase64(exportPkcs8(importPkcs8(decodeBase64(b64)))), b64);
 * ```
 */
export function exportPkcs8(key: PrivateKey): Uint8Array<ArrayBuffer> {
  return pkcs8Of(key);
}
