/**
 * in-toto Attestation Framework v1: the Statement layer and the ResourceDescriptor field type.
 *
 * Implements (in-toto/attestation `spec/v1/`):
 * - `statement.md` "Fields": `_type`, `subject`, `predicateType`, `predicate`
 *   ({@link validateStatement}, {@link assertStatement}, {@link parseStatement}).
 * - `resource_descriptor.md` "Fields" ({@link validateResourceDescriptor}).
 * - `digest_set.md` through `validateDigestSet` (`lib/digest/digest_set.ts`).
 * - `README.md` "Parsing rules": unrecognised fields are ignored; unset, `null` and empty values
 *   are treated alike.
 *
 * Where the prose spec and the reference bindings (Go `go/v1`, Python) differ, validation follows
 * the bindings, so the transcribed `validation-vectors.json` pass as recorded:
 * - `predicate` is required (`PREDICATE_REQUIRED`); the spec calls it optional. `{}` is accepted.
 * - `_type` may be `https://in-toto.io/Statement/v1` or the legacy
 *   `https://in-toto.io/Statement/v0.1`; anything else is `STATEMENT_TYPE_INVALID`.
 * - A ResourceDescriptor needs at least one of `name`, `uri`, `digest` or `content` (the union of
 *   the binding's rule, name/uri/digest, and the spec's, uri/digest/content, so neither rejects
 *   what the other accepts); an empty `digest` object counts as unset.
 *
 * Problem codes and the Go sentinel each one corresponds to:
 *
 * | code | Go sentinel / meaning |
 * | --- | --- |
 * | `STATEMENT_TYPE_INVALID` | `ErrInvalidStatementType` (also a missing `_type`) |
 * | `SUBJECT_REQUIRED` | `ErrSubjectRequired` (missing or empty `subject`) |
 * | `RD_REQUIRED_FIELD` | `ErrRDRequiredField` |
 * | `DIGEST_REQUIRED` | `ErrDigestRequired` (a subject without a digest) |
 * | `PREDICATE_TYPE_REQUIRED` | `ErrPredicateTypeRequired` (missing or empty) |
 * | `PREDICATE_REQUIRED` | `ErrPredicateRequired` (missing or `null`) |
 * | `DIGEST_SET_INVALID` | `digest` is not an object of strings (from `validateDigestSet`) |
 * | `DIGEST_INVALID_ENCODING` | `ErrInvalidDigestEncoding` (from `validateDigestSet`) |
 * | `DIGEST_INCORRECT_LENGTH` | `ErrIncorrectDigestLength` (from `validateDigestSet`) |
 * | `TYPE_MISMATCH` | a known field holds the wrong JSON type (protojson rejects these) |
 * | `RD_CONTENT_INVALID` | `content` is not base64 (protojson `bytes`) |
 *
 * Validators name every problem they find, each with a JSON Pointer (RFC 6901) path; a problem
 * implied by another one (e.g. `DIGEST_REQUIRED` for a subject that already has
 * `RD_REQUIRED_FIELD`) is not repeated.
 *
 * @module
 */

import { canonicalBytes } from "../encoding/canonical_json.ts";
import { decodeBase64Any } from "../encoding/bytes.ts";
import { ParseError, type Problem, ValidationError } from "../encoding/errors.ts";
import { isObject, type JsonObject } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { sha256 } from "../digest/digest.ts";
import { type DigestSet, validateDigestSet } from "../digest/digest_set.ts";
import { checkOptionalString, describe, isEmpty, isUnset, pointer, typeMismatch } from "./_json.ts";

/**
 * `_type` of an in-toto Statement v1.
 *
 * @example Usage
 * ```ts
 * import { validateStatement } from "@stellaops/provenance";
 * import { STATEMENT_TYPE_V1 } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const subject = [{ name: "app.tar", digest: { sha256: "ab".repeat(32) } }];
 * const statement = { _type: STATEMENT_TYPE_V1, subject, predicateType: "x", predicate: {} };
 * assert.deepEqual(validateStatement(statement), []);
 * ```
 */
export const STATEMENT_TYPE_V1 = "https://in-toto.io/Statement/v1";

/** Legacy `_type` still accepted by the in-toto reference bindings (same shape as v1). */
export const STATEMENT_TYPE_V0_1 = "https://in-toto.io/Statement/v0.1";

