/**
 * Required-claims policy: every claim names a JSON Pointer (RFC 6901) into the statement and a
 * condition on the value found there. The same policy is enforced before signing
 * (`PolicySigner`, `lib/sign/policy.ts`) and when verifying (`requiredClaims` of a trust policy,
 * `lib/verify/verify_envelope.ts`), so it lives below both layers.
 *
 * Policy file (`policy.json`), parsed strictly ({@link parsePolicy}):
 *
 * ```json
 * { "requiredClaims": [
 *   { "pointer": "/predicateType", "equals": "https://slsa.dev/provenance/v1" },
 *   { "pointer": "/predicate/buildDefinition/buildType", "pattern": "https://example\\.com/.*" },
 *   { "pointer": "/predicate/runDetails/builder/id", "oneOf": ["https://ci.example/a", "https://ci.example/b"] },
 *   { "pointer": "/predicate/runDetails/metadata/invocationId", "present": true }
 * ] }
 * ```
 *
 * Semantics (one {@link Problem} per failing claim, every failing claim named):
 * - `equals`: the value must equal the given JSON value (compared as RFC 8785 canonical JSON, so
 *   key order and number spelling do not matter).
 * - `oneOf`: the value must equal one of the listed values.
 * - `pattern`: the value must be a string that the regular expression (ECMAScript syntax, `u`
 *   flag) matches in full, i.e. as `^(?:pattern)$`.
 * - `present: true` (also the meaning of a claim with no condition): the value must exist.
 *   `present: false`: the value must not exist; it cannot be combined with other conditions.
 * - Several conditions on one claim must all hold.
 * - A missing value gives `CLAIM_MISSING`; a value that fails a condition (or exists against
 *   `present: false`) gives `CLAIM_MISMATCH`. The problem's `path` is the claim's pointer.
 * - An empty or absent `requiredClaims` list (or no policy at all) allows signing anything.
 *
 * `PolicySigner` (`lib/sign/policy.ts`) enforces a policy at the signing boundary: it recovers the
 * payload from the DSSE PAE bytes it is asked to sign and refuses (throwing
 * {@link ValidationError}) when a claim is missing or mismatched, before the wrapped signer ever
 * sees the bytes.
 *
 * @module
 */

import { canonicalize } from "../encoding/canonical_json.ts";
import { ParseError, type Problem, ValidationError } from "../encoding/errors.ts";
import { evaluatePointer, parsePointer } from "../encoding/json_pointer.ts";
import { isObject, type JsonValue } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";

/**
 * One required claim: a JSON Pointer into the statement and the conditions its value must meet.
 *
 * @example Usage
 * ```ts
 * import { type RequiredClaim } from "@stellaops/provenance";
 * import { evaluatePolicy } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const claim: RequiredClaim = { pointer: "/predicateType", equals: "https://slsa.dev/provenance/v1" };
 * const policy = { requiredClaims: [claim] };
 * assert.deepEqual(evaluatePolicy({ predicateType: "https://slsa.dev/provenance/v1" }, policy), []);
 * assert.deepEqual(evaluatePolicy({ predicateType: "https://example.com/other" }, policy), [{
 *   path: "/predicateType",
 *   code: "CLAIM_MISMATCH",
 *   message: 'Change claim "/predicateType": expected it to equal "https://slsa.dev/provenance/v1", ' +
 *     'found "https://example.com/other"',
 * }]);
 * ```
 */
export interface RequiredClaim {
  /** JSON Pointer (RFC 6901) into the statement, e.g. `/predicate/buildDefinition/buildType`. */
  pointer: string;
  /** The value must equal this JSON value (canonical JSON comparison). */
  equals?: JsonValue | undefined;
  /** The value must equal one of these JSON values. */
  oneOf?: JsonValue[] | undefined;
  /** The value must be a string fully matching this regular expression (ECMAScript, `u` flag). */
  pattern?: string | undefined;
  /** `true`: the value must exist (the default); `false`: it must not exist. */
  present?: boolean | undefined;
}

