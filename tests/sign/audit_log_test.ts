import assert from "node:assert/strict";
import { canonicalize, ParseError, ValidationError } from "../../mod.ts";
import type { AuditEntry, AuditSink } from "../../lib/sign/mod.ts";
import { preAuthEncoding } from "../../lib/model/mod.ts";
import {
  appendAuditLogFile,
  AuditedSigner,
  FileAuditLog,
  MemoryAuditLog,
  planAuditAppend,
  PolicySigner,
  verifyAuditLog,
  verifyAuditLogFile,
} from "../../lib/sign/mod.ts";

import { testEd25519Key } from "./_test_signers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const sha256Hex = async (bytes: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice())).toHex();

function entry(i: number): AuditEntry {
  return {
    time: `2025-01-01T00:0${i}:00+00:00`,
    keyid: "k".repeat(8),
    algorithm: "ed25519",
    payloadType: "application/vnd.in-toto+json",
    payloadSha256: String(i).repeat(64),
    subjects: [`sha256:${"ab".repeat(32)}`],
    actor: `actor-${i}`,
  };
}

async function logOf(n: number): Promise<string> {
  const log = new MemoryAuditLog();
  for (let i = 1; i <= n; i++) await log.append(entry(i));
  return log.text();
}

const lines = (text: string) => text.split("\n").slice(0, -1);
const join = (ls: string[]) => enc.encode(ls.join("\n") + "\n");

Deno.test("audit records are canonical JSON lines chained by the SHA-256 of the previous line", async () => {
  const text = await logOf(2);
  const [first, second] = lines(text);
  assert.equal(
    first,
    '{"actor":"actor-1","algorithm":"ed25519","keyid":"kkkkkkkk","payloadSha256":"' +
      "1".repeat(64) +
      '","payloadType":"application/vnd.in-toto+json","prev":null,"seq":1,"subjects":["sha256:' +
      "ab".repeat(32) + '"],"time":"2025-01-01T00:01:00Z"}',
  );
  const record2 = JSON.parse(second!);
  assert.equal(record2.seq, 2);
  assert.equal(record2.prev, await sha256Hex(enc.encode(first)));
  assert.equal(canonicalize(record2), second);
  const report = verifyAuditLog(enc.encode(text));
  assert.deepEqual(report, {
    ok: true,
    code: null,
    index: null,
    message: "Audit log intact: 2 records",
    records: 2,
    head: await sha256Hex(enc.encode(second)),
    tornTail: false,
  });
});

Deno.test("verifyAuditLog() accepts an empty log", () => {
  assert.deepEqual(verifyAuditLog(new Uint8Array()), {
    ok: true,
    code: null,
    index: null,
    message: "Audit log intact: 0 records",
    records: 0,
    head: null,
    tornTail: false,
  });
});

Deno.test("verifyAuditLog() detects an edited field in a middle record at that record", async () => {
  const ls = lines(await logOf(5));
  ls[2] = ls[2]!.replace('"actor":"actor-3"', '"actor":"mallory"');
  const report = verifyAuditLog(join(ls));
  assert.deepEqual([report.ok, report.code, report.index, report.records], [
    false,
    "AUDIT_CHAIN_BROKEN",
    3,
    2,
  ]);
  assert.match(report.message, /^Record 3 was edited/);
});

Deno.test("verifyAuditLog() detects an edited prev digest at that record", async () => {
  const ls = lines(await logOf(5));
  const record = JSON.parse(ls[2]!);
  record.prev = "0".repeat(64);
  ls[2] = canonicalize(record);
  const report = verifyAuditLog(join(ls));
  assert.deepEqual([report.code, report.index], ["AUDIT_CHAIN_BROKEN", 3]);
});

Deno.test("verifyAuditLog() detects a deleted middle record at the record after the gap", async () => {
  const ls = lines(await logOf(5));
  ls.splice(2, 1);
  const report = verifyAuditLog(join(ls));
  assert.deepEqual([report.ok, report.code, report.index, report.records], [
    false,
    "AUDIT_CHAIN_BROKEN",
    3,
    2,
  ]);
  assert.match(report.message, /removed or reordered/);
});

Deno.test("verifyAuditLog() detects a deleted first record", async () => {
  const ls = lines(await logOf(3));
  ls.shift();
  const report = verifyAuditLog(join(ls));
  assert.deepEqual([report.code, report.index, report.records, report.head], [
    "AUDIT_CHAIN_BROKEN",
    1,
    0,
    null,
  ]);
});