/** Every `_type` {@link validateStatement} accepts. */
export const STATEMENT_TYPES = [STATEMENT_TYPE_V1, STATEMENT_TYPE_V0_1] as const;

/**
 * A ResourceDescriptor (in-toto `spec/v1/resource_descriptor.md`): describes one artifact or
 * resource. At least one of `name`, `uri`, `digest` or `content` is set.
 *
 * @example Usage
 * ```ts
 * import { type ResourceDescriptor } from "@stellaops/provenance";
 * import { validateResourceDescriptor } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const rd: ResourceDescriptor = {
 *   name: "app.tar",
 *   digest: { sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
 * };
 * assert.deepEqual(validateResourceDescriptor(rd), []);
 * const short: ResourceDescriptor = { name: "app.tar", digest: { sha256: "e3b0" } };
 * assert.deepEqual(validateResourceDescriptor(short, "/subject/0"), [{
 *   path: "/subject/0/digest/sha256",
 *   code: "DIGEST_INCORRECT_LENGTH",
 *   message: "Give a sha256 digest of 32 bytes: the value has 2 bytes",
 * }]);
 * ```
 */
export interface ResourceDescriptor {
  /** Machine-readable identifier, local to the attestation. */
  name?: string;
  /** Globally identifying URI (RFC 3986, case-normalized). */
  uri?: string;
  /** Digests of the resource's content: algorithm name → encoded value. */
  digest?: DigestSet;
  /** The resource's content itself, base64-encoded (SHOULD be under 1 KB). */
  content?: string;
  /** Where the resource can be downloaded, if different from `uri`. */
  downloadLocation?: string;
  /** Media type of the resource. */
  mediaType?: string;
  /** Additional information for policy evaluation: field name → any JSON value. */
  annotations?: JsonObject;
}

/**
 * An in-toto Statement v1 (`spec/v1/statement.md`) with predicate type `P`.
 *
 * @example Usage
 * ```ts
 * import { type Statement, validateStatement } from "@stellaops/provenance";
 * import { statementDigestString } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const statement: Statement = {
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "_", digest: { alg1: "abc" } }],
 *   predicateType: "https://example.com/test/v1",
 *   predicate: {},
 * };
 * assert.deepEqual(validateStatement(statement), []);
 * assert.equal(
 *   statementDigestString(statement),
 *   "sha256:f13cdc1049b496e92751dfb9e43d61b32e285d833a53c921377bba2bfe604df4",
 * );
 * ```
 */
export interface Statement<P = JsonObject> {
  /** {@link STATEMENT_TYPE_V1} (or the legacy {@link STATEMENT_TYPE_V0_1} when parsed). */
  _type: string;
  /** The artifacts the attestation is about; each has a `digest`. */
  subject: ResourceDescriptor[];
  /** TypeURI of the predicate. */
  predicateType: string;
  /** The predicate. */
  predicate: P;
}

/**
 * Options of {@link parseStatement}.
 *
 * @example Usage
 * ```ts
 * import { parseStatement, type ParseStatementOptions } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const options: ParseStatementOptions = { name: "payload", maxBytes: 64 };
 * assert.throws(() => parseStatement(`{"predicate":{"pad":"${"x".repeat(64)}"}}`, options), {
 *   code: "JSON_TOO_LARGE",
 *   message: 'Cannot parse JSON "payload": input is larger than the limit of 64 bytes',
 * });
 * assert.throws(() => parseStatement("{}", options), {
 *   name: "ValidationError",
 *   message: /^Invalid in-toto statement "payload": \/_type: /,
 * });
 * ```
 */
export interface ParseStatementOptions {
  /** Name of the input, used in error messages. */
  name?: string | undefined;
  /** Largest accepted input in bytes (default: the JSON parser's default). */
  maxBytes?: number | undefined;
}

const RD_STRING_FIELDS = ["name", "uri", "downloadLocation", "mediaType"] as const;

/**
 * Validates a ResourceDescriptor and names every problem.
 *
 * @param value The candidate descriptor (any JSON value).
 * @param path JSON Pointer of `value` inside the document, prefixed to every problem path.
 * @returns Every problem found (empty when valid); codes are listed in the module documentation.
 *
 * @example Usage
 * ```ts
 * import { validateResourceDescriptor } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assert.deepEqual(validateResourceDescriptor({ name: "a", digest: { alg1: "x" } }), []);
 * const problems = validateResourceDescriptor({ mediaType: "text/plain" }, "/subject/0");
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [["/subject/0", "RD_REQUIRED_FIELD"]]);
 * ```
 */