/**
 * A required-claims policy. Empty or absent `requiredClaims` allows signing anything.
 *
 * @example Usage
 * ```ts
 * import { type ClaimPolicy } from "@stellaops/provenance/model";
 * import { evaluatePolicy } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const policy: ClaimPolicy = {
 *   requiredClaims: [
 *     { pointer: "/predicate/builder/id", pattern: "https://ci\\.example\\.com/.*" },
 *     { pointer: "/predicate/debug", present: false },
 *   ],
 * };
 * const statement = { predicate: { builder: { id: "https://ci.example.com/runner" } } };
 * assert.deepEqual(evaluatePolicy(statement, policy), []);
 * const debug = { predicate: { builder: { id: "laptop" }, debug: true } };
 * assert.deepEqual(evaluatePolicy(debug, policy).map((p) => [p.path, p.code]), [
 *   ["/predicate/builder/id", "CLAIM_MISMATCH"],
 *   ["/predicate/debug", "CLAIM_MISMATCH"],
 * ]);
 * assert.deepEqual(evaluatePolicy(debug, {}), []); // no claims: anything may be signed
 * ```
 */
export interface ClaimPolicy {
  /** The claims every signed statement must carry. */
  requiredClaims?: RequiredClaim[] | undefined;
}

/**
 * Options of {@link parsePolicy}.
 *
 * @example Usage
 * ```ts
 * import { type ParsePolicyOptions } from "@stellaops/provenance/model";
 * import { parsePolicy } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const options: ParsePolicyOptions = { name: "policy.json", maxBytes: 1024 };
 * assert.deepEqual(parsePolicy('{"requiredClaims":[]}', options), { requiredClaims: [] });
 * assert.throws(() => parsePolicy('{"requiredClaims":[{"pointer":"a"}]}', options), {
 *   code: "POLICY_INVALID",
 *   message: 'Cannot parse policy "policy.json": /requiredClaims/0/pointer: Fix "pointer" of ' +
 *     'required claim 0: Cannot parse JSON Pointer: must be empty or start with "/"',
 * });
 * assert.throws(() => parsePolicy(" ".repeat(1025), options), { code: "JSON_TOO_LARGE" });
 * ```
 */
export interface ParsePolicyOptions {
  /** Name of the input (e.g. the file name) used in error messages. */
  name?: string | undefined;
  /** Largest accepted input in bytes (default 1 MiB). */
  maxBytes?: number | undefined;
}

const CLAIM_FIELDS = ["pointer", "equals", "oneOf", "pattern", "present"];
const DEFAULT_POLICY_MAX_BYTES = 1024 * 1024;

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 128) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
  if (isObject(value)) return Object.values(value).every((v) => isJsonValue(v, depth + 1));
  return false;
}

function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, "u");
}

/**
 * Checks that a value is a well-formed {@link ClaimPolicy} and names every problem.
 *
 * Codes: `POLICY_FIELD_INVALID` (wrong type, malformed pointer, invalid regular expression,
 * `present: false` combined with another condition), `POLICY_FIELD_UNKNOWN` (a field this policy
 * format does not define), `POLICY_FIELD_MISSING` (a claim without `pointer`).
 *
 * @param value The parsed policy document.
 * @returns Every problem found, in document order; `[]` when the policy is valid.
 *
 * @example Usage
 * ```ts
 * import { validatePolicy } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assert.deepEqual(validatePolicy({ requiredClaims: [{ pointer: "/a", pattern: "x+" }] }), []);
 * const problems = validatePolicy({ requiredClaims: [{ pointer: "a", pattern: "(" }] });
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [
 *   ["/requiredClaims/0/pointer", "POLICY_FIELD_INVALID"],
 *   ["/requiredClaims/0/pattern", "POLICY_FIELD_INVALID"],
 * ]);
 * ```
 */
