/**
 * OpenSSL cross-checks over DSSE PAE bytes: signatures made by our signers verify with the
 * `openssl` CLI (`pkeyutl -verify -rawin` for Ed25519, `dgst -verify` for ECDSA and RSA, with
 * `-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32` for PSS), and signatures made by
 * `openssl` with keys it generated verify with our verifiers (and the keys import with the key
 * id OpenSSL's own SPKI DER hashes to). Without `openssl` on PATH the tests are reported as
 * ignored, with the reason in their name and on stdout.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  createSigner,
  exportPublicKeyPem,
  generateKeyPair,
  importKeyPem,
  type KeyAlgorithm,
  type PrivateKey,
} from "../../mod.ts";
import { createVerifier } from "../../lib/crypto/mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";

async function opensslVersion(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("openssl", {
      args: ["version"],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

const VERSION = await opensslVersion();
const SKIP = VERSION === undefined;
const suffix = SKIP ? " (skipped: openssl not found)" : "";
// deno-lint-ignore no-console
console.log(
  SKIP
    ? "openssl_interop_test: openssl was not found on PATH; interop tests not run"
    : `openssl_interop_test: using ${VERSION}`,
);

const pae = preAuthEncoding(
  "application/vnd.in-toto+json",
  new TextEncoder().encode('{"_type":"https://in-toto.io/Statement/v1","subject":[]}'),
);

async function openssl(cwd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  const result = await new Deno.Command("openssl", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const out = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  return { ok: result.success, out };
}

interface Case {
  algorithm: Exclude<KeyAlgorithm, "hmac">;
  genpkey: string[];
  verifyArgs: (pub: string, sig: string, data: string) => string[];
  signArgs: (key: string, sig: string, data: string) => string[];
}

const dgstVerify =
  (hash: string, extra: string[] = []) => (pub: string, sig: string, data: string) => [
    "dgst",
    `-${hash}`,
    ...extra,
    "-verify",
    pub,
    "-signature",
    sig,
    data,
  ];
const dgstSign =
  (hash: string, extra: string[] = []) => (key: string, sig: string, data: string) => [
    "dgst",
    `-${hash}`,
    ...extra,
    "-sign",
    key,
    "-out",
    sig,
    data,
  ];
const PSS = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"];

const CASES: Case[] = [
  {
    algorithm: "ed25519",
    genpkey: ["-algorithm", "ed25519"],
    verifyArgs: (
      pub,
      sig,
      data,
    ) => ["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", data, "-sigfile", sig],
    signArgs: (
      key,
      sig,
      data,
    ) => ["pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", data, "-out", sig],
  },
  {
    algorithm: "ecdsa-p256",
    genpkey: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    verifyArgs: dgstVerify("sha256"),
    signArgs: dgstSign("sha256"),
  },
  {
    algorithm: "ecdsa-p384",
    genpkey: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    verifyArgs: dgstVerify("sha384"),
    signArgs: dgstSign("sha384"),
  },
  {
    algorithm: "rsa-pkcs1",
    genpkey: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    verifyArgs: dgstVerify("sha256"),
    signArgs: dgstSign("sha256"),
  },
  {
    algorithm: "rsa-pss",
    genpkey: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    verifyArgs: dgstVerify("sha256", PSS),
    signArgs: dgstSign("sha256", PSS),
  },
];

for (const c of CASES) {
  Deno.test({
    name: `openssl verifies our ${c.algorithm} signature over PAE${suffix}`,
    ignore: SKIP,
    fn: async () => {
      const dir = await Deno.makeTempDir({ prefix: "stellaops-openssl-" });
      try {
        const key = await generateKeyPair(c.algorithm, { bits: 2048 }) as PrivateKey;
        await Deno.writeTextFile(`${dir}/pub.pem`, exportPublicKeyPem(key));
        await Deno.writeFile(`${dir}/data.bin`, pae);
        await Deno.writeFile(`${dir}/sig.bin`, await createSigner(key).sign(pae));
        const good = await openssl(dir, c.verifyArgs("pub.pem", "sig.bin", "data.bin"));
        assert.equal(good.ok, true, good.out);
        assert.match(good.out, /Verified OK|Signature Verified Successfully/);
        const tampered = pae.slice();
        tampered[tampered.length - 3]! ^= 1;
        await Deno.writeFile(`${dir}/tampered.bin`, tampered);
        const bad = await openssl(dir, c.verifyArgs("pub.pem", "sig.bin", "tampered.bin"));
        assert.equal(bad.ok, false, bad.out);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });

  Deno.test({
    name: `we verify openssl's ${c.algorithm} signature and import its keys${suffix}`,
    ignore: SKIP,
    fn: async () => {
      const dir = await Deno.makeTempDir({ prefix: "stellaops-openssl-" });
      try {
        const gen = await openssl(dir, ["genpkey", ...c.genpkey, "-out", "key.pem"]);
        assert.equal(gen.ok, true, gen.out);
        assert.equal(
          (await openssl(dir, ["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"])).ok,
          true,
        );
        assert.equal(
          (await openssl(dir, [
            "pkey",
            "-in",
            "key.pem",
            "-pubout",
            "-outform",
            "DER",
            "-out",
            "pub.der",
          ])).ok,
          true,
        );
        await Deno.writeFile(`${dir}/data.bin`, pae);
        const signed = await openssl(dir, c.signArgs("key.pem", "sig.bin", "data.bin"));
        assert.equal(signed.ok, true, signed.out);
        const algorithm = c.algorithm === "rsa-pss"
          ? "rsa-pss-sha256"
          : c.algorithm === "rsa-pkcs1"
          ? "rsa-pkcs1-sha256"
          : undefined;
        const pub = importKeyPem(await Deno.readTextFile(`${dir}/pub.pem`), { algorithm });
        const priv = importKeyPem(await Deno.readTextFile(`${dir}/key.pem`), { algorithm });
        assert.equal(pub.kind, "public");
        assert.equal(priv.kind, "private");
        const spkiHash = createHash("sha256").update(await Deno.readFile(`${dir}/pub.der`)).digest(
          "hex",
        );
        assert.equal(pub.keyid, spkiHash);
        assert.equal(priv.keyid, spkiHash);
        const signature = await Deno.readFile(`${dir}/sig.bin`);
        const verifier = createVerifier(pub);
        assert.equal(await verifier.verify(pae, signature), true);
        assert.equal(await verifier.verify(pae.subarray(1), signature), false);
        // Our signer with OpenSSL's private key verifies with OpenSSL too.
        await Deno.writeFile(`${dir}/ours.bin`, await createSigner(priv as PrivateKey).sign(pae));
        const back = await openssl(dir, c.verifyArgs("pub.pem", "ours.bin", "data.bin"));
        assert.equal(back.ok, true, back.out);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  name: `we import OpenSSL's SEC1 and PKCS#1 private keys${suffix}`,
  ignore: SKIP,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "stellaops-openssl-" });
    try {
      const ec = await openssl(dir, [
        "ecparam",
        "-name",
        "prime256v1",
        "-genkey",
        "-out",
        "ec.pem",
      ]);
      assert.equal(ec.ok, true, ec.out);
      // ecparam writes an "EC PARAMETERS" block before the "EC PRIVATE KEY": it is skipped.
      const ecText = await Deno.readTextFile(`${dir}/ec.pem`);
      assert.match(ecText, /BEGIN EC PARAMETERS/);
      assert.equal(importKeyPem(ecText).type, "ecdsa-p256");
      const rsa = await openssl(dir, ["genrsa", "-traditional", "-out", "rsa.pem", "2048"]);
      assert.equal(rsa.ok, true, rsa.out);
      const rsaText = await Deno.readTextFile(`${dir}/rsa.pem`);
      assert.match(rsaText, /BEGIN RSA PRIVATE KEY/);
      assert.equal(importKeyPem(rsaText).bits, 2048);
      const rsaPub = await openssl(dir, [
        "rsa",
        "-in",
        "rsa.pem",
        "-RSAPublicKey_out",
        "-out",
        "rsapub.pem",
      ]);
      assert.equal(rsaPub.ok, true, rsaPub.out);
      assert.equal(
        importKeyPem(await Deno.readTextFile(`${dir}/rsapub.pem`)).keyid,
        importKeyPem(rsaText).keyid,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