export function validateResourceDescriptor(value: unknown, path = ""): Problem[] {
  if (!isObject(value)) return [typeMismatch(path, "a resource descriptor object", value)];
  const problems: Problem[] = [];
  for (const field of RD_STRING_FIELDS) checkOptionalString(value, field, path, problems);
  // A field set to the wrong type counts as set: its TYPE_MISMATCH is the one problem to fix.
  let identified = !isEmpty(value["name"]) || !isEmpty(value["uri"]);

  const digest = value["digest"];
  if (!isUnset(digest) && !isEmptyObject(digest)) {
    // An empty set counts as unset (Go: len(digest) == 0); anything else, even of the wrong type,
    // counts as set and is checked by validateDigestSet (DIGEST_SET_INVALID for a non-object).
    problems.push(...validateDigestSet(digest, pointer(path, "digest")));
    identified = true;
  }

  const content = value["content"];
  if (!isUnset(content)) {
    if (typeof content !== "string") {
      problems.push(typeMismatch(pointer(path, "content"), "a base64 string", content));
      identified = true;
    } else if (content !== "") {
      identified = true;
      try {
        decodeBase64Any(content);
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        problems.push({
          path: pointer(path, "content"),
          code: "RD_CONTENT_INVALID",
          message: "Encode content as standard or URL-safe base64",
        });
      }
    }
  }

  const annotations = value["annotations"];
  if (!isUnset(annotations) && !isObject(annotations)) {
    problems.push(typeMismatch(pointer(path, "annotations"), "an object", annotations));
  }

  if (!identified) {
    problems.unshift({
      path,
      code: "RD_REQUIRED_FIELD",
      message: "Set at least one of name, uri, digest or content",
    });
  }
  return problems;
}

/**
 * Validates an in-toto Statement v1 (structure only; the predicate's own schema is checked by
 * predicate validators such as `validateProvenancePredicate`) and names every problem.
 *
 * @param value The candidate statement (any JSON value, e.g. from `parseJson`).
 * @returns Every problem found, in document order (empty when valid); paths are JSON Pointers.
 *
 * @example Usage
 * ```ts
 * import { validateStatement } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const problems = validateStatement({
 *   _type: "https://in-toto.io/Statement/v2",
 *   subject: [{ name: "a" }],
 *   predicateType: "",
 * });
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [
 *   ["/_type", "STATEMENT_TYPE_INVALID"],
 *   ["/subject/0/digest", "DIGEST_REQUIRED"],
 *   ["/predicateType", "PREDICATE_TYPE_REQUIRED"],
 *   ["/predicate", "PREDICATE_REQUIRED"],
 * ]);
 * ```
 */
export function validateStatement(value: unknown): Problem[] {
  if (!isObject(value)) return [typeMismatch("", "a statement object", value)];
  const problems: Problem[] = [];

  const type = value["_type"];
  if (!(STATEMENT_TYPES as readonly unknown[]).includes(type)) {
    problems.push({
      path: "/_type",
      code: "STATEMENT_TYPE_INVALID",
      message: `Set _type to "${STATEMENT_TYPE_V1}": got ${
        typeof type === "string" ? JSON.stringify(type) : describe(type)
      }`,
    });
  }

  const subject = value["subject"];
  if (isUnset(subject) || (Array.isArray(subject) && subject.length === 0)) {
    problems.push({
      path: "/subject",
      code: "SUBJECT_REQUIRED",
      message: "Add at least one subject",
    });
  } else if (!Array.isArray(subject)) {
    problems.push(typeMismatch("/subject", "an array of resource descriptors", subject));
  } else {
    for (const [i, item] of subject.entries()) {
      const path = pointer("/subject", i);
      const found = validateResourceDescriptor(item, path);
      problems.push(...found);
      const reported = found.some((p) => p.path === path);
      const digest = isObject(item) ? item["digest"] : undefined;
      if (!reported && isObject(item) && (isUnset(digest) || isEmptyObject(digest))) {
        problems.push({
          path: pointer(path, "digest"),
          code: "DIGEST_REQUIRED",
          message: "Add a digest to the subject: statement subjects are matched by digest",
        });
      }
    }
  }

  const predicateType = value["predicateType"];
  if (isUnset(predicateType) || predicateType === "") {
    problems.push({
      path: "/predicateType",
      code: "PREDICATE_TYPE_REQUIRED",
      message: "Set predicateType to the predicate's TypeURI",
    });
  } else if (typeof predicateType !== "string") {
    problems.push(typeMismatch("/predicateType", "a string", predicateType));
  }

  const predicate = value["predicate"];
  if (isUnset(predicate)) {
    problems.push({
      path: "/predicate",
      code: "PREDICATE_REQUIRED",
      message: "Add a predicate object (use {} when predicateType says everything)",
    });
  } else if (!isObject(predicate)) {
    problems.push(typeMismatch("/predicate", "an object", predicate));
  }
  return problems;
}

