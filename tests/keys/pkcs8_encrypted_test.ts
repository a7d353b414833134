// Encrypted PKCS#8 (RFC 5208 §6 / RFC 8018 PBES2): keys made by OpenSSL at test time are read
// with their password (PBKDF2 and scrypt, AES-128/256-CBC), keys this toolkit writes are read by
// `openssl pkey`, and wrong passwords, tampering and hostile costs fail with exact codes. When
// openssl is not installed the interoperability tests are reported as ignored, with the reason in
// their name.
import assert from "node:assert/strict";
import {
  exportPrivateKeyPem,
  generateKeyPair,
  importKey,
  importKeyPem,
  type PrivateKey,
} from "../../mod.ts";
import {
  encodeDerInteger,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
} from "../../lib/encoding/der.ts";
import { encodePem } from "../../lib/encoding/mod.ts";
import {
  decryptPkcs8,
  encryptPkcs8,
  encryptPkcs8Der,
  isEncryptedPkcs8,
} from "../../lib/keys/mod.ts";
import { OPENSSL, OPENSSL_IGNORED } from "../_openssl.ts";

const SUFFIX = OPENSSL_IGNORED;

async function openssl(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await new Deno.Command("openssl", { args, env, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(result.stdout);
  if (!result.success) {
    throw new Error(`openssl ${args.join(" ")}: ${new TextDecoder().decode(result.stderr)}`);
  }
  return text;
}

async function privateKey(algorithm: "ed25519" | "ecdsa-p256" | "rsa-pss"): Promise<PrivateKey> {
  const key = await generateKeyPair(algorithm);
  if (key.kind !== "private") throw new Error("unreachable");
  return key;
}

for (
  const [title, args] of [
    ["PBKDF2-HMAC-SHA256 + AES-256-CBC (OpenSSL 3 default)", ["-v2", "aes-256-cbc"]],
    ["scrypt + AES-256-CBC", ["-v2", "aes-256-cbc", "-scrypt"]],
    ["PBKDF2-HMAC-SHA1 + AES-128-CBC", ["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"]],
    ["PBKDF2-HMAC-SHA512 + AES-192-CBC", ["-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA512"]],
  ] as const
) {
  Deno.test({
    name: `decryptPkcs8() reads an OpenSSL key encrypted with ${title}${SUFFIX}`,
    ignore: !OPENSSL,
    async fn() {
      for (const algorithm of ["ed25519", "ecdsa-p256"] as const) {
        const key = await privateKey(algorithm);
        const dir = await Deno.makeTempDir({ prefix: "stella-p8-" });
        try {
          await Deno.writeTextFile(`${dir}/plain.pem`, exportPrivateKeyPem(key));
          await openssl([
            "pkcs8",
            "-topk8",
            "-in",
            `${dir}/plain.pem`,
            "-out",
            `${dir}/enc.pem`,
            "-passout",
            "env:P8PASS",
            ...args,
          ], { P8PASS: "correct horse" });
          const pem = await Deno.readTextFile(`${dir}/enc.pem`);
          assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
          assert.equal((await decryptPkcs8(pem, "correct horse")).keyid, key.keyid);
          assert.equal(
            (await importKey(pem, { password: "correct horse", name: "enc.pem" })).keyid,
            key.keyid,
          );
          await assert.rejects(decryptPkcs8(pem, "wrong", { name: "enc.pem" }), {
            code: "KEY_DECRYPTION_FAILED",
            message: 'Cannot decrypt key "enc.pem": wrong password or corrupted key file',
          });
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      }
    },
  });
}

Deno.test({
  name: `decryptPkcs8() reads a key made by "openssl genpkey -aes-256-cbc"${SUFFIX}`,
  ignore: !OPENSSL,
  async fn() {
    const pem = await openssl(
      [
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes-256-cbc",
        "-pass",
        "env:P8PASS",
      ],
      { P8PASS: "s3cret" },
    );
    const key = await decryptPkcs8(pem, "s3cret");
    assert.equal(key.type, "ecdsa-p256");
    await assert.rejects(decryptPkcs8(pem, "S3cret"), { code: "KEY_DECRYPTION_FAILED" });
  },
});

Deno.test({
  name: `encryptPkcs8() writes a key that "openssl pkey -passin env:VAR" reads${SUFFIX}`,
  ignore: !OPENSSL,
  async fn() {
    for (const algorithm of ["ed25519", "ecdsa-p256"] as const) {
      const key = await privateKey(algorithm);
      const dir = await Deno.makeTempDir({ prefix: "stella-p8-" });
      try {
        await Deno.writeTextFile(`${dir}/enc.pem`, await encryptPkcs8(key, "pässword"));
        const plain = await openssl(
          ["pkey", "-in", `${dir}/enc.pem`, "-passin", "env:P8PASS"],
          { P8PASS: "pässword" },
        );
        assert.equal(importKeyPem(plain).keyid, key.keyid);
        const text = await openssl(["asn1parse", "-in", `${dir}/enc.pem`]);
        assert.match(text, /:PBES2\n/);
        assert.match(text, /:PBKDF2\n/);
        assert.match(text, /:hmacWithSHA256\n/);
        assert.match(text, /:aes-256-cbc\n/);
        assert.match(text, /INTEGER +:0927C0\n/); // 600 000 iterations
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});

Deno.test("encryptPkcs8() round-trips every key type and cipher; a fixed salt and IV give fixed bytes", async () => {
  for (const algorithm of ["ed25519", "ecdsa-p256", "rsa-pss"] as const) {
    const key = await privateKey(algorithm);
    for (const cipher of ["aes-256-cbc", "aes-128-cbc", "aes-256-gcm"] as const) {
      const der = await encryptPkcs8Der(key, "pw", { iterations: 1000, cipher });
      assert.equal(isEncryptedPkcs8(der), true);
      assert.equal((await decryptPkcs8(der, "pw")).keyid, key.keyid);
      assert.equal((await importKey(der, { password: "pw" })).keyid, key.keyid);
      await assert.rejects(decryptPkcs8(der, "pW"), { code: "KEY_DECRYPTION_FAILED" });
    }
  }
  const key = await privateKey("ed25519");
  const fixed = {
    iterations: 1000,
    salt: new Uint8Array(16).fill(1),
    iv: new Uint8Array(16).fill(2),
  };
  assert.equal(await encryptPkcs8(key, "pw", fixed), await encryptPkcs8(key, "pw", fixed));
});

Deno.test("decryptPkcs8() refuses a tampered ciphertext, another scheme and hostile costs", async () => {
  const key = await privateKey("ed25519");
  const gcm = await encryptPkcs8Der(key, "pw", { iterations: 1000, cipher: "aes-256-gcm" });
  gcm[gcm.length - 1]! ^= 1;
  await assert.rejects(decryptPkcs8(gcm, "pw", { name: "k.der" }), {
    code: "KEY_DECRYPTION_FAILED",
    message: 'Cannot decrypt key "k.der": wrong password or corrupted key file',
  });
  // PBES1 (pbeWithSHA1AndDES-CBC), refused by name.
  const pbes1 = encodeDerSequence([
    encodeDerSequence([encodeDerOid("1.2.840.113549.1.5.10"), encodeDerSequence([])]),
    encodeDerOctetString(new Uint8Array(16)),
  ]);
  await assert.rejects(decryptPkcs8(pbes1, "pw"), { code: "KEY_UNSUPPORTED" });
  // PBKDF2 with 2^31 iterations: refused before any work.
  const costly = (iterations: number) =>
    encodeDerSequence([
      encodeDerSequence([
        encodeDerOid("1.2.840.113549.1.5.13"),
        encodeDerSequence([
          encodeDerSequence([
            encodeDerOid("1.2.840.113549.1.5.12"),
            encodeDerSequence([
              encodeDerOctetString(new Uint8Array(8)),
              encodeDerInteger(iterations),
            ]),
          ]),
          encodeDerSequence([
            encodeDerOid("2.16.840.1.101.3.4.1.42"),
            encodeDerOctetString(new Uint8Array(16)),
          ]),
        ]),
      ]),
      encodeDerOctetString(new Uint8Array(32)),
    ]);
  await assert.rejects(decryptPkcs8(costly(2 ** 31), "pw"), { code: "KEY_UNSUPPORTED" });
  await assert.rejects(decryptPkcs8(costly(10_000_001), "pw"), { code: "KEY_UNSUPPORTED" });
  // scrypt beyond the cost bounds (N > 2^20, or 128·N·r over 256 MiB) and malformed parameters.
  const scrypt = (N: number, r: number, p: number) =>
    encodeDerSequence([
      encodeDerSequence([
        encodeDerOid("1.2.840.113549.1.5.13"),
        encodeDerSequence([
          encodeDerSequence([
            encodeDerOid("1.3.6.1.4.1.11591.4.11"),
            encodeDerSequence([
              encodeDerOctetString(new Uint8Array(8)),
              ...[N, r, p].map((n) => encodeDerInteger(n)),
            ]),
          ]),
          encodeDerSequence([
            encodeDerOid("2.16.840.1.101.3.4.1.42"),
            encodeDerOctetString(new Uint8Array(16)),
          ]),
        ]),
      ]),
      encodeDerOctetString(new Uint8Array(32)),
    ]);
  await assert.rejects(decryptPkcs8(scrypt(2 ** 21, 8, 1), "pw"), { code: "KEY_UNSUPPORTED" });
  await assert.rejects(decryptPkcs8(scrypt(2 ** 20, 8, 1), "pw"), { code: "KEY_UNSUPPORTED" });
  await assert.rejects(decryptPkcs8(scrypt(2 ** 14, 8, 17), "pw"), { code: "KEY_UNSUPPORTED" });
  await assert.rejects(decryptPkcs8(scrypt(3, 8, 1), "pw"), { code: "KEY_INVALID" });
  // Malformed: a truncated structure.
  const truncated = costly(1000).subarray(0, 40);
  await assert.rejects(decryptPkcs8(truncated, "pw"), { code: "KEY_INVALID" });
  // PEM with another label.
  await assert.rejects(
    decryptPkcs8(exportPrivateKeyPem(key), "pw"),
    { code: "KEY_UNSUPPORTED" },
  );
  // Through importKey without a password: a TypeError that says so.
  const pem = encodePem("ENCRYPTED PRIVATE KEY", costly(1000));
  await assert.rejects(importKey(pem, { name: "k.pem" }), {
    name: "TypeError",
    message: 'Pass a password: the key "k.pem" is encrypted',
  });
  assert.throws(() => importKeyPem(pem), { code: "KEY_ENCRYPTED" });
});
