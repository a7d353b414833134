import assert from "node:assert/strict";
import {
  appendCustodyEvent,
  buildCustodyStatement,
  canonicalize,
  createSigner,
  exportPublicKeyPem,
  FAILURE_CODES,
  serializeEnvelope,
  signEnvelope,
  type Signer,
  type TimelineReport,
  verifyTimeline,
} from "../../mod.ts";
import { hashLeaf, merkleRoot, sha256 } from "../../lib/digest/mod.ts";
import { decodePemAll, encodeUtf8, parseRfc3339, splitJsonLines } from "../../lib/encoding/mod.ts";
import { importPkcs8 } from "../../lib/keys/mod.ts";
import { timelineMerkleRoot } from "../../lib/model/mod.ts";
import { parseTrustPolicy } from "../../lib/verify/mod.ts";
import { parseDuration } from "../../cli/_args.ts";
import {
  makeTimelineFixtures,
  TIMELINE_SUBJECT,
  type TimelineCase,
} from "../../scripts/make_timeline_fixtures.ts";
import {
  type KeySource,
  splitTrust,
  timelineArgs,
  type TimelineTestOptions,
  trustOf,
} from "./_trust.ts";

const ROOT = new URL("../../", import.meta.url);
const DIR = new URL("fixtures/timeline/", ROOT);
const cases: TimelineCase[] = JSON.parse(
  await Deno.readTextFile(new URL("negative/cases.json", DIR)),
);

/** The entries of a case: a directory's files in name order, or a JSON Lines file's lines. */
async function entriesOf(c: { dir?: string; file?: string }): Promise<Uint8Array[]> {
  return (await inputsOf(c)).entries;
}

/** A file's bytes, or undefined when it does not exist. */
async function readIfThere(url: URL): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(url);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * The entries of a case and their RFC 3161 tokens, read from the sidecars the CLI reads
 * (`E.dsse.json.tsr` next to a file, `T.jsonl.N.tsr` for line N+1; `.tsr` files are no entries).
 */
async function inputsOf(
  c: { dir?: string; file?: string },
): Promise<{ entries: Uint8Array[]; timestamps: (Uint8Array[] | undefined)[] }> {
  const tokens = async (urls: URL[]) =>
    await Promise.all(urls.map(async (url) => {
      const token = await readIfThere(url);
      return token === undefined ? undefined : [token];
    }));
  if (c.file !== undefined) {
    const entries = splitJsonLines(await Deno.readFile(new URL(c.file, DIR)));
    return {
      entries,
      timestamps: await tokens(entries.map((_, i) => new URL(`${c.file}.${i}.tsr`, DIR))),
    };
  }
  const dir = new URL(`${c.dir}/`, DIR);
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && !entry.name.endsWith(".tsr")) names.push(entry.name);
  }
  names.sort();
  return {
    entries: await Promise.all(names.map((name) => Deno.readFile(new URL(name, dir)))),
    timestamps: await tokens(names.map((name) => new URL(`${name}.tsr`, dir))),
  };
}

/** The library options the CLI flags of a case stand for. */
async function optionsOf(args: TimelineCase["args"]): Promise<TimelineTestOptions> {
  const keys: KeySource[] = [];
  for (const key of args.key ?? []) {
    keys.push({ pem: await Deno.readTextFile(new URL(key, DIR)), options: { name: key } });
  }
  return {
    now: parseRfc3339(args.now),
    trustPolicy: args.trust === undefined
      ? undefined
      : parseTrustPolicy(await Deno.readFile(new URL(args.trust, DIR))),
    keys,
    notAfter: args.notAfter === undefined ? undefined : parseRfc3339(args.notAfter),
    skew: args.skew === undefined ? undefined : parseDuration("--skew", args.skew),
    merkleRoot: args.merkleRoot,
    expectHead: args.expectHead,
    expectEntries: args.expectEntries,
    allowUnboundCustodians: args.allowUnboundCustodians,
    tsaRoots: args.tsaRoots === undefined
      ? undefined
      : decodePemAll(await Deno.readTextFile(new URL(args.tsaRoots, DIR)), {
        label: "CERTIFICATE",
      }).map((block) => block.bytes),
  };
}

async function verifyCase(c: TimelineCase): Promise<TimelineReport> {
  const { entries, timestamps } = await inputsOf(c);
  return await verifyTimeline(...timelineArgs(entries, { ...await optionsOf(c.args), timestamps }));
}

