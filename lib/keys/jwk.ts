/**
 * JSON Web Keys: RFC 7517 §4 (members), RFC 7518 §6.2 (EC), §6.3 (RSA), §6.4 (oct), RFC 8037 §2
 * (OKP / Ed25519), and the `alg` values of RFC 7518 §3.1 / RFC 8037 §3.1 (`EdDSA`; RFC 9864's
 * `Ed25519` is accepted on import).
 *
 * Import is strict: base64url members must decode (RFC 7515 §2, no padding needed), EC and OKP
 * coordinates must have their exact lengths, RSA private keys must carry all CRT members (`oth`,
 * multi-prime, is refused), `use` must be `sig` when present, and an `alg` member must fit the
 * key (and `options.algorithm`, when both are given). The key itself is validated like every
 * other import path. Export writes the public or private members, `alg` and `kid` (the key id).
 *
 * @module
 */

import { decodeBase64Url, encodeBase64Url } from "../encoding/bytes.ts";
import { ParseError } from "../encoding/errors.ts";
import {
  bigintToBytes,
  bytesToBigint,
  checkEc,
  checkEd25519,
  checkHmac,
  checkRsa,
  curveOf,
  invalidKey,
  unsupportedKey,
} from "./_material.ts";
import { makePrivateKey, makePublicKey, makeSecretKey, materialOf } from "./_store.ts";
import type { ImportKeyOptions, Key, SignatureAlgorithm } from "./key.ts";

/**
 * A JSON Web Key: the platform's `JsonWebKey` members plus `kid` (RFC 7517 §4.5).
 *
 * @example Usage
 * ```ts
 * import { type Jwk } from "@stellaops/provenance/keys";
 * import { exportJwk, importJwk } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const jwk: Jwk = { kty: "oct", k: "AAAAAAAAAAAAAAAAAAAAAA", kid: "demo" };
 * const key = importJwk(jwk);
 * assert.deepEqual([key.kind, key.algorithm], ["secret", "hmac-sha256"]);
 * assert.deepEqual(exportJwk(key), {
 *   kty: "oct",
 *   k: "AAAAAAAAAAAAAAAAAAAAAA",
 *   alg: "HS256",
 *   kid: "84a75fa88350d9148567fbde8e07a511ca8b54206cb9b526f189c22257b968cc", // the toolkit key id, not "demo"
 * });
 * ```
 */
export interface Jwk extends JsonWebKey {
  /** Key id; {@link exportJwk} writes the toolkit key id, import ignores it. */
  kid?: string;
}

const ALG_TO_ALGORITHM: Readonly<Record<string, SignatureAlgorithm>> = {
  EdDSA: "ed25519",
  Ed25519: "ed25519",
  ES256: "ecdsa-p256-sha256",
  ES384: "ecdsa-p384-sha384",
  PS256: "rsa-pss-sha256",
  RS256: "rsa-pkcs1-sha256",
  HS256: "hmac-sha256",
};

const ALGORITHM_TO_ALG: Readonly<Record<SignatureAlgorithm, string>> = {
  "ed25519": "EdDSA",
  "ecdsa-p256-sha256": "ES256",
  "ecdsa-p384-sha384": "ES384",
  "rsa-pss-sha256": "PS256",
  "rsa-pkcs1-sha256": "RS256",
  "hmac-sha256": "HS256",
};

const EC_CURVES: Readonly<Record<string, "ecdsa-p256" | "ecdsa-p384">> = {
  "P-256": "ecdsa-p256",
  "P-384": "ecdsa-p384",
};

