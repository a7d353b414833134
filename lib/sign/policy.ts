/**
 * {@link PolicySigner}: the required-claims policy (`lib/model/claim_policy.ts`) enforced at the
 * signing boundary. It recovers the payload from the DSSE PAE bytes it is asked to sign and refuses
 * (throwing {@link ValidationError}) when a claim is missing or mismatched, before the wrapped
 * signer ever sees the bytes.
 *
 * The claims policy itself is re-exported here for the signing layer's callers.
 *
 * @module
 */

import { ValidationError } from "../encoding/errors.ts";
import { assertPolicy, type ClaimPolicy, validatePolicy } from "../model/claim_policy.ts";
import { parsePae, parsePayloadJson } from "./_pae.ts";
import type { Signer } from "../crypto/signer.ts";
import type { SignatureAlgorithm } from "../keys/key.ts";

export {
  assertPolicy,
  evaluatePolicy,
  parsePolicy,
  validatePolicy,
} from "../model/claim_policy.ts";
export type { ClaimPolicy, ParsePolicyOptions, RequiredClaim } from "../model/claim_policy.ts";

/**
 * A {@link Signer} wrapper that refuses to sign a statement failing a required-claims policy.
 *
 * `sign(data)` expects DSSE PAE bytes (what `signEnvelope` passes); it recovers the payload,
 * parses it as JSON and evaluates the policy before the wrapped signer sees anything. With a
 * non-empty policy, bytes that are not a PAE or a payload that is not JSON are refused as well
 * (the claims cannot be checked). With an empty or absent policy every payload is signed.
 *
 * @example Usage
 * ```ts
 * import { type Signer } from "@stellaops/provenance";
 * import { PolicySigner } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const inner: Signer = { keyid: "k", algorithm: "hmac-sha256", sign: () => Promise.resolve(new Uint8Array(1)) };
 * const signer = new PolicySigner(inner, { requiredClaims: [{ pointer: "/predicate/id" }] });
 * const pae = new TextEncoder().encode('DSSEv1 28 application/vnd.in-toto+json 2 {}');
 * await assert.rejects(signer.sign(pae), { name: "ValidationError" });
 * ```
 */
export class PolicySigner implements Signer {
  readonly #inner: Signer;
  readonly #policy: ClaimPolicy | undefined;

  /**
   * Wraps a signer with a policy.
   *
   * @param signer The signer that signs once the policy holds.
   * @param policy The required-claims policy; empty or absent allows everything.
   * @throws {ValidationError} When the policy is malformed.
   */
  constructor(signer: Signer, policy: ClaimPolicy | undefined) {
    if (policy !== undefined) {
      const problems = validatePolicy(policy);
      if (problems.length > 0) throw new ValidationError("Invalid policy", problems);
    }
    this.#inner = signer;
    this.#policy = policy;
  }

  /** Key id of the wrapped signer. */
  get keyid(): string {
    return this.#inner.keyid;
  }

  /** Algorithm of the wrapped signer. */
  get algorithm(): SignatureAlgorithm {
    return this.#inner.algorithm;
  }

  /**
   * Checks the policy against the payload inside `data`, then signs `data`.
   *
   * @param data DSSE PAE bytes.
   * @returns The wrapped signer's signature.
   * @throws {ValidationError} When a required claim is missing or mismatched (every one listed),
   *   or, with a non-empty policy, when the payload cannot be read as JSON.
   */
  sign(data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    const claims = this.#policy?.requiredClaims ?? [];
    if (claims.length > 0) {
      const pae = parsePae(data);
      if (pae === null) {
        return Promise.reject(
          new ValidationError("Cannot sign: policy requires claims", [{
            path: "",
            code: "CLAIM_MISSING",
            message:
              "Sign a DSSE PAE: the bytes to sign do not carry a payload the policy can read",
          }]),
        );
      }
      const statement = parsePayloadJson(pae.payload);
      if (statement === undefined) {
        return Promise.reject(
          new ValidationError("Cannot sign: policy requires claims", [{
            path: "",
            code: "CLAIM_MISSING",
            message: `Sign a JSON payload: payload of type "${pae.payloadType}" is not JSON`,
          }]),
        );
      }
      try {
        assertPolicy(statement, this.#policy);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#inner.sign(data);
  }
}