Deno.test("every fixtures/timeline case gives its exact verdict, code and entry index", async () => {
  assert.ok(cases.length >= 25, `expected at least 25 cases, found ${cases.length}`);
  const mismatches: string[] = [];
  for (const c of cases) {
    const report = await verifyCase(c);
    const got = {
      verified: report.verified,
      code: report.code ?? null,
      index: report.firstFailure?.index ?? null,
    };
    if (canonicalize(got) !== canonicalize(c.expect)) {
      mismatches.push(`${c.dir ?? c.file} (${c.why}): got ${canonicalize(got)}`);
    }
    // The report is consistent with itself.
    assert.equal(report.verified, report.checks.every((check) => check.ok));
    if (report.firstFailure !== undefined) {
      const entry = report.entries[report.firstFailure.index]!;
      assert.equal(entry.code, report.firstFailure.code);
      assert.ok(report.entries.slice(0, entry.index).every((e) => e.verified));
    }
  }
  assert.deepEqual(mismatches, []);
});

Deno.test("fixtures/timeline cases cover every timeline code and the required scenarios", () => {
  const codes = new Set(cases.map((c) => c.expect.code));
  for (const code of FAILURE_CODES.filter((code) => code.startsWith("TIMELINE_"))) {
    assert.ok(codes.has(code), `no case for ${code}`);
  }
  for (
    const code of [
      "MERKLE_ROOT_MISMATCH",
      "SIGNATURE_INVALID",
      "KEY_NOT_VALID_AT_TIME",
      "KEY_REVOKED",
      "KEY_UNTRUSTED",
    ]
  ) {
    assert.ok(codes.has(code), `no case for ${code}`);
  }
  for (const code of FAILURE_CODES.filter((code) => code.startsWith("CUSTODY_"))) {
    assert.ok(codes.has(code), `no case for ${code}`);
  }
  const timelineWide = [
    "TIMELINE_EMPTY",
    "MERKLE_ROOT_MISMATCH",
    "CUSTODY_TRUNCATED",
    "CUSTODY_ANCHOR_MISMATCH",
  ];
  for (const c of cases.filter((c) => !c.expect.verified)) {
    const entrySpecific = !timelineWide.includes(c.expect.code!);
    assert.equal(c.expect.index !== null, entrySpecific, `${c.dir ?? c.file}: ${c.why}`);
  }
});

Deno.test("verifyTimeline() gives the same verdict for separate files and JSON Lines", async () => {
  const options = await optionsOf({ trust: "trust.json", now: "2026-03-01T12:00:00Z" });
  const files = await entriesOf({ dir: "valid" });
  const lines = await entriesOf({ file: "valid.jsonl" });
  assert.equal(files.length, 4);
  assert.deepEqual(lines, files);
  const fromFiles = await verifyTimeline(...timelineArgs(files, options));
  const fromLines = await verifyTimeline(...timelineArgs(lines, options));
  assert.equal(canonicalize(fromFiles), canonicalize(fromLines));
  assert.equal(fromFiles.verified, true);
  assert.deepEqual(fromFiles.checks.map((c) => [c.id, c.ok]), [
    ["timeline.entries", true],
    ["timeline.sequence", true],
    ["timeline.links", true],
    ["timeline.times", true],
    ["timeline.subject", true],
    ["timeline.custodian", true],
  ]);
  assert.deepEqual(fromFiles.subject, TIMELINE_SUBJECT);
  assert.equal(fromFiles.keyids.length, 3);
  assert.deepEqual(
    fromFiles.entries.map((e) => [e.index, e.sequence, e.eventType, e.eventAt, e.verified]),
    [
      [0, 0, "collected", "2026-02-10T09:00:00Z", true],
      [1, 1, "transferred", "2026-02-10T11:30:00Z", true],
      [2, 2, "analyzed", "2026-02-11T08:15:00Z", true],
      [3, 3, "archived", "2026-02-12T16:00:00Z", true],
    ],
  );
  // Without tokens each entry's keys are judged at now: event.at is no trusted time.
  assert.deepEqual(
    fromFiles.entries.map((e) => e.report.time),
    fromFiles.entries.map(() => ({ value: "2026-03-01T12:00:00Z", source: "clock" })),
  );
  assert.equal(fromFiles.anchored, false);
  assert.equal(
    fromFiles.head,
    (await Deno.readTextFile(new URL("valid.head.txt", DIR))).trim(),
  );
  // With each entry's token (and the TSA root), at the token's time.
  const stamped = await verifyCase({
    file: "stamped.jsonl",
    args: { trust: "trust.json", now: "2026-03-01T12:00:00Z", tsaRoots: "tsa/root.pem" },
    expect: { verified: true, code: null, index: null },
    why: "",
  });
  assert.equal(stamped.verified, true);
  assert.deepEqual(
    stamped.entries.map((e) => e.report.time),
    stamped.entries.map((e) => ({
      value: new Date(Date.parse(e.eventAt!) + 60_000).toISOString().replace(".000Z", "Z"),
      source: "rfc3161",
    })),
  );
  assert.deepEqual(fromFiles.entries.map((e) => e.sha256), files.map((f) => sha256(f).toHex()));
  assert.deepEqual(fromFiles.time, { value: "2026-03-01T12:00:00Z", source: "clock" });
  assert.equal(
    fromFiles.merkleRoot,
    (await Deno.readTextFile(new URL("valid.merkle-root.txt", DIR))).trim(),
  );
});