/**
 * Imports a JSON Web Key (public, private or `oct` secret).
 *
 * @param jwk The JWK object (parse JSON text first, e.g. with `parseJson`).
 * @param options Input name and default algorithm.
 * @returns A public, private or secret key.
 * @throws {ParseError} `KEY_INVALID` for malformed members or an inconsistent key;
 *   `KEY_UNSUPPORTED` for other key types, curves, sizes or `use`.
 * @throws {TypeError} When `jwk` is not an object.
 *
 * @example Usage
 * ```ts
 * import { importJwk } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const key = importJwk({
 *   kty: "EC",
 *   crv: "P-256",
 *   x: "Z805D3eqNZywjCI19lInBJOp7YMrCrzAH3CVTAOQ0jg",
 *   y: "DHgr1U4mkSWkT0Qzr_FDLOlOErynOqZ6yAzqEmCN33Q",
 * });
 * assert.equal(key.kind, "public");
 * assert.equal(key.algorithm, "ecdsa-p256-sha256");
 * assert.throws(() => importJwk({ kty: "EC", crv: "P-521", x: "", y: "" }), { code: "KEY_UNSUPPORTED" });
 * ```
 */
export function importJwk(jwk: Jwk, options: ImportKeyOptions = {}): Key {
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) {
    throw new TypeError("Pass the JWK as an object");
  }
  const name = options.name;
  const member = (field: string, required: boolean): Uint8Array | undefined => {
    const value = (jwk as Record<string, unknown>)[field];
    if (value === undefined) {
      if (required) throw invalidKey(name, `JWK member "${field}" is missing`);
      return undefined;
    }
    if (typeof value !== "string") throw invalidKey(name, `JWK member "${field}" must be a string`);
    try {
      return decodeBase64Url(value);
    } catch (error) {
      if (error instanceof ParseError) {
        throw invalidKey(name, `JWK member "${field}" is not base64url`);
      }
      throw error;
    }
  };
  if (jwk.use !== undefined && jwk.use !== "sig") {
    throw unsupportedKey(name, `JWK use "${String(jwk.use)}" is not "sig"`);
  }
  let fromAlg: SignatureAlgorithm | undefined;
  if (jwk.alg !== undefined) {
    fromAlg = typeof jwk.alg === "string" ? ALG_TO_ALGORITHM[jwk.alg] : undefined;
    if (fromAlg === undefined) {
      throw unsupportedKey(name, `JWK alg "${String(jwk.alg)}" is not supported`);
    }
    if (options.algorithm !== undefined && options.algorithm !== fromAlg) {
      throw invalidKey(
        name,
        `JWK alg "${jwk.alg}" conflicts with the requested ${options.algorithm}`,
      );
    }
  }
  const algorithm = options.algorithm ?? fromAlg;
  const checkAlg = (allowed: readonly SignatureAlgorithm[]): void => {
    if (algorithm !== undefined && !allowed.includes(algorithm)) {
      throw invalidKey(name, `JWK alg does not fit a ${String(jwk.kty)} key`);
    }
  };
  switch (jwk.kty) {
    case "OKP": {
      if (jwk.crv !== "Ed25519") {
        throw unsupportedKey(name, `OKP curve "${String(jwk.crv)}" is not supported`);
      }
      checkAlg(["ed25519"]);
      const material = checkEd25519(member("x", true), member("d", false), name);
      return material.seed === undefined
        ? makePublicKey(material, algorithm)
        : makePrivateKey(material, algorithm);
    }
    case "EC": {
      const type = typeof jwk.crv === "string" ? EC_CURVES[jwk.crv] : undefined;
      if (type === undefined) {
        throw unsupportedKey(name, `EC curve "${String(jwk.crv)}" is not supported`);
      }
      checkAlg([type === "ecdsa-p256" ? "ecdsa-p256-sha256" : "ecdsa-p384-sha384"]);
      const size = curveOf(type).size;
      const x = member("x", true)!;
      const y = member("y", true)!;
      const d = member("d", false);
      if (x.length !== size || y.length !== size || (d !== undefined && d.length !== size)) {
        throw invalidKey(name, `EC JWK coordinates must be ${size} bytes each`);
      }
      const point = new Uint8Array(1 + 2 * size);
      point[0] = 0x04;
      point.set(x, 1);
      point.set(y, 1 + size);
      const material = checkEc(type, point, d, name);
      return material.scalar === undefined
        ? makePublicKey(material, algorithm)
        : makePrivateKey(material, algorithm);
    }
    case "RSA": {
      checkAlg(["rsa-pss-sha256", "rsa-pkcs1-sha256"]);
      if (jwk.oth !== undefined) {
        throw unsupportedKey(name, "multi-prime RSA keys are not supported");
      }
      const n = bytesToBigint(member("n", true)!);
      const e = bytesToBigint(member("e", true)!);
      const d = member("d", false);
      if (d === undefined) return makePublicKey(checkRsa(n, e, undefined, name), algorithm);
      const [p, q, dp, dq, qi] = ["p", "q", "dp", "dq", "qi"].map((field) => {
        const value = member(field, false);
        if (value === undefined) {
          throw unsupportedKey(name, `RSA private JWK without "${field}" is not supported`);
        }
        return bytesToBigint(value);
      }) as [bigint, bigint, bigint, bigint, bigint];
      return makePrivateKey(
        checkRsa(n, e, { d: bytesToBigint(d), p, q, dp, dq, qi }, name),
        algorithm,
      );
    }
    case "oct":
      checkAlg(["hmac-sha256"]);
      return makeSecretKey(checkHmac(member("k", true)!, name));
    default:
      throw unsupportedKey(name, `JWK key type "${String(jwk.kty)}" is not supported`);
  }
}

