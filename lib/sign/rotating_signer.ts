/**
 * A signer over a key ring that signs with the key valid at the signing time the caller passes
 * (`activeKeyAt` in `key_ring.ts`), with an `onRotate` hook when that key changes between calls.
 * The library never reads the clock: every call names its time.
 *
 * @module
 */

import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import { ValidationError } from "../encoding/errors.ts";
import { activeKeyAt, type KeyRing, type KeyRingEntry, validateKeyRing } from "./key_ring.ts";
import type { Signer } from "../crypto/signer.ts";
import type { SignatureAlgorithm } from "../keys/key.ts";

/**
 * What {@link RotatingSigner} reports to `onRotate` when the signing key changes.
 *
 * @example Usage
 * ```ts
 * import {
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   type PrivateKey,
 * } from "@stellaops/provenance";
 * import { type RotationEvent } from "@stellaops/provenance/sign";
 * import { rotateKeyRing, RotatingSigner } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const [a, b] = [await generateKeyPair("ed25519"), await generateKeyPair("ed25519")];
 * assert.ok(a.kind === "private" && b.kind === "private");
 * const ringKey = (k: PrivateKey) => ({
 *   keyid: k.keyid,
 *   algorithm: "ed25519" as const,
 *   publicKey: exportPublicKeyPem(k),
 * });
 * const first = rotateKeyRing({ keys: [] }, ringKey(a), "2025-01-01T00:00:00Z");
 * const ring = rotateKeyRing(first, ringKey(b), "2025-02-01T00:00:00Z");
 * const events: RotationEvent[] = [];
 * const signer = new RotatingSigner(ring, [createSigner(a), createSigner(b)], {
 *   onRotate: (event) => void events.push(event),
 * });
 * await signer.sign(new Uint8Array(), "2025-01-20T00:00:00Z");
 * await signer.sign(new Uint8Array(), "2025-02-01T01:00:00+01:00");
 * assert.deepEqual(events, [{ previousKeyid: a.keyid, keyid: b.keyid, time: "2025-02-01T00:00:00Z" }]);
 * ```
 */
export interface RotationEvent {
  /** Key id used by the previous call. */
  previousKeyid: string;
  /** Key id used from this call on. */
  keyid: string;
  /** Signing time of this call (RFC 3339, UTC). */
  time: string;
}

/**
 * Options of {@link RotatingSigner}.
 *
 * @example Usage
 * ```ts
 * import {
 *   createSigner,
 *   exportPublicKeyPem,
 *   generateKeyPair,
 *   type PrivateKey,
 * } from "@stellaops/provenance";
 * import { type RotatingSignerOptions } from "@stellaops/provenance/sign";
 * import { rotateKeyRing, RotatingSigner } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const [a, b] = [await generateKeyPair("ed25519"), await generateKeyPair("ed25519")];
 * assert.ok(a.kind === "private" && b.kind === "private");
 * const ringKey = (k: PrivateKey) => ({
 *   keyid: k.keyid,
 *   algorithm: "ed25519" as const,
 *   publicKey: exportPublicKeyPem(k),
 * });
 * const first = rotateKeyRing({ keys: [] }, ringKey(a), "2025-01-01T00:00:00Z");
 * const ring = rotateKeyRing(first, ringKey(b), "2025-02-01T00:00:00Z");
 * const options: RotatingSignerOptions = {
 *   onRotate: (event) => {
 *     throw new Error(`Rotation to ${event.keyid} not approved`);
 *   },
 * };
 * const signer = new RotatingSigner(ring, [createSigner(a), createSigner(b)], options);
 * assert.equal((await signer.sign(new Uint8Array(), "2025-01-20T00:00:00Z")).keyid, a.keyid);
 * await assert.rejects(signer.sign(new Uint8Array(), "2025-02-02T00:00:00Z"), {
 *   message: `Rotation to ${b.keyid} not approved`,
 * });
 * ```
 */
export interface RotatingSignerOptions {
  /**
   * Called (synchronously, before signing) when the key chosen for a call differs from the one
   * chosen for the previous call. Not called on the first call. An exception aborts the call.
   */
  onRotate?: ((event: RotationEvent) => void) | undefined;
}

