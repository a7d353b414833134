/**
 * Single-envelope verification latency per signature algorithm: `verifyEnvelope` over a signed
 * in-toto promotion Statement (~0.5 KiB payload), one trusted key given as PEM, as
 * `stella forensic verify --key` does it.
 *
 * `deno bench --cached-only -A bench/verify_bench.ts`
 *
 * Group "verify one envelope" (baseline Ed25519). Keys are generated and envelopes signed once,
 * before timing. RSA keys are 3072 bits. "RSA PKCS#1 v1.5" uses an unpinned key, so the PSS
 * verifier is tried first and fails before PKCS#1 verifies (the default trust-policy behaviour);
 * "RSA PKCS#1 v1.5, pinned" is the same with the scheme pinned in the key entry.
 */

import { canonicalBytes } from "../lib/encoding/canonical_json.ts";
import { generateKeyPair } from "../lib/keys/generate.ts";
import type { KeyAlgorithm, PrivateKey } from "../lib/keys/key.ts";
import { exportPublicKeyPem } from "../lib/keys/key_pem.ts";
import { serializeEnvelope } from "../lib/model/dsse.ts";
import { signEnvelope } from "../lib/sign/envelope.ts";
import { createSigner } from "../lib/crypto/local_signer.ts";
import type { TrustedKeyOptions } from "../lib/verify/trust_policy.ts";
import { verifyEnvelope } from "../lib/verify/verify_envelope.ts";
import { loadTrustMaterial } from "../lib/verify/trust_material.ts";

const NOW = Date.UTC(2026, 2, 1, 12);
const STATEMENT = {
  _type: "https://in-toto.io/Statement/v1",
  subject: [{
    name: "registry.stella-ops.local/payments-api",
    digest: { sha256: "ab".repeat(32) },
  }],
  predicateType: "stella.ops/promotion@v1",
  predicate: {
    image: { name: "registry.stella-ops.local/payments-api", digest: `sha256:${"ab".repeat(32)}` },
    promotion: { from: "staging", to: "prod", at: "2026-02-20T00:00:00Z", actor: "release-bot" },
    materials: [{ name: "sbom.cdx.json", digest: { sha256: "cd".repeat(32) } }],
  },
};

async function prepare(
  algorithm: KeyAlgorithm,
  options: { bits?: number; sign?: "rsa-pss-sha256" | "rsa-pkcs1-sha256"; pin?: boolean } = {},
) {
  const key = await generateKeyPair(algorithm, { bits: options.bits }) as PrivateKey;
  const signer = createSigner(key, { algorithm: options.sign });
  const envelope = canonicalBytes(
    JSON.parse(serializeEnvelope(await signEnvelope(STATEMENT, [signer]))),
  );
  const keyOptions: TrustedKeyOptions = options.pin === true ? { algorithm: options.sign } : {};
  const trust = loadTrustMaterial({
    keys: [{ pem: exportPublicKeyPem(key), options: keyOptions }],
  });
  const check = await verifyEnvelope(envelope, trust, { now: NOW });
  if (!check.verified) throw new Error(`bench setup: ${algorithm} envelope does not verify`);
  return () => verifyEnvelope(envelope, trust, { now: NOW });
}

const cases: [string, () => Promise<unknown>][] = [
  ["Ed25519", await prepare("ed25519")],
  ["ECDSA P-256 (DER)", await prepare("ecdsa-p256")],
  ["ECDSA P-384 (DER)", await prepare("ecdsa-p384")],
  ["RSA-PSS 3072", await prepare("rsa-pss", { bits: 3072, sign: "rsa-pss-sha256" })],
  ["RSA PKCS#1 v1.5 3072", await prepare("rsa-pkcs1", { bits: 3072, sign: "rsa-pkcs1-sha256" })],
  [
    "RSA PKCS#1 v1.5 3072, pinned",
    await prepare("rsa-pkcs1", { bits: 3072, sign: "rsa-pkcs1-sha256", pin: true }),
  ],
];

for (const [i, [name, fn]] of cases.entries()) {
  Deno.bench({
    group: "verify one envelope",
    name,
    baseline: i === 0,
    fn: async () => void await fn(),
  });
}
