/**
 * Appending to a custody timeline (`stella.ops/custody@v1`, docs/architecture.md "Custody timeline"): build
 * the next entry's statement from the previous entry's exact stored bytes and sign it (DSSE
 * `protocol.md`, in-toto `spec/v1/statement.md`).
 *
 * The new entry's `sequence`, `previous` (SHA-256 of the previous bytes) and subject come from the
 * previous entry; the event, evidence and signers from the caller. The returned `bytes` are the
 * RFC 8785 canonical JSON of the envelope with no trailing newline: store exactly these bytes
 * (as a file, or as one JSON Lines line followed by `\n`), because the next entry hashes them.
 * With deterministic signers (Ed25519; ECDSA per RFC 6979) the same inputs give the same bytes.
 *
 * The appender refuses to write an entry that `verifyTimeline` would reject for reasons it can
 * see: a sequence that does not follow, another subject, an event time before the previous one.
 * It does not check the previous entry's signatures (it has no trusted keys); verify the timeline
 * for that.
 *
 * Option names are the flags of `stella timeline append` in camelCase (`--sequence` ⇔
 * `sequence`; the event's `--type`, `--actor`, `--at`, `--location`, `--note` ⇔ `event.*`).
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { encodeUtf8 } from "../encoding/bytes.ts";
import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import {
  buildCustodyStatement,
  type CustodyEvent,
  type CustodyPredicate,
  parseCustodyEntry,
} from "../model/custody.ts";
import { type DsseEnvelope, serializeEnvelope } from "../model/dsse.ts";
import type { ResourceDescriptor, Statement } from "../model/statement.ts";
import { describeSubject, sameSubject } from "../model/custody_chain.ts";
import { signEnvelope } from "./envelope.ts";
import type { Signer } from "../crypto/signer.ts";

/**
 * Options of {@link appendCustodyEvent}: the flags of `stella timeline append`.
 *
 * @example Usage
 * ```ts
 * import {
 *   appendCustodyEvent,
 *   type AppendCustodyEventOptions,
 *   createSigner,
 *   generateKeyPair,
 * } from "@stellaops/provenance";
 * import assert from "node:assert/strict";
 * const options: AppendCustodyEventOptions = {
 *   subject: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 *   signers: [createSigner(await generateKeyPair("ed25519"))],
 * };
 * const first = await appendCustodyEvent(null, options);
 * assert.deepEqual(first.statement.predicate, {
 *   sequence: 0,
 *   previous: null,
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 * });
 * await assert.rejects(appendCustodyEvent(null, { ...options, sequence: 1 }), {
 *   name: "RangeError",
 *   message: "Pass sequence 0 or none: a new timeline starts at 0, got 1",
 * });
 * ```
 */
export interface AppendCustodyEventOptions {
  /**
   * `--subject`: the item in custody. Required for the first entry; for later entries it is taken
   * from the previous entry and, when given, must equal it (name and digest set).
   */
  subject?: ResourceDescriptor | undefined;
  /** The event (`--type`, `--actor`, `--at`, `--location`, `--note`). */
  event: CustodyEvent;
  /** `--evidence`: documents backing the event, with digests. */
  evidence?: readonly ResourceDescriptor[] | undefined;
  /**
   * `--sequence`: position of the new entry. Derived (previous + 1, or 0 for the first entry);
   * when given it must equal the derived value.
   */
  sequence?: number | undefined;
  /** Signers of the new entry (`--key`), in signature order; usually the custodian's one key. */
  signers: readonly Signer[];
  /**
   * Name of the previous entry in error messages (its file, or `FILE:LINE` of a JSON Lines
   * timeline); default "previous entry".
   */
  previousName?: string | undefined;
}

/**
 * A new timeline entry: its statement, envelope and the exact bytes to store.
 *
 * @example Usage
 * ```ts
 * import {
 *   appendCustodyEvent,
 *   type AppendedCustodyEvent,
 *   createSigner,
 *   generateKeyPair,
 *   serializeEnvelope,
 * } from "@stellaops/provenance";
 * import { parseCustodyEntry } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const entry: AppendedCustodyEvent = await appendCustodyEvent(null, {
 *   subject: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 *   signers: [createSigner(await generateKeyPair("ed25519"))],
 * });
 * assert.equal(new TextDecoder().decode(entry.bytes), serializeEnvelope(entry.envelope));
 * assert.deepEqual(parseCustodyEntry(entry.bytes).statement, entry.statement);
 * ```
 */