Deno.test("verifyTimeline() anchors: the RFC 9162 root of the entries' sha256 digests", async () => {
  const entries = await entriesOf({ dir: "valid" });
  const options = await optionsOf({ trust: "trust.json", now: "2026-03-01T12:00:00Z" });
  const expected = "sha256:" + merkleRoot(entries.map((e) => hashLeaf(sha256(e)))).toHex();
  assert.equal(timelineMerkleRoot(entries), expected);
  for (const merkleRoot of [expected, expected.slice(7), expected.slice(7).toUpperCase()]) {
    const report = await verifyTimeline(...timelineArgs(entries, { ...options, merkleRoot }));
    assert.equal(report.verified, true);
    assert.deepEqual(report.checks.at(-1), { id: "timeline.anchor", ok: true });
  }
  const wrong = await verifyTimeline(
    ...timelineArgs(entries, { ...options, merkleRoot: "00".repeat(32) }),
  );
  assert.equal(wrong.verified, false);
  assert.equal(wrong.code, "MERKLE_ROOT_MISMATCH");
  assert.equal(wrong.firstFailure, undefined);
  assert.ok(wrong.entries.every((e) => e.verified));
  assert.equal(wrong.checks.at(-1)?.id, "timeline.anchor");
  await assert.rejects(
    () => verifyTimeline(...timelineArgs(entries, { ...options, merkleRoot: "sha256:zz" })),
    RangeError,
  );
});

Deno.test("verifyTimeline() points at every broken entry, not only the first", async () => {
  const options = await optionsOf({ trust: "trust.json", now: "2026-03-01T12:00:00Z" });
  const altered = await verifyCase(cases.find((c) => c.file === "negative/altered-middle.jsonl")!);
  assert.deepEqual(altered.entries.map((e) => e.code ?? null), [
    null,
    "SIGNATURE_INVALID",
    "TIMELINE_LINK_BROKEN",
    null,
  ]);
  assert.deepEqual(altered.checks.map((c) => c.code ?? null), [
    "SIGNATURE_INVALID",
    null,
    "TIMELINE_LINK_BROKEN",
    null,
    null,
    null,
  ]);
  const reordered = await verifyTimeline(
    ...timelineArgs(await entriesOf({ file: "negative/reordered.jsonl" }), options),
  );
  assert.deepEqual(reordered.entries.map((e) => e.code ?? null), [
    null,
    "TIMELINE_GAP",
    "TIMELINE_GAP",
    "TIMELINE_LINK_BROKEN",
  ]);
  assert.match(
    reordered.checks[1]!.message!,
    /entry 1.*sequence is 2, expected 1.*and 1 more entry\)$/s,
  );
  const malformed = await verifyTimeline(
    ...timelineArgs(await entriesOf({ file: "negative/malformed-line.jsonl" }), options),
  );
  assert.deepEqual(malformed.entries.map((e) => e.code ?? null), [
    null,
    null,
    "ENVELOPE_MALFORMED",
    "TIMELINE_LINK_BROKEN",
  ]);
  assert.deepEqual(malformed.entries[2]!.report.checks.map((c) => c.id), ["envelope.parse"]);
});

