/**
 * The StellaOps custody timeline, `predicateType: stella.ops/custody@v1` (docs/architecture.md
 * "Custody timeline"): an ordered list of DSSE envelopes, all over the same subject, each an in-toto
 * Statement v1 (`spec/v1/statement.md`) recording one chain-of-custody event. Each custodian
 * signs its own entry with its own key; entries are chained by the SHA-256 of the previous
 * envelope's exact bytes, so an entry cannot be changed, removed, inserted or moved without
 * breaking the chain.
 *
 * ```json
 * { "_type": "https://in-toto.io/Statement/v1",
 *   "subject": [{ "name": "registry.example/app", "digest": { "sha256": "…" } }],
 *   "predicateType": "stella.ops/custody@v1",
 *   "predicate": {
 *     "sequence": 1,
 *     "previous": { "sha256": "<sha256 of entry 0's exact bytes>" },
 *     "event": { "type": "transferred", "actor": "courier@example.com",
 *                "at": "2026-02-10T11:30:00Z", "location": "locker 7", "note": "sealed bag 42" },
 *     "evidence": [{ "name": "handover.pdf", "digest": { "sha256": "…" } }] } }
 * ```
 *
 * Storage: an entry is stored as the exact bytes that were hashed, either one envelope per file
 * (the file's bytes, no trailing newline added) or one envelope per line of a JSON Lines file
 * (the line without its newline). `appendCustodyEvent` returns these bytes (RFC 8785 canonical
 * JSON of the envelope); `verifyTimeline` checks them.
 *
 * Rules ({@link validateCustodyStatement}):
 * - Statement layer as `validateStatement`, with `_type` exactly Statement v1 and `predicateType`
 *   exactly {@link CUSTODY_PREDICATE_TYPE}; exactly one subject (with a digest).
 * - `sequence`: an integer ≥ 0 (the entry's position, 0 for the first).
 * - `previous`: `null` (or unset) exactly when `sequence` is 0, otherwise `{ "sha256": hex }`
 *   (64 lowercase hex digits) of the previous envelope's exact bytes.
 * - `event`: `type` and `actor` are non-empty strings; `at` is an RFC 3339 UTC time (`Z`);
 *   `location` and `note` are optional strings. Event types are free text; suggested are
 *   `collected`, `transferred`, `received`, `analyzed`, `stored`, `released`, `destroyed`.
 * - `evidence`: optional ResourceDescriptors (`resource_descriptor.md`).
 * - In-toto parsing rules: unknown fields are ignored; an optional field that is `null` or `""`
 *   counts as unset.
 *
 * Anchor: {@link timelineMerkleRoot} is the RFC 9162 Merkle Tree Hash whose leaf i is the 32-byte
 * SHA-256 of entry i's exact bytes (leaf hash `SHA-256(0x00 ‖ SHA-256(entry i))`).
 *
 * Problem codes, besides those of `validateStatement` and `validateResourceDescriptor`:
 *
 * | code | meaning |
 * | --- | --- |
 * | `FIELD_REQUIRED` | a required field is missing, `null` or empty |
 * | `TYPE_MISMATCH` | a field holds the wrong JSON type |
 * | `PREDICATE_TYPE_MISMATCH` | `predicateType` is not `stella.ops/custody@v1` |
 * | `SUBJECT_COUNT_INVALID` | more than one subject |
 * | `SEQUENCE_INVALID` | `sequence` is not an integer ≥ 0 |
 * | `PREVIOUS_INVALID` | `previous` is neither `null` nor `{ "sha256": <64 lowercase hex> }` |
 * | `PREVIOUS_REQUIRED` | `sequence` > 0 but `previous` is `null` (cross-field) |
 * | `PREVIOUS_UNEXPECTED` | `sequence` is 0 but `previous` is set (cross-field) |
 * | `TIMESTAMP_INVALID` | `event.at` is not an RFC 3339 UTC time |
 * | `VALUE_NOT_JSON` | {@link buildCustodyStatement}: an input that is not a JSON value |
 *
 * @module
 */

