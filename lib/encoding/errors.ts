/**
 * Error and problem types shared by every layer.
 *
 * - {@link ParseError}: untrusted input failed strict parsing (docs/architecture.md "Errors and verdicts").
 * - {@link Problem}: one finding of a validator; validators return every problem at once.
 *
 * @module
 */

/**
 * Thrown when untrusted input fails strict parsing (JSON, base64, PEM, DER, envelopes).
 *
 * `code` is a stable UPPER_SNAKE identifier that tests and callers may branch on; `offset` is the
 * byte or character offset of the problem when known (else `-1`). The message names the input and
 * the position but never contains key material.
 *
 * @example Usage
 * ```ts
 * import { ParseError, parseJson } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * assert.throws(() => parseJson('{"x":1,"x":2}', { name: "a.json" }), (error) => {
 *   assert.ok(error instanceof ParseError && error instanceof SyntaxError);
 *   assert.equal(error.code, "JSON_DUPLICATE_KEY");
 *   assert.equal(error.offset, 7);
 *   assert.equal(error.message, 'Cannot parse JSON "a.json": duplicate key "x" at offset 7 (line 1, column 8)');
 *   return true;
 * });
 * ```
 */
export class ParseError extends SyntaxError {
  /** Stable machine-readable code, e.g. `JSON_DUPLICATE_KEY`. */
  readonly code: string;
  /** Offset of the problem in the input, or `-1` when not applicable. */
  readonly offset: number;

  /**
   * Creates a parse error.
   *
   * @param code Stable UPPER_SNAKE code.
   * @param message Human-readable message naming the input and position.
   * @param offset Offset of the problem in the input, or `-1`.
   */
  constructor(code: string, message: string, offset = -1) {
    super(message);
    this.name = "ParseError";
    this.code = code;
    this.offset = offset;
  }
}

/**
 * One validation finding: where (a JSON Pointer into the validated value), what (a stable code)
 * and a human-readable message.
 *
 * @example Usage
 * ```ts
 * import { type Problem, validateStatement } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const problems: Problem[] = validateStatement({
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "app.tar" }],
 *   predicateType: "https://example.com/predicate/v1",
 *   predicate: {},
 * });
 * assert.deepEqual(problems, [{
 *   path: "/subject/0/digest",
 *   code: "DIGEST_REQUIRED",
 *   message: "Add a digest to the subject: statement subjects are matched by digest",
 * }]);
 * ```
 */
export interface Problem {
  /** JSON Pointer (RFC 6901) to the offending value; `""` means the whole value. */
  path: string;
  /** Stable UPPER_SNAKE code. */
  code: string;
  /** Human-readable message, sentence case, no final period. */
  message: string;
}

/**
 * Orders problems for reporting in document order: by path, stable for equal paths (validators
 * that collect problems in several passes report them as one list).
 *
 * @param problems The problems, in the order found.
 * @returns A new array, sorted by `path`.
 *
 * @example Usage
 * ```ts
 * import { sortProblems } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const found = [
 *   { path: "/b", code: "X", message: "second" },
 *   { path: "/a", code: "Y", message: "first" },
 *   { path: "/b", code: "Z", message: "third" },
 * ];
 * assert.deepEqual(sortProblems(found).map((p) => p.message), ["first", "second", "third"]);
 * ```
 */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) =>
      a.problem.path < b.problem.path ? -1 : a.problem.path > b.problem.path ? 1 : a.index - b.index
    )
    .map(({ problem }) => problem);
}

/**
 * Thrown by `assert*` validators: carries every {@link Problem} found, not just the first.
 *
 * @example Usage
 * ```ts
 * import { ValidationError } from "@stellaops/provenance";
 * import { assertStatement } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const statement = { _type: "https://in-toto.io/Statement/v1", subject: [], predicateType: "x", predicate: {} };
 * assert.throws(() => assertStatement(statement), (error) => {
 *   assert.ok(error instanceof ValidationError && error instanceof TypeError);
 *   assert.deepEqual(error.problems, [
 *     { path: "/subject", code: "SUBJECT_REQUIRED", message: "Add at least one subject" },
 *   ]);
 *   assert.equal(error.message, "Invalid in-toto statement: /subject: Add at least one subject");
 *   return true;
 * });
 * ```
 */
export class ValidationError extends TypeError {
  /** Every problem found, in document order. */
  readonly problems: readonly Problem[];

  /**
   * Creates a validation error whose message lists every problem.
   *
   * @param summary What was being validated, e.g. `Invalid statement`.
   * @param problems Every problem found (at least one).
   */
  constructor(summary: string, problems: readonly Problem[]) {
    super(
      `${summary}: ` +
        problems.map((p) => `${p.path === "" ? "(root)" : p.path}: ${p.message}`).join("; "),
    );
    this.name = "ValidationError";
    this.problems = problems;
  }
}