/**
 * A signature made by {@link RotatingSigner.sign} and the key that made it.
 *
 * @example Usage
 * ```ts
 * import { createSigner, exportPublicKeyPem, generateKeyPair } from "@stellaops/provenance";
 * import { type RotatingSignature } from "@stellaops/provenance/sign";
 * import { createVerifier } from "@stellaops/provenance/crypto";
 * import { rotateKeyRing, RotatingSigner } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * assert.ok(key.kind === "private");
 * const ring = rotateKeyRing({ keys: [] }, {
 *   keyid: key.keyid,
 *   algorithm: "ed25519",
 *   publicKey: exportPublicKeyPem(key),
 * }, "2025-01-01T00:00:00Z");
 * const data = new TextEncoder().encode("hello");
 * const signature: RotatingSignature = await new RotatingSigner(ring, [createSigner(key)])
 *   .sign(data, "2025-01-15T00:00:00Z");
 * assert.equal(signature.keyid, key.keyid);
 * assert.equal(signature.algorithm, "ed25519");
 * assert.equal(await createVerifier(key.publicKey).verify(data, signature.signature), true);
 * ```
 */
export interface RotatingSignature {
  /** Key id of the key used. */
  keyid: string;
  /** Its algorithm. */
  algorithm: SignatureAlgorithm;
  /** The signature bytes. */
  signature: Uint8Array<ArrayBuffer>;
}

/** The private signers a {@link RotatingSigner} may use, keyed by key id. */
export type SignerSet =
  | ReadonlyMap<string, Signer>
  | Readonly<Record<string, Signer>>
  | readonly Signer[];

/**
 * Signs with whichever key of a ring is valid at the time each call names.
 *
 * Selection is `activeKeyAt(ring, time)`: among keys valid at that instant, the most recent
 * `validFrom`. So during a rotation overlap the new key signs, and a backdated time picks the
 * key that was current then. The private signer for the chosen key must be in `signers`.
 *
 * @example Usage
 * ```ts
 * import { type Signer } from "@stellaops/provenance";
 * import { RotatingSigner } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const oldKey = { keyid: "fd110d301d2f077de1414b8f99f441b1403fab207b2052fbd2c065e4ee8e7dc2",
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=\n-----END PUBLIC KEY-----\n" };
 * const newKey = { keyid: "47dea58ea00fae9417ee19d76755bfef690899021132effb04fe1f9e4f0c8059",
 *   publicKey: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAgTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q=\n-----END PUBLIC KEY-----\n" };
 * const ring = { keys: [
 *   { ...oldKey, algorithm: "ed25519" as const, status: "retired" as const,
 *     validFrom: "2025-01-01T00:00:00Z", validUntil: "2025-02-02T00:00:00Z" },
 *   { ...newKey, algorithm: "ed25519" as const, status: "active" as const,
 *     validFrom: "2025-02-01T00:00:00Z" },
 * ] };
 * // Stand-ins for the private signers (e.g. from createSigner) of the two keys.
 * const fake = (keyid: string): Signer => ({
 *   keyid, algorithm: "ed25519", sign: () => Promise.resolve(new Uint8Array(64)),
 * });
 * const rotations: string[] = [];
 * const signer = new RotatingSigner(ring, [fake(oldKey.keyid), fake(newKey.keyid)], {
 *   onRotate: (e) => void rotations.push(`${e.previousKeyid} -> ${e.keyid} at ${e.time}`),
 * });
 * assert.equal((await signer.sign(new Uint8Array(), "2025-01-20T00:00:00Z")).keyid, oldKey.keyid);
 * assert.equal((await signer.sign(new Uint8Array(), "2025-02-01T00:00:00Z")).keyid, newKey.keyid);
 * assert.deepEqual(rotations, [`${oldKey.keyid} -> ${newKey.keyid} at 2025-02-01T00:00:00Z`]);
 * ```
 */
export class RotatingSigner {
  readonly #ring: KeyRing;
  readonly #signers: ReadonlyMap<string, Signer>;
  readonly #onRotate: ((event: RotationEvent) => void) | undefined;
  #lastKeyid: string | undefined;

