// Interoperability: envelopes made by `stella attest` verify with OpenSSL (an independent
// implementation) over the DSSE PAE bytes. When openssl is not installed every test is reported
// as ignored, with the reason in its name.
import assert from "node:assert/strict";
import { ROOT, runCli } from "./_io.ts";
import { parseEnvelope } from "../../mod.ts";
import { decodeUtf8 } from "../../lib/encoding/mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";
import { OPENSSL, OPENSSL_IGNORED } from "../_openssl.ts";

const KEYS = `${ROOT}/fixtures/keys`;

const available = OPENSSL;
const suffix = OPENSSL_IGNORED;

async function openssl(args: string[]): Promise<{ ok: boolean; output: string }> {
  const result = await new Deno.Command("openssl", { args, stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  return {
    ok: result.success,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}

/** Writes the envelope's PAE and first signature to a temp dir; returns their paths. */
async function extract(envelopeText: string): Promise<{ dir: string; pae: string; sig: string }> {
  const envelope = parseEnvelope(envelopeText);
  const dir = await Deno.makeTempDir({ prefix: "stella-openssl-" });
  await Deno.writeFile(
    `${dir}/pae.bin`,
    preAuthEncoding(envelope.payloadType, envelope.payloadBytes),
  );
  await Deno.writeFile(`${dir}/sig.bin`, envelope.signatures[0]!.sigBytes);
  return { dir, pae: `${dir}/pae.bin`, sig: `${dir}/sig.bin` };
}

async function tamper(path: string): Promise<void> {
  const bytes = await Deno.readFile(path);
  bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x01;
  await Deno.writeFile(path, bytes);
}

async function attest(key: string, extra: string[] = []): Promise<string> {
  const result = await runCli([
    "attest",
    "promotion",
    "--image",
    `registry.example/app:1.0@sha256:${"ab".repeat(32)}`,
    "--sbom",
    `${ROOT}/fixtures/sample/sbom.cdx.json`,
    "--vex",
    `${ROOT}/fixtures/sample/vex.openvex.json`,
    "--from",
    "staging",
    "--to",
    "production",
    "--approver",
    "alice",
    "--promoted-at",
    "2025-01-31T13:05:00Z",
    "--key",
    `${KEYS}/${key}.pem`,
    ...extra,
  ], { env: () => undefined });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

Deno.test({
  name: `openssl: the Ed25519 promotion fixture verifies over the PAE bytes${suffix}`,
  ignore: !available,
  async fn() {
    const text = decodeUtf8(await Deno.readFile(`${ROOT}/fixtures/envelopes/promotion.dsse.json`));
    const { dir, pae, sig } = await extract(text);
    try {
      const pub = `${KEYS}/test-only-ed25519.pub.pem`;
      const args = [
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        pub,
        "-rawin",
        "-in",
        pae,
        "-sigfile",
        sig,
      ];
      const good = await openssl(args);
      assert.equal(good.ok, true, good.output);
      assert.match(good.output, /Signature Verified Successfully/);
      await tamper(pae);
      const bad = await openssl(args);
      assert.equal(bad.ok, false, "a tampered PAE must not verify");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `openssl: an ECDSA P-256 promotion envelope (DER signature) verifies${suffix}`,
  ignore: !available,
  async fn() {
    const { dir, pae, sig } = await extract(await attest("test-only-ecdsa-p256"));
    try {
      const pub = `${KEYS}/test-only-ecdsa-p256.pub.pem`;
      const args = ["dgst", "-sha256", "-verify", pub, "-signature", sig, pae];
      const good = await openssl(args);
      assert.equal(good.ok, true, good.output);
      assert.match(good.output, /Verified OK/);
      await tamper(pae);
      assert.equal((await openssl(args)).ok, false, "a tampered PAE must not verify");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `openssl: the ECDSA P-256 job fixture verifies${suffix}`,
  ignore: !available,
  async fn() {
    const text = decodeUtf8(await Deno.readFile(`${ROOT}/fixtures/envelopes/job.dsse.json`));
    const { dir, pae, sig } = await extract(text);
    try {
      const pub = `${KEYS}/test-only-ecdsa-p256.pub.pem`;
      const result = await openssl(["dgst", "-sha256", "-verify", pub, "-signature", sig, pae]);
      assert.equal(result.ok, true, result.output);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `openssl: RSA-3072 promotion envelopes verify (PSS salt 32, and PKCS#1 v1.5)${suffix}`,
  ignore: !available,
  async fn() {
    const pub = `${KEYS}/test-only-rsa-3072.pub.pem`;
    const cases: [string, string[]][] = [
      ["rsa-pss-sha256", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"]],
      ["rsa-pkcs1-sha256", []],
    ];
    for (const [algorithm, options] of cases) {
      const { dir, pae, sig } = await extract(
        await attest("test-only-rsa-3072", ["--algorithm", algorithm]),
      );
      try {
        const result = await openssl([
          "dgst",
          "-sha256",
          ...options,
          "-verify",
          pub,
          "-signature",
          sig,
          pae,
        ]);
        assert.equal(result.ok, true, `${algorithm}: ${result.output}`);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});
