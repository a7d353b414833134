/**
 * Password-encrypted PKCS#8 private keys (`ENCRYPTED PRIVATE KEY`), as OpenSSL 3 writes them
 * (`openssl genpkey -aes-256-cbc`, `openssl pkcs8 -topk8 -v2 aes-256-cbc [-scrypt]`):
 *
 * - EncryptedPrivateKeyInfo (RFC 5208 §6, RFC 5958 §3) with PBES2 (RFC 8018 §6.2, §A.4);
 * - key derivation PBKDF2 (RFC 8018 §5.2, §A.2) with HMAC-SHA-1 (the default PRF), SHA-256,
 *   SHA-384 or SHA-512, or scrypt (RFC 7914 §7);
 * - encryption AES-128/192/256-CBC with PKCS#7 padding (RFC 8018 §B.2.5, IV = the parameter) or
 *   AES-128/192/256-GCM (RFC 5084 §3.2: `GCMParameters { aes-nonce, aes-ICVlen DEFAULT 12 }`, the
 *   tag appended to the ciphertext).
 *
 * Writing uses PBES2 with PBKDF2-HMAC-SHA256 (600 000 iterations unless told otherwise, 16-byte
 * salt) and AES-256-CBC, the structure OpenSSL 3 writes by default, so `openssl pkey -passin`
 * reads the result. Reading bounds the work a hostile file can ask for (PBKDF2 at most 10 000 000
 * iterations; scrypt N ≤ 2^20, r ≤ 32, p ≤ 16, 256 MiB). A wrong password fails AES-CBC padding,
 * the GCM tag, or the PKCS#8 structure of the plaintext, and throws `KEY_DECRYPTION_FAILED`;
 * messages never contain the password or key material. The password is always passed in by the
 * caller; this module never reads the environment or a terminal.
 *
 * @module
 */

import { scrypt } from "node:crypto";
import { encodeUtf8 } from "../encoding/bytes.ts";
import {
  DER_TAGS,
  DerReader,
  encodeDerInteger,
  encodeDerNull,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
} from "../encoding/der.ts";
import { ParseError } from "../encoding/errors.ts";
import { encodePem } from "../encoding/pem.ts";
import { invalidKey, keyLabel, parsePkcs8, unsupportedKey, withDer } from "./_material.ts";
import { makePrivateKey, pkcs8Of } from "./_store.ts";
import { findKeyBlock } from "./key_pem.ts";
import type { ImportKeyOptions, PrivateKey } from "./key.ts";

/** PEM label of an encrypted PKCS#8 private key (RFC 7468 §11). */
export const ENCRYPTED_PRIVATE_KEY_LABEL = "ENCRYPTED PRIVATE KEY";

/** Ciphers {@link encryptPkcs8} writes (all are read). */
export const PKCS8_CIPHERS = ["aes-256-cbc", "aes-128-cbc", "aes-256-gcm"] as const;

/** One of {@link PKCS8_CIPHERS}. */
export type Pkcs8Cipher = typeof PKCS8_CIPHERS[number];

const PBES2 = "1.2.840.113549.1.5.13";
const PBKDF2 = "1.2.840.113549.1.5.12";
const SCRYPT = "1.3.6.1.4.1.11591.4.11";
const HMAC_SHA1 = "1.2.840.113549.2.7";
const PRFS: Readonly<Record<string, "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512">> = {
  [HMAC_SHA1]: "SHA-1",
  "1.2.840.113549.2.9": "SHA-256",
  "1.2.840.113549.2.10": "SHA-384",
  "1.2.840.113549.2.11": "SHA-512",
};
const CIPHERS: Readonly<Record<string, { mode: "AES-CBC" | "AES-GCM"; bytes: number }>> = {
  "2.16.840.1.101.3.4.1.2": { mode: "AES-CBC", bytes: 16 },
  "2.16.840.1.101.3.4.1.22": { mode: "AES-CBC", bytes: 24 },
  "2.16.840.1.101.3.4.1.42": { mode: "AES-CBC", bytes: 32 },
  "2.16.840.1.101.3.4.1.6": { mode: "AES-GCM", bytes: 16 },
  "2.16.840.1.101.3.4.1.26": { mode: "AES-GCM", bytes: 24 },
  "2.16.840.1.101.3.4.1.46": { mode: "AES-GCM", bytes: 32 },
};
const CIPHER_OIDS: Readonly<Record<Pkcs8Cipher, string>> = {
  "aes-256-cbc": "2.16.840.1.101.3.4.1.42",
  "aes-128-cbc": "2.16.840.1.101.3.4.1.2",
  "aes-256-gcm": "2.16.840.1.101.3.4.1.46",
};