Deno.test("verifyAuditLog() detects swapped records at the first one out of place", async () => {
  const ls = lines(await logOf(5));
  [ls[1], ls[2]] = [ls[2]!, ls[1]!];
  const report = verifyAuditLog(join(ls));
  assert.deepEqual([report.code, report.index], ["AUDIT_CHAIN_BROKEN", 2]);
});

Deno.test("verifyAuditLog() detects a truncated tail against a trusted head", async () => {
  const full = enc.encode(await logOf(5));
  const head = verifyAuditLog(full).head!;
  const ls = lines(dec.decode(full));
  const truncated = join(ls.slice(0, 3));
  // Without a trusted head, dropping whole records at the end is undetectable by construction.
  assert.equal(verifyAuditLog(truncated).ok, true);
  const report = verifyAuditLog(truncated, { trustedHead: head });
  assert.deepEqual([report.ok, report.code, report.index, report.records], [
    false,
    "AUDIT_TRUNCATED",
    4,
    3,
  ]);
  // A head from earlier in the log is fine: the log may grow after a checkpoint.
  const earlier = verifyAuditLog(truncated).head!;
  assert.equal(verifyAuditLog(full, { trustedHead: earlier }).ok, true);
  // An edit of the last record is only visible against the trusted head.
  const edited = [...ls];
  edited[4] = edited[4]!.replace("actor-5", "actor-X");
  assert.equal(verifyAuditLog(join(edited)).ok, true);
  assert.equal(verifyAuditLog(join(edited), { trustedHead: head }).code, "AUDIT_TRUNCATED");
  assert.throws(() => verifyAuditLog(full, { trustedHead: "AB".repeat(32) }), TypeError);
});

Deno.test("verifyAuditLog() reports a torn last line but still verifies the complete prefix", async () => {
  const full = enc.encode(await logOf(5));
  const ls = lines(dec.decode(full));
  const prefix = join(ls.slice(0, 4));
  const torn = full.slice(0, prefix.length + 17);
  const report = verifyAuditLog(torn);
  assert.deepEqual(report, {
    ok: true,
    code: "AUDIT_TORN_TAIL",
    index: 5,
    message:
      "Record 5 is incomplete (torn by an interrupted append): the 4 complete records verify; the next append removes it",
    records: 4,
    head: verifyAuditLog(prefix).head,
    tornTail: true,
  });
  // The last line without only its newline is torn, too.
  assert.equal(verifyAuditLog(full.slice(0, -1)).code, "AUDIT_TORN_TAIL");
  // A tamper before the torn tail wins.
  const tampered = dec.decode(torn).replace("actor-2", "actor-Z");
  const bad = verifyAuditLog(enc.encode(tampered));
  assert.deepEqual([bad.ok, bad.code, bad.index, bad.tornTail], [
    false,
    "AUDIT_CHAIN_BROKEN",
    2,
    true,
  ]);
});

Deno.test("verifyAuditLog() flags malformed records with their index", async () => {
  const ls = lines(await logOf(4));
  const cases: [string, string][] = [
    ["not json", "not JSON"],
    ["", "empty line"],
    [ls[1]!.replace("{", "{ "), "not in RFC 8785 canonical form"],
    [ls[1]!.replace('"seq":2', '"seq":"2"'), 'field "seq"'],
    [ls[1]!.replace('"time":"2025-01-01T00:02:00Z"', '"time":"yesterday"'), 'field "time"'],
    [ls[1]!.replace('{"actor"', '{"a":1,"actor"'), 'unknown field "a"'],
    ["[]", "not a JSON object"],
  ];
  for (const [line, why] of cases) {
    const copy = [...ls];
    copy[1] = line;
    const report = verifyAuditLog(join(copy));
    assert.deepEqual(
      [report.code, report.index, report.records],
      ["AUDIT_RECORD_MALFORMED", 2, 1],
      line,
    );
    assert.ok(report.message.includes(why), `${report.message} / ${why}`);
  }
});

Deno.test("verifyAuditLog() reports a sequence gap when the chain itself is intact", async () => {
  // Rebuild a chain whose hashes are right but whose seq skips 3 (a buggy or forged writer).
  const records = lines(await logOf(4)).map((l) => JSON.parse(l));
  const out: string[] = [];
  for (const [i, record] of records.entries()) {
    record.seq = i < 2 ? i + 1 : i + 2;
    record.prev = i === 0 ? null : await sha256Hex(enc.encode(out[i - 1]!));
    out.push(canonicalize(record));
  }
  const report = verifyAuditLog(join(out));
  assert.deepEqual([report.code, report.index, report.records], ["AUDIT_SEQUENCE_GAP", 3, 2]);
});