import { type Problem, ValidationError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { sha256 } from "../digest/digest.ts";
import { INTOTO_PAYLOAD_TYPE, type ParsedEnvelope, parseEnvelope } from "./dsse.ts";
import {
  type ResourceDescriptor,
  type Statement,
  STATEMENT_TYPE_V1,
  validateResourceDescriptor,
} from "./statement.ts";
import {
  checkTimestampField,
  cloneJson,
  isUnset,
  pointer,
  required,
  requiredString,
  typeMismatch,
  type UnknownObject,
} from "./_json.ts";
import { anchorOfDigests } from "./custody_chain.ts";
import { isObject } from "../encoding/json_value.ts";
import { validatePredicateStatement } from "./_statement_preamble.ts";

/**
 * `predicateType` of a StellaOps custody timeline entry.
 *
 * @example Usage
 * ```ts
 * import { CUSTODY_PREDICATE_TYPE } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assert.equal(CUSTODY_PREDICATE_TYPE, "stella.ops/custody@v1");
 * ```
 */
export const CUSTODY_PREDICATE_TYPE = "stella.ops/custody@v1";

/**
 * One chain-of-custody event: what happened, who did it, when and where.
 *
 * @example Usage
 * ```ts
 * import { buildCustodyStatement, type CustodyEvent } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const event: CustodyEvent = {
 *   type: "collected",
 *   actor: "ir-team@example.com",
 *   at: "2026-02-10T09:00:00Z",
 *   location: "Locker 4",
 *   note: "",
 * };
 * const statement = buildCustodyStatement({
 *   subject: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   sequence: 0,
 *   previous: null,
 *   event,
 * });
 * assert.deepEqual(statement.predicate.event, {
 *   type: "collected",
 *   actor: "ir-team@example.com",
 *   at: "2026-02-10T09:00:00Z",
 *   location: "Locker 4",
 * });
 * ```
 */
export interface CustodyEvent {
  /** What happened (`collected`, `transferred`, `received`, `analyzed`, `stored`, …). */
  type: string;
  /** Who did it (an account, e-mail or identity URI): the custodian signing the entry. */
  actor: string;
  /** When it happened: RFC 3339 in UTC, e.g. `2026-02-10T09:00:00Z`. */
  at: string;
  /** Where it happened (site, locker, system). */
  location?: string | undefined;
  /** Free-text remark (seal numbers, condition). */
  note?: string | undefined;
}

/**
 * The `stella.ops/custody@v1` predicate of one timeline entry.
 *
 * @example Usage
 * ```ts
 * import { type CustodyPredicate } from "@stellaops/provenance";
 * import { validateCustodyPredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const predicate: CustodyPredicate = {
 *   sequence: 0,
 *   previous: null,
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 * };
 * assert.deepEqual(validateCustodyPredicate(predicate), []);
 * const later: CustodyPredicate = { ...predicate, sequence: 1 };
 * assert.deepEqual(validateCustodyPredicate(later).map((p) => [p.path, p.code]), [
 *   ["/previous", "PREVIOUS_REQUIRED"],
 * ]);
 * ```
 */
export interface CustodyPredicate {
  /** Position of the entry in its timeline: 0, 1, 2, … */
  sequence: number;
  /** SHA-256 (hex) of the previous envelope's exact bytes; `null` for sequence 0. */
  previous: { sha256: string } | null;
  /** The event. */
  event: CustodyEvent;
  /** Documents that back the event (hand-over forms, photos, logs), with digests. */
  evidence?: ResourceDescriptor[];
}

/**
 * Inputs of {@link buildCustodyStatement}.
 *
 * @example Usage
 * ```ts
 * import {
 *   buildCustodyStatement,
 *   type BuildCustodyStatementOptions,
 *   ValidationError,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const options: BuildCustodyStatementOptions = {
 *   subject: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   sequence: 0,
 *   previous: null,
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 * };
 * const statement = buildCustodyStatement(options);
 * assert.equal(statement.predicateType, "stella.ops/custody@v1");
 * assert.deepEqual(statement.subject, [options.subject]);
 * assert.throws(() => buildCustodyStatement({ ...options, sequence: 1 }), (error) => {
 *   assert.ok(error instanceof ValidationError);
 *   assert.deepEqual(error.problems.map((p) => [p.path, p.code]), [
 *     ["/predicate/previous", "PREVIOUS_REQUIRED"],
 *   ]);
 *   return true;
 * });
 * ```
 */
export interface BuildCustodyStatementOptions {
  /** The timeline's subject (the same in every entry), with a digest. */
  subject: ResourceDescriptor;
  /** Position of the new entry (0 for the first). */
  sequence: number;
  /** The previous envelope's exact stored bytes (hashed here), or `null` for the first entry. */
  previous: Uint8Array | null;
  /** The event. */
  event: CustodyEvent;
  /** Evidence documents, in the order to record them. */
  evidence?: readonly ResourceDescriptor[] | undefined;
}

/**
 * One timeline entry read by {@link parseCustodyEntry}: the parsed envelope and its statement.
 *
 * @example Usage
 * ```ts
 * import { buildCustodyStatement, serializeEnvelope } from "@stellaops/provenance";
 * import { type CustodyEntry, INTOTO_PAYLOAD_TYPE } from "@stellaops/provenance/model";
 * import { encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { createEnvelope, parseCustodyEntry } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const statement = buildCustodyStatement({
 *   subject: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   sequence: 0,
 *   previous: null,
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 * });
 * const payload = encodeUtf8(JSON.stringify(statement));
 * const stored = serializeEnvelope(
 *   createEnvelope(INTOTO_PAYLOAD_TYPE, payload, [{ sig: new Uint8Array([1, 2]) }]),
 * );
 * const entry: CustodyEntry = parseCustodyEntry(encodeUtf8(stored), "E0.dsse.json");
 * assert.equal(entry.statement.predicate.sequence, 0);
 * assert.equal(entry.statement.predicate.event.actor, "ir-team");
 * assert.deepEqual(entry.envelope.payloadBytes, payload);
 * ```
 */
export interface CustodyEntry {
  /** The strictly parsed envelope (signatures not checked). */
  envelope: ParsedEnvelope;
  /** The validated custody statement of its payload. */
  statement: Statement<CustodyPredicate>;
}

const SHA256_RE = /^[0-9a-f]{64}$/;
const EVENT_STRINGS = ["location", "note"] as const;

/**
 * Validates a `stella.ops/custody@v1` predicate (the `predicate` object) and names every problem,
 * including the cross-field rule tying `previous` to `sequence`.
 *
 * @param value The candidate predicate.
 * @param path JSON Pointer of `value` in its document (e.g. `/predicate`), prefixed to problems.
 * @returns Every problem found, in field order (empty when valid).
 *
 * @example Usage
 * ```ts
 * import { validateCustodyPredicate } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assert.deepEqual(validateCustodyPredicate({
 *   sequence: 0,
 *   previous: null,
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 * }), []);
 * const problems = validateCustodyPredicate({
 *   sequence: 2,
 *   previous: null,
 *   event: { type: "", actor: "ir-team", at: "10 Feb 2026" },
 * }, "/predicate");
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [
 *   ["/predicate/previous", "PREVIOUS_REQUIRED"],
 *   ["/predicate/event/type", "FIELD_REQUIRED"],
 *   ["/predicate/event/at", "TIMESTAMP_INVALID"],
 * ]);
 * ```
 */
export function validateCustodyPredicate(value: unknown, path = ""): Problem[] {
  if (!isObject(value)) return [typeMismatch(path, "a custody predicate object", value)];
  const problems: Problem[] = [];

  const sequencePath = pointer(path, "sequence");
  const sequence = value["sequence"];
  let validSequence: number | undefined;
  if (isUnset(sequence)) {
    problems.push(required(sequencePath, "the entry's sequence number (0 for the first entry)"));
  } else if (typeof sequence !== "number") {
    problems.push(typeMismatch(sequencePath, "an integer", sequence));
  } else if (!Number.isSafeInteger(sequence) || sequence < 0) {
    problems.push({
      path: sequencePath,
      code: "SEQUENCE_INVALID",
      message: `Number entries 0, 1, 2, …: got ${sequence}`,
    });
  } else {
    validSequence = sequence;
  }

  const previousPath = pointer(path, "previous");
  const previous = value["previous"];
  if (!isUnset(previous)) {
    const hex = isObject(previous) ? previous["sha256"] : undefined;
    if (typeof hex !== "string" || !SHA256_RE.test(hex)) {
      problems.push({
        path: previousPath,
        code: "PREVIOUS_INVALID",
        message: 'Write previous as null or {"sha256": <64 lowercase hex digits>}',
      });
    } else if (validSequence === 0) {
      problems.push({
        path: previousPath,
        code: "PREVIOUS_UNEXPECTED",
        message: "Set previous to null in the first entry (sequence 0)",
      });
    }
  } else if (validSequence !== undefined && validSequence > 0) {
    problems.push({
      path: previousPath,
      code: "PREVIOUS_REQUIRED",
      message: `Set previous to the sha256 of entry ${validSequence - 1}'s exact bytes`,
    });
  }

  const eventPath = pointer(path, "event");
  const event = value["event"];
  if (isUnset(event)) {
    problems.push(required(eventPath, "the custody event (type, actor, at)"));
  } else if (!isObject(event)) {
    problems.push(typeMismatch(eventPath, "an event object", event));
  } else {
    requiredString(event, "type", eventPath, "the event type (e.g. transferred)", problems);
    requiredString(
      event,
      "actor",
      eventPath,
      "the actor (who holds or handles the subject)",
      problems,
    );
    checkTimestampField(event, "at", eventPath, true, problems);
    for (const field of EVENT_STRINGS) {
      const item = event[field];
      if (!isUnset(item) && typeof item !== "string") {
        problems.push(typeMismatch(pointer(eventPath, field), "a string", item));
      }
    }
  }

  const evidencePath = pointer(path, "evidence");
  const evidence = value["evidence"];
  if (!isUnset(evidence)) {
    if (!Array.isArray(evidence)) {
      problems.push(typeMismatch(evidencePath, "an array of resource descriptors", evidence));
    } else {
      for (const [i, item] of evidence.entries()) {
        problems.push(...validateResourceDescriptor(item, pointer(evidencePath, i)));
      }
    }
  }
  return problems;
}

/**
 * Validates a whole custody statement: the Statement layer (`validateStatement`, with `_type`
 * exactly Statement v1), `predicateType` exactly {@link CUSTODY_PREDICATE_TYPE}, exactly one
 * subject, and the predicate ({@link validateCustodyPredicate} at `/predicate`).
 *
 * @param value The candidate statement (any JSON value).
 * @returns Every problem found (empty when valid).
 *
 * @example Usage
 * ```ts
 * import { validateCustodyStatement } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const problems = validateCustodyStatement({
 *   _type: "https://in-toto.io/Statement/v1",
 *   subject: [{ name: "a", digest: { sha256: "ab".repeat(32) } }, { name: "b", digest: { sha256: "cd".repeat(32) } }],
 *   predicateType: "stella.ops/promotion@v1",
 *   predicate: {},
 * });
 * assert.deepEqual(problems.map((p) => [p.path, p.code]), [
 *   ["/subject", "SUBJECT_COUNT_INVALID"],
 *   ["/predicateType", "PREDICATE_TYPE_MISMATCH"],
 *   ["/predicate/sequence", "FIELD_REQUIRED"],
 *   ["/predicate/event", "FIELD_REQUIRED"],
 * ]);
 * ```
 */
export function validateCustodyStatement(value: unknown): Problem[] {
  return validatePredicateStatement(value, {
    predicateType: CUSTODY_PREDICATE_TYPE,
    statementV1: "custody",
    oneSubject: "the item in custody",
    validatePredicate: validateCustodyPredicate,
  }).problems;
}

/**
 * Builds the custody statement of one timeline entry, validating everything at once.
 *
 * `previous` is hashed here: the predicate records `{ sha256: hex(SHA-256(previous)) }`, or
 * `null` when `previous` is `null`. Unset and empty optional event fields and an empty evidence
 * list are omitted; inputs are deep-copied. Nothing is read from the clock: `event.at` is an
 * input. Signing and chaining to a stored envelope: `appendCustodyEvent`.
 *
 * @param options Subject, position, previous envelope bytes, event and evidence.
 * @returns A valid `Statement<CustodyPredicate>`.
 * @throws {ValidationError} Naming every problem, with paths into the would-be statement (e.g.
 *   `/predicate/event/at`, `/predicate/previous` when `sequence` and `previous` disagree).
 * @throws {TypeError} When `options` is not an object or `previous` is neither bytes nor `null`.
 *
 * @example Usage
 * ```ts
 * import { buildCustodyStatement } from "@stellaops/provenance";
 * import { sha256 } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import assert from "node:assert/strict";
 * const subject = { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } };
 * const first = buildCustodyStatement({
 *   subject,
 *   sequence: 0,
 *   previous: null,
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z", note: "" },
 * });
 * assert.deepEqual(first.predicate, {
 *   sequence: 0,
 *   previous: null,
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 * });
 * const stored = new TextEncoder().encode('{"stored":"envelope bytes"}');
 * const second = buildCustodyStatement({
 *   subject,
 *   sequence: 1,
 *   previous: stored,
 *   event: { type: "transferred", actor: "courier", at: "2026-02-10T11:30:00Z" },
 * });
 * assert.deepEqual(second.predicate.previous, { sha256: encodeHex(sha256(stored)) });
 * ```
 */
export function buildCustodyStatement(
  options: BuildCustodyStatementOptions,
): Statement<CustodyPredicate> {
  if (!isObject(options)) throw new TypeError("Pass buildCustodyStatement options as an object");
  const previousBytes = options.previous;
  if (previousBytes !== null && !(previousBytes instanceof Uint8Array)) {
    throw new TypeError("Pass options.previous as the previous envelope's bytes or null");
  }
  const problems: Problem[] = [];
  const subject = isUnset(options.subject)
    ? []
    : [cloneJson(options.subject, "/subject/0", problems)];
  const event: UnknownObject = {};
  if (isObject(options.event)) {
    for (const field of ["type", "actor", "at", ...EVENT_STRINGS] as const) {
      const item = options.event[field];
      if (item === undefined || item === null || item === "") continue;
      event[field] = cloneJson(item, pointer("/predicate/event", field), problems);
    }
  }
  const predicate: UnknownObject = {
    sequence: options.sequence,
    previous: previousBytes === null ? null : { sha256: sha256(previousBytes).toHex() },
    event: isObject(options.event) ? event : options.event,
  };
  if (options.evidence !== undefined && options.evidence !== null) {
    const evidence = cloneJson(options.evidence, "/predicate/evidence", problems);
    if (!Array.isArray(evidence) || evidence.length > 0) predicate["evidence"] = evidence;
  }
  const statement = {
    _type: STATEMENT_TYPE_V1,
    subject,
    predicateType: CUSTODY_PREDICATE_TYPE,
    predicate,
  };
  problems.push(...validateCustodyStatement(statement));
  if (problems.length > 0) throw new ValidationError("Cannot build custody statement", problems);
  return statement as unknown as Statement<CustodyPredicate>;
}

/**
 * Reads one stored timeline entry strictly: the DSSE envelope (`parseEnvelope`), its in-toto
 * payload (strict JSON) and the custody statement in it ({@link validateCustodyStatement}).
 * Signatures are not checked here (that is `verifyTimeline`'s job).
 *
 * @param bytes The entry's exact stored bytes (a file, or a JSON Lines line without its newline).
 * @param name Name of the input (a file name, `file.jsonl:3`), used in messages.
 * @returns The parsed envelope and its custody statement.
 * @throws {ParseError} `ENVELOPE_MALFORMED` (or a `JSON_*` code) when the envelope or its payload
 *   is not strict JSON / DSSE.
 * @throws {ValidationError} When the payload is not an in-toto custody statement; `problems`
 *   names each issue (`PAYLOAD_TYPE_MISMATCH` at `""` for a payload that is not in-toto).
 *
 * @example Usage
 * ```ts
 * import { parseCustodyEntry } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * assert.throws(() => parseCustodyEntry(new TextEncoder().encode("{}"), "E0.dsse.json"), {
 *   code: "ENVELOPE_MALFORMED",
 * });
 * ```
 */
export function parseCustodyEntry(bytes: Uint8Array, name?: string): CustodyEntry {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("Pass the entry as a Uint8Array");
  const envelope = parseEnvelope(bytes, { name });
  const label = name === undefined ? "" : ` "${name}"`;
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
    throw new ValidationError(`Cannot read custody entry${label}`, [{
      path: "",
      code: "PAYLOAD_TYPE_MISMATCH",
      message: `Sign custody statements as "${INTOTO_PAYLOAD_TYPE}": got ${
        JSON.stringify(envelope.payloadType)
      }`,
    }]);
  }
  const value = parseJson(envelope.payloadBytes, {
    name: name === undefined ? "payload" : `${name} payload`,
  });
  const problems = validateCustodyStatement(value);
  if (problems.length > 0) {
    throw new ValidationError(`Cannot read custody entry${label}`, problems);
  }
  return { envelope, statement: value as unknown as Statement<CustodyPredicate> };
}

