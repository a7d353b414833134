/**
 * The decryption core of cosign encrypted keys (see `cosign_key.ts` for the format): JSON
 * document checks, bounded scrypt (RFC 7914) and secretbox open.
 *
 * Internal: not re-exported from `mod.ts`.
 *
 * @module
 */

import { scrypt } from "node:crypto";
import { decodeBase64, encodeUtf8 } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { secretboxOpen } from "./_secretbox.ts";
import { invalidKey, unsupportedKey } from "./_material.ts";
import { findKeyBlock } from "./key_pem.ts";
import { isObject } from "../encoding/json_value.ts";

/** PEM label of cosign encrypted private keys. */
export const COSIGN_PRIVATE_KEY_LABEL = "ENCRYPTED SIGSTORE PRIVATE KEY";

/** Legacy PEM label of cosign encrypted private keys (read, never written). */
export const COSIGN_LEGACY_PRIVATE_KEY_LABEL = "ENCRYPTED COSIGN PRIVATE KEY";

const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

function label(name: string | undefined): string {
  return name === undefined ? "" : ` "${name}"`;
}

export function passwordBytes(password: string | Uint8Array): Uint8Array {
  if (typeof password === "string") return encodeUtf8(password);
  if (password instanceof Uint8Array) return password;
  throw new TypeError("Pass the password as a string or Uint8Array");
}

export function deriveKey(
  password: Uint8Array,
  salt: Uint8Array,
  params: { N: number; r: number; p: number },
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      32,
      { N: params.N, r: params.r, p: params.p, maxmem: MAX_SCRYPT_MEMORY + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))),
    );
  });
}

function checkScryptParams(N: unknown, r: unknown, p: unknown, name: string | undefined): {
  N: number;
  r: number;
  p: number;
} {
  const int = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
  if (!int(N) || !int(r) || !int(p) || N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1) {
    throw invalidKey(name, "scrypt parameters must be integers with N a power of two");
  }
  if (N > 1 << 20 || r > 32 || p > 16 || 128 * N * r > MAX_SCRYPT_MEMORY) {
    throw unsupportedKey(
      name,
      "scrypt parameters exceed the supported cost (N <= 2^20, r <= 32, p <= 16, 256 MiB)",
    );
  }
  return { N, r, p };
}

/**
 * Decrypts a cosign key to its plaintext DER without interpreting it.
 */
export async function decryptCosignKeyBytes(
  text: string,
  password: string | Uint8Array,
  name: string | undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  const pass = passwordBytes(password);
  const block = findKeyBlock(text, name);
  if (block.label !== COSIGN_PRIVATE_KEY_LABEL && block.label !== COSIGN_LEGACY_PRIVATE_KEY_LABEL) {
    throw unsupportedKey(
      name,
      `expected an ${COSIGN_PRIVATE_KEY_LABEL} block, found ${block.label}`,
    );
  }
  let doc: unknown;
  try {
    doc = parseJson(block.bytes, { name, maxBytes: 1 << 20 });
  } catch (error) {
    if (error instanceof ParseError) throw invalidKey(name, "the cosign key body is not JSON");
    throw error;
  }
  const obj = (v: unknown): Record<string, unknown> | undefined => isObject(v) ? v : undefined;
  const root = obj(doc);
  const kdf = obj(root?.["kdf"]);
  const params = obj(kdf?.["params"]);
  const cipher = obj(root?.["cipher"]);
  if (root === undefined || kdf === undefined || params === undefined || cipher === undefined) {
    throw invalidKey(name, "the cosign key must have kdf, kdf.params and cipher objects");
  }
  if (kdf["name"] !== "scrypt") {
    throw unsupportedKey(name, `KDF "${String(kdf["name"])}" is not supported`);
  }
  if (cipher["name"] !== "nacl/secretbox") {
    throw unsupportedKey(name, `cipher "${String(cipher["name"])}" is not supported`);
  }
  const bytes = (field: string, value: unknown, length?: number): Uint8Array => {
    if (typeof value !== "string") {
      throw invalidKey(name, `cosign key field ${field} must be base64`);
    }
    let decoded: Uint8Array;
    try {
      decoded = decodeBase64(value);
    } catch {
      throw invalidKey(name, `cosign key field ${field} is not base64`);
    }
    if (length !== undefined && decoded.length !== length) {
      throw invalidKey(name, `cosign key field ${field} must be ${length} bytes`);
    }
    return decoded;
  };
  const scryptParams = checkScryptParams(params["N"], params["r"], params["p"], name);
  const salt = bytes("kdf.salt", kdf["salt"]);
  const nonce = bytes("cipher.nonce", cipher["nonce"], 24);
  const ciphertext = bytes("ciphertext", root["ciphertext"]);
  const key = await deriveKey(pass, salt, scryptParams);
  const plaintext = secretboxOpen(ciphertext, nonce, key);
  key.fill(0);
  if (plaintext === undefined) {
    throw new ParseError(
      "KEY_DECRYPTION_FAILED",
      `Cannot decrypt key${label(name)}: wrong password or corrupted key file`,
    );
  }
  return plaintext;
}