Deno.test("verifyTimeline() names the entries given in options.names", async () => {
  const entries = await entriesOf({ dir: "negative/gap" });
  const options = await optionsOf({ trust: "trust.json", now: "2026-03-01T12:00:00Z" });
  const report = await verifyTimeline(...timelineArgs(entries, {
    ...options,
    names: ["gap/E0.dsse.json", "gap/E1.dsse.json", "gap/E3.dsse.json"],
  }));
  assert.deepEqual(report.firstFailure, { index: 2, code: "TIMELINE_GAP" });
  assert.match(report.checks[1]!.message!, /^Reject "gap\/E3\.dsse\.json": its sequence is 3/);
});

Deno.test("verifyTimeline() rejects misuse with TypeError or RangeError", async () => {
  const now = Date.UTC(2026, 2, 1);
  const trust = trustOf({});
  await assert.rejects(() => verifyTimeline("x" as never, trust, { now }), TypeError);
  await assert.rejects(() => verifyTimeline(["x"] as never, trust, { now }), TypeError);
  await assert.rejects(
    () => verifyTimeline([], trust, { now, timestamps: [new Uint8Array(1)] }),
    TypeError,
  );
  await assert.rejects(() => verifyTimeline(...timelineArgs([], { now: Number.NaN })), RangeError);
  await assert.rejects(() => verifyTimeline(...timelineArgs([], { now, skew: -1 })), RangeError);
  await assert.rejects(
    () => verifyTimeline(...timelineArgs([], { now, merkleRoot: "abc" })),
    RangeError,
  );
});

Deno.test("verifyTimeline() of no entries fails with TIMELINE_EMPTY and no index", async () => {
  const report = await verifyTimeline(...timelineArgs([], { now: Date.UTC(2026, 2, 1) }));
  assert.equal(report.verified, false);
  assert.equal(report.code, "TIMELINE_EMPTY");
  assert.equal(report.firstFailure, undefined);
  assert.equal(report.merkleRoot, timelineMerkleRoot([]));
  assert.deepEqual(report.entries, []);
});

// Built in memory: entries the fixtures do not cover.

const SEED_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");

function testSigner(seedByte: number): { signer: Signer; key: KeySource } {
  const pkcs8 = new Uint8Array(48);
  pkcs8.set(SEED_PREFIX);
  pkcs8.fill(seedByte, 16);
  const key = importPkcs8(pkcs8);
  return { signer: createSigner(key), key: { pem: exportPublicKeyPem(key) } };
}

const A = testSigner(1);
const SUBJECT = { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } };
const BASE = { now: Date.UTC(2026, 2, 1), keys: [A.key], allowUnboundCustodians: true };

async function signed(statement: unknown): Promise<Uint8Array> {
  const envelope = await signEnvelope(statement as never, [A.signer], { validate: false });
  return encodeUtf8(serializeEnvelope(envelope));
}

Deno.test("verifyTimeline() reports a first entry with a previous link as TIMELINE_LINK_BROKEN", async () => {
  const statement = buildCustodyStatement({
    subject: SUBJECT,
    sequence: 1,
    previous: encodeUtf8("some other entry"),
    event: { type: "collected", actor: "a", at: "2026-02-01T00:00:00Z" },
  });
  statement.predicate.sequence = 0;
  const report = await verifyTimeline([await signed(statement)], ...splitTrust(BASE));
  assert.deepEqual(report.firstFailure, { index: 0, code: "TIMELINE_LINK_BROKEN" });
  assert.deepEqual(
    report.entries[0]!.report.checks.filter((c) => !c.ok).map((c) => c.id),
    ["timeline.links"],
  );
});

Deno.test("verifyTimeline() reports a non-custody or malformed payload as TIMELINE_ENTRY_INVALID", async () => {
  const e0 = await appendCustodyEvent(null, {
    subject: SUBJECT,
    event: { type: "collected", actor: "a", at: "2026-02-01T00:00:00Z" },
    signers: [A.signer],
  });
  const notJson = encodeUtf8(serializeEnvelope(
    await signEnvelope({
      payloadType: "application/vnd.in-toto+json",
      payload: encodeUtf8("{not json"),
    }, [A.signer]),
  ));
  const text = encodeUtf8(serializeEnvelope(
    await signEnvelope({ payloadType: "text/plain", payload: encodeUtf8("hi") }, [A.signer]),
  ));
  const badTime = await signed({
    _type: "https://in-toto.io/Statement/v1",
    subject: [SUBJECT],
    predicateType: "stella.ops/custody@v1",
    predicate: {
      sequence: 1,
      previous: { sha256: sha256(e0.bytes).toHex() },
      event: { type: "x", actor: "a", at: "2026-02-01 00:00" },
    },
  });
  const cases = [
    { entry: notJson, first: "STATEMENT_INVALID" },
    { entry: text, first: "TIMELINE_ENTRY_INVALID" },
    { entry: badTime, first: "TIMELINE_ENTRY_INVALID" },
  ];
  for (const { entry, first } of cases) {
    const report = await verifyTimeline([e0.bytes, entry], ...splitTrust(BASE));
    assert.deepEqual(report.firstFailure, { index: 1, code: first });
    const custody = report.entries[1]!.report.checks.find((c) => c.id === "custody.statement");
    assert.equal(custody?.code, "TIMELINE_ENTRY_INVALID");
    assert.equal(report.checks[0]!.code, first);
  }
});

