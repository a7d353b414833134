/**
 * The StellaOps promotion attestation, `predicateType: stella.ops/promotion@v1`: an in-toto
 * Statement v1 (`spec/v1/statement.md`) whose one subject is a container image, recording that
 * the image was promoted from one environment to another, with the SBOM and VEX documents it was
 * promoted with, who approved, the policy decision and, optionally, a Rekor proof.
 *
 * JSON Schema (2020-12): `docs/schemas/promotion-v1.schema.json`, for the whole statement. Shape:
 *
 * ```json
 * { "_type": "https://in-toto.io/Statement/v1",
 *   "subject": [{ "name": "registry.example/app", "digest": { "sha256": "…" } }],
 *   "predicateType": "stella.ops/promotion@v1",
 *   "predicate": {
 *     "image": { "name": "registry.example/app", "tag": "2.3.0", "digest": { "sha256": "…" } },
 *     "materials": [
 *       { "name": "sbom.cdx.json", "digest": { "sha256": "…" },
 *         "mediaType": "application/vnd.cyclonedx+json", "annotations": { "role": "sbom" } },
 *       { "name": "vex.openvex.json", "digest": { "sha256": "…" },
 *         "mediaType": "application/openvex+json", "annotations": { "role": "vex" } } ],
 *     "promotion": {
 *       "from": "staging", "to": "production", "promotedAt": "2025-01-31T13:05:00Z",
 *       "promotedBy": "release-bot", "approvals": [{ "approver": "alice", "at": "…" }],
 *       "policyDecision": { "decision": "allow", "policy": "gate@v3", "evaluatedAt": "…" },
 *       "ticket": "CHG-1" },
 *     "rekor": { "logId": "…", "logIndex": 1, "integratedTime": 1, "inclusionProof": { … },
 *                "signedEntryTimestamp": "…" } } }
 * ```
 *
 * Rules ({@link validatePromotionStatement}; the schema encodes all of them except the four
 * marked *cross-field*, which JSON Schema cannot express):
 * - Statement layer as `validateStatement`, with `_type` exactly Statement v1 and `predicateType`
 *   exactly {@link PROMOTION_PREDICATE_TYPE}; exactly one subject, with a `name` and a `sha256`.
 * - Digests are in-toto DigestSets (`digest_set.md`) and must hold `sha256` as 64 lowercase hex.
 * - `materials`: ResourceDescriptors (`resource_descriptor.md`), each with `name`, `digest`,
 *   `mediaType` and `annotations.role` from {@link MATERIAL_ROLES}; at least one `sbom` and one
 *   `vex`.
 * - `promotion`: `from`, `to`, `promotedAt` and at least one approval are required; times are
 *   RFC 3339 in UTC (`Z`) like the in-toto `Timestamp` field type; `policyDecision.decision` is
 *   one of {@link POLICY_DECISIONS}.
 * - `rekor`: see `rekor_proof.ts`.
 * - In-toto parsing rules: unknown fields are ignored; an optional field that is `null` or `""`
 *   counts as unset.
 * - *Cross-field*: the subject's `name` and `sha256` equal `predicate.image`'s
 *   (`SUBJECT_IMAGE_MISMATCH`); `from` differs from `to` (`ENVIRONMENTS_EQUAL`); times are real
 *   calendar dates (the schema checks the shape only, so it accepts `2025-02-30T00:00:00Z`);
 *   a material's `content`, when set, is valid base64 (`RD_CONTENT_INVALID`).
 *
 * Problem codes, besides those of `validateStatement`, `validateDigestSet` and `rekor_proof.ts`:
 *
 * | code | meaning |
 * | --- | --- |
 * | `FIELD_REQUIRED` | a required field is missing, `null` or empty |
 * | `PREDICATE_TYPE_MISMATCH` | `predicateType` is not `stella.ops/promotion@v1` |
 * | `SUBJECT_COUNT_INVALID` | more than one subject |
 * | `SHA256_REQUIRED` | a digest set without `sha256` as 64 lowercase hex digits |
 * | `SUBJECT_IMAGE_MISMATCH` | the subject is not the image (cross-field) |
 * | `MATERIAL_ROLE_INVALID` | `annotations.role` is not one of {@link MATERIAL_ROLES} |
 * | `MATERIAL_ROLE_MISSING` | no `sbom` or no `vex` material |
 * | `TIMESTAMP_INVALID` | a time that is not RFC 3339 UTC |
 * | `DECISION_INVALID` | `policyDecision.decision` is not one of {@link POLICY_DECISIONS} |
 * | `ENVIRONMENTS_EQUAL` | `from` equals `to` (cross-field) |
 * | `IMAGE_REFERENCE_INVALID` | {@link buildPromotionStatement}: `image` is not `NAME[:TAG]@sha256:HEX` |
 * | `APPROVER_DUPLICATE` | {@link buildPromotionStatement}: an approver listed twice |
 * | `VALUE_NOT_JSON` | {@link buildPromotionStatement}: an input that is not a JSON value |
 *
 * @module
 */

