/**
 * PEM key files (RFC 7468): `PUBLIC KEY` (SubjectPublicKeyInfo, §13; what `cosign.pub` holds),
 * `PRIVATE KEY` (PKCS#8, §10), `EC PRIVATE KEY` (SEC1, RFC 5915 §4), and on import also the
 * PKCS#1 `RSA PUBLIC KEY` / `RSA PRIVATE KEY` (RFC 8017 §A.1) that OpenSSL and cosign's tests use.
 *
 * Other blocks in the text are skipped (e.g. OpenSSL's `EC PARAMETERS` before an
 * `EC PRIVATE KEY`); exactly one key block must be present. Encrypted keys are not read here:
 * cosign's `ENCRYPTED SIGSTORE PRIVATE KEY` goes through {@link decryptCosignKey} or
 * {@link importKey} with a password, PKCS#8 `ENCRYPTED PRIVATE KEY` through {@link decryptPkcs8}
 * or {@link importKey}; legacy OpenSSL `Proc-Type: 4,ENCRYPTED` keys are refused as unsupported.
 *
 * @module
 */

import { decodePemAll, encodePem } from "../encoding/pem.ts";
import { ParseError } from "../encoding/errors.ts";
import {
  encodeEcPrivateKey,
  encodeRsaPrivateKey,
  parseEcPrivateKey,
  parsePkcs8,
  parseRsaPrivateKey,
  parseRsaPublicKey,
  parseSpki,
  unsupportedKey,
} from "./_material.ts";
import { makePrivateKey, makePublicKey, materialOf, pkcs8Of, spkiOf } from "./_store.ts";
import type { ImportKeyOptions, PrivateKey, PublicKey } from "./key.ts";

/** PEM labels {@link importKeyPem} reads. */
export const KEY_PEM_LABELS = [
  "PUBLIC KEY",
  "PRIVATE KEY",
  "EC PRIVATE KEY",
  "RSA PUBLIC KEY",
  "RSA PRIVATE KEY",
] as const;

/** Labels of encrypted keys; recognised so that the error can say what to do. */
const ENCRYPTED_LABELS = [
  "ENCRYPTED SIGSTORE PRIVATE KEY",
  "ENCRYPTED COSIGN PRIVATE KEY",
  "ENCRYPTED PRIVATE KEY",
] as const;

/**
 * Private key PEM encodings {@link exportPrivateKeyPem} writes.
 *
 * @example Usage
 * ```ts
 * import { exportPrivateKeyPem, generateKeyPair, PRIVATE_KEY_PEM_FORMATS } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ecdsa-p256");
 * assert.ok(key.kind === "private");
 * assert.match(exportPrivateKeyPem(key, { format: PRIVATE_KEY_PEM_FORMATS[1] }), /^-----BEGIN EC PRIVATE KEY-----/);
 * ```
 */
export const PRIVATE_KEY_PEM_FORMATS = ["pkcs8", "sec1", "pkcs1"] as const;

/** One of {@link PRIVATE_KEY_PEM_FORMATS}. */
export type PrivateKeyPemFormat = typeof PRIVATE_KEY_PEM_FORMATS[number];

function label(name: string | undefined): string {
  return name === undefined ? "" : ` "${name}"`;
}

/**
 * Imports the one unencrypted key of a PEM text.
 *
 * @param text PEM text (surrounding explanatory text is ignored).
 * @param options Input name and default algorithm.
 * @returns A public key (`PUBLIC KEY`, `RSA PUBLIC KEY`) or private key (the other labels).
 * @throws {ParseError} `PEM_*` when the armor is malformed or has several key blocks;
 *   `KEY_INVALID` for a malformed or inconsistent key; `KEY_UNSUPPORTED` for an unsupported
 *   label, algorithm, curve or size; `KEY_ENCRYPTED` for an encrypted key.
 * @throws {TypeError} When `options.algorithm` does not fit the key type.
 *
 * @example Usage
 * ```ts
 * import { importKeyPem } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = importKeyPem(`-----BEGIN PRIVATE KEY-----
 * MC4CAQAwBQYDK2VwBCIEIALEbo1EFnWFqBK/wC+hhypG/8hXEerwdNetAoFoFVdv
 * -----END PRIVATE KEY-----
 * `);
 * assert.equal(key.kind, "private");
 * assert.throws(() => importKeyPem("-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n"), {
 *   code: "KEY_UNSUPPORTED",
 * });
 * ```
 */
