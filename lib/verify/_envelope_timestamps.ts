/**
 * RFC 3161 tokens over an envelope's signatures (internal to `verifyEnvelope`, step 2): each token
 * is verified against the trust's TSA roots over every signature, and binds its `genTime` only to
 * signatures that verify under a trusted key (see the `verifyEnvelope` module documentation).
 *
 * @module
 */

import type { ParsedEnvelope } from "../model/dsse.ts";
import { type Check, fail, pass } from "./report.ts";
import type { TrustedKey } from "./trust_policy.ts";

/** A time proven by an RFC 3161 token bound to a signature. */
export interface StampedTime {
  at: number;
  slack: number;
}

/**
 * Verifies the RFC 3161 tokens (lazily loading the X.509/CMS code) against every signature and
 * binds each token that verifies to the signatures that verify under a trusted key: the earliest
 * bound `genTime` is that signature's time. One check per token, in token order.
 */
export async function bindTimestamps(
  envelope: ParsedEnvelope,
  verifying: readonly (TrustedKey | undefined)[],
  tokens: readonly Uint8Array[],
  roots: readonly Uint8Array[] | undefined,
  s: { now: number; skew: number },
): Promise<{ checks: Check[]; times: Map<number, StampedTime> }> {
  const { verifyTimestamp } = await import("./timestamp.ts");
  const times = new Map<number, StampedTime>();
  const outcomes: ({ bound: true } | { ignored: string } | { failed: Check })[] = [];
  for (const [i, token] of tokens.entries()) {
    let bound = false;
    const unbound: number[] = [];
    let failure: Check | undefined;
    for (const [index, signature] of envelope.signatures.entries()) {
      const result = await verifyTimestamp(token, {
        data: signature.sigBytes,
        roots: roots ?? [],
        at: s.now,
        skew: s.skew,
        name: `timestamp ${i}`,
      });
      if (result.verified && result.genTime !== undefined) {
        if (verifying[index] === undefined) {
          unbound.push(index);
          continue;
        }
        bound = true;
        const seen = times.get(index);
        if (seen === undefined || result.genTime < seen.at) {
          times.set(index, { at: result.genTime, slack: result.accuracyMs ?? 0 });
        }
        continue;
      }
      const failed = result.checks.find((c) => !c.ok);
      if (
        failure === undefined ||
        (failure.code === "TIMESTAMP_IMPRINT_MISMATCH" && failed?.code !== undefined &&
          failed.code !== "TIMESTAMP_IMPRINT_MISMATCH")
      ) {
        failure = failed;
      }
    }
    if (bound) outcomes.push({ bound: true });
    else if (unbound.length > 0) {
      const which = unbound.map((n) => `signature ${n}`).join(", ");
      outcomes.push({
        ignored: `timestamp ${i} is over ${which}, which does not verify under a trusted key`,
      });
    } else {
      outcomes.push({
        failed: failure ?? fail(
          "timestamp.rfc3161",
          "TIMESTAMP_MALFORMED",
          `Reject timestamp ${i}: it verifies over no signature of the envelope`,
        ),
      });
    }
  }
  const anyBound = times.size > 0;
  const checks = outcomes.map((outcome): Check => {
    if ("bound" in outcome) return pass("timestamp.rfc3161");
    if ("ignored" in outcome) return ignored(outcome.ignored);
    const { failed } = outcome;
    if (anyBound) return ignored(failed.message ?? failed.code ?? "it does not verify");
    return fail("timestamp.rfc3161", failed.code ?? "TIMESTAMP_MALFORMED", failed.message ?? "");
  });
  return { checks, times };
}

/** A passing `timestamp.rfc3161` check for a token that is not a time source. */
function ignored(why: string): Check {
  return { id: "timestamp.rfc3161", ok: true, message: `Ignored (not a time source): ${why}` };
}