import type { Problem } from "../encoding/errors.ts";
import { isObject, type JsonObject } from "../encoding/json_value.ts";
import { type DigestSet, validateDigestSet } from "../digest/digest_set.ts";
import { type RekorProof, validateRekorProof } from "./rekor_proof.ts";
import { type ResourceDescriptor, validateResourceDescriptor } from "./statement.ts";
import {
  checkOptionalString,
  checkTimestampField,
  hasProblemAt,
  isUnset,
  pointer,
  required,
  requiredString,
  typeMismatch,
  type UnknownObject,
} from "./_json.ts";
import { validatePredicateStatement } from "./_statement_preamble.ts";

/**
 * `predicateType` of a StellaOps promotion attestation.
 *
 * @example Usage
 * ```ts
 * import { PROMOTION_PREDICATE_TYPE } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.equal(PROMOTION_PREDICATE_TYPE, "stella.ops/promotion@v1");
 * ```
 */
export const PROMOTION_PREDICATE_TYPE = "stella.ops/promotion@v1";

/**
 * Roles a promotion material may have (`annotations.role`).
 *
 * @example Usage
 * ```ts
 * import { MATERIAL_ROLES } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...MATERIAL_ROLES], ["sbom", "vex"]);
 * ```
 */
export const MATERIAL_ROLES = ["sbom", "vex"] as const;

/** One of {@link MATERIAL_ROLES}. */
export type MaterialRole = typeof MATERIAL_ROLES[number];

/**
 * Outcomes of the policy evaluation that gated the promotion.
 *
 * @example Usage
 * ```ts
 * import { POLICY_DECISIONS } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.ok(POLICY_DECISIONS.includes("deny"));
 * ```
 */
export const POLICY_DECISIONS = ["allow", "warn", "deny"] as const;

/** One of {@link POLICY_DECISIONS}. */
export type PolicyDecisionValue = typeof POLICY_DECISIONS[number];

/**
 * The promoted image: repository name, optional tag and manifest digest.
 *
 * @example Usage
 * ```ts
 * import { buildPromotionStatement, type PromotionImage } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const statement = buildPromotionStatement({
 *   image: `registry.example/app:2.3.0@sha256:${hex}`,
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
 * });
 * const image: PromotionImage = statement.predicate.image;
 * assert.deepEqual(image, { name: "registry.example/app", tag: "2.3.0", digest: { sha256: hex } });
 * ```
 */
export interface PromotionImage {
  /** Repository name, registry host included (`registry.example/team/app`). */
  name: string;
  /** The tag the image was referenced by, when one was given. */
  tag?: string;
  /** Manifest digest; `sha256` is 64 lowercase hex digits. */
  digest: DigestSet & { sha256: string };
}

