/**
 * Sign and verify per algorithm through our Signers/Verifiers (the baseline of each group), next to
 * the other in-process implementations we could have used (WebCrypto, `@noble/curves`), over the
 * same 1 KiB message. This is the measurement behind the implementation table in
 * `lib/crypto/local_signer.ts` and `lib/crypto/local_verifier.ts`.
 *
 *   deno bench --cached-only bench/sign_bench.ts
 *
 * The Node.js (OpenSSL) reference for the same operations is `bench/sign_node_reference.mjs`;
 * `bench/sign_compare.ts` runs both and prints ours/node ratios.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { p256, p384 } from "@noble/curves/nist.js";
import {
  createSigner,
  generateKeyPair,
  type KeyAlgorithm,
  type PrivateKey,
  type SecretKey,
} from "../mod.ts";
import { createVerifier } from "../lib/crypto/mod.ts";
import { exportHmacSecret, exportJwk, exportPkcs8, exportSpki } from "../lib/keys/mod.ts";

/** Message size shared with the Node.js reference. */
export const MESSAGE_BYTES = 1024;
const message = new Uint8Array(MESSAGE_BYTES).map((_, i) => (i * 31 + 7) & 0xff);

type Alt = { name: string; sign: () => Promise<unknown>; verify: () => Promise<unknown> };

async function webCrypto(
  key: PrivateKey | SecretKey,
  algorithm: KeyAlgorithm,
): Promise<Alt | undefined> {
  const subtle = crypto.subtle;
  if (key.kind === "secret") {
    const k = await subtle.importKey(
      "raw",
      exportHmacSecret(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      [
        "sign",
        "verify",
      ],
    );
    const tag = await subtle.sign("HMAC", k, message);
    return {
      name: "webcrypto",
      sign: () => subtle.sign("HMAC", k, message),
      verify: () => subtle.verify("HMAC", k, tag, message),
    };
  }
  const params: Record<
    string,
    [
      RsaHashedImportParams | EcKeyImportParams | Algorithm,
      AlgorithmIdentifier | RsaPssParams | EcdsaParams,
    ]
  > = {
    "ed25519": [{ name: "Ed25519" }, { name: "Ed25519" }],
    "ecdsa-p256": [{ name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" }],
    "ecdsa-p384": [{ name: "ECDSA", namedCurve: "P-384" }, { name: "ECDSA", hash: "SHA-384" }],
    "rsa-pss": [{ name: "RSA-PSS", hash: "SHA-256" }, { name: "RSA-PSS", saltLength: 32 }],
    "rsa-pkcs1": [{ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, { name: "RSASSA-PKCS1-v1_5" }],
  };
  const [importParams, signParams] = params[algorithm]!;
  const priv = await subtle.importKey("pkcs8", exportPkcs8(key), importParams, false, ["sign"]);
  const pub = await subtle.importKey("spki", exportSpki(key), importParams, false, ["verify"]);
  const signature = await subtle.sign(signParams, priv, message);
  return {
    name: "webcrypto",
    sign: () => subtle.sign(signParams, priv, message),
    verify: () => subtle.verify(signParams, pub, signature, message),
  };
}

function noble(key: PrivateKey | SecretKey): Alt | undefined {
  if (key.kind !== "private") return undefined;
  const jwk = exportJwk(key);
  const bytes = (b64: string | undefined) =>
    Uint8Array.fromBase64(b64 ?? "", { alphabet: "base64url" });
  if (key.type === "ed25519") {
    const seed = bytes(jwk.d);
    const pub = bytes(jwk.x);
    const signature = ed25519.sign(message, seed);
    return {
      name: "@noble/curves",
      sign: () => Promise.resolve(ed25519.sign(message, seed)),
      verify: () => Promise.resolve(ed25519.verify(signature, message, pub, { zip215: false })),
    };
  }
  if (key.type === "ecdsa-p256" || key.type === "ecdsa-p384") {
    const curve = key.type === "ecdsa-p256" ? p256 : p384;
    const d = bytes(jwk.d);
    const pub = Uint8Array.from([4, ...bytes(jwk.x), ...bytes(jwk.y)]);
    const signature = curve.sign(message, d, { lowS: false, format: "der" });
    return {
      name: "@noble/curves",
      sign: () => Promise.resolve(curve.sign(message, d, { lowS: false, format: "der" })),
      verify: () =>
        Promise.resolve(curve.verify(signature, message, pub, { lowS: false, format: "der" })),
    };
  }
  return undefined;
}

const ALGORITHMS: readonly KeyAlgorithm[] = [
  "ed25519",
  "ecdsa-p256",
  "ecdsa-p384",
  "rsa-pss",
  "rsa-pkcs1",
  "hmac",
];

for (const algorithm of ALGORITHMS) {
  const key = await generateKeyPair(algorithm, { bits: algorithm === "hmac" ? 256 : 2048 });
  const signer = createSigner(key);
  const verifier = createVerifier(key.kind === "private" ? key.publicKey : key);
  const signature = await signer.sign(message);
  const alternatives = [await webCrypto(key, algorithm), noble(key)].filter((a): a is Alt =>
    a !== undefined
  );
  Deno.bench({
    group: `${algorithm} sign`,
    name: "stellaops",
    baseline: true,
    fn: async () => void await signer.sign(message),
  });
  Deno.bench({
    group: `${algorithm} verify`,
    name: "stellaops",
    baseline: true,
    fn: async () => void await verifier.verify(message, signature),
  });
  for (const alt of alternatives) {
    Deno.bench({
      group: `${algorithm} sign`,
      name: alt.name,
      fn: async () => void await alt.sign(),
    });
    Deno.bench({
      group: `${algorithm} verify`,
      name: alt.name,
      fn: async () => void await alt.verify(),
    });
  }
}