const MAX_PBKDF2_ITERATIONS = 10_000_000;
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
/** Iterations {@link encryptPkcs8} uses by default (OWASP's 2023 figure for PBKDF2-SHA256). */
const DEFAULT_ITERATIONS = 600_000;

type Kdf =
  | { kind: "pbkdf2"; salt: Uint8Array; iterations: number; keyLength?: number; hash: string }
  | { kind: "scrypt"; salt: Uint8Array; N: number; r: number; p: number; keyLength?: number };

interface Scheme {
  kdf: Kdf;
  cipher: { mode: "AES-CBC" | "AES-GCM"; bytes: number; iv: Uint8Array; tagLength: number };
  data: Uint8Array;
}

function passwordBytes(password: string | Uint8Array): Uint8Array {
  if (typeof password === "string") return encodeUtf8(password);
  if (password instanceof Uint8Array) return password;
  throw new TypeError("Pass the password as a string or Uint8Array");
}

/**
 * Tells whether DER bytes are an EncryptedPrivateKeyInfo with PBES2 (so that a caller detecting a
 * key file's format can ask for a password before trying to read it).
 *
 * @param der Candidate DER bytes.
 * @returns `true` when the bytes start like a PBES2 EncryptedPrivateKeyInfo.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@stellaops/provenance";
 * import { encryptPkcs8Der, isEncryptedPkcs8 } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * assert.equal(isEncryptedPkcs8(await encryptPkcs8Der(key, "pw", { iterations: 1000 })), true);
 * assert.equal(isEncryptedPkcs8(new Uint8Array([0x30, 0x00])), false);
 * ```
 */
export function isEncryptedPkcs8(der: Uint8Array): boolean {
  try {
    const info = new DerReader(der).readSequence();
    const algorithm = info.readSequence();
    return algorithm.readOid() === PBES2;
  } catch {
    return false;
  }
}

