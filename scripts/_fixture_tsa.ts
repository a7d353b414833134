/**
 * A deterministic, TEST-ONLY RFC 3161 time-stamping authority for the fixture scripts: an Ed25519
 * root and an Ed25519 TSA certificate (critical EKU id-kp-timeStamping) whose keys derive from
 * fixed labels, and tokens (RFC 3161 §2.4.2 TimeStampToken) over given bytes at given times.
 * Ed25519 signatures are deterministic, so the same inputs give the same bytes on every run.
 * Never use these keys for anything but tests: anyone can derive them from this file.
 *
 * @module
 */

import { createPrivateKey, createPublicKey } from "node:crypto";
import { concatBytes, encodeUtf8 } from "../lib/encoding/bytes.ts";
import { encodePem } from "../lib/encoding/pem.ts";
import { sha256 } from "../lib/digest/digest.ts";
import { KEY_PURPOSES } from "../lib/keys/x509.ts";
import { buildCert, type TestKey } from "../tests/keys/_x509_builder.ts";
import { buildToken } from "../tests/verify/_tsa_builder.ts";

/** PKCS#8 prefix of an Ed25519 private key (RFC 8410 §7); the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");
const YEAR = 365 * 86_400_000;
const NOT_BEFORE = Date.UTC(2025, 0, 1);

function keyFromLabel(label: string): TestKey {
  const seed = sha256(encodeUtf8(`stellaops test-only fixture TSA: ${label}`));
  const privateKey = createPrivateKey({
    key: Buffer.from(concatBytes(ED25519_PKCS8_PREFIX, seed)),
    format: "der",
    type: "pkcs8",
  });
  const spki = new Uint8Array(
    createPublicKey(privateKey).export({ type: "spki", format: "der" }),
  );
  return { privateKey, spki, kind: "ed25519" };
}

/** The fixture TSA: its root (trust anchor) and a stamping function. */
export interface FixtureTsa {
  /** PEM of the root certificate: what `--tsa-roots` names. */
  rootPem: string;
  /**
   * A TimeStampToken (DER) whose imprint is SHA-256 of `data`, with `genTime` at `at`.
   *
   * @param data The stamped bytes (for DSSE: the decoded signature bytes).
   * @param at The token's genTime, RFC 3339 UTC with whole seconds (`2026-02-10T09:01:00Z`).
   */
  stamp(data: Uint8Array, at: string): Uint8Array;
}

/** Builds the fixture TSA (same bytes on every call). */
export function fixtureTsa(): FixtureTsa {
  const rootKey = keyFromLabel("root");
  const tsaKey = keyFromLabel("tsa");
  const root = buildCert({
    subject: "Fixture TSA Root (test only)",
    key: rootKey,
    ca: true,
    notBefore: NOT_BEFORE,
    notAfter: NOT_BEFORE + 10 * YEAR,
  });
  const cert = buildCert({
    subject: "Fixture TSA (test only)",
    issuer: "Fixture TSA Root (test only)",
    key: tsaKey,
    issuerKey: rootKey,
    serial: 2n,
    eku: [KEY_PURPOSES.timeStamping],
    notBefore: NOT_BEFORE,
    notAfter: NOT_BEFORE + 5 * YEAR,
  });
  return {
    rootPem: encodePem("CERTIFICATE", root),
    stamp(data: Uint8Array, at: string): Uint8Array {
      const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(at);
      if (match === null) throw new RangeError(`Pass a whole-second UTC time, not ${at}`);
      return buildToken({ key: tsaKey, cert, data, genTime: `${match.slice(1).join("")}Z` });
    },
  };
}