/**
 * An SBOM or VEX document the image was promoted with: a ResourceDescriptor with its role.
 *
 * @example Usage
 * ```ts
 * import { buildPromotionStatement, type PromotionMaterial } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const sbom: PromotionMaterial = {
 *   name: "sbom.cdx.json",
 *   digest: { sha256: hex },
 *   mediaType: "application/vnd.cyclonedx+json",
 *   annotations: { role: "sbom" },
 * };
 * const vex: PromotionMaterial = {
 *   name: "vex.openvex.json",
 *   digest: { sha256: hex },
 *   mediaType: "application/openvex+json",
 *   annotations: { role: "vex" },
 * };
 * const options = {
 *   image: `registry.example/app@sha256:${hex}`,
 *   from: "staging",
 *   to: "production",
 *   promotedAt: "2025-01-31T13:05:00Z",
 *   approvals: ["alice"],
 * };
 * const statement = buildPromotionStatement({ ...options, materials: [sbom, vex] });
 * assert.deepEqual(statement.predicate.materials, [sbom, vex]);
 * assert.throws(() => buildPromotionStatement({ ...options, materials: [sbom] }), {
 *   name: "ValidationError",
 *   message: 'Cannot build promotion statement: /predicate/materials: Add a VEX document to the ' +
 *     'materials (annotations.role "vex")',
 * });
 * ```
 */
export interface PromotionMaterial extends ResourceDescriptor {
  /** Document name (a file name, never a local path). */
  name: string;
  /** Digest of the document's exact bytes; `sha256` is required. */
  digest: DigestSet & { sha256: string };
  /** Media type, e.g. `application/vnd.cyclonedx+json`, `application/openvex+json`. */
  mediaType: string;
  /** `role`: what the document is to the promotion. */
  annotations: JsonObject & { role: MaterialRole };
}

/**
 * One approval of the promotion.
 *
 * @example Usage
 * ```ts
 * import { buildPromotionStatement, type PromotionApproval } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const approval: PromotionApproval = { approver: "alice@example.com", at: "2025-01-31T12:50:00Z" };
 * const statement = buildPromotionStatement({
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
 *   approvals: [approval, "bob@example.com"],
 * });
 * assert.deepEqual(statement.predicate.promotion.approvals, [
 *   { approver: "alice@example.com", at: "2025-01-31T12:50:00Z" },
 *   { approver: "bob@example.com" },
 * ]);
 * ```
 */
export interface PromotionApproval {
  /** Who approved (an account, e-mail or identity URI). */
  approver: string;
  /** When they approved (RFC 3339, UTC). */
  at?: string;
}

/**
 * The decision of the policy that gated the promotion.
 *
 * @example Usage
 * ```ts
 * import { type PolicyDecision } from "@stellaops/provenance";
 * import { validatePromotionPredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const withDecision = (policyDecision: PolicyDecision) =>
 *   validatePromotionPredicate({
 *     image: { name: "registry.example/app", digest: { sha256: hex } },
 *     materials: (["sbom", "vex"] as const).map((role) => ({
 *       name: `${role}.json`,
 *       digest: { sha256: hex },
 *       mediaType: "application/json",
 *       annotations: { role },
 *     })),
 *     promotion: {
 *       from: "staging",
 *       to: "production",
 *       promotedAt: "2025-01-31T13:05:00Z",
 *       approvals: [{ approver: "alice" }],
 *       policyDecision,
 *     },
 *   }).map((p) => [p.path, p.code]);
 * const decision: PolicyDecision = { decision: "allow", policy: "promotion-gate@v3" };
 * assert.deepEqual(withDecision(decision), []);
 * assert.deepEqual(withDecision({ ...decision, evaluatedAt: "noon" }), [
 *   ["/promotion/policyDecision/evaluatedAt", "TIMESTAMP_INVALID"],
 * ]);
 * ```
 */