function parseScheme(der: Uint8Array, name: string | undefined): Scheme {
  return withDer(name, "EncryptedPrivateKeyInfo", () => {
    const outer = new DerReader(der, { name });
    const info = outer.readSequence();
    outer.end();
    const algorithm = info.readSequence();
    const oid = algorithm.readOid();
    if (oid !== PBES2) {
      throw unsupportedKey(name, `encryption scheme ${oid} is not supported (use PBES2)`);
    }
    const params = algorithm.readSequence();
    algorithm.end();
    const kdfId = params.readSequence();
    const kdfOid = kdfId.readOid();
    let kdf: Kdf;
    if (kdfOid === PBKDF2) {
      const p = kdfId.readSequence();
      kdfId.end();
      if (p.peekTag() !== DER_TAGS.OCTET_STRING) {
        throw unsupportedKey(
          name,
          "PBKDF2 salt sources other than a byte string are not supported",
        );
      }
      const salt = p.readOctetString();
      const iterations = p.readSmallInteger();
      const keyLength = p.peekTag() === DER_TAGS.INTEGER ? p.readSmallInteger() : undefined;
      let hash = "SHA-1";
      if (!p.isEmpty()) {
        const prf = p.readSequence();
        const prfOid = prf.readOid();
        if (!prf.isEmpty()) prf.readNull();
        prf.end();
        const found = PRFS[prfOid];
        if (found === undefined) {
          throw unsupportedKey(name, `PBKDF2 pseudo-random function ${prfOid} is not supported`);
        }
        hash = found;
      }
      p.end();
      if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
        throw unsupportedKey(
          name,
          `PBKDF2 iteration count ${iterations} is out of range (1 to ${MAX_PBKDF2_ITERATIONS})`,
        );
      }
      kdf = { kind: "pbkdf2", salt, iterations, hash, ...(keyLength ? { keyLength } : {}) };
    } else if (kdfOid === SCRYPT) {
      const p = kdfId.readSequence();
      kdfId.end();
      const salt = p.readOctetString();
      const N = p.readSmallInteger();
      const r = p.readSmallInteger();
      const pp = p.readSmallInteger();
      const keyLength = p.isEmpty() ? undefined : p.readSmallInteger();
      p.end();
      if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || pp < 1) {
        throw invalidKey(name, "scrypt parameters must be positive with N a power of two");
      }
      if (N > 1 << 20 || r > 32 || pp > 16 || 128 * N * r > MAX_SCRYPT_MEMORY) {
        throw unsupportedKey(
          name,
          "scrypt parameters exceed the supported cost (N <= 2^20, r <= 32, p <= 16, 256 MiB)",
        );
      }
      kdf = { kind: "scrypt", salt, N, r, p: pp, ...(keyLength ? { keyLength } : {}) };
    } else {
      throw unsupportedKey(
        name,
        `key derivation ${kdfOid} is not supported (use PBKDF2 or scrypt)`,
      );
    }
    const cipherId = params.readSequence();
    params.end();
    const cipherOid = cipherId.readOid();
    const cipher = CIPHERS[cipherOid];
    if (cipher === undefined) {
      throw unsupportedKey(name, `cipher ${cipherOid} is not supported (use AES-CBC or AES-GCM)`);
    }
    let iv: Uint8Array;
    let tagLength = 0;
    if (cipher.mode === "AES-CBC") {
      iv = cipherId.readOctetString();
      if (iv.length !== 16) throw invalidKey(name, "the AES-CBC IV must be 16 bytes");
    } else {
      const gcm = cipherId.readSequence();
      iv = gcm.readOctetString();
      tagLength = gcm.isEmpty() ? 12 : gcm.readSmallInteger();
      gcm.end();
      if (iv.length < 12 || iv.length > 64) throw invalidKey(name, "the AES-GCM nonce is invalid");
      if (![12, 13, 14, 15, 16].includes(tagLength)) {
        throw invalidKey(name, "the AES-GCM tag length must be 12 to 16 bytes");
      }
    }
    cipherId.end();
    if (kdf.keyLength !== undefined && kdf.keyLength !== cipher.bytes) {
      throw invalidKey(name, "the derived key length does not match the cipher");
    }
    const data = info.readOctetString();
    info.end();
    return { kdf, cipher: { ...cipher, iv, tagLength }, data };
  });
}

function runScrypt(
  password: Uint8Array,
  salt: Uint8Array,
  kdf: { N: number; r: number; p: number },
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      length,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: MAX_SCRYPT_MEMORY + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))),
    );
  });
}

async function deriveAesKey(
  password: Uint8Array,
  kdf: Kdf,
  mode: "AES-CBC" | "AES-GCM",
  length: number,
  usage: "encrypt" | "decrypt",
): Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer>;
  if (kdf.kind === "pbkdf2") {
    const base = await crypto.subtle.importKey("raw", new Uint8Array(password), "PBKDF2", false, [
      "deriveBits",
    ]);
    raw = new Uint8Array(
      await crypto.subtle.deriveBits(
        {
          name: "PBKDF2",
          salt: new Uint8Array(kdf.salt),
          iterations: kdf.iterations,
          hash: kdf.hash,
        },
        base,
        length * 8,
      ),
    );
  } else {
    raw = await runScrypt(password, kdf.salt, kdf, length);
  }
  try {
    return await crypto.subtle.importKey("raw", raw, mode, false, [usage]);
  } finally {
    raw.fill(0);
  }
}

/**
 * Decrypts an encrypted PKCS#8 private key (PEM `ENCRYPTED PRIVATE KEY` or its DER).
 *
 * @param input PEM text or DER bytes of an EncryptedPrivateKeyInfo.
 * @param password The password (a string is UTF-8 encoded, as OpenSSL does).
 * @param options Input name and default algorithm.
 * @returns The private key.
 * @throws {ParseError} `KEY_DECRYPTION_FAILED` for a wrong password or a tampered file;
 *   `KEY_INVALID` for a malformed structure; `KEY_UNSUPPORTED` for another scheme, KDF, PRF or
 *   cipher, an excessive cost, or an unsupported key inside; `PEM_*` for malformed armor.
 * @throws {TypeError} When the password is not a string or bytes.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@stellaops/provenance";
 * import { decryptPkcs8, encryptPkcs8 } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ecdsa-p256");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const pem = await encryptPkcs8(key, "hello", { iterations: 1000 });
 * assert.equal((await decryptPkcs8(pem, "hello")).keyid, key.keyid);
 * await assert.rejects(decryptPkcs8(pem, "wrong"), { code: "KEY_DECRYPTION_FAILED" });
 * ```
 */