/**
 * Exports a key as a JSON Web Key: a public key gives the public members, a private key the
 * private members too, a secret key `{"kty":"oct","k":…}`. `alg` is the key's algorithm and
 * `kid` its key id.
 *
 * @param key Any key made by this toolkit.
 * @returns A new JWK object (treat private and secret JWKs as secret).
 * @throws {TypeError} When `key` is not a key made by this toolkit.
 *
 * @example Usage
 * ```ts
 * import { exportJwk, importJwk } from "@stellaops/provenance/keys";
 * import assert from "node:assert/strict";
 * const jwk = { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" };
 * const exported = exportJwk(importJwk(jwk));
 * assert.equal(exported.x, jwk.x);
 * assert.equal(exported.alg, "EdDSA");
 * ```
 */
export function exportJwk(key: Key): Jwk {
  const material = materialOf(key);
  const tail = { alg: ALGORITHM_TO_ALG[key.algorithm], kid: key.keyid };
  switch (material.type) {
    case "hmac":
      return { kty: "oct", k: encodeBase64Url(material.secret), ...tail };
    case "ed25519": {
      const jwk: Jwk = {
        kty: "OKP",
        crv: "Ed25519",
        x: encodeBase64Url(material.publicKey),
      };
      if (key.kind === "private" && material.seed !== undefined) {
        jwk.d = encodeBase64Url(material.seed);
      }
      return { ...jwk, ...tail };
    }
    case "rsa": {
      const b = (v: bigint): string => encodeBase64Url(bigintToBytes(v));
      const jwk: Jwk = { kty: "RSA", n: b(material.n), e: b(material.e) };
      const parts = material.private;
      if (key.kind === "private" && parts !== undefined) {
        Object.assign(jwk, {
          d: b(parts.d),
          p: b(parts.p),
          q: b(parts.q),
          dp: b(parts.dp),
          dq: b(parts.dq),
          qi: b(parts.qi),
        });
      }
      return { ...jwk, ...tail };
    }
    default: {
      const { size, name } = curveOf(material.type);
      const jwk: Jwk = {
        kty: "EC",
        crv: name,
        x: encodeBase64Url(material.point.subarray(1, 1 + size)),
        y: encodeBase64Url(material.point.subarray(1 + size)),
      };
      if (key.kind === "private" && material.scalar !== undefined) {
        jwk.d = encodeBase64Url(material.scalar);
      }
      return { ...jwk, ...tail };
    }
  }
}