/**
 * Asserts that a value is a valid in-toto Statement (see {@link validateStatement}).
 *
 * @param value The candidate statement.
 * @throws {ValidationError} Naming every problem when the statement is invalid.
 *
 * @example Usage
 * ```ts
 * import { ValidationError } from "@stellaops/provenance";
 * import { assertStatement } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assert.throws(() => assertStatement({ _type: "https://in-toto.io/Statement/v1" }), ValidationError);
 * ```
 */
export function assertStatement(value: unknown): asserts value is Statement {
  const problems = validateStatement(value);
  if (problems.length > 0) throw new ValidationError("Invalid in-toto statement", problems);
}

/**
 * Parses a statement strictly (strict JSON, then {@link validateStatement}).
 *
 * @param input The statement as UTF-8 bytes or text (e.g. a DSSE envelope's `payloadBytes`).
 * @param options Input name for messages and the size limit.
 * @returns The validated statement.
 * @throws {ParseError} `JSON_*` when the input is not strict JSON (codes of `parseJson`).
 * @throws {ValidationError} When the JSON is not a valid statement; `problems` names each issue.
 *
 * @example Usage
 * ```ts
 * import { parseStatement } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const statement = parseStatement(
 *   '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"alg1":"x"}}],' +
 *     '"predicateType":"https://example.com/p","predicate":{}}',
 * );
 * assert.equal(statement.predicateType, "https://example.com/p");
 * assert.throws(() => parseStatement('{"a":1,"a":2}'), { code: "JSON_DUPLICATE_KEY" });
 * ```
 */
export function parseStatement(
  input: Uint8Array | string,
  options: ParseStatementOptions = {},
): Statement {
  const value: unknown = parseJson(input, { name: options.name, maxBytes: options.maxBytes });
  const problems = validateStatement(value);
  if (problems.length > 0) {
    const label = options.name === undefined ? "" : ` "${options.name}"`;
    throw new ValidationError(`Invalid in-toto statement${label}`, problems);
  }
  return value as Statement;
}

/**
 * Hashes a statement deterministically: SHA-256 of its RFC 8785 canonical JSON bytes.
 *
 * The same statement gives the same digest however its keys were ordered or its text was
 * formatted. (To bind a signed envelope, hash the envelope's exact bytes instead.)
 *
 * @param statement The statement (any JSON value is accepted and hashed the same way).
 * @returns The 32-byte SHA-256 digest.
 * @throws {TypeError} When the value cannot be canonicalized (not JSON).
 *
 * @example Usage
 * ```ts
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import { statementDigest } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const a = statementDigest({ predicate: {}, _type: "t" });
 * const b = statementDigest({ _type: "t", predicate: {} });
 * assert.equal(encodeHex(a), encodeHex(b));
 * assert.equal(a.length, 32);
 * ```
 */
export function statementDigest(
  statement: Statement<unknown> | JsonObject,
): Uint8Array<ArrayBuffer> {
  return sha256(canonicalBytes(statement));
}

/**
 * Hashes a statement like {@link statementDigest} and returns the `sha256:<hex>` form.
 *
 * @param statement The statement.
 * @returns `sha256:` followed by 64 lowercase hex digits.
 * @throws {TypeError} When the value cannot be canonicalized (not JSON).
 *
 * @example Usage
 * ```ts
 * import { statementDigestString } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   statementDigestString({ _type: "t" }), // SHA-256 of the canonical JSON {"_type":"t"}
 *   "sha256:be6732b9fd46d2ae8c3d75aec321a1f4b7f25ec5a76154e12cd4196fa7ffc74a",
 * );
 * ```
 */
export function statementDigestString(statement: Statement<unknown> | JsonObject): string {
  return `sha256:${statementDigest(statement).toHex()}`;
}

function isEmptyObject(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 0;
}