Deno.test("verifyTimeline() compares subjects by name and digest set", async () => {
  const at = (hour: number) => `2026-02-01T${String(hour).padStart(2, "0")}:00:00Z`;
  const e0 = await appendCustodyEvent(null, {
    subject: { ...SUBJECT, digest: { sha256: "ab".repeat(32), sha512: "cd".repeat(64) } },
    event: { type: "collected", actor: "a", at: at(1) },
    signers: [A.signer],
  });
  const variants = [
    { name: "registry.example/app", digest: { sha512: "cd".repeat(64), sha256: "ab".repeat(32) } },
    { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } },
    {
      name: "registry.example/other",
      digest: { sha256: "ab".repeat(32), sha512: "cd".repeat(64) },
    },
  ];
  const verdicts: (string | null)[] = [];
  for (const subject of variants) {
    const e1 = buildCustodyStatement({
      subject,
      sequence: 1,
      previous: e0.bytes,
      event: { type: "stored", actor: "a", at: at(2) },
    });
    const report = await verifyTimeline([e0.bytes, await signed(e1)], ...splitTrust(BASE));
    verdicts.push(report.code ?? null);
  }
  assert.deepEqual(verdicts, [null, "TIMELINE_SUBJECT_MISMATCH", "TIMELINE_SUBJECT_MISMATCH"]);
});

Deno.test("verifyTimeline() accepts equal event times even with skew 0", async () => {
  const at = "2026-02-01T10:00:00Z";
  let previous: Uint8Array | null = null;
  const entries: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) {
    const next = await appendCustodyEvent(previous, {
      subject: SUBJECT,
      event: { type: "checked", actor: "a", at },
      signers: [A.signer],
    });
    entries.push(next.bytes);
    previous = next.bytes;
  }
  assert.equal(
    (await verifyTimeline(...timelineArgs(entries, { ...BASE, skew: 0 }))).verified,
    true,
  );
});

Deno.test("verifyTimeline() verifies a 2,000-entry timeline built by appendCustodyEvent()", async () => {
  const entries: Uint8Array[] = [];
  let previous: Uint8Array | null = null;
  for (let i = 0; i < 2000; i++) {
    const { bytes }: { bytes: Uint8Array } = await appendCustodyEvent(previous, {
      subject: SUBJECT,
      event: {
        type: "checked",
        actor: "a",
        at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      },
      signers: [A.signer],
    });
    entries.push(bytes);
    previous = bytes;
  }
  const report = await verifyTimeline(...timelineArgs(entries, BASE));
  assert.equal(report.verified, true);
  assert.equal(report.entries.length, 2000);
  assert.equal(report.entries[1999]!.sequence, 1999);
});

Deno.test("makeTimelineFixtures() regenerates fixtures/timeline byte-identically", async () => {
  const generated = await makeTimelineFixtures();
  for (const fixture of generated) {
    const onDisk = await Deno.readFile(new URL(fixture.path, ROOT));
    assert.deepEqual(
      onDisk,
      fixture.bytes,
      `run scripts/make_timeline_fixtures.ts to refresh ${fixture.path}`,
    );
  }
  // Nothing else lives there but the committed private keys.
  const listed = new Set(generated.map((f) => f.path));
  const found: string[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      else found.push(`${prefix}${entry.name}`);
    }
  };
  await walk(DIR, "fixtures/timeline/");
  assert.deepEqual(
    found.filter((path) => !listed.has(path)).sort(),
    [
      "fixtures/timeline/keys/test-only-custodian-a-ed25519.pem",
      "fixtures/timeline/keys/test-only-custodian-b-ecdsa-p256.pem",
      "fixtures/timeline/keys/test-only-custodian-c-ecdsa-p384.pem",
    ],
  );
  assert.deepEqual(await makeTimelineFixtures(), generated);
});
