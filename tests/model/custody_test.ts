import assert from "node:assert/strict";
import {
  buildCustodyStatement,
  canonicalize,
  serializeEnvelope,
  ValidationError,
} from "../../mod.ts";
import { CUSTODY_PREDICATE_TYPE } from "../../lib/model/mod.ts";
import { hashLeaf, merkleRoot, sha256 } from "../../lib/digest/mod.ts";
import { encodeUtf8 } from "../../lib/encoding/mod.ts";
import {
  parseCustodyEntry,
  timelineMerkleRoot,
  validateCustodyPredicate,
  validateCustodyStatement,
} from "../../lib/model/mod.ts";

const SUBJECT = { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } };
const EVENT = { type: "collected", actor: "ir-team", at: "2026-02-10T09:00:00Z" };
const HEX = "cd".repeat(32);

function statement(predicate: unknown, extra: Record<string, unknown> = {}) {
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject: [SUBJECT],
    predicateType: CUSTODY_PREDICATE_TYPE,
    predicate,
    ...extra,
  };
}

/** The error a function throws (the test fails when it returns). */
function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

const codes = (problems: readonly { path: string; code: string }[]) =>
  problems.map((p) => [p.path, p.code]);

Deno.test("validateCustodyPredicate() accepts the first entry and a linked entry", () => {
  assert.deepEqual(validateCustodyPredicate({ sequence: 0, previous: null, event: EVENT }), []);
  // In-toto parsing rules: an unset previous equals null; unknown fields are ignored.
  assert.deepEqual(validateCustodyPredicate({ sequence: 0, event: EVENT, extra: 1 }), []);
  assert.deepEqual(
    validateCustodyPredicate({
      sequence: 7,
      previous: { sha256: HEX },
      event: { ...EVENT, location: "locker 7", note: "sealed", extra: true },
      evidence: [{ name: "form.pdf", digest: { sha256: HEX } }],
    }),
    [],
  );
});

Deno.test("validateCustodyPredicate() names every problem with its path and code", () => {
  assert.deepEqual(codes(validateCustodyPredicate(null, "/predicate")), [
    ["/predicate", "TYPE_MISMATCH"],
  ]);
  assert.deepEqual(codes(validateCustodyPredicate({})), [
    ["/sequence", "FIELD_REQUIRED"],
    ["/event", "FIELD_REQUIRED"],
  ]);
  assert.deepEqual(
    codes(validateCustodyPredicate({
      sequence: "1",
      previous: { sha256: HEX.toUpperCase() },
      event: { type: 1, actor: "", at: "2026-02-10T09:00:00+01:00", location: 5, note: [] },
      evidence: [{ mediaType: "text/plain" }, { name: "x", digest: { sha256: "00" } }],
    })),
    [
      ["/sequence", "TYPE_MISMATCH"],
      ["/previous", "PREVIOUS_INVALID"],
      ["/event/type", "TYPE_MISMATCH"],
      ["/event/actor", "FIELD_REQUIRED"],
      ["/event/at", "TIMESTAMP_INVALID"],
      ["/event/location", "TYPE_MISMATCH"],
      ["/event/note", "TYPE_MISMATCH"],
      ["/evidence/0", "RD_REQUIRED_FIELD"],
      ["/evidence/1/digest/sha256", "DIGEST_INCORRECT_LENGTH"],
    ],
  );
  for (const sequence of [-1, 1.5, 2 ** 53]) {
    assert.deepEqual(codes(validateCustodyPredicate({ sequence, event: EVENT })), [
      ["/sequence", "SEQUENCE_INVALID"],
    ]);
  }
  assert.deepEqual(codes(validateCustodyPredicate({ sequence: 0, event: "x", evidence: {} })), [
    ["/event", "TYPE_MISMATCH"],
    ["/evidence", "TYPE_MISMATCH"],
  ]);
  for (const at of ["2026-02-30T00:00:00Z", "2026-02-10", "2026-02-10t09:00:00z"]) {
    assert.deepEqual(codes(validateCustodyPredicate({ sequence: 0, event: { ...EVENT, at } })), [
      ["/event/at", "TIMESTAMP_INVALID"],
    ]);
  }
});

Deno.test("validateCustodyPredicate() ties previous to sequence (cross-field)", () => {
  assert.deepEqual(codes(validateCustodyPredicate({ sequence: 1, previous: null, event: EVENT })), [
    ["/previous", "PREVIOUS_REQUIRED"],
  ]);
  assert.deepEqual(
    codes(validateCustodyPredicate({ sequence: 0, previous: { sha256: HEX }, event: EVENT })),
    [["/previous", "PREVIOUS_UNEXPECTED"]],
  );
  for (const previous of [{ sha512: HEX }, { sha256: "cd" }, "sha256:" + HEX, []]) {
    assert.deepEqual(codes(validateCustodyPredicate({ sequence: 3, previous, event: EVENT })), [
      ["/previous", "PREVIOUS_INVALID"],
    ]);
  }
});

Deno.test("validateCustodyStatement() checks the statement layer, type and single subject", () => {
  assert.deepEqual(validateCustodyStatement(statement({ sequence: 0, event: EVENT })), []);
  assert.deepEqual(
    codes(validateCustodyStatement(
      statement({ sequence: 0, event: EVENT }, {
        _type: "https://in-toto.io/Statement/v0.1",
        subject: [SUBJECT, SUBJECT],
        predicateType: "https://slsa.dev/provenance/v1",
      }),
    )),
    [
      ["/_type", "STATEMENT_TYPE_INVALID"],
      ["/subject", "SUBJECT_COUNT_INVALID"],
      ["/predicateType", "PREDICATE_TYPE_MISMATCH"],
    ],
  );
  assert.deepEqual(
    codes(validateCustodyStatement(statement({ sequence: 0, event: EVENT }, { subject: [] }))),
    [["/subject", "SUBJECT_REQUIRED"]],
  );
  assert.deepEqual(codes(validateCustodyStatement(statement({ sequence: -1, event: EVENT }))), [
    ["/predicate/sequence", "SEQUENCE_INVALID"],
  ]);
  assert.deepEqual(codes(validateCustodyStatement([])), [["", "TYPE_MISMATCH"]]);
});

