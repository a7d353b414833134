/**
 * Signing DSSE envelopes (secure-systems-lab/dsse protocol.md "Signature definition" and
 * envelope.md): every signer signs `PAE(payloadType, payload)` and the envelope carries one
 * signature per signer, in signer order, each with the signer's `keyid`.
 *
 * An in-toto Statement (in-toto attestation spec v1 `statement.md`) is validated, serialized as
 * RFC 8785 canonical JSON (so the same statement always gives the same payload bytes, and with
 * deterministic signers the same envelope) and given the payloadType
 * `application/vnd.in-toto+json` (`envelope.md` of the in-toto attestation spec).
 *
 * Verification of envelopes (keys, thresholds, trust policy) lives in `lib/verify/`.
 *
 * @module
 */

import { canonicalBytes } from "../encoding/canonical_json.ts";
import {
  createEnvelope,
  type DsseEnvelope,
  INTOTO_PAYLOAD_TYPE,
  preAuthEncoding,
} from "../model/dsse.ts";
import { assertStatement, type Statement } from "../model/statement.ts";
import type { Signer } from "../crypto/signer.ts";
import { isObject } from "../encoding/json_value.ts";

/** A raw payload to sign: its media type and bytes. */
export interface EnvelopePayload {
  /** Media type or URI of the payload, e.g. `application/vnd.in-toto+json`. */
  payloadType: string;
  /** The payload bytes (SERIALIZED_BODY). */
  payload: Uint8Array;
}

/** Options of {@link signEnvelope}. */
export interface SignEnvelopeOptions {
  /**
   * Validate a Statement input with `assertStatement` before signing (default `true`). Raw
   * payloads are never inspected.
   */
  validate?: boolean | undefined;
}

function isPayload(input: unknown): input is EnvelopePayload {
  return typeof input === "object" && input !== null &&
    (input as EnvelopePayload).payload instanceof Uint8Array &&
    typeof (input as EnvelopePayload).payloadType === "string";
}

/**
 * Signs a Statement or a raw payload into a DSSE envelope with one or more signers.
 *
 * @param input An in-toto Statement (signed as RFC 8785 canonical JSON with payloadType
 *   `application/vnd.in-toto+json`) or `{ payloadType, payload }`.
 * @param signers Signers, in the order their signatures appear; each signature's `keyid` is the
 *   signer's `keyid`.
 * @param options Statement validation switch.
 * @returns The envelope (base64 payload and signatures).
 * @throws {ValidationError} When a Statement input is invalid (and `validate` is not `false`).
 * @throws {TypeError} When `input` or a signer has the wrong shape.
 * @throws {RangeError} When `signers` is empty.
 *
 * @example Usage
 * ```ts
 * import { createSigner, generateKeyPair, signEnvelope } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const key = await generateKeyPair("ed25519");
 * const statement = {
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "app", digest: { sha256: "a".repeat(64) } }],
 *   predicateType: "https://example.com/predicate/v1",
 *   predicate: {},
 * };
 * const envelope = await signEnvelope(statement, [createSigner(key)]);
 * assert.equal(envelope.payloadType, "application/vnd.in-toto+json");
 * assert.equal(envelope.signatures[0]?.keyid, key.keyid);
 * assert.deepEqual(await signEnvelope(statement, [createSigner(key)]), envelope); // deterministic
 * ```
 */
export async function signEnvelope(
  input: Statement<unknown> | EnvelopePayload,
  signers: readonly Signer[],
  options: SignEnvelopeOptions = {},
): Promise<DsseEnvelope> {
  if (!Array.isArray(signers)) throw new TypeError("Pass signers as an array");
  if (signers.length === 0) throw new RangeError("Pass at least one signer");
  for (const [i, signer] of signers.entries()) {
    if (typeof signer?.sign !== "function" || typeof signer.keyid !== "string") {
      throw new TypeError(`Pass signers[${i}] as a Signer (keyid, algorithm, sign)`);
    }
  }
  let payloadType: string;
  let payload: Uint8Array;
  if (isPayload(input)) {
    payloadType = input.payloadType;
    payload = input.payload;
  } else if (isObject(input)) {
    if (options.validate !== false) assertStatement(input);
    payloadType = INTOTO_PAYLOAD_TYPE;
    payload = canonicalBytes(input);
  } else {
    throw new TypeError("Pass a Statement or { payloadType, payload } to sign");
  }
  const pae = preAuthEncoding(payloadType, payload);
  const signatures: { keyid: string; sig: Uint8Array }[] = [];
  // Sequential on purpose: signers with side effects (audit logs, hardware) see a fixed order.
  for (const signer of signers) {
    signatures.push({ keyid: signer.keyid, sig: await signer.sign(pae) });
  }
  return createEnvelope(payloadType, payload, signatures);
}