export interface AppendedCustodyEvent {
  /** The signed statement. */
  statement: Statement<CustodyPredicate>;
  /** The signed envelope. */
  envelope: DsseEnvelope;
  /** RFC 8785 canonical JSON of the envelope, UTF-8, no trailing newline: store these bytes. */
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * Builds and signs the next entry of a custody timeline.
 *
 * @param previous The previous entry's exact stored bytes (its file, or its JSON Lines line
 *   without the newline), or `null` to start a new timeline.
 * @param options Subject (first entry), event, evidence, expected sequence and signers.
 * @returns The statement, the envelope and the exact bytes to store.
 * @throws {ParseError} When `previous` is not a strict DSSE envelope with a JSON payload.
 * @throws {ValidationError} When `previous` is not a custody statement, or the new statement is
 *   invalid (naming every problem, with paths such as `/predicate/event/at`).
 * @throws {RangeError} When `sequence` or `subject` contradict the previous entry, the event time
 *   is before the previous event's, or `signers` is empty.
 * @throws {TypeError} When an option has the wrong shape, or the first entry has no subject.
 *
 * @example Usage
 * ```ts
 * import { appendCustodyEvent, createSigner, generateKeyPair } from "@stellaops/provenance";
 * import { parseCustodyEntry } from "@stellaops/provenance/model";
 * import assert from "node:assert/strict";
 * const signer = createSigner(await generateKeyPair("ed25519"));
 * const e0 = await appendCustodyEvent(null, {
 *   subject: { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
 *   event: { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" },
 *   signers: [signer],
 * });
 * const e1 = await appendCustodyEvent(e0.bytes, {
 *   event: { type: "transferred", actor: "courier", at: "2026-02-10T11:30:00Z" },
 *   signers: [signer],
 * });
 * assert.equal(e1.statement.predicate.sequence, 1);
 * assert.equal(e1.statement.subject[0]?.name, "registry.example/app");
 * assert.equal(parseCustodyEntry(e1.bytes).statement.predicate.previous?.sha256,
 *   new Uint8Array(await crypto.subtle.digest("SHA-256", e0.bytes)).toHex());
 * ```
 */
export async function appendCustodyEvent(
  previous: Uint8Array | null,
  options: AppendCustodyEventOptions,
): Promise<AppendedCustodyEvent> {
  if (previous !== null && !(previous instanceof Uint8Array)) {
    throw new TypeError("Pass the previous entry's bytes as a Uint8Array, or null");
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Pass appendCustodyEvent options as an object");
  }
  if (!Array.isArray(options.signers)) throw new TypeError("Pass options.signers as an array");
  if (options.signers.length === 0) throw new RangeError("Pass at least one signer");
  if (options.sequence !== undefined && !Number.isSafeInteger(options.sequence)) {
    throw new RangeError(`Pass options.sequence as an integer: got ${options.sequence}`);
  }

  let sequence = 0;
  let subject = options.subject;
  if (previous === null) {
    if (subject === undefined) {
      throw new TypeError("Pass options.subject: the first entry names the item in custody");
    }
  } else {
    const last = parseCustodyEntry(previous, options.previousName ?? "previous entry").statement;
    sequence = last.predicate.sequence + 1;
    const lastSubject = last.subject[0]!;
    if (subject !== undefined && !sameSubject(subject, lastSubject)) {
      throw new RangeError(
        `Pass the timeline's subject (${describeSubject(lastSubject)}) or none: got ${
          describeSubject(subject)
        }`,
      );
    }
    subject = lastSubject;
    const lastAt = parseRfc3339(last.predicate.event.at);
    const at = typeof options.event?.at === "string" ? tryParse(options.event.at) : undefined;
    if (at !== undefined && at < lastAt) {
      throw new RangeError(
        `Pass an event time at or after the previous event's (${
          formatRfc3339(lastAt)
        }): got ${options.event.at}`,
      );
    }
  }
  if (options.sequence !== undefined && options.sequence !== sequence) {
    throw new RangeError(
      `Pass sequence ${sequence} or none: ${
        previous === null ? "a new timeline starts at 0" : "the previous entry has " +
          `sequence ${sequence - 1}`
      }, got ${options.sequence}`,
    );
  }
  const statement = buildCustodyStatement({
    subject,
    sequence,
    previous,
    event: options.event,
    evidence: options.evidence,
  });
  const envelope = await signEnvelope(statement, options.signers);
  return { statement, envelope, bytes: encodeUtf8(serializeEnvelope(envelope)) };
}

/** Parses a time for the ordering check; an invalid one is reported by validation instead. */
function tryParse(text: string): number | undefined {
  try {
    return parseRfc3339(text);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return undefined;
  }
}
