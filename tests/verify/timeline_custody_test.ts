/**
 * Custody timelines bind custodians to their keys and say when they are unanchored (issue 13,
 * items 3 and 4): an entry verifies only when its `event.actor` is a custodian of the key that
 * signed it; keys are judged at the entry's trusted time (an RFC 3161 token over its signature,
 * else now), never at the signer-written `event.at`; a missing tail fails `CUSTODY_TRUNCATED`
 * when an anchor is given, and `anchored: false` says when none is.
 */
import assert from "node:assert/strict";
import {
  appendCustodyEvent,
  buildCustodyStatement,
  createSigner,
  exportPublicKeyPem,
  parseEnvelope,
  serializeEnvelope,
  signEnvelope,
  type Signer,
  type TrustedKeyOptions,
  verifyTimeline,
} from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { decodePemAll, encodeUtf8 } from "../../lib/encoding/mod.ts";
import { importPkcs8 } from "../../lib/keys/mod.ts";
import { fixtureTsa } from "../../scripts/_fixture_tsa.ts";
import { type KeySource, timelineArgs, type TimelineTestOptions } from "./_trust.ts";

const SEED_PREFIX = Uint8Array.fromHex("302e020100300506032b657004220420");

function custodian(seedByte: number): {
  signer: Signer;
  trusted: (options?: TrustedKeyOptions) => KeySource;
} {
  const pkcs8 = new Uint8Array(48);
  pkcs8.set(SEED_PREFIX);
  pkcs8.fill(seedByte, 16);
  const key = importPkcs8(pkcs8);
  const pem = exportPublicKeyPem(key);
  return { signer: createSigner(key), trusted: (options) => ({ pem, options }) };
}

const IR = custodian(1); // "ir@example.org"
const COURIER = custodian(2); // "courier@example.org"
const LAB = custodian(3); // "lab@example.org"
const SUBJECT = { name: "registry.example/app", digest: { sha256: "ab".repeat(32) } };
const NOW = Date.UTC(2026, 2, 1);
const tsa = fixtureTsa();
const tsaRoots = decodePemAll(tsa.rootPem, { label: "CERTIFICATE" }).map((b) => b.bytes);

const bound = (revokedAt?: string): KeySource[] => [
  IR.trusted({ custodians: ["ir@example.org"] }),
  COURIER.trusted({ custodians: ["courier@example.org"] }),
  LAB.trusted({
    custodians: ["lab@example.org"],
    ...(revokedAt === undefined ? {} : { revokedAt }),
  }),
];

const STEPS: { by: Signer; actor: string; at: string; type: string }[] = [
  { by: IR.signer, actor: "ir@example.org", at: "2026-02-10T09:00:00Z", type: "collected" },
  {
    by: COURIER.signer,
    actor: "courier@example.org",
    at: "2026-02-10T11:30:00Z",
    type: "transferred",
  },
  { by: LAB.signer, actor: "lab@example.org", at: "2026-02-11T08:15:00Z", type: "analyzed" },
];

async function timeline(
  steps: readonly { by: Signer; actor: string; at: string; type: string }[] = STEPS,
): Promise<Uint8Array[]> {
  const entries: Uint8Array[] = [];
  for (const step of steps) {
    const appended = await appendCustodyEvent(entries.at(-1) ?? null, {
      subject: entries.length === 0 ? SUBJECT : undefined,
      event: { type: step.type, actor: step.actor, at: step.at },
      signers: [step.by],
    });
    entries.push(appended.bytes);
  }
  return entries;
}

const signatureOf = (entry: Uint8Array) => parseEnvelope(entry).signatures[0]!.sigBytes;
const head = (entry: Uint8Array) => `sha256:${sha256(entry).toHex()}`;

function verify(entries: Uint8Array[], options: Partial<TimelineTestOptions> = {}) {
  return verifyTimeline(
    ...timelineArgs(entries, { now: NOW, trust: { keys: bound() }, ...options }),
  );
}

Deno.test("verifyTimeline() verifies when every actor is a custodian of the key that signed", async () => {
  const entries = await timeline();
  const report = await verify(entries);
  assert.equal(report.verified, true, JSON.stringify(report.checks));
  assert.deepEqual(report.checks.map((c) => c.id), [
    "timeline.entries",
    "timeline.sequence",
    "timeline.links",
    "timeline.times",
    "timeline.subject",
    "timeline.custodian",
  ]);
  // Keys are judged at the trusted time (now), never at the signer-written event.at.
  assert.deepEqual(
    report.entries.map((e) => e.report.time),
    entries.map(() => ({ value: "2026-03-01T00:00:00Z", source: "clock" })),
  );
  assert.equal(report.anchored, false);
  assert.equal(report.head, head(entries[2]!));
});