Deno.test("the next append removes a torn tail and says so in the new record", async () => {
  const full = enc.encode(await logOf(3));
  const torn = full.slice(0, full.length - 20);
  const log = new MemoryAuditLog(torn);
  const record = await log.append(entry(9));
  assert.equal(record.seq, 3);
  assert.equal(record.repairedTornTail, true);
  const report = verifyAuditLog(log.bytes());
  assert.deepEqual([report.ok, report.code, report.records, report.tornTail], [
    true,
    null,
    3,
    false,
  ]);
  assert.match(lines(log.text())[2]!, /"repairedTornTail":true/);
  // Nothing but a torn line: everything goes, the new record starts the chain.
  const only = new MemoryAuditLog(enc.encode('{"seq":1,"ti'));
  const first = await only.append(entry(1));
  assert.deepEqual([first.seq, first.prev, first.repairedTornTail], [1, null, true]);
  assert.equal(verifyAuditLog(only.bytes()).ok, true);
});

Deno.test("planAuditAppend() refuses to extend a log whose last record is malformed", () => {
  assert.throws(() => planAuditAppend(enc.encode("garbage\n"), entry(1)), (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.equal(error.code, "AUDIT_RECORD_MALFORMED");
    return true;
  });
  assert.throws(() => planAuditAppend(new Uint8Array(), { ...entry(1), time: "now" }), TypeError);
  assert.throws(
    () => planAuditAppend(new Uint8Array(), { ...entry(1), payloadSha256: "AB" }),
    TypeError,
  );
  assert.throws(
    () => planAuditAppend(enc.encode("no newline"), entry(1), { tailOffset: 5 }),
    RangeError,
  );
});

Deno.test("AuditedSigner records subjects and payload digest before returning the signature", async () => {
  const key = await testEd25519Key(3);
  const log = new MemoryAuditLog();
  let tick = 0;
  const signer = new AuditedSigner(key.signer, log, {
    actor: "release-bot",
    time: () => `2025-03-01T12:00:0${tick++}Z`,
  });
  const statement = {
    _type: "https://in-toto.io/Statement/v1",
    subject: [
      { name: "a", digest: { sha512: "cd".repeat(64), sha256: "ab".repeat(32) } },
      { name: "b", digest: { sha256: "ef".repeat(32) } },
    ],
    predicateType: "https://example.com/p",
    predicate: {},
  };
  const payload = enc.encode(JSON.stringify(statement));
  const pae = preAuthEncoding("application/vnd.in-toto+json", payload);
  const signature = await signer.sign(pae);
  assert.equal(await key.verify(pae, signature), true);
  await signer.sign(enc.encode("raw"));
  const [r1, r2] = lines(log.text()).map((l) => JSON.parse(l));
  assert.deepEqual(r1, {
    actor: "release-bot",
    algorithm: "ed25519",
    keyid: key.keyid,
    payloadSha256: await sha256Hex(payload),
    payloadType: "application/vnd.in-toto+json",
    prev: null,
    seq: 1,
    subjects: [
      `sha256:${"ab".repeat(32)}`,
      `sha512:${"cd".repeat(64)}`,
      `sha256:${"ef".repeat(32)}`,
    ],
    time: "2025-03-01T12:00:00Z",
  });
  assert.deepEqual(
    [r2.seq, r2.payloadType, r2.payloadSha256, r2.subjects, r2.time],
    [2, null, await sha256Hex(enc.encode("raw")), [], "2025-03-01T12:00:01Z"],
  );
});

Deno.test("AuditedSigner records a refusal of the signer it wraps, then rethrows it unsigned", async () => {
  const key = await testEd25519Key(5);
  const log = new MemoryAuditLog();
  const signer = new AuditedSigner(
    new PolicySigner(key.signer, {
      requiredClaims: [{ pointer: "/predicate/ticket" }, {
        pointer: "/predicateType",
        equals: "x",
      }],
    }),
    log,
    { actor: "release-bot", time: "2025-03-01T12:00:00Z" },
  );
  const payload = enc.encode(JSON.stringify({
    _type: "https://in-toto.io/Statement/v1",
    subject: [{ name: "a", digest: { sha256: "ab".repeat(32) } }],
    predicateType: "https://example.com/p",
    predicate: {},
  }));
  const pae = preAuthEncoding("application/vnd.in-toto+json", payload);
  await assert.rejects(signer.sign(pae), (error: unknown) => {
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(error.problems.map((p) => p.code), ["CLAIM_MISSING", "CLAIM_MISMATCH"]);
    return true;
  });
  assert.equal(
    log.text(),
    canonicalize({
      actor: "release-bot",
      algorithm: "ed25519",
      keyid: key.keyid,
      payloadSha256: await sha256Hex(payload),
      payloadType: "application/vnd.in-toto+json",
      prev: null,
      refused: ["CLAIM_MISSING", "CLAIM_MISMATCH"],
      seq: 1,
      subjects: [`sha256:${"ab".repeat(32)}`],
      time: "2025-03-01T12:00:00Z",
    }) + "\n",
  );
  // The refused record is part of the chain the verifier accepts.
  assert.equal(verifyAuditLog(log.bytes()).ok, true);
  // A refusal that cannot be recorded fails as an audit failure (the refusal is its cause).
  const broken = new AuditedSigner(
    new PolicySigner(key.signer, { requiredClaims: [{ pointer: "/predicate/ticket" }] }),
    { append: () => Promise.reject(new Error("disk full")) },
    { actor: "ci", time: "2025-01-01T00:00:00Z" },
  );
  await assert.rejects(broken.sign(pae), {
    message: "Cannot sign: audit record could not be written: disk full",
  });
});

