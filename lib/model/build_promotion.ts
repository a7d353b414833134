/**
 * Building a `stella.ops/promotion@v1` statement (`promotion.ts`) from explicit inputs, every
 * problem named at once.
 *
 * @module
 */

import { ParseError, type Problem, ValidationError } from "../encoding/errors.ts";
import { isObject } from "../encoding/json_value.ts";
import type { RekorProof } from "./rekor_proof.ts";
import { type ResourceDescriptor, type Statement, STATEMENT_TYPE_V1 } from "./statement.ts";
import { cloneJson, pointer, withOptional } from "./_json.ts";
import { sortProblems } from "../encoding/errors.ts";
import {
  type PolicyDecision,
  type PolicyDecisionValue,
  PROMOTION_PREDICATE_TYPE,
  type PromotionApproval,
  type PromotionPredicate,
  validatePromotionStatement,
} from "./promotion.ts";
import { type ImageReference, parseImageReference } from "./image_reference.ts";

/**
 * Inputs of {@link buildPromotionStatement}. Unset and empty optional inputs are omitted.
 *
 * @example Usage
 * ```ts
 * import { type BuildPromotionOptions, buildPromotionStatement } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const options: BuildPromotionOptions = {
 *   image: `registry.example/app@sha256:${hex}`,
 *   materials: (["sbom", "vex"] as const).map((role) => ({
 *     name: `${role}.json`,
 *     digest: { sha256: hex },
 *     mediaType: "application/json",
 *     annotations: { role },
 *   })),
 *   from: "staging",
 *   to: "production",
 *   promotedAt: "2025-01-31T13:05:00Z",
 *   approvals: ["alice"],
 *   promotedBy: "",
 *   ticket: "CHG-1234",
 * };
 * const statement = buildPromotionStatement(options);
 * assert.deepEqual(statement.predicate.promotion, {
 *   from: "staging",
 *   to: "production",
 *   promotedAt: "2025-01-31T13:05:00Z",
 *   approvals: [{ approver: "alice" }],
 *   ticket: "CHG-1234",
 * });
 * ```
 */
export interface BuildPromotionOptions {
  /** The image as `NAME[:TAG]@sha256:HEX` (HEX: 64 lowercase hex digits). */
  image: string;
  /** SBOM and VEX descriptors (see {@link PromotionMaterial}), in the order to record them. */
  materials: readonly ResourceDescriptor[];
  /** Environment the image leaves. */
  from: string;
  /** Environment the image enters. */
  to: string;
  /** When the promotion happened: RFC 3339 in UTC, e.g. `2025-01-31T13:05:00Z`. */
  promotedAt: string;
  /** Who promoted it. */
  promotedBy?: string | undefined;
  /** Approvers (an id, or an approval with its time); at least one, no duplicates. */
  approvals: readonly (string | PromotionApproval)[];
  /** The policy decision, or just its outcome. */
  policyDecision?: PolicyDecision | PolicyDecisionValue | undefined;
  /** Change ticket or request id. */
  ticket?: string | undefined;
  /** Rekor proof to embed. */
  rekor?: RekorProof | undefined;
}

