/**
 * Builds key objects from validated material and keeps the material out of the objects: a
 * module-private `WeakMap` maps each frozen key object to its material and cached DER forms.
 *
 * Internal to `lib/keys/`: other layers reach {@link materialOf}, {@link spkiOf} and
 * {@link pkcs8Of} through `raw_key.ts`; nothing here is re-exported from `mod.ts`.
 *
 * @module
 */

import { createHmac } from "node:crypto";
import { encodeHex } from "../encoding/bytes.ts";
import {
  type AsymmetricMaterial,
  bitLength,
  curveOf,
  encodePkcs8,
  encodeSpki,
  type HmacMaterial,
  type KeyMaterial,
} from "./_material.ts";
import {
  computeKeyId,
  type Key,
  type PrivateKey,
  type PublicKey,
  type SecretKey,
  type SignatureAlgorithm,
} from "./key.ts";

interface Entry {
  readonly material: KeyMaterial;
  spki?: Uint8Array<ArrayBuffer>;
  pkcs8?: Uint8Array<ArrayBuffer>;
}

const STORE = new WeakMap<object, Entry>();

/** Domain-separation message of HMAC key ids (see `key.ts`). */
export const HMAC_KEYID_MESSAGE = "stellaops/hmac-keyid/v1";

function defaultAlgorithm(
  material: KeyMaterial,
  requested: SignatureAlgorithm | undefined,
): SignatureAlgorithm {
  const allowed: readonly SignatureAlgorithm[] = material.type === "rsa"
    ? ["rsa-pss-sha256", "rsa-pkcs1-sha256"]
    : material.type === "ed25519"
    ? ["ed25519"]
    : material.type === "ecdsa-p256"
    ? ["ecdsa-p256-sha256"]
    : material.type === "ecdsa-p384"
    ? ["ecdsa-p384-sha384"]
    : ["hmac-sha256"];
  if (requested === undefined) return allowed[0]!;
  if (!allowed.includes(requested)) {
    throw new TypeError(
      `Cannot use algorithm "${requested}" with a ${material.type} key: use ${
        allowed.join(" or ")
      }`,
    );
  }
  return requested;
}

function bitsOf(material: AsymmetricMaterial): number {
  if (material.type === "ed25519") return 256;
  if (material.type === "rsa") return bitLength(material.n);
  return curveOf(material.type).size * 8;
}

function publicPart(material: AsymmetricMaterial): AsymmetricMaterial {
  switch (material.type) {
    case "ed25519":
      return { type: "ed25519", publicKey: material.publicKey };
    case "rsa":
      return { type: "rsa", n: material.n, e: material.e };
    default:
      return { type: material.type, point: material.point };
  }
}

/** Builds a frozen {@link PublicKey} from validated material (private parts are dropped). */
export function makePublicKey(
  material: AsymmetricMaterial,
  algorithm?: SignatureAlgorithm,
): PublicKey {
  const pub = publicPart(material);
  const spki = encodeSpki(pub);
  const key: PublicKey = Object.freeze({
    kind: "public",
    type: pub.type,
    keyid: computeKeyId(spki),
    algorithm: defaultAlgorithm(pub, algorithm),
    bits: bitsOf(pub),
  });
  STORE.set(key, { material: pub, spki });
  return key;
}

/** Builds a frozen {@link PrivateKey} from validated private material. */
export function makePrivateKey(
  material: AsymmetricMaterial,
  algorithm?: SignatureAlgorithm,
): PrivateKey {
  const hasPrivate = material.type === "ed25519"
    ? material.seed !== undefined
    : material.type === "rsa"
    ? material.private !== undefined
    : material.scalar !== undefined;
  if (!hasPrivate) throw new TypeError("Cannot make a private key from public material");
  const publicKey = makePublicKey(material, algorithm);
  const key: PrivateKey = Object.freeze({
    kind: "private",
    type: publicKey.type,
    keyid: publicKey.keyid,
    algorithm: publicKey.algorithm,
    bits: publicKey.bits,
    publicKey,
  });
  STORE.set(key, { material, spki: STORE.get(publicKey)!.spki! });
  return key;
}

/** Builds a frozen {@link SecretKey} from a validated HMAC secret. */
export function makeSecretKey(material: HmacMaterial): SecretKey {
  const keyid = encodeHex(
    createHmac("sha256", material.secret).update(HMAC_KEYID_MESSAGE).digest(),
  );
  const key: SecretKey = Object.freeze({
    kind: "secret",
    type: "hmac",
    keyid,
    algorithm: "hmac-sha256",
    bits: material.secret.length * 8,
  });
  STORE.set(key, { material });
  return key;
}

function entryOf(key: Key): Entry {
  const entry = typeof key === "object" && key !== null ? STORE.get(key) : undefined;
  if (entry === undefined) {
    throw new TypeError(
      "Pass a key made by importKey, importKeyPem, importJwk, importHmacSecret or generateKeyPair",
    );
  }
  return entry;
}

/** The material behind a key object. */
export function materialOf(key: Key): KeyMaterial {
  return entryOf(key).material;
}

/** The canonical SPKI DER of an asymmetric key (a copy). */
export function spkiOf(key: PublicKey | PrivateKey): Uint8Array<ArrayBuffer> {
  const entry = entryOf(key);
  if (entry.spki === undefined) throw new TypeError("Pass a public or private key");
  return entry.spki.slice();
}

/** The canonical PKCS#8 DER of a private key (a copy). */
export function pkcs8Of(key: PrivateKey): Uint8Array<ArrayBuffer> {
  const entry = entryOf(key);
  if (key.kind !== "private" || entry.material.type === "hmac") {
    throw new TypeError("Pass a private key");
  }
  entry.pkcs8 ??= encodePkcs8(entry.material);
  return entry.pkcs8.slice();
}