export function importKeyPem(text: string, options: ImportKeyOptions = {}): PublicKey | PrivateKey {
  const { name, algorithm } = options;
  const block = findKeyBlock(text, name);
  if ((ENCRYPTED_LABELS as readonly string[]).includes(block.label)) {
    throw new ParseError(
      "KEY_ENCRYPTED",
      `Cannot import key${label(name)}: the ${block.label} is encrypted; ${
        block.label === "ENCRYPTED PRIVATE KEY"
          ? "pass its password"
          : "no password was given to decrypt it"
      }`,
    );
  }
  if (/ENCRYPTED/i.test(block.headers["Proc-Type"] ?? "")) {
    throw unsupportedKey(name, "legacy encrypted OpenSSL PEM keys are not supported");
  }
  switch (block.label) {
    case "PUBLIC KEY":
      return makePublicKey(parseSpki(block.bytes, name), algorithm);
    case "RSA PUBLIC KEY":
      return makePublicKey(parseRsaPublicKey(block.bytes, name), algorithm);
    case "PRIVATE KEY":
      return makePrivateKey(parsePkcs8(block.bytes, name), algorithm);
    case "EC PRIVATE KEY":
      return makePrivateKey(parseEcPrivateKey(block.bytes, name), algorithm);
    default:
      return makePrivateKey(parseRsaPrivateKey(block.bytes, name), algorithm);
  }
}

/** Finds the one key block (plain or encrypted) of a PEM text. */
export function findKeyBlock(
  text: string,
  name: string | undefined,
): { label: string; bytes: Uint8Array<ArrayBuffer>; headers: Record<string, string> } {
  let blocks;
  try {
    blocks = decodePemAll(text, { label: [...KEY_PEM_LABELS, ...ENCRYPTED_LABELS], name });
  } catch (error) {
    if (error instanceof ParseError && error.code === "PEM_LABEL_MISMATCH") {
      throw unsupportedKey(
        name,
        `no supported key block (use one of ${KEY_PEM_LABELS.join(", ")}, or a cosign key)`,
      );
    }
    throw error;
  }
  if (blocks.length !== 1) {
    throw new ParseError(
      "PEM_INVALID",
      `Cannot import key${label(name)}: expected one key block but found ${blocks.length}`,
    );
  }
  return blocks[0]!;
}

/**
 * Exports a public key (or a private key's public half) as a `PUBLIC KEY` PEM block
 * (SubjectPublicKeyInfo, the format of `cosign.pub`).
 *
 * @param key A public or private key.
 * @returns PEM text with LF line endings and a final newline.
 * @throws {TypeError} When `key` is not an asymmetric key made by this toolkit.
 *
 * @example Usage
 * ```ts
 * import { exportPublicKeyPem, importKeyPem } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
 * assert.equal(exportPublicKeyPem(importKeyPem(pem)), pem);
 * ```
 */
export function exportPublicKeyPem(key: PublicKey | PrivateKey): string {
  return encodePem("PUBLIC KEY", spkiOf(key));
}

/**
 * Exports a private key as PEM: `PRIVATE KEY` (PKCS#8, default), `EC PRIVATE KEY` (SEC1, EC keys
 * only) or `RSA PRIVATE KEY` (PKCS#1, RSA keys only).
 *
 * @param key A private key.
 * @param options `format`: `pkcs8` (default), `sec1` or `pkcs1`.
 * @returns PEM text (treat it as secret).
 * @throws {TypeError} When `key` is not a private key made by this toolkit or the format does
 *   not fit its type.
 *
 * @example Usage
 * ```ts
 * import { exportPrivateKeyPem, generateKeyPair, importKeyPem } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ecdsa-p384");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const sec1 = exportPrivateKeyPem(key, { format: "sec1" });
 * assert.match(sec1, /^-----BEGIN EC PRIVATE KEY-----\n/);
 * assert.equal(importKeyPem(sec1).keyid, key.keyid);
 * ```
 */
export function exportPrivateKeyPem(
  key: PrivateKey,
  options: { format?: PrivateKeyPemFormat | undefined } = {},
): string {
  if (key?.kind !== "private") throw new TypeError("Pass a private key to exportPrivateKeyPem");
  const format = options.format ?? "pkcs8";
  const material = materialOf(key);
  let der: Uint8Array<ArrayBuffer>;
  let pemLabel: string;
  if (format === "pkcs8") {
    der = pkcs8Of(key);
    pemLabel = "PRIVATE KEY";
  } else if (
    format === "sec1" && (material.type === "ecdsa-p256" || material.type === "ecdsa-p384")
  ) {
    der = encodeEcPrivateKey(material, true);
    pemLabel = "EC PRIVATE KEY";
  } else if (format === "pkcs1" && material.type === "rsa") {
    der = encodeRsaPrivateKey(material);
    pemLabel = "RSA PRIVATE KEY";
  } else {
    throw new TypeError(`Cannot export a ${key.type} key as "${String(format)}"`);
  }
  const pem = encodePem(pemLabel, der);
  der.fill(0);
  return pem;
}