export interface PolicyDecision {
  /** The outcome. */
  decision: PolicyDecisionValue;
  /** Which policy decided (name, version or URI). */
  policy?: string;
  /** When it was evaluated (RFC 3339, UTC). */
  evaluatedAt?: string;
}

/**
 * Who promoted the image, from where to where, when, and with whose approval.
 *
 * @example Usage
 * ```ts
 * import { type PromotionDetails } from "@stellaops/provenance";
 * import { validatePromotionPredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const problemsOf = (promotion: PromotionDetails) =>
 *   validatePromotionPredicate({
 *     image: { name: "registry.example/app", digest: { sha256: hex } },
 *     materials: (["sbom", "vex"] as const).map((role) => ({
 *       name: `${role}.json`,
 *       digest: { sha256: hex },
 *       mediaType: "application/json",
 *       annotations: { role },
 *     })),
 *     promotion,
 *   }).map((p) => [p.path, p.code]);
 * const details: PromotionDetails = {
 *   from: "staging",
 *   to: "production",
 *   promotedAt: "2025-01-31T13:05:00Z",
 *   approvals: [{ approver: "alice" }],
 * };
 * assert.deepEqual(problemsOf(details), []);
 * assert.deepEqual(problemsOf({ ...details, to: "staging", approvals: [] }), [
 *   ["/promotion/to", "ENVIRONMENTS_EQUAL"],
 *   ["/promotion/approvals", "FIELD_REQUIRED"],
 * ]);
 * ```
 */
export interface PromotionDetails {
  /** Environment the image leaves. */
  from: string;
  /** Environment the image enters. */
  to: string;
  /** When the promotion happened (RFC 3339, UTC). */
  promotedAt: string;
  /** Who (or what automation) promoted it. */
  promotedBy?: string;
  /** The approvals, at least one. */
  approvals: PromotionApproval[];
  /** The gating policy's decision. */
  policyDecision?: PolicyDecision;
  /** Change ticket or request id. */
  ticket?: string;
}

/**
 * The `stella.ops/promotion@v1` predicate.
 *
 * @example Usage
 * ```ts
 * import { type PromotionPredicate } from "@stellaops/provenance";
 * import {
 *   validatePromotionPredicate,
 *   validatePromotionStatement,
 * } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const hex = "ab".repeat(32);
 * const predicate: PromotionPredicate = {
 *   image: { name: "registry.example/app", digest: { sha256: hex } },
 *   materials: [
 *     { name: "sbom.cdx.json", digest: { sha256: hex }, mediaType: "application/vnd.cyclonedx+json", annotations: { role: "sbom" } },
 *     { name: "vex.json", digest: { sha256: hex }, mediaType: "application/openvex+json", annotations: { role: "vex" } },
 *   ],
 *   promotion: { from: "staging", to: "prod", promotedAt: "2025-01-31T13:05:00Z", approvals: [{ approver: "alice" }] },
 * };
 * assert.deepEqual(validatePromotionPredicate(predicate), []);
 * const statement = {
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "registry.example/other", digest: { sha256: hex } }],
 *   predicateType: "stella.ops/promotion@v1",
 *   predicate,
 * };
 * assert.deepEqual(validatePromotionStatement(statement).map((p) => [p.path, p.code]), [
 *   ["/subject/0", "SUBJECT_IMAGE_MISMATCH"],
 * ]);
 * ```
 */
export interface PromotionPredicate {
  /** The promoted image (the statement's subject). */
  image: PromotionImage;
  /** SBOM and VEX documents, with digests. */
  materials: PromotionMaterial[];
  /** The promotion itself. */
  promotion: PromotionDetails;
  /** Transparency-log proof, when the promotion's evidence was logged. */
  rekor?: RekorProof;
}

const SHA256_RE = /^[0-9a-f]{64}$/;

