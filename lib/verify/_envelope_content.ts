/**
 * What an envelope says (internal to `verifyEnvelope`, steps 5–7 and the Merkle anchor):
 * `payload.type`, `statement.parse` (in-toto Statement v1 / v0.1, or legacy in-toto link and
 * layout metadata), the trust's content rules (`policy.predicate-type`, `policy.claims`) and
 * `merkle.root`.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { INTOTO_PAYLOAD_TYPE, type ParsedEnvelope } from "../model/dsse.ts";
import { validateStatement } from "../model/statement.ts";
import { evaluatePolicy, type RequiredClaim } from "../model/claim_policy.ts";
import type { FailureCode } from "./codes.ts";
import { type Check, fail, pass, type StatementSummary } from "./report.ts";

export function checkMerkleRoot(summary: StatementSummary | undefined, expected: string): Check {
  const want = expected.toLowerCase().replace(/^sha256:/, "");
  const roots = (summary?.subjects ?? []).map((s) => s.digest["merkleSha256"]).filter((d) =>
    d !== undefined
  );
  if (roots.some((root) => root.toLowerCase() === want)) return pass("merkle.root");
  return fail(
    "merkle.root",
    "MERKLE_ROOT_MISMATCH",
    roots.length === 0
      ? `Reject --merkle-root sha256:${want}: no subject carries a merkleSha256 digest`
      : `Reject --merkle-root sha256:${want}: the statement commits to ${
        roots.map((r) => `sha256:${r}`).join(", ")
      }`,
  );
}

export function checkContent(
  envelope: ParsedEnvelope,
  s: {
    allowedPredicateTypes: readonly string[] | undefined;
    requiredClaims: readonly RequiredClaim[] | undefined;
  },
): { checks: Check[]; summary: StatementSummary | undefined } {
  const constrained = s.allowedPredicateTypes !== undefined || s.requiredClaims !== undefined;
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    if (!constrained) return { checks: [pass("payload.type")], summary: undefined };
    return {
      checks: [
        fail(
          "payload.type",
          "PAYLOAD_TYPE_UNSUPPORTED",
          `Reject payload type "${envelope.payloadType}": the trust policy checks content, which needs "${INTOTO_PAYLOAD_TYPE}"`,
        ),
      ],
      summary: undefined,
    };
  }
  const checks: Check[] = [pass("payload.type")];
  let value: unknown;
  try {
    value = parseJson(envelope.payloadBytes, { name: "payload" });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    checks.push(fail("statement.parse", "STATEMENT_INVALID", error.message));
    return { checks, summary: undefined };
  }
  const legacy = summarizeLegacy(value);
  if (legacy !== undefined) {
    checks.push(pass("statement.parse"));
    if (constrained) {
      checks.push(
        fail(
          "policy.predicate-type",
          "PREDICATE_TYPE_NOT_ALLOWED",
          `Reject legacy in-toto ${legacy.type}: it has no predicate type`,
        ),
      );
    }
    return { checks, summary: legacy };
  }
  const problems = validateStatement(value);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path || "(root)"}: ${p.message}`).join("; ");
    checks.push(fail("statement.parse", "STATEMENT_INVALID", `Reject in-toto statement: ${list}`));
    return { checks, summary: undefined };
  }
  checks.push(pass("statement.parse"));
  const statement = value as {
    _type: string;
    predicateType: string;
    subject: { name?: string; digest: Record<string, string> }[];
  };
  const summary: StatementSummary = {
    type: statement._type,
    predicateType: statement.predicateType,
    subjects: statement.subject.map((s) => ({ name: s.name ?? "", digest: s.digest })),
  };
  if (s.allowedPredicateTypes !== undefined) {
    checks.push(
      s.allowedPredicateTypes.includes(statement.predicateType)
        ? pass("policy.predicate-type")
        : fail(
          "policy.predicate-type",
          "PREDICATE_TYPE_NOT_ALLOWED",
          `Reject predicate type "${statement.predicateType}": allowed are ${
            s.allowedPredicateTypes.map((t) => `"${t}"`).join(", ")
          }`,
        ),
    );
  }
  if (s.requiredClaims !== undefined) {
    const claimProblems = evaluatePolicy(value, { requiredClaims: [...s.requiredClaims] });
    checks.push(
      claimProblems.length === 0 ? pass("policy.claims") : fail(
        "policy.claims",
        claimProblems[0]!.code as FailureCode,
        `Reject statement: ${claimProblems.map((p) => p.message).join("; ")}`,
      ),
    );
  }
  return { checks, summary };
}

/**
 * Legacy in-toto metadata (in-toto v0.9 `_type: "link"` or `"layout"`, as in-toto-golang signs in
 * DSSE): a link's products become the subjects; a layout has none.
 */
function summarizeLegacy(value: unknown): StatementSummary | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const type = (value as { _type?: unknown })._type;
  if (type === "layout") return { type, predicateType: "", subjects: [] };
  if (type !== "link") return undefined;
  const products = (value as { products?: unknown }).products;
  const subjects: StatementSummary["subjects"] = [];
  if (typeof products === "object" && products !== null) {
    for (const name of Object.keys(products).sort()) {
      const digest = (products as Record<string, unknown>)[name];
      if (typeof digest === "object" && digest !== null) {
        subjects.push({ name, digest: digest as Record<string, string> });
      }
    }
  }
  return { type: "link", predicateType: "", subjects };
}