export function validatePolicy(value: unknown): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, code: string, message: string) =>
    void problems.push({ path, code, message });
  if (!isObject(value)) {
    add("", "POLICY_FIELD_INVALID", `Pass the policy as a JSON object, not ${describeType(value)}`);
    return problems;
  }
  for (const key of Object.keys(value)) {
    if (key !== "requiredClaims") {
      add(
        `/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`,
        "POLICY_FIELD_UNKNOWN",
        `Remove unknown policy field "${key}"`,
      );
    }
  }
  const claims = value.requiredClaims;
  if (claims === undefined) return problems;
  if (!Array.isArray(claims)) {
    add(
      "/requiredClaims",
      "POLICY_FIELD_INVALID",
      `Make "requiredClaims" an array, not ${describeType(claims)}`,
    );
    return problems;
  }
  claims.forEach((claim: unknown, i: number) => {
    const base = `/requiredClaims/${i}`;
    if (!isObject(claim)) {
      add(
        base,
        "POLICY_FIELD_INVALID",
        `Make required claim ${i} an object, not ${describeType(claim)}`,
      );
      return;
    }
    for (const key of Object.keys(claim)) {
      if (!CLAIM_FIELDS.includes(key)) {
        add(
          `${base}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`,
          "POLICY_FIELD_UNKNOWN",
          `Remove unknown field "${key}" from required claim ${i}`,
        );
      }
    }
    if (!Object.hasOwn(claim, "pointer")) {
      add(`${base}/pointer`, "POLICY_FIELD_MISSING", `Add a "pointer" to required claim ${i}`);
    } else if (typeof claim.pointer !== "string") {
      add(
        `${base}/pointer`,
        "POLICY_FIELD_INVALID",
        `Make "pointer" of required claim ${i} a string, not ${describeType(claim.pointer)}`,
      );
    } else {
      try {
        parsePointer(claim.pointer);
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        add(
          `${base}/pointer`,
          "POLICY_FIELD_INVALID",
          `Fix "pointer" of required claim ${i}: ${error.message}`,
        );
      }
    }
    if (Object.hasOwn(claim, "equals") && !isJsonValue(claim.equals)) {
      add(
        `${base}/equals`,
        "POLICY_FIELD_INVALID",
        `Make "equals" of required claim ${i} a JSON value`,
      );
    }
    if (Object.hasOwn(claim, "oneOf")) {
      if (!Array.isArray(claim.oneOf) || claim.oneOf.length === 0 || !isJsonValue(claim.oneOf)) {
        add(
          `${base}/oneOf`,
          "POLICY_FIELD_INVALID",
          `Make "oneOf" of required claim ${i} a non-empty array of JSON values`,
        );
      }
    }
    if (Object.hasOwn(claim, "pattern")) {
      if (typeof claim.pattern !== "string") {
        add(
          `${base}/pattern`,
          "POLICY_FIELD_INVALID",
          `Make "pattern" of required claim ${i} a string, not ${describeType(claim.pattern)}`,
        );
      } else {
        try {
          compilePattern(claim.pattern);
        } catch (error) {
          add(
            `${base}/pattern`,
            "POLICY_FIELD_INVALID",
            `Fix "pattern" of required claim ${i}: ${(error as Error).message}`,
          );
        }
      }
    }
    if (Object.hasOwn(claim, "present")) {
      if (typeof claim.present !== "boolean") {
        add(
          `${base}/present`,
          "POLICY_FIELD_INVALID",
          `Make "present" of required claim ${i} a boolean, not ${describeType(claim.present)}`,
        );
      } else if (
        claim.present === false &&
        ["equals", "oneOf", "pattern"].some((k) => Object.hasOwn(claim, k))
      ) {
        add(
          `${base}/present`,
          "POLICY_FIELD_INVALID",
          `Drop "present": false from required claim ${i} or its other conditions: they contradict`,
        );
      }
    }
  });
  return problems;
}

/**
 * Parses a policy file strictly (JSON per `parseJson`, then {@link validatePolicy}).
 *
 * @param input The policy as UTF-8 bytes or text.
 * @param options Input name for messages and the size limit.
 * @returns The policy (a fresh copy; unknown fields are rejected, not dropped).
 * @throws {ParseError} `JSON_*` when the text is not strict JSON; `POLICY_INVALID` when the JSON
 *   is not a valid policy (the message lists every problem).
 *
 * @example Usage
 * ```ts
 * import { parsePolicy } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const policy = parsePolicy('{"requiredClaims":[{"pointer":"/predicateType","equals":"x"}]}');
 * assert.equal(policy.requiredClaims?.[0]?.equals, "x");
 * assert.throws(() => parsePolicy('{"requiredClaim":[]}', { name: "p.json" }), { code: "POLICY_INVALID" });
 * ```
 */
export function parsePolicy(
  input: Uint8Array | string,
  options: ParsePolicyOptions = {},
): ClaimPolicy {
  const name = options.name;
  const value = parseJson(input, {
    ...(name === undefined ? {} : { name }),
    maxBytes: options.maxBytes ?? DEFAULT_POLICY_MAX_BYTES,
  });
  const problems = validatePolicy(value);
  if (problems.length > 0) {
    const where = name === undefined ? "" : ` "${name}"`;
    throw new ParseError(
      "POLICY_INVALID",
      `Cannot parse policy${where}: ` +
        problems.map((p) => `${p.path === "" ? "(root)" : p.path}: ${p.message}`).join("; "),
    );
  }
  return value as ClaimPolicy;
}

function show(value: unknown): string {
  const text = canonicalize(value as JsonValue);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalize(a as JsonValue) === canonicalize(b as JsonValue);
}