/**
 * Validates a `stella.ops/promotion@v1` predicate (the `predicate` object) and names every
 * problem. Cross-field rules that involve the subject live in {@link validatePromotionStatement}.
 *
 * @param value The candidate predicate.
 * @param path JSON Pointer of `value` in its document (e.g. `/predicate`), prefixed to problems.
 * @returns Every problem found, in field order (empty when valid).
 *
 * @example Usage
 * ```ts
 * import { validatePromotionPredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problems = validatePromotionPredicate({
 *   image: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   materials: [{ name: "sbom.json", digest: { sha256: "ab".repeat(32) }, mediaType: "application/json", annotations: { role: "sbom" } }],
 *   promotion: { from: "prod", to: "prod", promotedAt: "yesterday", approvals: [] },
 * });
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [
 *   ["/materials", "MATERIAL_ROLE_MISSING"],
 *   ["/promotion/to", "ENVIRONMENTS_EQUAL"],
 *   ["/promotion/promotedAt", "TIMESTAMP_INVALID"],
 *   ["/promotion/approvals", "FIELD_REQUIRED"],
 * ]);
 * ```
 */
export function validatePromotionPredicate(value: unknown, path = ""): Problem[] {
  if (!isObject(value)) return [typeMismatch(path, "a promotion predicate object", value)];
  const problems: Problem[] = [];

  const imagePath = pointer(path, "image");
  const image = requiredObject(value, "image", path, "the promoted image", problems);
  if (image !== undefined) {
    requiredString(image, "name", imagePath, "the image's repository name", problems);
    checkOptionalString(image, "tag", imagePath, problems);
    checkSha256Digest(image, imagePath, problems);
  }

  const materialsPath = pointer(path, "materials");
  const materials = value["materials"];
  if (isUnset(materials) || (Array.isArray(materials) && materials.length === 0)) {
    problems.push(required(materialsPath, "the SBOM and VEX materials"));
  } else if (!Array.isArray(materials)) {
    problems.push(typeMismatch(materialsPath, "an array of resource descriptors", materials));
  } else {
    const roles = new Set<string>();
    const itemProblems: Problem[] = [];
    for (const [i, item] of materials.entries()) {
      const role = checkMaterial(item, pointer(materialsPath, i), itemProblems);
      if (role !== undefined) roles.add(role);
    }
    for (const role of MATERIAL_ROLES) {
      if (!roles.has(role)) {
        problems.push({
          path: materialsPath,
          code: "MATERIAL_ROLE_MISSING",
          message: `Add ${role === "sbom" ? "an SBOM" : "a VEX document"} to the materials ` +
            `(annotations.role "${role}")`,
        });
      }
    }
    problems.push(...itemProblems);
  }

  const promotionPath = pointer(path, "promotion");
  const promotion = requiredObject(value, "promotion", path, "the promotion details", problems);
  if (promotion !== undefined) checkPromotion(promotion, promotionPath, problems);

  const rekor = value["rekor"];
  if (!isUnset(rekor)) problems.push(...validateRekorProof(rekor, pointer(path, "rekor")));
  return problems;
}

/**
 * Validates a whole promotion statement: the Statement layer (`validateStatement`, with `_type`
 * exactly Statement v1), `predicateType` exactly {@link PROMOTION_PREDICATE_TYPE}, one subject
 * that is the image, and the predicate ({@link validatePromotionPredicate} at `/predicate`).
 *
 * @param value The candidate statement (any JSON value).
 * @returns Every problem found (empty when valid).
 *
 * @example Usage
 * ```ts
 * import { validatePromotionStatement } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problems = validatePromotionStatement({
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "app", digest: { sha512: "ab".repeat(64) } }],
 *   predicateType: "https://slsa.dev/provenance/v1",
 *   predicate: {},
 * });
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [
 *   ["/subject/0/digest/sha256", "SHA256_REQUIRED"],
 *   ["/predicateType", "PREDICATE_TYPE_MISMATCH"],
 *   ["/predicate/image", "FIELD_REQUIRED"],
 *   ["/predicate/materials", "FIELD_REQUIRED"],
 *   ["/predicate/promotion", "FIELD_REQUIRED"],
 * ]);
 * ```
 */