Deno.test("buildCustodyStatement() hashes the previous bytes and omits empty optionals", () => {
  const previous = encodeUtf8('{"payload":"...","payloadType":"x","signatures":[]}');
  const built = buildCustodyStatement({
    subject: SUBJECT,
    sequence: 1,
    previous,
    event: { ...EVENT, location: "", note: undefined },
    evidence: [],
  });
  assert.equal(
    canonicalize(built),
    canonicalize({
      _type: "https://in-toto.io/Statement/v1",
      subject: [SUBJECT],
      predicateType: "stella.ops/custody@v1",
      predicate: { sequence: 1, previous: { sha256: sha256(previous).toHex() }, event: EVENT },
    }),
  );
  const evidence = [{ name: "form.pdf", digest: { sha256: HEX }, annotations: { page: 2 } }];
  const withEvidence = buildCustodyStatement({
    subject: SUBJECT,
    sequence: 0,
    previous: null,
    event: EVENT,
    evidence,
  });
  assert.deepEqual(withEvidence.predicate.evidence, evidence);
  evidence[0]!.name = "changed";
  assert.equal(withEvidence.predicate.evidence?.[0]?.name, "form.pdf"); // deep copy
});

Deno.test("buildCustodyStatement() throws a ValidationError naming every problem", () => {
  const error = caught(
    () =>
      buildCustodyStatement({
        subject: { name: "app" },
        sequence: 2,
        previous: null,
        event: { type: "x", actor: "y", at: "yesterday" },
        evidence: [{ name: "f", digest: { sha256: HEX }, content: "%%" }],
      }),
  );
  assert.ok(error instanceof ValidationError);
  assert.deepEqual(codes(error.problems), [
    ["/subject/0/digest", "DIGEST_REQUIRED"],
    ["/predicate/previous", "PREVIOUS_REQUIRED"],
    ["/predicate/event/at", "TIMESTAMP_INVALID"],
    ["/predicate/evidence/0/content", "RD_CONTENT_INVALID"],
  ]);
  assert.throws(
    () =>
      buildCustodyStatement({
        subject: SUBJECT,
        sequence: 0,
        previous: null,
        event: { ...EVENT, note: new Date(0) as never },
      }),
    (e: unknown) =>
      e instanceof ValidationError && e.problems[0]?.code === "VALUE_NOT_JSON" &&
      e.problems[0].path === "/predicate/event/note",
  );
  assert.throws(
    () =>
      buildCustodyStatement({
        subject: SUBJECT,
        sequence: 0,
        previous: "x" as never,
        event: EVENT,
      }),
    TypeError,
  );
  assert.throws(() => buildCustodyStatement(null as never), TypeError);
});

Deno.test("parseCustodyEntry() reads an envelope's custody statement strictly", () => {
  const payload = encodeUtf8(canonicalize(statement({ sequence: 0, event: EVENT })));
  const envelope = (payloadType: string, body: Uint8Array) =>
    encodeUtf8(serializeEnvelope({
      payloadType,
      payload: body.toBase64(),
      signatures: [{ keyid: "k", sig: "AAAA" }],
    }));
  const entry = parseCustodyEntry(envelope("application/vnd.in-toto+json", payload), "E0");
  assert.equal(entry.statement.predicate.sequence, 0);
  assert.equal(entry.envelope.signatures[0]?.keyid, "k");
  assert.throws(() => parseCustodyEntry(encodeUtf8("[]"), "E0"), { code: "ENVELOPE_MALFORMED" });
  assert.throws(
    () => parseCustodyEntry(envelope("application/vnd.in-toto+json", encodeUtf8('{"a":1,"a":1}'))),
    { code: "JSON_DUPLICATE_KEY" },
  );
  assert.throws(
    () => parseCustodyEntry(envelope("text/plain", payload), "E0"),
    (e: unknown) =>
      e instanceof ValidationError && e.problems[0]?.code === "PAYLOAD_TYPE_MISMATCH" &&
      e.message.includes('"E0"'),
  );
  const other = encodeUtf8(canonicalize(statement({}, { predicateType: "x" })));
  assert.throws(
    () => parseCustodyEntry(envelope("application/vnd.in-toto+json", other)),
    ValidationError,
  );
  assert.throws(() => parseCustodyEntry("{}" as never), TypeError);
});

Deno.test("timelineMerkleRoot() is the RFC 9162 root over each entry's sha256", () => {
  const entries = ["", "a", "bc", "def", "ghij"].map(encodeUtf8);
  for (let n = 0; n <= entries.length; n++) {
    const part = entries.slice(0, n);
    assert.equal(
      timelineMerkleRoot(part),
      `sha256:${merkleRoot(part.map((entry) => hashLeaf(sha256(entry)))).toHex()}`,
    );
  }
  // One entry: the root is the leaf hash SHA-256(0x00 ‖ SHA-256(entry)).
  const leaf = new Uint8Array(33);
  leaf.set(sha256(entries[1]!), 1);
  assert.equal(timelineMerkleRoot([entries[1]!]), `sha256:${sha256(leaf).toHex()}`);
  assert.equal(
    timelineMerkleRoot([]),
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.throws(() => timelineMerkleRoot("x" as never), TypeError);
  assert.throws(() => timelineMerkleRoot(["x"] as never), TypeError);
});
