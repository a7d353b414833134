/**
 * Regenerates the custody timeline fixtures under `fixtures/timeline/` byte-identically: a valid
 * four-entry `stella.ops/custody@v1` timeline (as separate envelope files and as JSON Lines),
 * negative timelines that must NOT verify (each with its exact failure code and entry index), the
 * trust policies they use, the public halves of the test-only keys, and
 * `fixtures/timeline/negative/cases.json`, which `tests/verify/timeline_test.ts` walks.
 *
 * Run: `deno run --cached-only --allow-read=. --allow-write=fixtures scripts/make_timeline_fixtures.ts`
 *
 * Inputs are fixed: three custodians' TEST-ONLY private keys in `fixtures/timeline/keys/` (made
 * once with `openssl genpkey`: Ed25519, ECDSA P-256, ECDSA P-384; never use them for anything
 * but tests), fixed events and times. Every signature is deterministic (Ed25519 by construction,
 * ECDSA with RFC 6979 nonces). There is no clock.
 *
 * The valid timeline: E0 `collected` by custodian A (Ed25519), E1 `transferred` by custodian B
 * (ECDSA P-256), E2 `analyzed` by custodian C (ECDSA P-384), E3 `archived` by custodian A again.
 * Each entry is stored as the exact bytes `appendCustodyEvent` returned (no trailing newline in
 * the `.dsse.json` files; one line each in the `.jsonl` files), so files and lines hash alike.
 * The trust policy binds each key to its custodian (`custodians`). `stamped/` and
 * `stamped.jsonl` are the same entries with an RFC 3161 token per entry stored as the sidecars
 * `stella timeline append --timestamp` writes (`E0.dsse.json.tsr`, `stamped.jsonl.0.tsr`), made
 * by the deterministic test-only TSA of `_fixture_tsa.ts` one minute after each event; its root
 * is `tsa/root.pem`.
 *
 * @module
 */

import {
  appendCustodyEvent,
  type AppendCustodyEventOptions,
  buildCustodyStatement,
  canonicalize,
  createSigner,
  type CustodyEvent,
  exportPublicKeyPem,
  importKeyPem,
  parseEnvelope,
  type ResourceDescriptor,
  serializeEnvelope,
  signEnvelope,
  type Signer,
} from "../mod.ts";
import { sha256 } from "../lib/digest/mod.ts";
import { concatBytes, encodeBase64, encodeUtf8 } from "../lib/encoding/mod.ts";
import { timelineMerkleRoot } from "../lib/model/mod.ts";
import { fixtureTsa } from "./_fixture_tsa.ts";

/** One generated file: its path relative to the repository root and its exact bytes. */
export interface TimelineFixture {
  /** Path relative to the repository root, e.g. `fixtures/timeline/valid/E0.dsse.json`. */
  path: string;
  /** The file's exact bytes. */
  bytes: Uint8Array;
}

/**
 * One row of `fixtures/timeline/negative/cases.json`: which timeline, which
 * `stella forensic verify --timeline` flags, what must happen.
 */
export interface TimelineCase {
  /** A directory of envelope files (verified in file-name order), relative to `fixtures/timeline/`. */
  dir?: string;
  /** A JSON Lines file, relative to `fixtures/timeline/`. */
  file?: string;
  /** Flags: paths relative to `fixtures/timeline/`, times RFC 3339, skew a CLI duration. */
  args: {
    trust?: string;
    key?: string[];
    now: string;
    notAfter?: string;
    skew?: string;
    merkleRoot?: string;
    /** `--tsa-roots`, relative to `fixtures/timeline/` (entries' tokens are their sidecars). */
    tsaRoots?: string;
    expectHead?: string;
    expectEntries?: number;
    allowUnboundCustodians?: boolean;
  };
  /** Verdict, first failure code and entry index (`null` when verified or not entry-specific). */
  expect: { verified: boolean; code: string | null; index: number | null };
  /** What the case proves. */
  why: string;
}