export function validatePromotionStatement(value: unknown): Problem[] {
  const { problems, statement } = validatePredicateStatement(value, {
    predicateType: PROMOTION_PREDICATE_TYPE,
    statementV1: "promotion",
    oneSubject: "the promoted image",
    checkSubject(item, at, problems) {
      const name = item["name"];
      if ((isUnset(name) || name === "") && !hasProblemAt(problems, at)) {
        problems.push(required(pointer(at, "name"), "the image's repository name"));
      }
      const digest = item["digest"];
      if (isObject(digest) && Object.keys(digest).length > 0) {
        checkSha256(digest, pointer(at, "digest"), problems, problems);
      }
    },
    validatePredicate: validatePromotionPredicate,
  });
  if (statement === undefined) return problems;
  const subject = statement["subject"];
  const predicate = statement["predicate"];
  if (isObject(predicate)) {
    const image = predicate["image"];
    const first = Array.isArray(subject) && subject.length === 1 ? subject[0] : undefined;
    if (isObject(image) && isObject(first)) {
      const imageDigest = isObject(image["digest"]) ? image["digest"]["sha256"] : undefined;
      const subjectDigest = isObject(first["digest"]) ? first["digest"]["sha256"] : undefined;
      if (
        typeof image["name"] === "string" && typeof first["name"] === "string" &&
        typeof imageDigest === "string" && typeof subjectDigest === "string" &&
        (image["name"] !== first["name"] || imageDigest !== subjectDigest)
      ) {
        problems.push({
          path: "/subject/0",
          code: "SUBJECT_IMAGE_MISMATCH",
          message: "Make the subject the promoted image: its name and sha256 must equal " +
            "predicate.image's",
        });
      }
    }
  }
  return problems;
}

function checkMaterial(item: unknown, path: string, problems: Problem[]): string | undefined {
  const found = validateResourceDescriptor(item, path);
  problems.push(...found);
  if (!isObject(item)) return undefined;
  const reported = (field: string): boolean => hasProblemAt(found, pointer(path, field));
  if (!reported("name")) requiredString(item, "name", path, "the document's name", problems);
  const digest = item["digest"];
  if (isUnset(digest) || (isObject(digest) && Object.keys(digest).length === 0)) {
    problems.push(required(pointer(path, "digest"), "the document's digest (with sha256)"));
  } else if (isObject(digest)) {
    checkSha256(digest, pointer(path, "digest"), found, problems);
  }
  if (!reported("mediaType")) {
    requiredString(item, "mediaType", path, "the document's media type", problems);
  }
  const annotations = item["annotations"];
  const rolePath = pointer(pointer(path, "annotations"), "role");
  if (isUnset(annotations) || (isObject(annotations) && isUnset(annotations["role"]))) {
    problems.push(required(rolePath, `the document's role (${MATERIAL_ROLES.join(" or ")})`));
    return undefined;
  }
  if (!isObject(annotations)) return undefined; // TYPE_MISMATCH reported by the descriptor check
  const role = annotations["role"];
  if (typeof role === "string" && (MATERIAL_ROLES as readonly string[]).includes(role)) return role;
  problems.push({
    path: rolePath,
    code: "MATERIAL_ROLE_INVALID",
    message: `Set the role to one of ${MATERIAL_ROLES.map((r) => `"${r}"`).join(", ")}: got ${
      JSON.stringify(role)
    }`,
  });
  return undefined;
}