  /**
   * Creates a rotating signer.
   *
   * @param ring The key ring (validated).
   * @param signers Private signers: a map or record keyed by key id, or an array (indexed by each
   *   signer's `keyid`).
   * @param options The `onRotate` hook.
   * @throws {ValidationError} When the ring is malformed.
   * @throws {TypeError} When a map key differs from its signer's `keyid`, or two signers share one.
   */
  constructor(ring: KeyRing, signers: SignerSet, options: RotatingSignerOptions = {}) {
    const problems = validateKeyRing(ring);
    if (problems.length > 0) throw new ValidationError("Invalid key ring", problems);
    this.#ring = { keys: ring.keys.map((k) => ({ ...k })) };
    const byId = new Map<string, Signer>();
    const entries: [string, Signer][] = Array.isArray(signers)
      ? (signers as readonly Signer[]).map((s) => [s?.keyid, s])
      : signers instanceof Map
      ? [...(signers as ReadonlyMap<string, Signer>).entries()]
      : Object.entries(signers as Readonly<Record<string, Signer>>);
    for (const [keyid, signer] of entries) {
      if (typeof signer?.sign !== "function") {
        throw new TypeError(`Pass a Signer for key "${keyid}"`);
      }
      if (signer.keyid !== keyid) {
        throw new TypeError(
          `Pass the signer for key "${keyid}" under its own key id, not "${signer.keyid}"`,
        );
      }
      if (byId.has(keyid)) {
        throw new TypeError(`Pass one signer per key id: "${keyid}" appears twice`);
      }
      byId.set(keyid, signer);
    }
    this.#signers = byId;
    this.#onRotate = options.onRotate;
  }

  /**
   * The ring entry that signs at `time` (no hook is called).
   *
   * @param time The signing instant (RFC 3339 text or epoch milliseconds).
   * @returns The entry.
   * @throws {RangeError} When no key of the ring is valid at `time`.
   * @throws {ParseError} `TIME_INVALID` when `time` is not RFC 3339.
   */
  keyAt(time: string | number): KeyRingEntry {
    const entry = activeKeyAt(this.#ring, time);
    if (entry === undefined) {
      const text = typeof time === "number" ? formatRfc3339(time) : time;
      throw new RangeError(`Cannot sign at ${text}: no key of the ring is valid then`);
    }
    return { ...entry };
  }

  /**
   * Chooses the key for `time`, fires `onRotate` when it differs from the previous call's, and
   * returns that key's private signer (usable with `signEnvelope`).
   *
   * @param time The signing instant (RFC 3339 text or epoch milliseconds).
   * @returns The signer of the key valid at `time`.
   * @throws {RangeError} When no key is valid at `time` or its private signer is missing.
   * @throws {TypeError} When the private signer's algorithm differs from the ring's.
   */
  at(time: string | number): Signer {
    const entry = this.keyAt(time);
    const signer = this.#signers.get(entry.keyid);
    const text = typeof time === "number"
      ? formatRfc3339(time)
      : formatRfc3339(parseRfc3339(time, "time"));
    if (signer === undefined) {
      throw new RangeError(`Cannot sign at ${text}: no private signer for key "${entry.keyid}"`);
    }
    if (signer.algorithm !== entry.algorithm) {
      throw new TypeError(
        `Cannot sign with key "${entry.keyid}": the ring says ${entry.algorithm}, the signer ${signer.algorithm}`,
      );
    }
    const previous = this.#lastKeyid;
    if (previous !== undefined && previous !== entry.keyid) {
      this.#onRotate?.({ previousKeyid: previous, keyid: entry.keyid, time: text });
    }
    this.#lastKeyid = entry.keyid;
    return signer;
  }

  /**
   * Signs `data` with the key valid at `time`.
   *
   * @param data Bytes to sign (for DSSE: the PAE bytes).
   * @param time The signing instant (RFC 3339 text or epoch milliseconds).
   * @returns The signature and the key that made it.
   * @throws {RangeError} When no key is valid at `time` or its private signer is missing.
   */
  async sign(data: Uint8Array, time: string | number): Promise<RotatingSignature> {
    const signer = this.at(time);
    const signature = await signer.sign(data);
    return { keyid: signer.keyid, algorithm: signer.algorithm, signature };
  }
}