Deno.test("verifyTimeline() rejects an entry signed by a key in another custodian's name", async () => {
  // The courier's key signs an "analyzed" entry in the lab's name.
  const entries = await timeline([
    ...STEPS.slice(0, 2),
    { ...STEPS[2]!, by: COURIER.signer },
  ]);
  const report = await verify(entries);
  assert.deepEqual(report.firstFailure, { index: 2, code: "CUSTODY_ACTOR_MISMATCH" });
  const check = report.checks.find((c) => c.id === "timeline.custodian")!;
  assert.equal(check.code, "CUSTODY_ACTOR_MISMATCH");
  assert.match(check.message!, /entry 2.*"lab@example\.org".*"courier@example\.org"/);
});

Deno.test("verifyTimeline() fails a policy that binds no custodian unless unbound custodians are allowed", async () => {
  const entries = await timeline();
  const keys = [IR.trusted(), COURIER.trusted(), LAB.trusted()];
  const unbound = await verifyTimeline(...timelineArgs(entries, { now: NOW, keys }));
  assert.deepEqual(unbound.firstFailure, { index: 0, code: "CUSTODY_ACTOR_UNBOUND" });
  assert.match(unbound.checks.at(-1)!.message!, /--allow-unbound-custodians/);
  const allowed = await verifyTimeline(
    ...timelineArgs(entries, { now: NOW, keys, allowUnboundCustodians: true }),
  );
  assert.equal(allowed.verified, true);
  // A key without custodians in a policy that binds others is unbound too.
  const partly = await verifyTimeline(...timelineArgs(entries, {
    now: NOW,
    keys: [...bound().slice(0, 2), LAB.trusted()],
  }));
  assert.deepEqual(partly.firstFailure, { index: 2, code: "CUSTODY_ACTOR_UNBOUND" });
  // --key for the same key adds no freedom: the trust entry's custodians still bind it.
  const added = await timeline([...STEPS.slice(0, 2), { ...STEPS[2]!, actor: "mallory" }]);
  const lifted = await verifyTimeline(...timelineArgs(added, {
    now: NOW,
    trust: { keys: bound() },
    keys: [LAB.trusted()],
    allowUnboundCustodians: true,
  }));
  assert.deepEqual(lifted.firstFailure, { index: 2, code: "CUSTODY_ACTOR_MISMATCH" });
});

Deno.test("verifyTimeline() a revoked custodian key cannot backdate an entry by event.at", async () => {
  // The lab's key is revoked at 09:00 on 02-11; the entry claims 08:15 that day.
  const entries = await timeline();
  const trust = { keys: bound("2026-02-11T09:00:00Z") };
  const report = await verifyTimeline(...timelineArgs(entries, { now: NOW, trust }));
  assert.deepEqual(report.firstFailure, { index: 2, code: "KEY_REVOKED" });
  assert.match(report.checks[0]!.message!, /revoked at 2026-02-11T09:00:00Z/);
  // A token over the entry's signature proves it existed before the revocation.
  const sig = signatureOf(entries[2]!);
  const before = await verifyTimeline(...timelineArgs(entries, {
    now: NOW,
    trust,
    tsaRoots,
    timestamps: [undefined, undefined, [tsa.stamp(sig, "2026-02-11T08:16:00Z")]],
  }));
  assert.equal(before.verified, true, JSON.stringify(before.checks));
  assert.deepEqual(before.entries[2]!.report.time, {
    value: "2026-02-11T08:16:00Z",
    source: "rfc3161",
  });
  const after = await verifyTimeline(...timelineArgs(entries, {
    now: NOW,
    trust,
    tsaRoots,
    timestamps: [undefined, undefined, [tsa.stamp(sig, "2026-02-11T09:30:00Z")]],
  }));
  assert.deepEqual(after.firstFailure, { index: 2, code: "KEY_REVOKED" });
  // Without TSA roots a token proves nothing: it is reported as ignored.
  const noRoots = await verifyTimeline(...timelineArgs(entries, {
    now: NOW,
    trust,
    timestamps: [undefined, undefined, [tsa.stamp(sig, "2026-02-11T08:16:00Z")]],
  }));
  assert.deepEqual(noRoots.firstFailure, { index: 2, code: "KEY_REVOKED" });
  const ignored = noRoots.entries[2]!.report.checks.find((c) => c.id === "timestamp.rfc3161")!;
  assert.equal(ignored.ok, true);
  assert.match(ignored.message!, /^Ignored \(not a time source\): no TSA roots/);
  // A token of another entry does not lend its time.
  const borrowed = await verifyTimeline(...timelineArgs(entries, {
    now: NOW,
    trust,
    tsaRoots,
    timestamps: [undefined, undefined, [
      tsa.stamp(signatureOf(entries[1]!), "2026-02-10T12:00:00Z"),
    ]],
  }));
  assert.deepEqual(borrowed.firstFailure, { index: 2, code: "TIMESTAMP_IMPRINT_MISMATCH" });
});

