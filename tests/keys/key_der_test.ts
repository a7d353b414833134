import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateKeyPair, ParseError, type PrivateKey } from "../../mod.ts";
import {
  encodeDerBitString,
  encodeDerContext,
  encodeDerInteger,
  encodeDerNull,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
} from "../../lib/encoding/der.ts";
import { decodeBase64, decodeBase64Url } from "../../lib/encoding/mod.ts";
import { exportJwk, exportPkcs8, exportSpki, importPkcs8, importSpki } from "../../lib/keys/mod.ts";

const code = (expected: string) => (error: unknown): boolean => {
  assert.ok(error instanceof ParseError, String(error));
  assert.equal(error.code, expected, error.message);
  return true;
};

// RFC 8410 §10.1 Ed25519 public key; §10.3 private key.
const ED_SPKI = decodeBase64("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
const ED_PKCS8 = decodeBase64("MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC");
const OID_EC = "1.2.840.10045.2.1";
const OID_P256 = "1.2.840.10045.3.1.7";

const ec = await generateKeyPair("ecdsa-p256") as PrivateKey;
const ecPoint = (() => {
  const jwk = exportJwk(ec);
  return Uint8Array.from([4, ...decodeBase64Url(jwk.x!), ...decodeBase64Url(jwk.y!)]);
})();
const ecSpki = (point: Uint8Array, params: Uint8Array = encodeDerOid(OID_P256)): Uint8Array =>
  encodeDerSequence([
    encodeDerSequence([encodeDerOid(OID_EC), params]),
    encodeDerBitString(point),
  ]);
const rsa = await generateKeyPair("rsa-pkcs1", { bits: 2048 }) as PrivateKey;

Deno.test("importSpki reads RFC 8410 Ed25519 and keeps the exact bytes; key id = sha256(SPKI)", () => {
  const key = importSpki(ED_SPKI);
  assert.equal(key.type, "ed25519");
  assert.equal(key.bits, 256);
  assert.equal(key.algorithm, "ed25519");
  assert.deepEqual(exportSpki(key), ED_SPKI);
  assert.equal(key.keyid, createHash("sha256").update(ED_SPKI).digest("hex"));
  const priv = importPkcs8(ED_PKCS8);
  assert.equal(priv.publicKey.type, "ed25519");
  assert.deepEqual(exportPkcs8(priv), ED_PKCS8);
});

Deno.test("importSpki refuses malformed DER with KEY_INVALID and the offset", () => {
  assert.throws(() => importSpki(ED_SPKI.subarray(0, ED_SPKI.length - 1)), code("KEY_INVALID"));
  const trailing = new Uint8Array([...ED_SPKI, 0]);
  assert.throws(() => importSpki(trailing, { name: "k.der" }), (error) => {
    code("KEY_INVALID")(error);
    assert.equal((error as ParseError).offset, ED_SPKI.length);
    assert.match(
      (error as Error).message,
      /^Cannot import key "k\.der": malformed SubjectPublicKeyInfo/,
    );
    return true;
  });
  assert.throws(() => importSpki(new Uint8Array()), code("KEY_INVALID"));
  // Ed25519 with parameters, wrong key length.
  const edWithNull = encodeDerSequence([
    encodeDerSequence([encodeDerOid("1.3.101.112"), encodeDerNull()]),
    encodeDerBitString(new Uint8Array(32)),
  ]);
  assert.throws(() => importSpki(edWithNull), code("KEY_INVALID"));
  const edShort = encodeDerSequence([
    encodeDerSequence([encodeDerOid("1.3.101.112")]),
    encodeDerBitString(new Uint8Array(31)),
  ]);
  assert.throws(() => importSpki(edShort), code("KEY_INVALID"));
});

Deno.test("EC public keys: uncompressed, on the curve, named P-256/P-384 only", () => {
  assert.equal(importSpki(ecSpki(ecPoint)).keyid, ec.keyid);
  const offCurve = ecPoint.slice();
  offCurve[64]! ^= 1;
  assert.throws(() => importSpki(ecSpki(offCurve)), code("KEY_INVALID"));
  assert.throws(() => importSpki(ecSpki(ecPoint.subarray(0, 64))), code("KEY_INVALID"));
  const compressed = Uint8Array.from([2 + (ecPoint[64]! & 1), ...ecPoint.subarray(1, 33)]);
  assert.throws(() => importSpki(ecSpki(compressed)), code("KEY_UNSUPPORTED"));
  const infinity = new Uint8Array(65);
  infinity[0] = 4;
  assert.throws(() => importSpki(ecSpki(infinity)), code("KEY_INVALID"));
  assert.throws(
    () => importSpki(ecSpki(ecPoint, encodeDerOid("1.3.132.0.35"))),
    code("KEY_UNSUPPORTED"),
  );
  assert.throws(
    () => importSpki(ecSpki(ecPoint, encodeDerOid("1.3.132.0.10"))),
    code("KEY_UNSUPPORTED"),
  );
  assert.throws(
    () => importSpki(ecSpki(ecPoint, encodeDerSequence([encodeDerInteger(1)]))),
    code("KEY_UNSUPPORTED"),
  );
  assert.throws(() => importSpki(ecSpki(ecPoint), { algorithm: "ecdsa-p384-sha384" }), TypeError);
});

Deno.test("RSA public keys: NULL parameters, odd modulus, 2048-4096 bits, sane exponent", () => {
  const jwk = exportJwk(rsa.publicKey);
  const n = decodeBase64Url(jwk.n!);
  const spki = (
    modulus: Uint8Array,
    e: bigint,
    params = [encodeDerNull()],
    oid = "1.2.840.113549.1.1.1",
  ) =>
    encodeDerSequence([
      encodeDerSequence([encodeDerOid(oid), ...params]),
      encodeDerBitString(encodeDerSequence([encodeDerInteger(modulus), encodeDerInteger(e)])),
    ]);
  const key = importSpki(spki(n, 65537n));
  assert.equal(key.keyid, rsa.keyid);
  assert.equal(key.bits, 2048);
  assert.equal(key.algorithm, "rsa-pss-sha256");
  assert.equal(
    importSpki(spki(n, 65537n), { algorithm: "rsa-pkcs1-sha256" }).algorithm,
    "rsa-pkcs1-sha256",
  );
  assert.throws(() => importSpki(spki(n, 65537n, [])), code("KEY_INVALID"));
  assert.throws(
    () => importSpki(spki(n, 65537n, [], "1.2.840.113549.1.1.10")),
    code("KEY_UNSUPPORTED"),
  );
  const even = n.slice();
  even[even.length - 1]! &= 0xfe;
  assert.throws(() => importSpki(spki(even, 65537n)), code("KEY_INVALID"));
  // 1024-bit modulus: forced odd so that only the size rule can reject it (n is a fresh key).
  const short = n.slice(0, 128);
  short[127]! |= 1;
  assert.throws(() => importSpki(spki(short, 65537n)), code("KEY_UNSUPPORTED"));
  const big = new Uint8Array(513).fill(0xff);
  assert.throws(() => importSpki(spki(big, 65537n)), code("KEY_UNSUPPORTED"));
  for (const e of [1n, 2n, 65536n, 1n << 33n]) {
    assert.throws(() => importSpki(spki(n, e)), code("KEY_UNSUPPORTED"), String(e));
  }
  assert.equal(importSpki(spki(n, 3n)).bits, 2048);
  assert.throws(() => importSpki(spki(n, 65537n), { algorithm: "ed25519" }), TypeError);
});

Deno.test("PKCS#8: EC keys must match their embedded public key and have an in-range scalar", async () => {
  const d = decodeBase64Url(exportJwk(ec).d!);
  const pkcs8 = (scalar: Uint8Array, point?: Uint8Array, params?: Uint8Array) => {
    const inner = [encodeDerInteger(1), encodeDerOctetString(scalar)];
    if (params) inner.push(encodeDerContext(0, params));
    if (point) inner.push(encodeDerContext(1, encodeDerBitString(point)));
    return encodeDerSequence([
      encodeDerInteger(0),
      encodeDerSequence([encodeDerOid(OID_EC), encodeDerOid(OID_P256)]),
      encodeDerOctetString(encodeDerSequence(inner)),
    ]);
  };
  assert.deepEqual(exportPkcs8(importPkcs8(pkcs8(d, ecPoint))), exportPkcs8(ec));
  assert.equal(importPkcs8(pkcs8(d)).keyid, ec.keyid); // public key derived
  assert.equal(importPkcs8(pkcs8(d, ecPoint, encodeDerOid(OID_P256))).keyid, ec.keyid);
  // A valid point of another key: the pair is inconsistent.
  const wrong = exportSpki(await generateKeyPair("ecdsa-p256") as PrivateKey).subarray(-65);
  assert.throws(() => importPkcs8(pkcs8(d, wrong)), code("KEY_INVALID"));
  assert.throws(
    () => importPkcs8(pkcs8(d, ecPoint, encodeDerOid("1.3.132.0.34"))),
    code("KEY_INVALID"),
  );
  assert.throws(() => importPkcs8(pkcs8(new Uint8Array(32))), code("KEY_INVALID"));
  const n = Uint8Array.fromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  assert.throws(() => importPkcs8(pkcs8(n)), code("KEY_INVALID"));
  assert.throws(() => importPkcs8(pkcs8(new Uint8Array(33).fill(1))), code("KEY_INVALID"));
  // A scalar one byte short (an encoder that dropped a leading zero) is left-padded.
  const short = importPkcs8(pkcs8(Uint8Array.fromHex("01".padStart(64, "0")).subarray(1)));
  assert.equal(short.type, "ecdsa-p256");
});

Deno.test("PKCS#8: Ed25519 v2 with a public key, RSA consistency, versions", () => {
  const seed = ED_PKCS8.subarray(ED_PKCS8.length - 32);
  const pub = ED_SPKI.subarray(ED_SPKI.length - 32);
  const v2 = (version: number, publicKey: Uint8Array) =>
    encodeDerSequence([
      encodeDerInteger(version),
      encodeDerSequence([encodeDerOid("1.3.101.112")]),
      encodeDerOctetString(encodeDerOctetString(seed)),
      Uint8Array.from([0x81, publicKey.length + 1, 0, ...publicKey]),
    ]);
  assert.deepEqual(exportSpki(importPkcs8(v2(1, pub))), ED_SPKI);
  const otherPub = pub.slice();
  otherPub[0]! ^= 1;
  assert.throws(() => importPkcs8(v2(1, otherPub)), code("KEY_INVALID"));
  assert.throws(() => importPkcs8(v2(0, pub)), code("KEY_INVALID"));
  assert.throws(() => importPkcs8(v2(2, pub)), code("KEY_INVALID"));
  // RSA: every CRT parameter is checked.
  const jwk = exportJwk(rsa);
  const parts = ["n", "e", "d", "p", "q", "dp", "dq", "qi"].map((f) =>
    decodeBase64Url((jwk as Record<string, string>)[f]!)
  );
  const rsaPkcs8 = (values: Uint8Array[], version = 0) =>
    encodeDerSequence([
      encodeDerInteger(0),
      encodeDerSequence([encodeDerOid("1.2.840.113549.1.1.1"), encodeDerNull()]),
      encodeDerOctetString(
        encodeDerSequence([encodeDerInteger(version), ...values.map((v) => encodeDerInteger(v))]),
      ),
    ]);
  assert.equal(importPkcs8(rsaPkcs8(parts)).keyid, rsa.keyid);
  for (let i = 2; i < parts.length; i++) {
    const broken = parts.map((p) => p.slice());
    broken[i]![broken[i]!.length - 1]! ^= 2;
    assert.throws(() => importPkcs8(rsaPkcs8(broken)), code("KEY_INVALID"), `part ${i}`);
  }
  assert.throws(() => importPkcs8(rsaPkcs8(parts, 1)), code("KEY_UNSUPPORTED"));
  assert.throws(() => importPkcs8(ED_SPKI), code("KEY_INVALID"));
});

Deno.test("exportSpki and exportPkcs8 return fresh copies and refuse other keys", () => {
  const a = exportSpki(ec);
  a[0] = 0;
  assert.equal(exportSpki(ec)[0], 0x30);
  assert.throws(() => exportPkcs8(ec.publicKey as unknown as PrivateKey), TypeError);
  assert.throws(() => exportSpki({ ...ec }), TypeError);
});