export async function decryptPkcs8(
  input: string | Uint8Array,
  password: string | Uint8Array,
  options: ImportKeyOptions = {},
): Promise<PrivateKey> {
  const { name } = options;
  const pass = passwordBytes(password);
  let der: Uint8Array;
  if (typeof input === "string") {
    const block = findKeyBlock(input, name);
    if (block.label !== ENCRYPTED_PRIVATE_KEY_LABEL) {
      throw unsupportedKey(
        name,
        `expected an ${ENCRYPTED_PRIVATE_KEY_LABEL} block, found ${block.label}`,
      );
    }
    der = block.bytes;
  } else if (input instanceof Uint8Array) {
    der = input;
  } else {
    throw new TypeError("Pass the key as a string or Uint8Array");
  }
  const scheme = parseScheme(der, name);
  const failed = () =>
    new ParseError(
      "KEY_DECRYPTION_FAILED",
      `Cannot decrypt key${keyLabel(name)}: wrong password or corrupted key file`,
    );
  const key = await deriveAesKey(
    pass,
    scheme.kdf,
    scheme.cipher.mode,
    scheme.cipher.bytes,
    "decrypt",
  );
  let plaintext: Uint8Array<ArrayBuffer>;
  try {
    plaintext = new Uint8Array(
      await crypto.subtle.decrypt(
        scheme.cipher.mode === "AES-CBC"
          ? { name: "AES-CBC", iv: new Uint8Array(scheme.cipher.iv) }
          : {
            name: "AES-GCM",
            iv: new Uint8Array(scheme.cipher.iv),
            tagLength: scheme.cipher.tagLength * 8,
          },
        key,
        new Uint8Array(scheme.data),
      ),
    );
  } catch {
    throw failed();
  }
  try {
    return makePrivateKey(parsePkcs8(plaintext, name), options.algorithm);
  } catch (error) {
    // AES-CBC padding passes by chance for about 1 wrong password in 256: the plaintext is then
    // noise, not PKCS#8. A well-formed PKCS#8 of an unsupported key keeps its own error.
    if (error instanceof ParseError && error.code === "KEY_INVALID") throw failed();
    throw error;
  } finally {
    plaintext.fill(0);
  }
}

/** Options of {@link encryptPkcs8} and {@link encryptPkcs8Der}. */
export interface EncryptPkcs8Options {
  /** Cipher; default `aes-256-cbc` (what OpenSSL 3 writes). `aes-256-gcm` is not read by OpenSSL 3.0. */
  cipher?: Pkcs8Cipher | undefined;
  /** PBKDF2-HMAC-SHA256 iteration count, 1000 to 10 000 000; default 600 000. */
  iterations?: number | undefined;
  /** Salt (at least 8 bytes); default 16 random bytes. Pass one only for reproducible fixtures. */
  salt?: Uint8Array | undefined;
  /** IV (16 bytes for CBC) or nonce (12 bytes for GCM); default random. Never reuse one. */
  iv?: Uint8Array | undefined;
}

/**
 * Encrypts a private key as DER EncryptedPrivateKeyInfo (PBES2, PBKDF2-HMAC-SHA256, AES).
 *
 * @param key The private key (stored as PKCS#8).
 * @param password The password (a string is UTF-8 encoded).
 * @param options Cipher, iteration count, and a fixed salt and IV for reproducible fixtures.
 * @returns The DER bytes.
 * @throws {TypeError} When `key` is not a private key made by this toolkit.
 * @throws {RangeError} When the iteration count, salt or IV is out of range.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@stellaops/provenance";
 * import { decryptPkcs8, encryptPkcs8Der } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const der = await encryptPkcs8Der(key, "pw", { iterations: 1000, cipher: "aes-256-gcm" });
 * assert.equal((await decryptPkcs8(der, "pw")).keyid, key.keyid);
 * ```
 */