Deno.test("verifyTimeline() an event time after the entry's RFC 3161 time is SIGNED_IN_FUTURE", async () => {
  const entries = await timeline();
  const sig = signatureOf(entries[2]!);
  const report = await verify(entries, {
    tsaRoots,
    timestamps: [undefined, undefined, [tsa.stamp(sig, "2026-02-11T08:00:00Z")]],
  });
  assert.deepEqual(report.firstFailure, { index: 2, code: "SIGNED_IN_FUTURE" });
  const check = report.entries[2]!.report.checks.find((c) => !c.ok)!;
  assert.equal(check.id, "custody.time");
});

Deno.test("verifyTimeline() --not-after is judged at trusted time and at the claimed event time", async () => {
  const entries = await timeline();
  const notAfter = Date.UTC(2026, 1, 11);
  // Without timestamps no entry is proven to predate the cut-off.
  const unproven = await verify(entries, { notAfter });
  assert.deepEqual(unproven.firstFailure, { index: 0, code: "SIGNED_AFTER_NOT_AFTER" });
  const timestamps = entries.map((e, i) => [tsa.stamp(signatureOf(e), STEPS[i]!.at)]);
  const stamped = await verify(entries, { notAfter, tsaRoots, timestamps });
  assert.deepEqual(stamped.firstFailure, { index: 2, code: "SIGNED_AFTER_NOT_AFTER" });
  // The claimed time still counts against the signer: now before event.at fails.
  const early = await verify(entries, { now: Date.UTC(2026, 1, 11) });
  assert.deepEqual(early.firstFailure, { index: 2, code: "SIGNED_IN_FUTURE" });
});

Deno.test("verifyTimeline() anchors: --expect-head and --expect-entries catch a missing tail", async () => {
  const entries = await timeline();
  const truncated = entries.slice(0, 2);
  const unanchored = await verify(truncated);
  assert.equal(unanchored.verified, true);
  assert.equal(unanchored.anchored, false);

  const byHead = await verify(truncated, { expectHead: head(entries[2]!) });
  assert.equal(byHead.verified, false);
  assert.equal(byHead.code, "CUSTODY_TRUNCATED");
  assert.equal(byHead.firstFailure, undefined);
  assert.equal(byHead.anchored, true);
  assert.deepEqual(byHead.checks.at(-1)?.id, "timeline.anchor.head");

  const byCount = await verify(truncated, { expectEntries: 3 });
  assert.equal(byCount.code, "CUSTODY_TRUNCATED");
  assert.deepEqual(byCount.checks.at(-1)?.id, "timeline.anchor.entries");

  const ok = await verify(entries, {
    expectHead: head(entries[2]!).toUpperCase().replace("SHA256:", "sha256:"),
    expectEntries: 3,
  });
  assert.equal(ok.verified, true, JSON.stringify(ok.checks));
  assert.equal(ok.anchored, true);
  assert.deepEqual(ok.checks.slice(-2), [
    { id: "timeline.anchor.entries", ok: true },
    { id: "timeline.anchor.head", ok: true },
  ]);

  // Entries past the anchor: the timeline does not end where the anchor says.
  const longer = await verify(entries, { expectEntries: 2 });
  assert.equal(longer.code, "CUSTODY_ANCHOR_MISMATCH");
  const pastHead = await verify(entries, { expectHead: head(entries[1]!) });
  assert.equal(pastHead.code, "CUSTODY_ANCHOR_MISMATCH");

  // A last entry replaced (re-signed by its custodian) is not the anchored head.
  const replaced = buildCustodyStatement({
    subject: SUBJECT,
    sequence: 2,
    previous: entries[1]!,
    event: { type: "analyzed", actor: "lab@example.org", at: "2026-02-11T09:00:00Z" },
  });
  const swapped = encodeUtf8(serializeEnvelope(await signEnvelope(replaced, [LAB.signer])));
  const swappedReport = await verify([...truncated, swapped], { expectHead: head(entries[2]!) });
  assert.equal(swappedReport.code, "CUSTODY_TRUNCATED");

  await assert.rejects(() => verify(entries, { expectHead: "sha256:abc" }), RangeError);
  await assert.rejects(() => verify(entries, { expectEntries: 0 }), RangeError);
  await assert.rejects(() => verify(entries, { expectEntries: 1.5 }), RangeError);
});