const DIR = "fixtures/timeline";
const KEY_DIR = new URL("../fixtures/timeline/keys/", import.meta.url);
const NOW = "2026-03-01T12:00:00Z";
const TRUST = "trust.json";

/** The custodians: key file stem and role. */
const CUSTODIANS = {
  a: { file: "test-only-custodian-a-ed25519", role: "incident response (Ed25519)" },
  b: { file: "test-only-custodian-b-ecdsa-p256", role: "evidence courier (ECDSA P-256)" },
  c: { file: "test-only-custodian-c-ecdsa-p384", role: "forensics lab (ECDSA P-384)" },
} as const;
type Custodian = keyof typeof CUSTODIANS;

/** The item in custody: a container image (fixed sample manifest bytes). */
export const TIMELINE_SUBJECT: ResourceDescriptor = {
  name: "registry.stella-ops.local/payments-api",
  digest: { sha256: hex("payments-api 2.3.0 image manifest (sample bytes)\n") },
};

/** Another image, for the foreign-subject case. */
const FOREIGN_SUBJECT: ResourceDescriptor = {
  name: "registry.stella-ops.local/payments-api",
  digest: { sha256: hex("payments-api 2.3.1 image manifest (sample bytes)\n") },
};

/** The valid timeline's events, their custodians and evidence. */
const EVENTS: { by: Custodian; event: CustodyEvent; evidence?: ResourceDescriptor[] }[] = [
  {
    by: "a",
    event: {
      type: "collected",
      actor: "ir-oncall@stella-ops.local",
      at: "2026-02-10T09:00:00Z",
      location: "eu-west-1 registry",
      note: "Image pulled by digest for incident INC-2026-0042",
    },
    evidence: [{ name: "pull.log", digest: { sha256: hex("pull log (sample bytes)\n") } }],
  },
  {
    by: "b",
    event: {
      type: "transferred",
      actor: "evidence-courier@stella-ops.local",
      at: "2026-02-10T11:30:00Z",
      location: "evidence locker 7",
      note: "Sealed bag S-1187",
    },
    evidence: [{
      name: "handover-form.pdf",
      digest: { sha256: hex("hand-over form (sample bytes)\n") },
      mediaType: "application/pdf",
    }],
  },
  {
    by: "c",
    event: {
      type: "analyzed",
      actor: "forensics-lab@stella-ops.local",
      at: "2026-02-11T08:15:00Z",
      location: "forensics lab, bench 3",
    },
    evidence: [{
      name: "analysis-report.md",
      digest: { sha256: hex("analysis (sample bytes)\n") },
    }],
  },
  {
    by: "a",
    event: {
      type: "archived",
      actor: "ir-oncall@stella-ops.local",
      at: "2026-02-12T16:00:00Z",
      location: "cold storage vault",
    },
  },
];

function hex(text: string): string {
  return sha256(encodeUtf8(text)).toHex();
}

async function loadSigners(): Promise<Record<Custodian, { signer: Signer; publicPem: string }>> {
  const out = {} as Record<Custodian, { signer: Signer; publicPem: string }>;
  for (const [id, { file }] of Object.entries(CUSTODIANS) as [Custodian, { file: string }][]) {
    const key = importKeyPem(await Deno.readTextFile(new URL(`${file}.pem`, KEY_DIR)), {
      name: `${file}.pem`,
    });
    if (key.kind !== "private") throw new TypeError(`${file}.pem is not a private key`);
    out[id] = { signer: createSigner(key), publicPem: exportPublicKeyPem(key) };
  }
  return out;
}

/** JSON Lines: each entry's exact bytes followed by `\n`. */
function jsonl(lines: readonly Uint8Array[]): Uint8Array {
  const newline = Uint8Array.of(0x0a);
  return concatBytes(...lines.flatMap((line) => [line, newline]));
}

function json(value: unknown): Uint8Array {
  return encodeUtf8(JSON.stringify(value, null, 2) + "\n");
}