Deno.test("AuditedSigner fails the sign call and returns no signature when the record cannot be written", async () => {
  const key = await testEd25519Key(4);
  let signed = 0;
  const inner = { ...key.signer, sign: (d: Uint8Array) => (signed++, key.signer.sign(d)) };
  const broken: AuditSink = { append: () => Promise.reject(new Error("disk full")) };
  const signer = new AuditedSigner(inner, broken, { actor: "ci", time: "2025-01-01T00:00:00Z" });
  let result: Uint8Array | undefined;
  await assert.rejects(
    (async () => {
      result = await signer.sign(enc.encode("x"));
    })(),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.message, "Cannot sign: audit record could not be written: disk full");
      return true;
    },
  );
  assert.equal(result, undefined);
  assert.equal(signed, 1);
  // A bad time is caught by the sink before anything is stored.
  const log = new MemoryAuditLog();
  const badTime = new AuditedSigner(key.signer, log, { actor: "ci", time: "soon" });
  await assert.rejects(
    badTime.sign(enc.encode("x")),
    /Cannot sign: audit record could not be written/,
  );
  assert.equal(log.bytes().length, 0);
  assert.throws(() => new AuditedSigner(key.signer, log, { actor: "ci" } as never), TypeError);
});

Deno.test("FileAuditLog appends, fsyncs and verifies; a missing directory fails the sign call", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const key = await testEd25519Key(5);
    const signer = new AuditedSigner(key.signer, new FileAuditLog(path), {
      actor: "ci",
      time: "2025-01-01T00:00:00Z",
    });
    for (let i = 0; i < 3; i++) await signer.sign(enc.encode(`payload ${i}`));
    const report = await verifyAuditLogFile(path);
    assert.deepEqual([report.ok, report.records], [true, 3]);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const lost = new AuditedSigner(key.signer, new FileAuditLog(`${dir}/missing/audit.jsonl`), {
      actor: "ci",
      time: "2025-01-01T00:00:00Z",
    });
    await assert.rejects(
      lost.sign(enc.encode("x")),
      /Cannot sign: audit record could not be written/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendAuditLogFile() repairs a torn tail and chains past records larger than its read window", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const big = {
      ...entry(1),
      subjects: Array.from(
        { length: 2500 },
        (_, i) => `sha256:${i.toString(16).padStart(64, "0")}`,
      ),
    };
    await appendAuditLogFile(path, entry(1));
    await appendAuditLogFile(path, big); // > 64 KiB line
    await appendAuditLogFile(path, big);
    // Tear the file inside a > 64 KiB tail: the torn part alone exceeds the first read window.
    const before = await Deno.readFile(path);
    const cut = before.length - 1000;
    await Deno.writeFile(path, before.slice(0, cut));
    assert.equal((await verifyAuditLogFile(path)).code, "AUDIT_TORN_TAIL");
    const record = await appendAuditLogFile(path, entry(4));
    assert.deepEqual([record.seq, record.repairedTornTail], [3, true]);
    const report = await verifyAuditLogFile(path);
    assert.deepEqual([report.ok, report.code, report.records], [true, null, 3]);
    const text = await Deno.readTextFile(path);
    assert.ok(text.endsWith("\n"));
    assert.equal(JSON.parse(lines(text)[2]!).prev, await sha256Hex(enc.encode(lines(text)[1]!)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("concurrent appends through the file lock never interleave", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => appendAuditLogFile(path, entry(i % 10))),
    );
    const report = await verifyAuditLogFile(path);
    assert.deepEqual([report.ok, report.code, report.records], [true, null, 20]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
