/**
 * One entry point that reads any key file this toolkit understands, for callers (like the CLI's
 * `--key` and `stella keys id`) that get a file of unknown format:
 *
 * 1. PEM text (RFC 7468): the labels of {@link importKeyPem}, plus cosign's encrypted key
 *    ({@link decryptCosignKey}) and encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`,
 *    {@link decryptPkcs8}), both with `options.password`;
 * 2. a JSON Web Key (RFC 7517), as JSON text;
 * 3. DER bytes: SubjectPublicKeyInfo, PKCS#8 or encrypted PKCS#8 (PBES2), told apart by their
 *    first inner element;
 * 4. a raw HMAC secret, only when `format: "hmac"` says so (raw bytes have no signature that
 *    could be detected safely).
 *
 * @module
 */

import { DER_TAGS, DerReader } from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { decryptCosignKey } from "./cosign_key.ts";
import { importHmacSecret } from "./hmac_secret.ts";
import { importJwk, type Jwk } from "./jwk.ts";
import { importPkcs8, importSpki } from "./key_der.ts";
import { decryptPkcs8, ENCRYPTED_PRIVATE_KEY_LABEL, isEncryptedPkcs8 } from "./pkcs8_encrypted.ts";
import { findKeyBlock, importKeyPem } from "./key_pem.ts";
import type { ImportKeyOptions, Key } from "./key.ts";
import { invalidKey, unsupportedKey } from "./_material.ts";
import { COSIGN_LEGACY_PRIVATE_KEY_LABEL, COSIGN_PRIVATE_KEY_LABEL } from "./_cosign_box.ts";

/**
 * Input formats {@link importKey} knows; `auto` detects PEM, JWK and DER.
 *
 * @example Usage
 * ```ts
 * import { KEY_FORMATS } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...KEY_FORMATS], ["auto", "pem", "jwk", "der", "hmac"]);
 * ```
 */
export const KEY_FORMATS = ["auto", "pem", "jwk", "der", "hmac"] as const;

/** One of {@link KEY_FORMATS}. */
export type KeyFormat = typeof KEY_FORMATS[number];

/** Options of {@link importKey}. */
export interface ImportAnyKeyOptions extends ImportKeyOptions {
  /** Input format; default `auto` (PEM, JWK or DER; raw HMAC secrets need `hmac`). */
  format?: KeyFormat | undefined;
  /**
   * Password of a cosign encrypted private key or an encrypted PKCS#8 key (the CLI reads it from
   * `--password-env`, default `COSIGN_PASSWORD`, or prompts on a terminal).
   */
  password?: string | Uint8Array | undefined;
}

function needsPassword(name: string | undefined): TypeError {
  return new TypeError(
    `Pass a password: the key${name === undefined ? "" : ` "${name}"`} is encrypted`,
  );
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function asText(input: string | Uint8Array): string | undefined {
  if (typeof input === "string") return input;
  try {
    return UTF8.decode(input);
  } catch {
    return undefined;
  }
}

/**
 * Imports a key from a file's contents, detecting its format.
 *
 * @param input The file contents (text or bytes).
 * @param options Format, password (cosign keys), input name and default algorithm.
 * @returns A public, private or secret key.
 * @throws {ParseError} `KEY_INVALID`, `KEY_UNSUPPORTED`, `KEY_DECRYPTION_FAILED`, `PEM_*` as
 *   the specific importers do; `KEY_UNSUPPORTED` when the format is not recognised.
 * @throws {TypeError} When an encrypted key comes without `options.password`, or an option has
 *   the wrong type.
 *
 * @example Usage
 * ```ts
 * import { importKey } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const jwk = '{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}';
 * const pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
 * assert.equal((await importKey(jwk)).keyid, (await importKey(pem)).keyid);
 * const secret = await importKey(new Uint8Array(32).fill(9), { format: "hmac" });
 * assert.equal(secret.kind, "secret");
 * ```
 */
export async function importKey(
  input: string | Uint8Array,
  options: ImportAnyKeyOptions = {},
): Promise<Key> {
  if (typeof input !== "string" && !(input instanceof Uint8Array)) {
    throw new TypeError("Pass the key as a string or Uint8Array");
  }
  const { name, algorithm } = options;
  const format = options.format ?? "auto";
  const base: ImportKeyOptions = { name, algorithm };
  if (format === "hmac") {
    return importHmacSecret(typeof input === "string" ? new TextEncoder().encode(input) : input, {
      name,
    });
  }
  const text = format === "der" ? undefined : asText(input);
  if (
    format === "pem" || (format === "auto" && text !== undefined && text.includes("-----BEGIN "))
  ) {
    const pem = text ?? "";
    const block = findKeyBlock(pem, name);
    if (
      block.label === COSIGN_PRIVATE_KEY_LABEL || block.label === COSIGN_LEGACY_PRIVATE_KEY_LABEL
    ) {
      if (options.password === undefined) throw needsPassword(name);
      return await decryptCosignKey(pem, options.password, base);
    }
    if (block.label === ENCRYPTED_PRIVATE_KEY_LABEL) {
      if (options.password === undefined) throw needsPassword(name);
      return await decryptPkcs8(block.bytes, options.password, base);
    }
    return importKeyPem(pem, base);
  }
  if (
    format === "jwk" ||
    (format === "auto" && text !== undefined && text.trimStart().startsWith("{"))
  ) {
    let jwk: unknown;
    try {
      jwk = parseJson(text ?? "", { maxBytes: 1 << 20 }); // invalidKey names the input
    } catch (error) {
      if (error instanceof ParseError) {
        throw invalidKey(name, error.message);
      }
      throw error;
    }
    if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) {
      throw invalidKey(name, "the JWK must be a JSON object");
    }
    return importJwk(jwk as Jwk, base);
  }
  if (format === "der" || format === "auto") {
    const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
    if (bytes[0] === DER_TAGS.SEQUENCE) {
      let firstInner: number | undefined;
      try {
        firstInner = new DerReader(bytes).readSequence().peekTag();
      } catch {
        firstInner = undefined;
      }
      if (firstInner === DER_TAGS.INTEGER) return importPkcs8(bytes, base);
      if (firstInner === DER_TAGS.SEQUENCE && isEncryptedPkcs8(bytes)) {
        if (options.password === undefined) throw needsPassword(name);
        return await decryptPkcs8(bytes, options.password, base);
      }
      if (firstInner === DER_TAGS.SEQUENCE) return importSpki(bytes, base);
    }
    if (format === "der") throw invalidKey(name, "not a DER SubjectPublicKeyInfo or PKCS#8 key");
  }
  if (!(KEY_FORMATS as readonly string[]).includes(format)) {
    throw new TypeError(`Cannot import format "${String(format)}": use ${KEY_FORMATS.join(", ")}`);
  }
  throw unsupportedKey(
    name,
    "unrecognized key format (use PEM, JWK or DER; raw HMAC secrets need format hmac)",
  );
}