/** Builds the fixture files (and `cases.json`) in memory, in a fixed order. */
export async function makeTimelineFixtures(): Promise<TimelineFixture[]> {
  const keys = await loadSigners();
  const files: TimelineFixture[] = [];
  const add = (path: string, bytes: Uint8Array) => files.push({ path: `${DIR}/${path}`, bytes });
  const cases: TimelineCase[] = [];

  /** Appends one event to a timeline whose last entry is `previous`. */
  const append = async (
    previous: Uint8Array | null,
    by: Custodian,
    options: Omit<AppendCustodyEventOptions, "signers">,
  ): Promise<Uint8Array> =>
    (await appendCustodyEvent(previous, { ...options, signers: [keys[by].signer] })).bytes;

  // Public keys and the trust policy naming all three custodians.
  for (const { file } of Object.values(CUSTODIANS)) {
    const id = file.slice("test-only-custodian-".length, "test-only-custodian-".length + 1);
    add(`keys/${file}.pub.pem`, encodeUtf8(keys[id as Custodian].publicPem));
  }
  const actorOf = (id: Custodian) => EVENTS.find((e) => e.by === id)!.event.actor;
  const trustKey = (id: Custodian, extra: Record<string, unknown> = {}) => ({
    name: `custodian ${id.toUpperCase()}: ${CUSTODIANS[id].role}`,
    publicKey: keys[id].publicPem,
    validFrom: "2026-01-01T00:00:00Z",
    custodians: [actorOf(id)],
    ...extra,
  });
  add(TRUST, json({ version: 1, keys: [trustKey("a"), trustKey("b"), trustKey("c")] }));

  // The valid timeline.
  const valid: Uint8Array[] = [];
  for (const [i, { by, event, evidence }] of EVENTS.entries()) {
    const options = i === 0 ? { subject: TIMELINE_SUBJECT, event, evidence } : { event, evidence };
    valid.push(await append(valid[i - 1] ?? null, by, options));
  }
  const [e0, e1, e2, e3] = valid as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  valid.forEach((bytes, i) => add(`valid/E${i}.dsse.json`, bytes));
  add("valid.jsonl", jsonl(valid));
  const root = timelineMerkleRoot(valid);
  add("valid.merkle-root.txt", encodeUtf8(root + "\n"));
  const headOf = (entry: Uint8Array) => `sha256:${sha256(entry).toHex()}`;
  add("valid.head.txt", encodeUtf8(headOf(e3) + "\n"));

  // The same entries with an RFC 3161 token each, one minute after the event, as sidecars.
  const tsa = fixtureTsa();
  add("tsa/root.pem", encodeUtf8(tsa.rootPem));
  const minuteAfter = (at: string) =>
    new Date(Date.parse(at) + 60_000).toISOString().replace(".000Z", "Z");
  const tokenOf = (entry: Uint8Array, at: string) =>
    tsa.stamp(parseEnvelope(entry).signatures[0]!.sigBytes, at);
  const tokens = valid.map((entry, i) => tokenOf(entry, minuteAfter(EVENTS[i]!.event.at)));
  valid.forEach((bytes, i) => {
    add(`stamped/E${i}.dsse.json`, bytes);
    add(`stamped/E${i}.dsse.json.tsr`, tokens[i]!);
  });
  add("stamped.jsonl", jsonl(valid));
  tokens.forEach((token, i) => add(`stamped.jsonl.${i}.tsr`, token));
  const TSA_ROOTS = "tsa/root.pem";

  const verified = { verified: true, code: null, index: null };
  const bad = (code: string, index: number | null) => ({ verified: false, code, index });
  /** One case; `trust.json` and `now` unless `args` says otherwise (`key` replaces the policy). */
  const row = (
    where: { dir: string } | { file: string },
    args: Omit<TimelineCase["args"], "now"> & { now?: string },
    expect: TimelineCase["expect"],
    why: string,
  ) => {
    const defaults = args.key === undefined ? { trust: TRUST, now: NOW } : { now: NOW };
    cases.push({ ...where, args: { ...defaults, ...args }, expect, why });
  };

  row({ dir: "valid" }, {}, verified, "Four entries by three custodians, as separate files");
  row({ file: "valid.jsonl" }, {}, verified, "The same four entries as JSON Lines");
  const allKeys = Object.values(CUSTODIANS).map(({ file }) => `keys/${file}.pub.pem`);
  row(
    { file: "valid.jsonl" },
    { key: allKeys },
    bad("CUSTODY_ACTOR_UNBOUND", 0),
    "Each custodian's key given with --key: no key is bound to a custodian, so nothing shows " +
      "who may sign for whom",
  );
  row(
    { file: "valid.jsonl" },
    { key: allKeys, allowUnboundCustodians: true },
    verified,
    "The same with --allow-unbound-custodians: any trusted key may sign for any actor",
  );
  row({ dir: "stamped" }, { tsaRoots: TSA_ROOTS }, verified, "Every entry carries a token");
  row(
    { file: "stamped.jsonl" },
    {},
    verified,
    "Tokens without --tsa-roots prove nothing and are ignored; the keys are judged at now",
  );
  row(
    { dir: "valid" },
    { merkleRoot: root },
    verified,
    "Anchored: the RFC 9162 root of the entries' sha256 digests equals --merkle-root",
  );
  row(
    { file: "valid.jsonl" },
    { merkleRoot: root.slice("sha256:".length) },
    verified,
    "Anchored, root given as bare hex",
  );

  // Order and completeness.
  const negative = (name: string, lines: readonly Uint8Array[]) => {
    add(`negative/${name}.jsonl`, jsonl(lines));
    return { file: `negative/${name}.jsonl` };
  };
  row(
    negative("reordered", [e0, e2, e1, e3]),
    {},
    bad("TIMELINE_GAP", 1),
    "E1 and E2 swapped: entry 1 has sequence 2",
  );
  add("negative/gap/E0.dsse.json", e0);
  add("negative/gap/E1.dsse.json", e1);
  add("negative/gap/E3.dsse.json", e3);
  row(
    { dir: "negative/gap" },
    {},
    bad("TIMELINE_GAP", 2),
    "E2 missing (separate files): entry 2 has sequence 3",
  );
  row(
    negative("missing-first", [e1, e2, e3]),
    {},
    bad("TIMELINE_GAP", 0),
    "The collection event E0 missing: the timeline starts at sequence 1",
  );
  row(
    negative("duplicated", [e0, e1, e1, e2, e3]),
    {},
    bad("TIMELINE_GAP", 2),
    "E1 listed twice: entry 2 has sequence 1",
  );

  // Tampering with a middle entry.
  const e1Envelope = parseEnvelope(e1);
  const e1Statement = JSON.parse(new TextDecoder().decode(e1Envelope.payloadBytes));
  e1Statement.predicate.event.note = "Bag seal found broken";
  const alteredPayload = encodeUtf8(canonicalize(e1Statement));
  const altered = encodeUtf8(serializeEnvelope({
    payloadType: e1Envelope.payloadType,
    payload: encodeBase64(alteredPayload),
    signatures: e1Envelope.signatures.map(({ keyid, sig }) =>
      keyid === undefined ? { sig } : {
        keyid,
        sig,
      }
    ),
  }));
  row(
    negative("altered-middle", [e0, altered, e2, e3]),
    {},
    bad("SIGNATURE_INVALID", 1),
    "E1's note changed after signing: its signature fails (and E2's link to it breaks)",
  );
  const resigned = encodeUtf8(serializeEnvelope(await signEnvelope(e1Statement, [keys.b.signer])));
  row(
    negative("altered-middle-resigned", [e0, resigned, e2, e3]),
    {},
    bad("TIMELINE_LINK_BROKEN", 2),
    "E1 changed and re-signed by its own custodian: it verifies, but E2 still names the original",
  );
  const reformatted = encodeUtf8(JSON.stringify({
    signatures: e1Envelope.signatures.map(({ keyid, sig }) => ({ keyid, sig })),
    payloadType: e1Envelope.payloadType,
    payload: e1Envelope.payload,
  }));
  row(
    negative("reformatted-middle", [e0, reformatted, e2, e3]),
    {},
    bad("TIMELINE_LINK_BROKEN", 2),
    "E1 re-serialized with another key order: same signature, other bytes, so E2's link breaks",
  );

  // A well-formed, correctly chained entry that is not about custody.
  const foreignStatement = {
    ...buildCustodyStatement({
      subject: TIMELINE_SUBJECT,
      sequence: 1,
      previous: e0,
      event: EVENTS[1]!.event,
    }),
    predicateType: "https://slsa.dev/provenance/v1",
  };
  const foreign = encodeUtf8(
    serializeEnvelope(await signEnvelope(foreignStatement, [keys.b.signer])),
  );
  row(
    negative("foreign-predicate", [e0, foreign, e2, e3]),
    {},
    bad("TIMELINE_ENTRY_INVALID", 1),
    "Entry 1 is signed and chained but its predicate type is SLSA provenance, not custody",
  );

  // Regressed time: E2 dated before E1 (beyond the 5 minute skew), correctly chained and signed.
  const regressedE2 = await signedEntry(keys.c.signer, {
    subject: TIMELINE_SUBJECT,
    sequence: 2,
    previous: e1,
    event: { ...EVENTS[2]!.event, at: "2026-02-10T10:00:00Z" },
  });
  row(
    negative("regressed-time", [
      e0,
      e1,
      regressedE2,
      await append(regressedE2, "a", { event: EVENTS[3]!.event }),
    ]),
    {},
    bad("TIMELINE_TIME_REGRESSION", 2),
    "E2 claims 10:00, before E1's hand-over at 11:30 on the same day",
  );
  const withinSkewE2 = await signedEntry(keys.c.signer, {
    subject: TIMELINE_SUBJECT,
    sequence: 2,
    previous: e1,
    event: { ...EVENTS[2]!.event, at: "2026-02-10T11:26:00Z" },
  });
  row(
    negative("regressed-within-skew", [e0, e1, withinSkewE2]),
    {},
    verified,
    "E2 four minutes before E1: within the default 5 minute skew (clock drift)",
  );
  row(
    { file: "negative/regressed-within-skew.jsonl" },
    { skew: "0" },
    bad("TIMELINE_TIME_REGRESSION", 2),
    "The same four minutes with --skew 0",
  );

  // Foreign subject: E2 is about another image digest, correctly chained and signed.
  const foreignE2 = await signedEntry(keys.c.signer, {
    subject: FOREIGN_SUBJECT,
    sequence: 2,
    previous: e1,
    event: EVENTS[2]!.event,
  });
  row(
    negative("foreign-subject", [
      e0,
      e1,
      foreignE2,
      await append(foreignE2, "a", { event: EVENTS[3]!.event }),
    ]),
    {},
    bad("TIMELINE_SUBJECT_MISMATCH", 2),
    "E2 names payments-api 2.3.1's digest: the item was swapped mid-custody",
  );

  // Keys: validity at each event's own time.
  add(
    "negative/key-expired.trust.json",
    json({
      version: 1,
      keys: [
        trustKey("a", { validUntil: "2026-02-11T00:00:00Z" }),
        trustKey("b"),
        trustKey("c"),
      ],
    }),
  );
  row(
    { file: "stamped.jsonl" },
    { trust: "negative/key-expired.trust.json", tsaRoots: TSA_ROOTS },
    bad("KEY_NOT_VALID_AT_TIME", 3),
    "Custodian A's key expired on 2026-02-11: E0 (stamped 02-10) still counts, E3 (02-12) does not",
  );
  row(
    { file: "valid.jsonl" },
    { trust: "negative/key-expired.trust.json" },
    bad("KEY_NOT_VALID_AT_TIME", 0),
    "The same without tokens: E0's claimed 02-10 is not a trusted time, so it is judged at now",
  );
  add(
    "negative/key-revoked.trust.json",
    json({
      version: 1,
      keys: [
        trustKey("a"),
        trustKey("b"),
        trustKey("c", { revokedAt: "2026-02-11T08:00:00Z" }),
      ],
    }),
  );
  row(
    { dir: "valid" },
    { trust: "negative/key-revoked.trust.json" },
    bad("KEY_REVOKED", 2),
    "Custodian C's key was revoked 15 minutes before the time E2 claims",
  );
  add(
    "negative/key-revoked-later.trust.json",
    json({
      version: 1,
      keys: [
        trustKey("a"),
        trustKey("b"),
        trustKey("c", { revokedAt: "2026-02-11T09:00:00Z" }),
      ],
    }),
  );
  row(
    { file: "valid.jsonl" },
    { trust: "negative/key-revoked-later.trust.json" },
    bad("KEY_REVOKED", 2),
    "C's key revoked at 09:00; E2 claims 08:15, but a signer-written time proves nothing: " +
      "judged at now",
  );
  row(
    { file: "stamped.jsonl" },
    { trust: "negative/key-revoked-later.trust.json", tsaRoots: TSA_ROOTS },
    verified,
    "The same with E2's token (08:16): the signature provably predates the revocation",
  );
  row(
    { dir: "stamped" },
    { trust: "negative/key-revoked.trust.json", tsaRoots: TSA_ROOTS },
    bad("KEY_REVOKED", 2),
    "C's key revoked at 08:00; E2's token says 08:16",
  );
  const backdated = await signedEntry(keys.c.signer, {
    subject: TIMELINE_SUBJECT,
    sequence: 3,
    previous: e2,
    event: {
      type: "released",
      actor: actorOf("c"),
      at: "2026-02-11T08:30:00Z",
      note: "signed on 02-20 with the revoked key, dated before the revocation",
    },
  });
  const backdatedTimeline = negative("backdated-after-revocation", [e0, e1, e2, backdated]);
  tokens.slice(0, 3).forEach((token, i) =>
    add(`negative/backdated-after-revocation.jsonl.${i}.tsr`, token)
  );
  row(
    backdatedTimeline,
    { trust: "negative/key-revoked-later.trust.json", tsaRoots: TSA_ROOTS },
    bad("KEY_REVOKED", 3),
    "A revoked custodian key appends E3 backdated (by event.at) before its revocation",
  );
  add("negative/borrowed-token.jsonl.0.tsr", tokens[0]!);
  add("negative/borrowed-token.jsonl.1.tsr", tokens[1]!);
  add("negative/borrowed-token.jsonl.2.tsr", tokens[1]!);
  row(
    negative("borrowed-token", [e0, e1, e2]),
    { trust: "negative/key-revoked-later.trust.json", tsaRoots: TSA_ROOTS },
    bad("TIMESTAMP_IMPRINT_MISMATCH", 2),
    "E1's token placed as E2's: it is over another signature, so it does not lend E2 its time",
  );

  // Custodians bound to their keys.
  const impersonated = await signedEntry(keys.b.signer, {
    subject: TIMELINE_SUBJECT,
    sequence: 2,
    previous: e1,
    event: EVENTS[2]!.event,
  });
  row(
    negative("actor-impersonated", [
      e0,
      e1,
      impersonated,
      await append(impersonated, "a", { event: EVENTS[3]!.event }),
    ]),
    {},
    bad("CUSTODY_ACTOR_MISMATCH", 2),
    "The courier's key signs E2 in the forensics lab's name",
  );
  add(
    "negative/custodian-c-unbound.trust.json",
    json({
      version: 1,
      keys: [trustKey("a"), trustKey("b"), trustKey("c", { custodians: undefined })],
    }),
  );
  row(
    { file: "valid.jsonl" },
    { trust: "negative/custodian-c-unbound.trust.json" },
    bad("CUSTODY_ACTOR_UNBOUND", 2),
    "C's trust entry lists no custodians: its key may not sign for anyone",
  );
  add(
    "negative/custodian-b-untrusted.trust.json",
    json({ version: 1, keys: [trustKey("a"), trustKey("c")] }),
  );
  row(
    { file: "valid.jsonl" },
    { trust: "negative/custodian-b-untrusted.trust.json" },
    bad("KEY_UNTRUSTED", 1),
    "The courier's key is not trusted: E1 has no trusted signature",
  );

  // Times against the verifier's window.
  row(
    { file: "stamped.jsonl" },
    { notAfter: "2026-02-12T00:00:00Z", tsaRoots: TSA_ROOTS },
    bad("SIGNED_AFTER_NOT_AFTER", 3),
    "--not-after 2026-02-12: E3 (stamped 02-12 16:01) is too late",
  );
  row(
    { file: "valid.jsonl" },
    { notAfter: "2026-02-12T00:00:00Z" },
    bad("SIGNED_AFTER_NOT_AFTER", 0),
    "--not-after 2026-02-12 without tokens: no entry is proven to predate it (now is after)",
  );
  row(
    { file: "valid.jsonl" },
    { now: "2026-02-11T00:00:00Z" },
    bad("SIGNED_IN_FUTURE", 2),
    "--now 2026-02-11: E2 and E3 claim event times in the future",
  );

  // Anchor and truncation.
  row(
    negative("truncated", [e0, e1, e2]),
    {},
    verified,
    "E3 cut off: without an anchor a truncated timeline still verifies (the report says " +
      "anchored: false)",
  );
  row(
    { file: "negative/truncated.jsonl" },
    { expectHead: headOf(e3) },
    bad("CUSTODY_TRUNCATED", null),
    "E3 cut off, anchored with --expect-head: the anchored head is missing",
  );
  row(
    { file: "negative/truncated.jsonl" },
    { expectEntries: 4 },
    bad("CUSTODY_TRUNCATED", null),
    "E3 cut off, anchored with --expect-entries 4",
  );
  row(
    { file: "valid.jsonl" },
    { expectHead: headOf(e3), expectEntries: 4 },
    verified,
    "Anchored by head and length",
  );
  row(
    { file: "valid.jsonl" },
    { expectHead: headOf(e2) },
    bad("CUSTODY_ANCHOR_MISMATCH", null),
    "The anchored head is E2, but E3 follows it",
  );
  row(
    { file: "valid.jsonl" },
    { expectEntries: 3 },
    bad("CUSTODY_ANCHOR_MISMATCH", null),
    "Four entries where the anchor says three",
  );
  row(
    { file: "negative/truncated.jsonl" },
    { merkleRoot: root },
    bad("MERKLE_ROOT_MISMATCH", null),
    "E3 cut off, anchored with the full timeline's root: the root differs",
  );
  row(
    { file: "negative/reordered.jsonl" },
    { merkleRoot: root },
    bad("TIMELINE_GAP", 1),
    "Reordered and anchored: the first failing entry wins over the anchor mismatch",
  );

  // Broken input.
  const truncatedLine = e2.subarray(0, Math.floor(e2.length / 2));
  add("negative/malformed-line.jsonl", jsonl([e0, e1, truncatedLine, e3]));
  row(
    { file: "negative/malformed-line.jsonl" },
    {},
    bad("ENVELOPE_MALFORMED", 2),
    "Line 3 cut in half: entry 2 is not an envelope (and E3's link to it breaks)",
  );
  add("negative/empty.jsonl", new Uint8Array());
  row({ file: "negative/empty.jsonl" }, {}, bad("TIMELINE_EMPTY", null), "No entries at all");

  add("negative/cases.json", json(cases.map(dropUndefined)));
  return files;
}

/** Signs a custody statement built directly (no ordering checks), as stored bytes. */
async function signedEntry(
  signer: Signer,
  options: Parameters<typeof buildCustodyStatement>[0],
): Promise<Uint8Array> {
  const envelope = await signEnvelope(buildCustodyStatement(options), [signer]);
  return encodeUtf8(serializeEnvelope(envelope));
}

function dropUndefined(value: TimelineCase): TimelineCase {
  return JSON.parse(JSON.stringify(value));
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  for (const { path, bytes } of await makeTimelineFixtures()) {
    const url = new URL(path, root);
    await Deno.mkdir(new URL(".", url), { recursive: true });
    await Deno.writeFile(url, bytes);
  }
}