/**
 * Builds a promotion statement from explicit inputs, validating everything at once.
 *
 * The subject is the image (`name` and `sha256` from the reference); the output depends only on
 * the inputs (no clock: `promotedAt` is an input); unset and empty optional fields are omitted;
 * materials and approvals keep the given order; inputs are deep-copied.
 *
 * @param options The image reference, materials and promotion details.
 * @returns A valid `Statement<PromotionPredicate>`.
 * @throws {ValidationError} Naming every problem, with paths into the would-be statement (e.g.
 *   `/predicate/image` for a bad reference, `/predicate/promotion/approvals` when there are none).
 *
 * @example Usage
 * ```ts
 * import { buildPromotionStatement, ValidationError } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const statement = buildPromotionStatement({
 *   image: `registry.example/app:2.3.0@sha256:${hex}`,
 *   materials: [
 *     { name: "sbom.cdx.json", digest: { sha256: hex }, mediaType: "application/vnd.cyclonedx+json", annotations: { role: "sbom" } },
 *     { name: "vex.json", digest: { sha256: hex }, mediaType: "application/openvex+json", annotations: { role: "vex" } },
 *   ],
 *   from: "staging",
 *   to: "production",
 *   promotedAt: "2025-01-31T13:05:00Z",
 *   approvals: ["alice"],
 *   policyDecision: "allow",
 * });
 * assert.deepEqual(statement.subject, [{ name: "registry.example/app", digest: { sha256: hex } }]);
 * assert.equal(statement.predicate.image.tag, "2.3.0");
 * assert.deepEqual(statement.predicate.promotion.policyDecision, { decision: "allow" });
 * assert.throws(
 *   () => buildPromotionStatement({ image: "app:latest", materials: [], from: "a", to: "b", promotedAt: "", approvals: [] }),
 *   ValidationError,
 * );
 * ```
 */
export function buildPromotionStatement(
  options: BuildPromotionOptions,
): Statement<PromotionPredicate> {
  if (!isObject(options)) throw new TypeError("Pass buildPromotionStatement options as an object");
  const problems: Problem[] = [];
  const copy = (value: unknown, path: string): unknown =>
    value === undefined ? undefined : cloneJson(value, path, problems);

  let reference: ImageReference | undefined;
  try {
    reference = parseImageReference(options.image, "image");
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    problems.push({
      path: "/predicate/image",
      code: "IMAGE_REFERENCE_INVALID",
      message: error.message,
    });
  }
  const digest = { sha256: reference?.sha256 ?? "" };
  const image = withOptional({ name: reference?.name ?? "" }, { tag: reference?.tag });
  image["digest"] = digest;

  const approvalsPath = "/predicate/promotion/approvals";
  const approvals = Array.isArray(options.approvals)
    ? options.approvals.map((approval, i) =>
      typeof approval === "string"
        ? { approver: approval }
        : copy(approval, pointer(approvalsPath, i))
    )
    : copy(options.approvals, approvalsPath);
  if (Array.isArray(approvals)) {
    const seen = new Set<string>();
    for (const [i, approval] of approvals.entries()) {
      const approver = isObject(approval) ? approval["approver"] : undefined;
      if (typeof approver !== "string" || approver === "") continue;
      if (seen.has(approver)) {
        problems.push({
          path: pointer(pointer(approvalsPath, i), "approver"),
          code: "APPROVER_DUPLICATE",
          message: `Remove the second approval by ${
            JSON.stringify(approver)
          }: each approver counts once`,
        });
      }
      seen.add(approver);
    }
  }

  const decision = options.policyDecision;
  const promotion = withOptional({
    from: options.from ?? "",
    to: options.to ?? "",
    promotedAt: options.promotedAt ?? "",
  }, {
    promotedBy: options.promotedBy,
    approvals,
    policyDecision: typeof decision === "string"
      ? { decision }
      : copy(decision, "/predicate/promotion/policyDecision"),
    ticket: options.ticket,
  });
  if (promotion["approvals"] === undefined) promotion["approvals"] = [];

  const predicate = withOptional({
    image,
    materials: copy(options.materials ?? [], "/predicate/materials"),
    promotion,
  }, { rekor: copy(options.rekor, "/predicate/rekor") });

  const statement = {
    _type: STATEMENT_TYPE_V1,
    subject: [{ name: image["name"], digest }],
    predicateType: PROMOTION_PREDICATE_TYPE,
    predicate,
  };

  let found = validatePromotionStatement(statement);
  if (reference === undefined) {
    // The reference problem already explains the empty subject and image.
    found = found.filter((p) =>
      !p.path.startsWith("/subject") && !p.path.startsWith("/predicate/image")
    );
  }
  problems.push(...found);
  if (problems.length > 0) {
    throw new ValidationError("Cannot build promotion statement", sortProblems(problems));
  }
  return statement as unknown as Statement<PromotionPredicate>;
}
