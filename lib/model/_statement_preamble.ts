/**
 * The statement preamble every StellaOps predicate validator shares (in-toto Statement layer,
 * then the predicate): `validateStatement`, then the rules a predicate adds on top of it, in one
 * order so every validator reports the same way:
 * 1. `_type` must be Statement v1 (`STATEMENT_TYPE_INVALID`) when the predicate says so;
 * 2. exactly one subject (`SUBJECT_COUNT_INVALID`) when the predicate says so, then any check of
 *    each subject;
 * 3. `predicateType` must be the predicate's (`PREDICATE_TYPE_MISMATCH`);
 * 4. the predicate's own validator, at `/predicate`.
 * Not re-exported.
 *
 * @module
 */

import type { Problem } from "../encoding/errors.ts";
import { isObject } from "../encoding/json_value.ts";
import { STATEMENT_TYPE_V1, validateStatement } from "./statement.ts";
import { hasProblemAt, pointer, type UnknownObject } from "./_json.ts";

/** What a predicate adds to the Statement layer. */
export interface PredicateRules {
  /** The `predicateType` the statement must carry. */
  predicateType: string;
  /** When set, `_type` must be Statement v1; the text names the kind (`promotion`, `custody`). */
  statementV1?: string;
  /** When set, exactly one subject; the text names it (`the promoted image`). */
  oneSubject?: string;
  /** Checks one subject object (at `/subject/<i>`), after the count. */
  checkSubject?: (subject: UnknownObject, at: string, problems: Problem[]) => void;
  /** Validates the predicate object (at `/predicate`). */
  validatePredicate: (predicate: UnknownObject, path: string) => Problem[];
}

/**
 * Validates a statement against the in-toto Statement layer and a predicate's rules, in the
 * order of the module doc.
 *
 * @returns Every problem, and the statement object when `value` is one.
 */
export function validatePredicateStatement(
  value: unknown,
  rules: PredicateRules,
): { problems: Problem[]; statement: UnknownObject | undefined } {
  const problems = validateStatement(value);
  if (!isObject(value)) return { problems, statement: undefined };
  const type = value["_type"];
  if (
    rules.statementV1 !== undefined && typeof type === "string" && type !== STATEMENT_TYPE_V1 &&
    !hasProblemAt(problems, "/_type")
  ) {
    problems.push({
      path: "/_type",
      code: "STATEMENT_TYPE_INVALID",
      message:
        `Set _type to "${STATEMENT_TYPE_V1}": ${rules.statementV1} statements use Statement v1`,
    });
  }
  const subject = value["subject"];
  if (Array.isArray(subject)) {
    if (rules.oneSubject !== undefined && subject.length > 1) {
      problems.push({
        path: "/subject",
        code: "SUBJECT_COUNT_INVALID",
        message: `Give exactly one subject, ${rules.oneSubject}: got ${subject.length}`,
      });
    }
    if (rules.checkSubject !== undefined) {
      for (const [i, item] of subject.entries()) {
        if (isObject(item)) rules.checkSubject(item, pointer("/subject", i), problems);
      }
    }
  }
  const predicateType = value["predicateType"];
  if (
    typeof predicateType === "string" && predicateType !== "" &&
    predicateType !== rules.predicateType
  ) {
    problems.push({
      path: "/predicateType",
      code: "PREDICATE_TYPE_MISMATCH",
      message: `Set predicateType to "${rules.predicateType}": got ${
        JSON.stringify(predicateType)
      }`,
    });
  }
  const predicate = value["predicate"];
  if (isObject(predicate)) problems.push(...rules.validatePredicate(predicate, "/predicate"));
  return { problems, statement: value };
}