function checkPromotion(promotion: UnknownObject, path: string, problems: Problem[]): void {
  const from = requiredString(promotion, "from", path, "the environment promoted from", problems);
  const to = requiredString(promotion, "to", path, "the environment promoted to", problems);
  if (from !== undefined && from === to) {
    problems.push({
      path: pointer(path, "to"),
      code: "ENVIRONMENTS_EQUAL",
      message: `Promote to a different environment: from and to are both ${JSON.stringify(from)}`,
    });
  }
  checkTimestampField(promotion, "promotedAt", path, true, problems);
  checkOptionalString(promotion, "promotedBy", path, problems);

  const approvalsPath = pointer(path, "approvals");
  const approvals = promotion["approvals"];
  if (isUnset(approvals) || (Array.isArray(approvals) && approvals.length === 0)) {
    problems.push(required(approvalsPath, "at least one approval"));
  } else if (!Array.isArray(approvals)) {
    problems.push(typeMismatch(approvalsPath, "an array of approvals", approvals));
  } else {
    for (const [i, approval] of approvals.entries()) {
      const at = pointer(approvalsPath, i);
      if (!isObject(approval)) {
        problems.push(typeMismatch(at, "an approval object", approval));
        continue;
      }
      requiredString(approval, "approver", at, "the approver's id", problems);
      checkTimestampField(approval, "at", at, false, problems);
    }
  }

  const decisionPath = pointer(path, "policyDecision");
  const decision = promotion["policyDecision"];
  if (!isUnset(decision)) {
    if (!isObject(decision)) {
      problems.push(typeMismatch(decisionPath, "a policy decision object", decision));
    } else {
      const value = decision["decision"];
      const at = pointer(decisionPath, "decision");
      if (isUnset(value) || value === "") {
        problems.push(required(at, `the decision (${POLICY_DECISIONS.join(", ")})`));
      } else if (
        typeof value !== "string" || !(POLICY_DECISIONS as readonly string[]).includes(value)
      ) {
        problems.push({
          path: at,
          code: "DECISION_INVALID",
          message: `Set the decision to one of ${
            POLICY_DECISIONS.map((d) => `"${d}"`).join(", ")
          }: got ${JSON.stringify(value)}`,
        });
      }
      checkOptionalString(decision, "policy", decisionPath, problems);
      checkTimestampField(decision, "evaluatedAt", decisionPath, false, problems);
    }
  }
  checkOptionalString(promotion, "ticket", path, problems);
}

/** Checks `object.digest`: a required DigestSet with a lowercase `sha256`. */
function checkSha256Digest(object: UnknownObject, path: string, problems: Problem[]): void {
  const at = pointer(path, "digest");
  const digest = object["digest"];
  if (isUnset(digest) || (isObject(digest) && Object.keys(digest).length === 0)) {
    problems.push(required(at, "the digest (with sha256)"));
    return;
  }
  if (!isObject(digest)) {
    problems.push(typeMismatch(at, "a digest set object", digest));
    return;
  }
  const found = validateDigestSet(digest, at);
  problems.push(...found);
  checkSha256(digest, at, found, problems);
}

/** Pushes SHA256_REQUIRED unless `digest.sha256` is 64 lowercase hex or already reported. */
function checkSha256(
  digest: UnknownObject,
  path: string,
  reported: readonly Problem[],
  problems: Problem[],
): void {
  const at = pointer(path, "sha256");
  const value = digest["sha256"];
  if (typeof value === "string" && SHA256_RE.test(value)) return;
  if (hasProblemAt(reported, at) || hasProblemAt(reported, path)) return;
  problems.push({
    path: at,
    code: "SHA256_REQUIRED",
    message: "Add a sha256 digest as 64 lowercase hex digits",
  });
}

function requiredObject(
  object: UnknownObject,
  field: string,
  path: string,
  what: string,
  problems: Problem[],
): UnknownObject | undefined {
  const at = pointer(path, field);
  const value = object[field];
  if (isUnset(value)) {
    problems.push(required(at, what));
    return undefined;
  }
  if (!isObject(value)) {
    problems.push(typeMismatch(at, "an object", value));
    return undefined;
  }
  return value;
}