export async function encryptPkcs8Der(
  key: PrivateKey,
  password: string | Uint8Array,
  options: EncryptPkcs8Options = {},
): Promise<Uint8Array<ArrayBuffer>> {
  if (key?.kind !== "private") throw new TypeError("Pass a private key to encryptPkcs8");
  const pass = passwordBytes(password);
  const cipherName = options.cipher ?? "aes-256-cbc";
  const cipherOid = CIPHER_OIDS[cipherName];
  if (cipherOid === undefined) {
    throw new RangeError(
      `Cannot use cipher "${String(cipherName)}": use ${PKCS8_CIPHERS.join(", ")}`,
    );
  }
  const cipher = CIPHERS[cipherOid]!;
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (
    !Number.isSafeInteger(iterations) || iterations < 1000 || iterations > MAX_PBKDF2_ITERATIONS
  ) {
    throw new RangeError(
      `Cannot use ${iterations} PBKDF2 iterations: use 1000 to ${MAX_PBKDF2_ITERATIONS}`,
    );
  }
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(16));
  if (salt.length < 8) throw new RangeError("Cannot use a salt shorter than 8 bytes");
  const ivLength = cipher.mode === "AES-CBC" ? 16 : 12;
  const iv = options.iv ?? crypto.getRandomValues(new Uint8Array(ivLength));
  if (iv.length !== ivLength) {
    throw new RangeError(`Cannot use an IV that is not ${ivLength} bytes`);
  }
  const kdf: Kdf = { kind: "pbkdf2", salt, iterations, hash: "SHA-256" };
  const aes = await deriveAesKey(pass, kdf, cipher.mode, cipher.bytes, "encrypt");
  const pkcs8 = pkcs8Of(key);
  let data: Uint8Array<ArrayBuffer>;
  try {
    data = new Uint8Array(
      await crypto.subtle.encrypt(
        cipher.mode === "AES-CBC"
          ? { name: "AES-CBC", iv: new Uint8Array(iv) }
          : { name: "AES-GCM", iv: new Uint8Array(iv), tagLength: 128 },
        aes,
        pkcs8,
      ),
    );
  } finally {
    pkcs8.fill(0);
  }
  const cipherParams = cipher.mode === "AES-CBC"
    ? encodeDerOctetString(iv)
    : encodeDerSequence([encodeDerOctetString(iv), encodeDerInteger(16)]);
  return encodeDerSequence([
    encodeDerSequence([
      encodeDerOid(PBES2),
      encodeDerSequence([
        encodeDerSequence([
          encodeDerOid(PBKDF2),
          encodeDerSequence([
            encodeDerOctetString(salt),
            encodeDerInteger(iterations),
            encodeDerSequence([encodeDerOid("1.2.840.113549.2.9"), encodeDerNull()]),
          ]),
        ]),
        encodeDerSequence([encodeDerOid(cipherOid), cipherParams]),
      ]),
    ]),
    encodeDerOctetString(data),
  ]);
}

/**
 * Encrypts a private key as an `ENCRYPTED PRIVATE KEY` PEM block (PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC by default), readable by `openssl pkey -passin`.
 *
 * @param key The private key.
 * @param password The password (a string is UTF-8 encoded).
 * @param options Cipher, iteration count, and a fixed salt and IV for reproducible fixtures.
 * @returns The PEM text.
 * @throws {TypeError} When `key` is not a private key made by this toolkit.
 * @throws {RangeError} When the iteration count, salt or IV is out of range.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@stellaops/provenance";
 * import { encryptPkcs8 } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * if (key.kind !== "private") throw new Error("unreachable");
 * const pem = await encryptPkcs8(key, "pw", { iterations: 1000 });
 * assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
 * ```
 */
export async function encryptPkcs8(
  key: PrivateKey,
  password: string | Uint8Array,
  options: EncryptPkcs8Options = {},
): Promise<string> {
  return encodePem(ENCRYPTED_PRIVATE_KEY_LABEL, await encryptPkcs8Der(key, password, options));
}
