/**
 * Regenerates the verification fixtures under `fixtures/negative/` byte-identically: DSSE
 * envelopes that must NOT verify (each with its exact failure code) and a few that must, the
 * trust policies some cases need, the public halves of the test-only keys, and `cases.json`,
 * which `tests/verify/negative_fixtures_test.ts` walks through the library and the CLI.
 *
 * Run: `deno run --cached-only --allow-read=. --allow-write=fixtures scripts/make_negative_fixtures.ts`
 *
 * Inputs are fixed: the test-only private keys in `fixtures/negative/keys/` (made once with
 * `openssl genpkey`), fixed statements and fixed times. Every signature is deterministic:
 * Ed25519 by construction, ECDSA with RFC 6979 nonces, RSA PKCS#1 v1.5 by construction, and
 * RSA-PSS with a fixed salt (EMSA-PSS, RFC 8017 §9.1.1, computed here because platform signers
 * draw a random salt). There is no clock. RFC 3161 tokens come from the deterministic test-only
 * TSA of `_fixture_tsa.ts` (Ed25519), whose root is `tsa/root.pem`.
 *
 * The huge-input case (an envelope over the 32 MiB limit) is not committed: the test builds it.
 *
 * @module
 */

import { createPrivateKey } from "node:crypto";
import { canonicalBytes } from "../lib/encoding/canonical_json.ts";
import {
  concatBytes,
  decodeBase64Url,
  encodeBase64,
  encodeHex,
  encodeUtf8,
} from "../lib/encoding/bytes.ts";
import { sha256 } from "../lib/digest/digest.ts";
import { sha512 } from "@noble/hashes/sha2.js";
import { exportPublicKeyPem, importKeyPem } from "../lib/keys/key_pem.ts";
import type { PrivateKey } from "../lib/keys/key.ts";
import { createSigner, type EcdsaSignatureFormat } from "../lib/crypto/local_signer.ts";
import {
  createEnvelope,
  INTOTO_PAYLOAD_TYPE,
  preAuthEncoding,
  serializeEnvelope,
} from "../lib/model/dsse.ts";
import { fixtureTsa } from "./_fixture_tsa.ts";

/** One generated file: its path relative to the repository root and its exact content. */
export interface NegativeFixture {
  /** Path relative to the repository root, e.g. `fixtures/negative/tampered-payload.dsse.json`. */
  path: string;
  /** The file's exact bytes. */
  bytes: Uint8Array;
}

/** One row of `cases.json`: which file, which `stella forensic verify` flags, what must happen. */
export interface NegativeCase {
  /** Envelope file, relative to `fixtures/negative/`. */
  file: string;
  /** Flags; paths are relative to `fixtures/negative/`, times RFC 3339, skew a CLI duration. */
  args: {
    trust?: string;
    key?: string[];
    signedAt?: string;
    notAfter?: string;
    skew?: string;
    now: string;
    /** RFC 3161 tokens (`--timestamp`), relative to `fixtures/negative/`. */
    timestamp?: string[];
    /** TSA roots (`--tsa-roots`), relative to `fixtures/negative/`. */
    tsaRoots?: string;
    /** `--artifact-digest` values (repeatable). */
    artifactDigest?: string[];
    /** `--image NAME@sha256:HEX`. */
    image?: string;
    /** `--subject-name`. */
    subjectName?: string;
    /** `--predicate-type` values (repeatable). */
    predicateType?: string[];
  };
  /** Expected verdict and, for negatives, the exact failure code (`null` when verified). */
  expect: { verified: boolean; code: string | null };
  /** What the case proves. */
  why: string;
}

const DIR = "fixtures/negative";
const KEY_DIR = new URL("../fixtures/negative/keys/", import.meta.url);

/** Evaluation time of every case unless it says otherwise. */
const NOW = "2026-03-01T12:00:00Z";

const KEY_NAMES = [
  "ed25519-a",
  "ed25519-b",
  "ed25519-untrusted",
  "ecdsa-p256",
  "ecdsa-p384",
  "rsa-2048",
] as const;
type KeyName = typeof KEY_NAMES[number];

/** Path (relative to `fixtures/negative/`) of a key's public PEM. */
function pub(name: KeyName): string {
  return `keys/test-only-${name}.pub.pem`;
}

const SUBJECT_DIGEST = encodeHex(
  sha256(encodeUtf8("registry.stella-ops.local/payments-api:2.3.0")),
);

/** The promotion statement every signed case starts from. */
function promotionStatement(to = "prod"): Record<string, unknown> {
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [{
      name: "registry.stella-ops.local/payments-api",
      digest: { sha256: SUBJECT_DIGEST },
    }],
    predicateType: "stella.ops/promotion@v1",
    predicate: {
      image: { name: "registry.stella-ops.local/payments-api", digest: `sha256:${SUBJECT_DIGEST}` },
      promotion: {
        from: "staging",
        to,
        at: "2026-02-20T00:00:00Z",
        actor: "release-bot@stella-ops.local",
      },
    },
  };
}

/** RSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) with a fixed salt: RFC 8017 §8.1.1 + §9.1.1. */
function rsaPssSign(pem: string, message: Uint8Array): Uint8Array {
  const jwk = createPrivateKey(pem).export({ format: "jwk" });
  const n = toBigint(decodeBase64Url(jwk.n!));
  const d = toBigint(decodeBase64Url(jwk.d!));
  const k = Math.ceil(n.toString(2).length / 8);
  const emBits = n.toString(2).length - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = 32;
  const salt = sha256(encodeUtf8("stellaops negative fixtures: fixed RSA-PSS salt"));
  const mHash = sha256(message);
  const h = sha256(concatBytes(new Uint8Array(8), mHash, salt));
  const db = new Uint8Array(emLen - hLen - 1);
  db[emLen - salt.length - hLen - 2] = 0x01;
  db.set(salt, emLen - salt.length - hLen - 1);
  const mask = mgf1(h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const em = concatBytes(db, h, new Uint8Array([0xbc]));
  return fromBigint(modPow(toBigint(em), d, n), k);
}

function mgf1(seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let counter = 0, offset = 0; offset < length; counter++, offset += 32) {
    const c = new Uint8Array([
      counter >>> 24,
      (counter >>> 16) & 0xff,
      (counter >>> 8) & 0xff,
      counter & 0xff,
    ]);
    out.set(sha256(concatBytes(seed, c)).subarray(0, Math.min(32, length - offset)), offset);
  }
  return out;
}

function toBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${encodeHex(bytes)}`);
}

function fromBigint(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, "0");
  return Uint8Array.fromHex(hex);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

interface LoadedKey {
  pem: string;
  key: PrivateKey;
}

async function loadKeys(): Promise<Record<KeyName, LoadedKey>> {
  const out = {} as Record<KeyName, LoadedKey>;
  for (const name of KEY_NAMES) {
    const pem = await Deno.readTextFile(new URL(`test-only-${name}.pem`, KEY_DIR));
    const key = importKeyPem(pem, { name: `test-only-${name}.pem` });
    if (key.kind !== "private") {
      throw new TypeError(`Expected a private key in test-only-${name}.pem`);
    }
    out[name] = { pem, key };
  }
  return out;
}

/**
 * Builds every file of `fixtures/negative/` (except the private keys, which are inputs).
 *
 * @returns The files, paths relative to the repository root, in a fixed order.
 */
export async function makeNegativeFixtures(): Promise<NegativeFixture[]> {
  const keys = await loadKeys();
  const files: NegativeFixture[] = [];
  const cases: NegativeCase[] = [];
  const write = (path: string, content: string | Uint8Array) =>
    files.push({
      path: `${DIR}/${path}`,
      bytes: typeof content === "string" ? encodeUtf8(content) : content,
    });
  const writeEnvelope = (file: string, envelope: Parameters<typeof serializeEnvelope>[0]) =>
    write(file, serializeEnvelope(envelope) + "\n");
  const writeJson = (file: string, value: unknown) =>
    write(file, JSON.stringify(value, null, 2) + "\n");
  const add = (c: NegativeCase) => cases.push(c);

  for (const name of KEY_NAMES) write(pub(name), exportPublicKeyPem(keys[name].key));

  async function sign(
    name: KeyName,
    payloadType: string,
    payload: Uint8Array,
    options: { algorithm?: "rsa-pss-sha256" | "rsa-pkcs1-sha256"; format?: EcdsaSignatureFormat } =
      {},
  ): Promise<Uint8Array> {
    const { key, pem } = keys[name];
    const pae = preAuthEncoding(payloadType, payload);
    if (options.algorithm === "rsa-pss-sha256") return rsaPssSign(pem, pae);
    return await createSigner(key, {
      algorithm: options.algorithm,
      ecdsaSignatureFormat: options.format,
    }).sign(pae);
  }
  const keyid = (name: KeyName) => keys[name].key.keyid;
  const envelopeOf = (
    payloadType: string,
    payload: Uint8Array,
    signatures: { keyid?: string; sig: Uint8Array }[],
  ) => createEnvelope(payloadType, payload, signatures);

  // ---- Trust policies -------------------------------------------------------------------------
  const entry = (name: KeyName, extra: Record<string, unknown> = {}) => ({
    publicKey: exportPublicKeyPem(keys[name].key),
    ...extra,
  });
  const trust: Record<string, unknown> = {
    "trust/ed25519-a.expired.json": {
      version: 1,
      keys: [entry("ed25519-a", { validUntil: "2026-02-01T00:00:00Z" })],
    },
    "trust/ed25519-a.not-yet-valid.json": {
      version: 1,
      keys: [entry("ed25519-a", { validFrom: "2026-04-01T00:00:00Z" })],
    },
    "trust/ed25519-a.revoked.json": {
      version: 1,
      keys: [entry("ed25519-a", { revokedAt: "2026-02-15T00:00:00Z" })],
    },
    "trust/ed25519-a.revoked-aliased.json": {
      version: 1,
      keys: [
        entry("ed25519-a", { keyid: "payments-signer-2025", revokedAt: "2026-02-15T00:00:00Z" }),
      ],
    },
    "trust/ed25519-a.revoked-twice-listed.json": {
      version: 1,
      keys: [
        entry("ed25519-a", { keyid: "payments-signer-2025", revokedAt: "2026-02-15T00:00:00Z" }),
        entry("ed25519-a", { keyid: keyid("ed25519-a"), name: "same key, listed again" }),
      ],
    },
    "trust/ed25519-a.window.json": {
      version: 1,
      keys: [
        entry("ed25519-a", {
          validFrom: "2026-02-01T00:00:00Z",
          validUntil: "2026-02-28T00:00:00Z",
        }),
      ],
    },
    "trust/threshold-2.json": {
      version: 1,
      keys: [entry("ed25519-a"), entry("ed25519-b")],
      threshold: 2,
    },
    "trust/allow-promotion.json": {
      version: 1,
      keys: [entry("ed25519-a")],
      allowedPredicateTypes: ["stella.ops/promotion@v1"],
    },
    "trust/claims-to-prod.json": {
      version: 1,
      keys: [entry("ed25519-a")],
      requiredClaims: [
        { pointer: "/predicate/promotion/to", equals: "prod" },
        { pointer: "/predicate/promotion/actor", pattern: "[a-z-]+@stella-ops\\.local" },
      ],
    },
    "trust/ecdsa-p256.der.json": { version: 1, keys: [entry("ecdsa-p256")] },
    "trust/ecdsa-p256.p1363.json": {
      version: 1,
      keys: [entry("ecdsa-p256", { signatureEncoding: "p1363" })],
    },
    "trust/rsa-2048.pss-only.json": {
      version: 1,
      keys: [entry("rsa-2048", { algorithm: "rsa-pss-sha256" })],
    },
  };
  for (const [path, value] of Object.entries(trust)) writeJson(path, value);

  // ---- Positive envelopes ---------------------------------------------------------------------
  const statement = canonicalBytes(promotionStatement());
  const T = INTOTO_PAYLOAD_TYPE;
  const sigA = await sign("ed25519-a", T, statement);
  const sigB = await sign("ed25519-b", T, statement);
  const valid = envelopeOf(T, statement, [{ keyid: keyid("ed25519-a"), sig: sigA }]);
  writeEnvelope("valid.ed25519.dsse.json", valid);
  add({
    file: "valid.ed25519.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: true, code: null },
    why: "Ed25519 signature over PAE by the trusted key verifies",
  });

  const signed = async (
    file: string,
    name: KeyName,
    options: { algorithm?: "rsa-pss-sha256" | "rsa-pkcs1-sha256"; format?: EcdsaSignatureFormat } =
      {},
  ) => {
    const sig = await sign(name, T, statement, options);
    writeEnvelope(file, envelopeOf(T, statement, [{ keyid: keyid(name), sig }]));
  };
  await signed("valid.ecdsa-p256-der.dsse.json", "ecdsa-p256");
  await signed("valid.ecdsa-p384-der.dsse.json", "ecdsa-p384");
  await signed("valid.ecdsa-p256-p1363.dsse.json", "ecdsa-p256", { format: "p1363" });
  await signed("valid.rsa-pss.dsse.json", "rsa-2048", { algorithm: "rsa-pss-sha256" });
  await signed("valid.rsa-pkcs1.dsse.json", "rsa-2048", { algorithm: "rsa-pkcs1-sha256" });
  add({
    file: "valid.ecdsa-p256-der.dsse.json",
    args: { key: [pub("ecdsa-p256")], now: NOW },
    expect: { verified: true, code: null },
    why: "ECDSA P-256 (RFC 6979) ASN.1 DER signature verifies",
  });
  add({
    file: "valid.ecdsa-p256-der.dsse.json",
    args: { trust: "trust/ecdsa-p256.der.json", now: NOW },
    expect: { verified: true, code: null },
    why: "a trust-policy ECDSA entry accepts DER by default",
  });
  add({
    file: "valid.ecdsa-p384-der.dsse.json",
    args: { key: [pub("ecdsa-p384")], now: NOW },
    expect: { verified: true, code: null },
    why: "ECDSA P-384 / SHA-384 DER signature verifies",
  });
  add({
    file: "valid.ecdsa-p256-p1363.dsse.json",
    args: { trust: "trust/ecdsa-p256.p1363.json", now: NOW },
    expect: { verified: true, code: null },
    why: "an IEEE P1363 (r||s) signature verifies when the key entry says signatureEncoding p1363",
  });
  add({
    file: "valid.ecdsa-p256-p1363.dsse.json",
    args: { key: [pub("ecdsa-p256")], now: NOW },
    expect: { verified: true, code: null },
    why: "--key accepts DER and P1363 ECDSA signatures (docs/architecture.md)",
  });
  add({
    file: "valid.ecdsa-p256-p1363.dsse.json",
    args: { trust: "trust/ecdsa-p256.der.json", now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "a P1363 signature does not count for a key entry that accepts DER only (the default)",
  });
  add({
    file: "valid.rsa-pss.dsse.json",
    args: { key: [pub("rsa-2048")], now: NOW },
    expect: { verified: true, code: null },
    why: "RSA-PSS (SHA-256, MGF1, salt 32) signature verifies",
  });
  add({
    file: "valid.rsa-pkcs1.dsse.json",
    args: { key: [pub("rsa-2048")], now: NOW },
    expect: { verified: true, code: null },
    why: "RSA PKCS#1 v1.5 (SHA-256) signature verifies when no scheme is pinned",
  });
  add({
    file: "valid.rsa-pss.dsse.json",
    args: { trust: "trust/rsa-2048.pss-only.json", now: NOW },
    expect: { verified: true, code: null },
    why: "a PSS signature verifies under a PSS-pinned key entry",
  });
  add({
    file: "valid.rsa-pkcs1.dsse.json",
    args: { trust: "trust/rsa-2048.pss-only.json", now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "a PKCS#1 v1.5 signature does not count once the trust policy pins rsa-pss-sha256",
  });

  writeEnvelope(
    "valid.wrong-keyid-hint.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-untrusted"), sig: sigA }]),
  );
  add({
    file: "valid.wrong-keyid-hint.dsse.json",
    args: { key: [pub("ed25519-untrusted"), pub("ed25519-a")], now: NOW },
    expect: { verified: true, code: null },
    why: "the keyid is only a hint: a valid signature by a trusted key verifies under a wrong hint",
  });
  writeEnvelope("valid.no-keyid.dsse.json", envelopeOf(T, statement, [{ sig: sigA }]));
  add({
    file: "valid.no-keyid.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: true, code: null },
    why: "a signature without keyid is tried against every trusted key",
  });
  writeEnvelope(
    "valid.url-safe-base64.dsse.json",
    {
      payloadType: T,
      payload: encodeBase64(statement).replaceAll("+", "-").replaceAll("/", "_"),
      signatures: [{
        keyid: keyid("ed25519-a"),
        sig: encodeBase64(sigA).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""),
      }],
    },
  );
  add({
    file: "valid.url-safe-base64.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: true, code: null },
    why: "DSSE verifiers accept URL-safe base64 for payload and sig",
  });
  writeEnvelope(
    "valid.threshold-2-of-2.dsse.json",
    envelopeOf(T, statement, [
      { keyid: keyid("ed25519-a"), sig: sigA },
      { keyid: keyid("ed25519-b"), sig: sigB },
    ]),
  );
  add({
    file: "valid.threshold-2-of-2.dsse.json",
    args: { trust: "trust/threshold-2.json", now: NOW },
    expect: { verified: true, code: null },
    why: "two distinct trusted keys meet threshold 2",
  });
  const text = encodeUtf8("hello, offline world\n");
  writeEnvelope(
    "valid.text-payload.dsse.json",
    envelopeOf("text/plain", text, [{
      keyid: keyid("ed25519-a"),
      sig: await sign("ed25519-a", "text/plain", text),
    }]),
  );
  add({
    file: "valid.text-payload.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: true, code: null },
    why: "any payloadType verifies on its signatures when the policy does not constrain content",
  });
  const link = canonicalBytes({
    _type: "link",
    name: "package",
    materials: {},
    products: { "payments-api.tar": { sha256: SUBJECT_DIGEST } },
    byproducts: {},
    command: ["make", "package"],
    environment: {},
  });
  writeEnvelope(
    "valid.legacy-link.dsse.json",
    envelopeOf(T, link, [{ keyid: keyid("ed25519-a"), sig: await sign("ed25519-a", T, link) }]),
  );
  add({
    file: "valid.legacy-link.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: true, code: null },
    why: "a legacy in-toto link verifies and is summarised",
  });

  // ---- Tampering --------------------------------------------------------------------------------
  const tampered = canonicalBytes(promotionStatement("prod-eu"));
  writeEnvelope("tampered-payload.dsse.json", { ...valid, payload: encodeBase64(tampered) });
  add({
    file: "tampered-payload.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "the payload was changed after signing (promotion target prod -> prod-eu)",
  });
  writeEnvelope("changed-payload-type.dsse.json", { ...valid, payloadType: "application/json" });
  add({
    file: "changed-payload-type.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "the payloadType is covered by PAE: changing it breaks the signature",
  });
  const untrustedSig = await sign("ed25519-untrusted", T, statement);
  writeEnvelope(
    "untrusted-key.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-untrusted"), sig: untrustedSig }]),
  );
  add({
    file: "untrusted-key.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "KEY_UNTRUSTED" },
    why: "a valid signature by a key the verifier does not trust (its keyid names no trusted key)",
  });
  writeEnvelope(
    "untrusted-key.no-keyid.dsse.json",
    envelopeOf(T, statement, [{ sig: untrustedSig }]),
  );
  add({
    file: "untrusted-key.no-keyid.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "without a keyid hint an untrusted signature is simply one that no trusted key verifies",
  });
  writeEnvelope(
    "untrusted-key.trusted-keyid.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-a"), sig: untrustedSig }]),
  );
  add({
    file: "untrusted-key.trusted-keyid.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "claiming a trusted keyid does not make an untrusted signature count",
  });

  // ---- Broken signatures ------------------------------------------------------------------------
  writeEnvelope(
    "truncated-signature.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-a"), sig: sigA.subarray(0, 48) }]),
  );
  add({
    file: "truncated-signature.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "the Ed25519 signature was cut to 48 of 64 bytes",
  });
  const derSig = await sign("ecdsa-p256", T, statement);
  writeEnvelope(
    "truncated-signature.ecdsa-der.dsse.json",
    envelopeOf(T, statement, [{
      keyid: keyid("ecdsa-p256"),
      sig: derSig.subarray(0, derSig.length - 1),
    }]),
  );
  add({
    file: "truncated-signature.ecdsa-der.dsse.json",
    args: { key: [pub("ecdsa-p256")], now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "a DER ECDSA signature missing its last byte is not DER and does not verify",
  });
  write(
    "garbage-signature.not-base64.dsse.json",
    serializeEnvelope({
      ...valid,
      signatures: [{ keyid: keyid("ed25519-a"), sig: "%%not*base64%%" }],
    }) + "\n",
  );
  add({
    file: "garbage-signature.not-base64.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "ENVELOPE_MALFORMED" },
    why: "a sig that is not base64 makes the envelope malformed",
  });
  writeEnvelope(
    "garbage-signature.random-bytes.dsse.json",
    envelopeOf(T, statement, [{
      keyid: keyid("ed25519-a"),
      sig: sha512(encodeUtf8("stellaops negative fixtures: random-looking signature")),
    }]),
  );
  add({
    file: "garbage-signature.random-bytes.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "64 random-looking bytes (SHA-512 of a label) are no Ed25519 signature",
  });
  writeEnvelope(
    "garbage-signature.empty.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-a"), sig: new Uint8Array() }]),
  );
  add({
    file: "garbage-signature.empty.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "an empty sig is valid base64 of zero bytes and verifies with no key",
  });
  write("empty-signatures.dsse.json", serializeEnvelope({ ...valid, signatures: [] }) + "\n");
  add({
    file: "empty-signatures.dsse.json",
    args: { key: [pub("ed25519-a")], now: NOW },
    expect: { verified: false, code: "ENVELOPE_MALFORMED" },
    why: "an envelope with an empty signatures array can never verify",
  });

  // ---- Key validity windows (trust policy), checked at the signing time -------------------------
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/ed25519-a.expired.json", signedAt: "2026-02-20T00:00:00Z", now: NOW },
    expect: { verified: false, code: "KEY_NOT_VALID_AT_TIME" },
    why: "the key's validUntil (2026-02-01) is before the signing time",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: {
      trust: "trust/ed25519-a.not-yet-valid.json",
      signedAt: "2026-02-20T00:00:00Z",
      now: NOW,
    },
    expect: { verified: false, code: "KEY_NOT_VALID_AT_TIME" },
    why: "the key's validFrom (2026-04-01) is after the signing time",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/ed25519-a.revoked.json", signedAt: "2026-02-20T00:00:00Z", now: NOW },
    expect: { verified: false, code: "KEY_REVOKED" },
    why: "the key was revoked (2026-02-15) before the signing time",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/ed25519-a.revoked.json", now: NOW },
    expect: { verified: false, code: "KEY_REVOKED" },
    why: "without --signed-at the signing time is --now, after the revocation",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/ed25519-a.revoked.json", signedAt: "2026-02-10T00:00:00Z", now: NOW },
    expect: { verified: true, code: null },
    why: "a signature made before the revocation still counts",
  });

  // ---- Threshold ---------------------------------------------------------------------------------
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/threshold-2.json", now: NOW },
    expect: { verified: false, code: "THRESHOLD_NOT_MET" },
    why: "threshold 2 with one trusted signature",
  });
  writeEnvelope(
    "threshold.same-key-twice.dsse.json",
    envelopeOf(T, statement, [
      { keyid: keyid("ed25519-a"), sig: sigA },
      { keyid: keyid("ed25519-b"), sig: sigA },
    ]),
  );
  add({
    file: "threshold.same-key-twice.dsse.json",
    args: { trust: "trust/threshold-2.json", now: NOW },
    expect: { verified: false, code: "THRESHOLD_NOT_MET" },
    why: "two signatures by the same key (the second under another key's keyid) count once",
  });
  writeEnvelope(
    "threshold.one-trusted-one-untrusted.dsse.json",
    envelopeOf(T, statement, [
      { keyid: keyid("ed25519-a"), sig: sigA },
      { keyid: keyid("ed25519-untrusted"), sig: untrustedSig },
    ]),
  );
  add({
    file: "threshold.one-trusted-one-untrusted.dsse.json",
    args: { trust: "trust/threshold-2.json", now: NOW },
    expect: { verified: false, code: "THRESHOLD_NOT_MET" },
    why: "an untrusted key's signature does not help meet the threshold",
  });

  // ---- Time window and skew edges ----------------------------------------------------------------
  const keyA = [pub("ed25519-a")];
  const edge = (
    args: Omit<NegativeCase["args"], "now"> & { now?: string },
    code: string | null,
    why: string,
  ) =>
    add({
      file: "valid.ed25519.dsse.json",
      args: { ...args, now: args.now ?? NOW },
      expect: { verified: code === null, code },
      why,
    });
  edge(
    { key: keyA, signedAt: "2026-02-21T00:00:00Z", notAfter: "2026-02-20T00:00:00Z" },
    "SIGNED_AFTER_NOT_AFTER",
    "signed a day after --not-after",
  );
  edge(
    { key: keyA, notAfter: "2026-02-20T00:00:00Z" },
    "SIGNED_AFTER_NOT_AFTER",
    "without --signed-at the signing time is --now, after --not-after",
  );
  edge(
    { key: keyA, signedAt: "2026-02-20T00:05:00Z", notAfter: "2026-02-20T00:00:00Z" },
    null,
    "skew edge: exactly --not-after + 5m (default skew) passes",
  );
  edge(
    { key: keyA, signedAt: "2026-02-20T00:05:01Z", notAfter: "2026-02-20T00:00:00Z" },
    "SIGNED_AFTER_NOT_AFTER",
    "skew edge: one second past --not-after + 5m fails",
  );
  edge(
    { key: keyA, signedAt: "2026-02-20T00:00:30Z", notAfter: "2026-02-20T00:00:00Z", skew: "30s" },
    null,
    "skew edge with --skew 30s: exactly at the bound passes",
  );
  edge(
    { key: keyA, signedAt: "2026-02-20T00:00:31Z", notAfter: "2026-02-20T00:00:00Z", skew: "30s" },
    "SIGNED_AFTER_NOT_AFTER",
    "skew edge with --skew 30s: one second past fails",
  );
  edge(
    { key: keyA, signedAt: "2026-02-20T00:00:00Z", notAfter: "2026-02-20T00:00:00Z", skew: "0" },
    null,
    "--skew 0: signed exactly at --not-after passes",
  );
  edge(
    { key: keyA, signedAt: "2026-02-20T00:00:01Z", notAfter: "2026-02-20T00:00:00Z", skew: "0" },
    "SIGNED_AFTER_NOT_AFTER",
    "--skew 0: one second after --not-after fails",
  );
  edge(
    { trust: "trust/ed25519-a.window.json", signedAt: "2026-02-28T00:05:00Z" },
    null,
    "key validity edge: exactly validUntil + 5m passes",
  );
  edge(
    { trust: "trust/ed25519-a.window.json", signedAt: "2026-02-28T00:05:01Z" },
    "KEY_NOT_VALID_AT_TIME",
    "key validity edge: one second past validUntil + 5m fails",
  );
  edge(
    { trust: "trust/ed25519-a.window.json", signedAt: "2026-01-31T23:55:00Z" },
    null,
    "key validity edge: exactly validFrom - 5m passes",
  );
  edge(
    { trust: "trust/ed25519-a.window.json", signedAt: "2026-01-31T23:54:59Z" },
    "KEY_NOT_VALID_AT_TIME",
    "key validity edge: one second before validFrom - 5m fails",
  );
  edge(
    { trust: "trust/ed25519-a.revoked.json", signedAt: "2026-02-14T23:54:59Z" },
    null,
    "revocation edge: one second before revokedAt - 5m still counts",
  );
  edge(
    { trust: "trust/ed25519-a.revoked.json", signedAt: "2026-02-14T23:55:00Z" },
    "KEY_REVOKED",
    "revocation edge: skew counts against the signer, so revokedAt - 5m is already revoked",
  );
  edge(
    { trust: "trust/ed25519-a.revoked.json", signedAt: "2026-02-15T00:04:59Z" },
    "KEY_REVOKED",
    "revocation edge: skew never widens a revocation in the signer's favour (was accepted before)",
  );
  edge(
    { key: keyA, signedAt: "2026-03-01T12:05:00Z" },
    null,
    "future edge: a claimed signing time exactly --now + 5m passes",
  );
  edge(
    { key: keyA, signedAt: "2026-03-01T12:05:01Z" },
    "SIGNED_IN_FUTURE",
    "future edge: a claimed signing time one second past --now + 5m fails",
  );

  // ---- Trusted time and revocation (issue 13, items 1 and 2) --------------------------------------
  const tsa = fixtureTsa();
  write("tsa/root.pem", tsa.rootPem);
  const R = sha512(encodeUtf8("stellaops negative fixtures: bytes stamped before the revocation"));
  writeEnvelope(
    "timestamp.over-unverified-signature.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-a"), sig: sigA }, { sig: R }]),
  );
  write("timestamps/random-bytes.2026-02-01.tsr", tsa.stamp(R, "2026-02-01T00:00:00Z"));
  write("timestamps/ed25519-a.2026-02-10.tsr", tsa.stamp(sigA, "2026-02-10T00:00:00Z"));
  write("timestamps/ed25519-a.2026-02-16.tsr", tsa.stamp(sigA, "2026-02-16T00:00:00Z"));
  const stamped = (timestamp: string) => ({
    trust: "trust/ed25519-a.revoked.json",
    timestamp: [`timestamps/${timestamp}.tsr`],
    tsaRoots: "tsa/root.pem",
    now: NOW,
  });
  add({
    file: "timestamp.over-unverified-signature.dsse.json",
    args: stamped("random-bytes.2026-02-01"),
    expect: { verified: false, code: "KEY_REVOKED" },
    why:
      "a key revoked on 02-15 signed; an appended 'signature' of random bytes stamped on 02-01 " +
      "does not verify, so its token is ignored and the real signature is judged at now",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: stamped("ed25519-a.2026-02-10"),
    expect: { verified: true, code: null },
    why: "a token over the trusted signature proves it existed on 02-10, before the revocation",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: stamped("ed25519-a.2026-02-16"),
    expect: { verified: false, code: "KEY_REVOKED" },
    why: "a token over the trusted signature from 02-16, after the revocation on 02-15",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/ed25519-a.revoked-aliased.json", key: keyA, now: NOW },
    expect: { verified: false, code: "KEY_REVOKED" },
    why: "revocation follows the key material: --key cannot un-revoke a key the policy revokes " +
      "under another keyid (the envelope's keyid hint names the --key entry)",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/ed25519-a.revoked-twice-listed.json", now: NOW },
    expect: { verified: false, code: "KEY_REVOKED" },
    why: "a second, unrevoked entry for the same public key does not lift the first's revocation",
  });

  // ---- Content policy ----------------------------------------------------------------------------
  const slsa = canonicalBytes({
    ...promotionStatement(),
    predicateType: "https://slsa.dev/provenance/v1",
  });
  writeEnvelope(
    "wrong-predicate-type.dsse.json",
    envelopeOf(T, slsa, [{ keyid: keyid("ed25519-a"), sig: await sign("ed25519-a", T, slsa) }]),
  );
  add({
    file: "wrong-predicate-type.dsse.json",
    args: { trust: "trust/allow-promotion.json", now: NOW },
    expect: { verified: false, code: "PREDICATE_TYPE_NOT_ALLOWED" },
    why: "the policy allows stella.ops/promotion@v1 only; this statement is SLSA provenance",
  });
  add({
    file: "wrong-predicate-type.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: true, code: null },
    why: "without a policy the predicate type does not decide",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/allow-promotion.json", now: NOW },
    expect: { verified: true, code: null },
    why: "an allowed predicate type passes the allow-list",
  });
  add({
    file: "valid.text-payload.dsse.json",
    args: { trust: "trust/allow-promotion.json", now: NOW },
    expect: { verified: false, code: "PAYLOAD_TYPE_UNSUPPORTED" },
    why: "a policy on content needs an in-toto payload, not text/plain",
  });
  add({
    file: "valid.legacy-link.dsse.json",
    args: { trust: "trust/allow-promotion.json", now: NOW },
    expect: { verified: false, code: "PREDICATE_TYPE_NOT_ALLOWED" },
    why: "a legacy link has no predicate type, so an allow-list rejects it",
  });
  const noTo = promotionStatement();
  delete ((noTo.predicate as Record<string, unknown>).promotion as Record<string, unknown>).to;
  const noToBytes = canonicalBytes(noTo);
  writeEnvelope(
    "claim-missing.dsse.json",
    envelopeOf(T, noToBytes, [{
      keyid: keyid("ed25519-a"),
      sig: await sign("ed25519-a", T, noToBytes),
    }]),
  );
  add({
    file: "claim-missing.dsse.json",
    args: { trust: "trust/claims-to-prod.json", now: NOW },
    expect: { verified: false, code: "CLAIM_MISSING" },
    why: "the required claim /predicate/promotion/to is absent",
  });
  const toDev = canonicalBytes(promotionStatement("dev"));
  writeEnvelope(
    "claim-mismatch.dsse.json",
    envelopeOf(T, toDev, [{ keyid: keyid("ed25519-a"), sig: await sign("ed25519-a", T, toDev) }]),
  );
  add({
    file: "claim-mismatch.dsse.json",
    args: { trust: "trust/claims-to-prod.json", now: NOW },
    expect: { verified: false, code: "CLAIM_MISMATCH" },
    why: "the required claim /predicate/promotion/to is dev, not prod",
  });
  add({
    file: "valid.ed25519.dsse.json",
    args: { trust: "trust/claims-to-prod.json", now: NOW },
    expect: { verified: true, code: null },
    why: "every required claim holds (equals and pattern)",
  });

  // ---- Malformed JSON and duplicate keys -----------------------------------------------------------
  const validText = serializeEnvelope(valid);
  write("malformed-json.dsse.json", validText.slice(0, Math.floor(validText.length / 2)) + "\n");
  add({
    file: "malformed-json.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "ENVELOPE_MALFORMED" },
    why: "the envelope JSON is cut in half",
  });
  write(
    "duplicate-keys.envelope.dsse.json",
    `{"payload":"${valid.payload}","payload":"${encodeBase64(tampered)}","payloadType":"${T}",` +
      `"signatures":[{"keyid":"${keyid("ed25519-a")}","sig":"${encodeBase64(sigA)}"}]}\n`,
  );
  add({
    file: "duplicate-keys.envelope.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "ENVELOPE_MALFORMED" },
    why: "two payload members: parsers that keep the first or the last disagree, so it is rejected",
  });
  const dupPayload = encodeUtf8(
    new TextDecoder().decode(statement).replace(
      '"predicateType":"stella.ops/promotion@v1"',
      '"predicateType":"stella.ops/promotion@v1","predicateType":"https://slsa.dev/provenance/v1"',
    ),
  );
  writeEnvelope(
    "duplicate-keys.payload.dsse.json",
    envelopeOf(T, dupPayload, [{
      keyid: keyid("ed25519-a"),
      sig: await sign("ed25519-a", T, dupPayload),
    }]),
  );
  add({
    file: "duplicate-keys.payload.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "STATEMENT_INVALID" },
    why: "a correctly signed statement with two predicateType members is ambiguous",
  });
  write("not-an-object.dsse.json", `[${validText}]\n`);
  add({
    file: "not-an-object.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "ENVELOPE_MALFORMED" },
    why: "the envelope is wrapped in an array",
  });
  write("payload-not-base64.dsse.json", validText.replace(valid.payload, "not base64!") + "\n");
  add({
    file: "payload-not-base64.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "ENVELOPE_MALFORMED" },
    why: "the payload field is not base64",
  });
  write(
    "missing-payload-type.dsse.json",
    JSON.stringify({ payload: valid.payload, signatures: valid.signatures }) + "\n",
  );
  add({
    file: "missing-payload-type.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "ENVELOPE_MALFORMED" },
    why: "payloadType is required",
  });
  write(
    "invalid-utf8.dsse.json",
    concatBytes(
      encodeUtf8(validText.slice(0, -1)),
      new Uint8Array([0x2c, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d, 0x0a]),
    ),
  );
  add({
    file: "invalid-utf8.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "ENVELOPE_MALFORMED" },
    why: "the envelope holds a member name that is not UTF-8",
  });

  // ---- PAE confusion -------------------------------------------------------------------------------
  // In naive concatenation type‖body, ("application/vnd.in-toto+json", S) and
  // ("application/vnd.in-toto", "+json" ‖ S) are the same bytes; PAE's lengths keep them apart.
  const splitType = "application/vnd.in-toto";
  const splitBody = concatBytes(encodeUtf8("+json"), statement);
  writeEnvelope(
    "pae-confusion.split-type-reuses-signature.dsse.json",
    envelopeOf(splitType, splitBody, [{ keyid: keyid("ed25519-a"), sig: sigA }]),
  );
  add({
    file: "pae-confusion.split-type-reuses-signature.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "a valid PAE signature moved to a type/body split that collides under naive concatenation",
  });
  const naive = concatBytes(encodeUtf8(T), statement);
  const naiveSig = await createSigner(keys["ed25519-a"].key).sign(naive);
  writeEnvelope(
    "pae-confusion.naive-concatenation.dsse.json",
    envelopeOf(splitType, splitBody, [{ keyid: keyid("ed25519-a"), sig: naiveSig }]),
  );
  add({
    file: "pae-confusion.naive-concatenation.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "a signature over naive type||body (equal for both splits) is not a signature over PAE",
  });
  const lengthless = encodeUtf8(`DSSEv1 ${T} `);
  const lengthlessSig = await createSigner(keys["ed25519-a"].key).sign(
    concatBytes(lengthless, statement),
  );
  writeEnvelope(
    "pae-confusion.no-lengths.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-a"), sig: lengthlessSig }]),
  );
  add({
    file: "pae-confusion.no-lengths.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: 'a signature over "DSSEv1 type body" without the length fields is rejected',
  });
  const rawSig = await createSigner(keys["ed25519-a"].key).sign(statement);
  writeEnvelope(
    "pae-confusion.raw-payload-signed.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-a"), sig: rawSig }]),
  );
  add({
    file: "pae-confusion.raw-payload-signed.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "a signature over the raw payload (not PAE) must not verify",
  });
  const b64Sig = await createSigner(keys["ed25519-a"].key).sign(
    preAuthEncoding(T, encodeUtf8(encodeBase64(statement))),
  );
  writeEnvelope(
    "pae-confusion.base64-payload-signed.dsse.json",
    envelopeOf(T, statement, [{ keyid: keyid("ed25519-a"), sig: b64Sig }]),
  );
  add({
    file: "pae-confusion.base64-payload-signed.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "SIGNATURE_INVALID" },
    why: "PAE must cover the decoded payload bytes, not their base64 text",
  });

  // ---- Invalid statements (correctly signed) -------------------------------------------------------
  const badDigest = promotionStatement();
  (badDigest.subject as { digest: Record<string, string> }[])[0]!.digest.sha256 = "xyz";
  const signStatement = async (file: string, value: unknown) => {
    const bytes = value instanceof Uint8Array ? value : canonicalBytes(value);
    writeEnvelope(
      file,
      envelopeOf(T, bytes, [{ keyid: keyid("ed25519-a"), sig: await sign("ed25519-a", T, bytes) }]),
    );
  };
  await signStatement("invalid-statement.subject-digest-not-hex.dsse.json", badDigest);
  add({
    file: "invalid-statement.subject-digest-not-hex.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "STATEMENT_INVALID" },
    why: "the subject's sha256 digest is not hex",
  });
  const shortDigest = promotionStatement();
  (shortDigest.subject as { digest: Record<string, string> }[])[0]!.digest.sha256 = SUBJECT_DIGEST
    .slice(0, 40);
  await signStatement("invalid-statement.subject-digest-wrong-length.dsse.json", shortDigest);
  add({
    file: "invalid-statement.subject-digest-wrong-length.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "STATEMENT_INVALID" },
    why: "the subject's sha256 digest has 20 bytes, not 32",
  });
  const noSubject = promotionStatement();
  noSubject.subject = [];
  await signStatement("invalid-statement.no-subject.dsse.json", noSubject);
  add({
    file: "invalid-statement.no-subject.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "STATEMENT_INVALID" },
    why: "a statement must name at least one subject",
  });
  await signStatement(
    "invalid-statement.not-json.dsse.json",
    encodeUtf8("predicateType: promotion\n"),
  );
  add({
    file: "invalid-statement.not-json.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "STATEMENT_INVALID" },
    why: "an in-toto payloadType whose payload is not JSON",
  });

  // ---- Bounded work and subject binding (issue 13, items 6 and 7) ------------------------------
  writeEnvelope(
    "too-many-signatures.dsse.json",
    envelopeOf(
      T,
      statement,
      Array.from({ length: 65 }, () => ({ keyid: keyid("ed25519-a"), sig: sigA })),
    ),
  );
  add({
    file: "too-many-signatures.dsse.json",
    args: { key: keyA, now: NOW },
    expect: { verified: false, code: "TOO_MANY_SIGNATURES" },
    why: "65 signatures (the limit is 64) are rejected before any is tried, even valid ones",
  });
  const image = "registry.stella-ops.local/payments-api";
  const otherDigest = encodeHex(sha256(encodeUtf8(`${image}:2.3.1`)));
  const subjectCases: [Partial<NegativeCase["args"]>, string | null, string][] = [
    [
      { artifactDigest: [`sha256:${SUBJECT_DIGEST}`] },
      null,
      "the statement's subject carries the artifact digest the operator holds",
    ],
    [
      { artifactDigest: [`sha256:${otherDigest}`] },
      "SUBJECT_MISMATCH",
      "a valid attestation of payments-api:2.3.0 presented for the 2.3.1 artifact",
    ],
    [
      { image: `${image}@sha256:${SUBJECT_DIGEST}` },
      null,
      "the subject is the image: same name, same sha256",
    ],
    [
      { image: `registry.stella-ops.local/billing-api@sha256:${SUBJECT_DIGEST}` },
      "SUBJECT_MISMATCH",
      "the digest matches but the subject is named for another image",
    ],
    [
      { subjectName: "registry.stella-ops.local/billing-api" },
      "SUBJECT_MISMATCH",
      "no subject has the name the operator expects",
    ],
    [
      { predicateType: ["stella.ops/promotion@v1"] },
      null,
      "the predicate type is on the operator's allow-list",
    ],
    [
      { predicateType: ["https://slsa.dev/provenance/v1"] },
      "PREDICATE_TYPE_NOT_ALLOWED",
      "a promotion presented where only SLSA provenance is accepted",
    ],
  ];
  for (const [args, code, why] of subjectCases) {
    add({
      file: "valid.ed25519.dsse.json",
      args: { key: keyA, now: NOW, ...args },
      expect: { verified: code === null, code },
      why,
    });
  }

  writeJson("cases.json", cases);
  return files;
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  for (const { path, bytes } of await makeNegativeFixtures()) {
    const url = new URL(path, root);
    await Deno.mkdir(new URL(".", url), { recursive: true });
    await Deno.writeFile(url, bytes);
  }
}