/**
 * Computes the anchor of a custody timeline: the RFC 9162 Merkle Tree Hash (§2.1.1) over its
 * entries, where leaf i is the 32-byte SHA-256 of entry i's exact stored bytes (leaf hash
 * `SHA-256(0x00 ‖ SHA-256(entry i))`), in timeline order.
 *
 * @param entries The entries' exact stored bytes, oldest first.
 * @returns The root as `sha256:<64 lowercase hex>` (the empty tree's hash for no entries).
 * @throws {TypeError} When `entries` is not an array of `Uint8Array`.
 *
 * @example Usage
 * ```ts
 * import { hashLeaf, merkleRoot, sha256 } from "@stellaops/provenance/digest";
 * import { encodeHex } from "@stellaops/provenance/encoding";
 * import { timelineMerkleRoot } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const entries = ["E0", "E1", "E2"].map((text) => new TextEncoder().encode(text));
 * const leaves = entries.map((entry) => hashLeaf(sha256(entry)));
 * assert.equal(timelineMerkleRoot(entries), `sha256:${encodeHex(merkleRoot(leaves))}`);
 * ```
 */
export function timelineMerkleRoot(entries: readonly Uint8Array[]): string {
  if (!Array.isArray(entries)) throw new TypeError("Pass the timeline entries as an array");
  const digests = entries.map((entry, i) => {
    if (!(entry instanceof Uint8Array)) {
      throw new TypeError(`Pass timeline entry ${i} as a Uint8Array`);
    }
    return sha256(entry);
  });
  return anchorOfDigests(digests);
}