function describeConditions(claim: RequiredClaim): string {
  const parts: string[] = [];
  if (claim.equals !== undefined) parts.push(`equal ${show(claim.equals)}`);
  if (claim.oneOf !== undefined) parts.push(`be one of ${show(claim.oneOf)}`);
  if (claim.pattern !== undefined) parts.push(`match /^(?:${claim.pattern})$/`);
  return parts.length === 0 ? "" : ` to ${parts.join(" and ")}`;
}

/**
 * Evaluates a required-claims policy against a statement (or any JSON document).
 *
 * @param statement The statement as a parsed JSON value.
 * @param policy The policy; `undefined`, `{}` or `{ requiredClaims: [] }` allow everything.
 * @returns One `CLAIM_MISSING` or `CLAIM_MISMATCH` problem per failing claim, in policy order,
 *   with the claim's pointer as `path`; `[]` when every claim holds.
 * @throws {ValidationError} When the policy itself is malformed (see {@link validatePolicy}).
 *
 * @example Usage
 * ```ts
 * import { evaluatePolicy } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const statement = { predicateType: "https://slsa.dev/provenance/v1", predicate: {} };
 * const problems = evaluatePolicy(statement, {
 *   requiredClaims: [
 *     { pointer: "/predicateType", equals: "https://slsa.dev/provenance/v1" },
 *     { pointer: "/predicate/builder/id", present: true },
 *   ],
 * });
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [["/predicate/builder/id", "CLAIM_MISSING"]]);
 * ```
 */
export function evaluatePolicy(statement: unknown, policy: ClaimPolicy | undefined): Problem[] {
  if (policy === undefined) return [];
  const policyProblems = validatePolicy(policy);
  if (policyProblems.length > 0) throw new ValidationError("Invalid policy", policyProblems);
  const problems: Problem[] = [];
  for (const claim of policy.requiredClaims ?? []) {
    const path = claim.pointer;
    const value = evaluatePointer(statement, path);
    if (claim.present === false) {
      if (value !== undefined) {
        problems.push({
          path,
          code: "CLAIM_MISMATCH",
          message: `Remove claim "${path}": the policy forbids it, found ${show(value)}`,
        });
      }
      continue;
    }
    if (value === undefined) {
      problems.push({
        path,
        code: "CLAIM_MISSING",
        message: `Add claim "${path}": the policy requires it${describeConditions(claim)}`,
      });
      continue;
    }
    const failed: string[] = [];
    if (claim.equals !== undefined && !sameJson(value, claim.equals)) {
      failed.push(`equal ${show(claim.equals)}`);
    }
    if (claim.oneOf !== undefined && !claim.oneOf.some((option) => sameJson(value, option))) {
      failed.push(`be one of ${show(claim.oneOf)}`);
    }
    if (
      claim.pattern !== undefined &&
      (typeof value !== "string" || !compilePattern(claim.pattern).test(value))
    ) {
      failed.push(`be a string matching /^(?:${claim.pattern})$/`);
    }
    if (failed.length > 0) {
      problems.push({
        path,
        code: "CLAIM_MISMATCH",
        message: `Change claim "${path}": expected it to ${failed.join(" and ")}, found ${
          show(value)
        }`,
      });
    }
  }
  return problems;
}

/**
 * Throws when a statement misses or mismatches any required claim.
 *
 * @param statement The statement as a parsed JSON value.
 * @param policy The policy; empty or absent allows everything.
 * @throws {ValidationError} Listing every failing claim (`problems` holds `CLAIM_MISSING` /
 *   `CLAIM_MISMATCH`), or every problem of a malformed policy.
 *
 * @example Usage
 * ```ts
 * import { assertPolicy } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assertPolicy({ a: 1 }, { requiredClaims: [{ pointer: "/a", oneOf: [1, 2] }] });
 * assert.throws(() => assertPolicy({}, { requiredClaims: [{ pointer: "/a" }, { pointer: "/b" }] }), {
 *   name: "ValidationError",
 *   message: /\/a: .*; \/b: /,
 * });
 * ```
 */
export function assertPolicy(statement: unknown, policy: ClaimPolicy | undefined): void {
  const problems = evaluatePolicy(statement, policy);
  if (problems.length > 0) {
    throw new ValidationError(
      `Cannot sign statement: ${problems.length} required claim${
        problems.length === 1 ? "" : "s"
      } not met`,
      problems,
    );
  }
}
