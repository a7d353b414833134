import assert from "node:assert/strict";
import { generateKeyPair, type PrivateKey } from "../../mod.ts";
import type { Jwk } from "../../lib/keys/mod.ts";
import { decodeBase64Url, encodeBase64Url } from "../../lib/encoding/mod.ts";
import { exportJwk, exportSpki, importJwk } from "../../lib/keys/mod.ts";

const code = (expected: string) => ({ code: expected });
const without = (jwk: Jwk, field: string): Jwk => {
  const copy: Record<string, unknown> = { ...jwk };
  delete copy[field];
  return copy as Jwk;
};

Deno.test("JWKs exported by WebCrypto import to the same key WebCrypto exports as SPKI", async () => {
  const params = [
    { name: "Ed25519" },
    { name: "ECDSA", namedCurve: "P-256" },
    { name: "ECDSA", namedCurve: "P-384" },
    {
      name: "RSA-PSS",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
  ];
  for (const algorithm of params) {
    const pair = await crypto.subtle.generateKey(algorithm, true, [
      "sign",
      "verify",
    ]) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
    const privateJwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    const publicJwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
    const priv = importJwk(privateJwk) as PrivateKey;
    assert.equal(priv.kind, "private", algorithm.name);
    assert.deepEqual(exportSpki(priv), spki, algorithm.name);
    assert.deepEqual(exportSpki(importJwk(publicJwk) as PrivateKey), spki, algorithm.name);
    // WebCrypto marks RSA-PSS keys with alg PS256, which selects the PSS scheme.
    if (algorithm.name === "RSA-PSS") assert.equal(priv.algorithm, "rsa-pss-sha256");
  }
});

Deno.test("exportJwk writes the RFC 7518/8037 members plus alg and kid", async () => {
  const ec = await generateKeyPair("ecdsa-p384") as PrivateKey;
  const jwk = exportJwk(ec);
  assert.deepEqual(Object.keys(jwk).sort(), ["alg", "crv", "d", "kid", "kty", "x", "y"]);
  assert.deepEqual([jwk.kty, jwk.crv, jwk.alg, jwk.kid], ["EC", "P-384", "ES384", ec.keyid]);
  assert.equal(decodeBase64Url(jwk.x!).length, 48);
  const ed = exportJwk((await generateKeyPair("ed25519") as PrivateKey).publicKey);
  assert.deepEqual(Object.keys(ed).sort(), ["alg", "crv", "kid", "kty", "x"]);
  assert.equal(ed.alg, "EdDSA");
  const rsa = exportJwk(await generateKeyPair("rsa-pkcs1", { bits: 2048 }));
  assert.deepEqual(Object.keys(rsa).sort(), [
    "alg",
    "d",
    "dp",
    "dq",
    "e",
    "kid",
    "kty",
    "n",
    "p",
    "q",
    "qi",
  ]);
  assert.deepEqual([rsa.alg, rsa.e], ["RS256", "AQAB"]);
});

Deno.test("importJwk checks alg, use, members and key consistency", async () => {
  const ec = exportJwk(await generateKeyPair("ecdsa-p256") as PrivateKey) as Jwk;
  const { alg: _alg, kid: _kid, ...bare } = ec;
  assert.equal(importJwk(bare).algorithm, "ecdsa-p256-sha256");
  assert.equal(importJwk({ ...ec, alg: "ES256", use: "sig", key_ops: ["sign"] }).kind, "private");
  assert.throws(() => importJwk({ ...ec, alg: "ES384" }), code("KEY_INVALID"));
  assert.throws(() => importJwk({ ...ec, alg: "none" }), code("KEY_UNSUPPORTED"));
  assert.throws(() => importJwk({ ...ec, use: "enc" }), code("KEY_UNSUPPORTED"));
  assert.throws(() => importJwk({ ...ec, crv: "secp256k1" }), code("KEY_UNSUPPORTED"));
  assert.throws(() => importJwk(without(ec, "x")), code("KEY_INVALID"));
  assert.throws(() => importJwk({ ...ec, x: "not base64!" }), code("KEY_INVALID"));
  assert.throws(
    () => importJwk({ ...ec, x: encodeBase64Url(new Uint8Array(31)) }),
    code("KEY_INVALID"),
  );
  const d = decodeBase64Url(ec.d!);
  d[31]! ^= 1;
  assert.throws(() => importJwk({ ...ec, d: encodeBase64Url(d) }), code("KEY_INVALID"));
  assert.throws(() => importJwk({ ...ec, d: 5 as unknown as string }), code("KEY_INVALID"));
  assert.throws(
    () => importJwk({ kty: "oct", k: encodeBase64Url(new Uint8Array(8)) }),
    code("KEY_UNSUPPORTED"),
  );
  assert.throws(
    () => importJwk({ kty: "oct", k: encodeBase64Url(new Uint8Array(32)), alg: "ES256" }),
    code("KEY_INVALID"),
  );
  assert.throws(() => importJwk({ kty: "OKP", crv: "X25519", x: "" }), code("KEY_UNSUPPORTED"));
  assert.throws(() => importJwk({ kty: "dir" }), code("KEY_UNSUPPORTED"));
  assert.throws(() => importJwk([] as unknown as Jwk), TypeError);
  assert.throws(() => importJwk(bare, { algorithm: "ed25519" }), code("KEY_INVALID"));
  const rsa = exportJwk(await generateKeyPair("rsa-pss", { bits: 2048 }));
  assert.throws(() => importJwk(without(rsa, "qi")), code("KEY_UNSUPPORTED"));
  assert.throws(() => importJwk({ ...rsa, oth: [] } as Jwk), code("KEY_UNSUPPORTED"));
  assert.throws(
    () => importJwk({ ...rsa, alg: "RS256" }, { algorithm: "rsa-pss-sha256" }),
    code("KEY_INVALID"),
  );
  assert.equal(
    importJwk(without(rsa, "alg"), { algorithm: "rsa-pkcs1-sha256" }).algorithm,
    "rsa-pkcs1-sha256",
  );
});
