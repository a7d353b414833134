/**
 * `stella timeline append` and `stella forensic verify --timeline` for issue 13 items 3 and 4:
 * custodians bound to keys (`custodians` in trust.json, `--allow-unbound-custodians`), RFC 3161
 * tokens attached to entries (`timeline append --timestamp`, stored as `<entry>.tsr` sidecars),
 * and anchors (`--expect-head`, `--expect-entries`; unanchored timelines warn).
 */
import assert from "node:assert/strict";
import { sha256 } from "../../lib/digest/digest.ts";
import { splitJsonLines } from "../../lib/encoding/json_lines.ts";
import { fixtureTsa } from "../../scripts/_fixture_tsa.ts";
import { ROOT, runCli } from "./_io.ts";

const KEYS = `${ROOT}/fixtures/timeline/keys`;
const KEY = {
  a: `${KEYS}/test-only-custodian-a-ed25519`,
  b: `${KEYS}/test-only-custodian-b-ecdsa-p256`,
  c: `${KEYS}/test-only-custodian-c-ecdsa-p384`,
};
const NOW = "2026-03-01T00:00:00Z";
const tsa = fixtureTsa();

const STEPS: { key: keyof typeof KEY; actor: string; at: string; type: string }[] = [
  { key: "a", actor: "alice", at: "2026-02-10T09:00:00Z", type: "collected" },
  { key: "b", actor: "bob", at: "2026-02-10T11:30:00Z", type: "transferred" },
  { key: "c", actor: "carol", at: "2026-02-11T08:00:00Z", type: "analysed" },
];

/** A fresh directory with trust.json (custodians bound; carol's key revoked at `revokedAt`). */
async function setup(revokedAt?: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "stella-custody-" });
  const entry = async (k: keyof typeof KEY, custodians: string[], extra = {}) => ({
    publicKey: await Deno.readTextFile(`${KEY[k]}.pub.pem`),
    custodians,
    ...extra,
  });
  await Deno.writeTextFile(
    `${dir}/trust.json`,
    JSON.stringify({
      version: 1,
      keys: [
        await entry("a", ["alice"]),
        await entry("b", ["bob"]),
        await entry("c", ["carol"], revokedAt === undefined ? {} : { revokedAt }),
      ],
    }),
  );
  await Deno.writeTextFile(`${dir}/root.pem`, tsa.rootPem);
  return dir;
}

async function append(
  target: string[],
  step: (typeof STEPS)[number],
  extra: string[] = [],
  first = false,
) {
  return await runCli([
    "timeline",
    "append",
    ...target,
    ...(first ? ["--subject", `disk-image=sha256:${"ab".repeat(32)}`] : []),
    "--type",
    step.type,
    "--event-actor",
    step.actor,
    "--at",
    step.at,
    "--key",
    `${KEY[step.key]}.pem`,
    ...extra,
  ]);
}

async function buildJsonl(dir: string, steps = STEPS): Promise<string> {
  const timeline = `${dir}/custody.jsonl`;
  for (const [i, step] of steps.entries()) {
    const result = await append(["--jsonl", timeline], step, [], i === 0);
    assert.equal(result.status, 0, result.stderr);
  }
  return timeline;
}

function verify(target: string, ...flags: string[]) {
  return runCli(["forensic", "verify", "--timeline", target, "--now", NOW, ...flags]);
}

Deno.test("timeline append prints the new head: the sha256 of the entry's exact bytes", async () => {
  const dir = await setup();
  const timeline = `${dir}/custody.jsonl`;
  for (const [i, step] of STEPS.entries()) {
    const result = await append(["--jsonl", timeline], step, [], i === 0);
    assert.equal(result.status, 0, result.stderr);
    const last = splitJsonLines(await Deno.readFile(timeline)).at(-1)!;
    assert.equal(
      result.stdout,
      `appended sequence ${i} (${step.type})\nhead sha256:${sha256(last).toHex()}\n`,
    );
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("forensic verify --timeline: --expect-head and --expect-entries catch a cut tail; unanchored warns", async () => {
  const dir = await setup();
  const timeline = await buildJsonl(dir);
  const lines = splitJsonLines(await Deno.readFile(timeline));
  const head = `sha256:${sha256(lines.at(-1)!).toHex()}`;
  const trust = ["--trust", `${dir}/trust.json`];

  const unanchored = await verify(timeline, ...trust);
  assert.equal(unanchored.status, 0, unanchored.stdout);
  assert.match(
    unanchored.stdout,
    new RegExp(`^ {2}warning: {8}unanchored: .*--expect-head ${head} --expect-entries 3$`, "m"),
  );
  const json = JSON.parse((await verify(timeline, ...trust, "--json")).stdout);
  assert.equal(json.anchored, false);
  assert.equal(json.head, head);

  const anchored = await verify(timeline, ...trust, "--expect-head", head, "--expect-entries", "3");
  assert.equal(anchored.status, 0, anchored.stdout);
  assert.doesNotMatch(anchored.stdout, /warning/);
  assert.match(anchored.stdout, /^VERIFIED .*\n/);
  assert.match(anchored.stdout, /^ {2}entries: {8}3, anchored$/m);

  const cut = `${dir}/cut.jsonl`;
  await Deno.writeTextFile(
    cut,
    new TextDecoder().decode(lines[0]) + "\n" +
      new TextDecoder().decode(lines[1]) + "\n",
  );
  assert.equal((await verify(cut, ...trust)).status, 0);
  for (const anchor of [["--expect-head", head], ["--expect-entries", "3"]]) {
    const result = await verify(cut, ...trust, ...anchor, "--json");
    assert.equal(result.status, 1, result.stdout);
    assert.equal(JSON.parse(result.stdout).code, "CUSTODY_TRUNCATED");
    const text = await verify(cut, ...trust, ...anchor);
    assert.match(text.stdout, /^FAILED [^:]+: CUSTODY_TRUNCATED /);
  }
  const bad = await verify(timeline, ...trust, "--expect-head", "abc");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--expect-head/);
  const notTimeline = await runCli([
    "forensic",
    "verify",
    timeline,
    ...trust,
    "--expect-entries",
    "3",
  ]);
  assert.equal(notTimeline.status, 2);
  assert.match(notTimeline.stderr, /--expect-entries applies to --timeline/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("forensic verify --timeline: custodians are bound to their keys", async () => {
  const dir = await setup();
  // Bob's key signs an entry in carol's name.
  const timeline = await buildJsonl(dir, [...STEPS.slice(0, 2), { ...STEPS[2]!, key: "b" }]);
  const mismatch = await verify(timeline, "--trust", `${dir}/trust.json`, "--json");
  assert.equal(mismatch.status, 1);
  assert.deepEqual(JSON.parse(mismatch.stdout).firstFailure, {
    index: 2,
    code: "CUSTODY_ACTOR_MISMATCH",
  });
  // Keys given with --key bind no custodian.
  const keys = Object.values(KEY).flatMap((k) => ["--key", `${k}.pub.pem`]);
  const good = await buildJsonl(await setup());
  const unbound = await verify(good, ...keys, "--json");
  assert.equal(unbound.status, 1);
  assert.deepEqual(JSON.parse(unbound.stdout).firstFailure, {
    index: 0,
    code: "CUSTODY_ACTOR_UNBOUND",
  });
  const allowed = await verify(good, ...keys, "--allow-unbound-custodians");
  assert.equal(allowed.status, 0, allowed.stdout);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("timeline append --timestamp attaches a token that gives the entry a trusted time", async () => {
  // Carol's key is revoked at 09:00 on 02-11; her entry claims 08:00.
  const dir = await setup("2026-02-11T09:00:00Z");
  const timeline = `${dir}/custody.jsonl`;
  for (const [i, step] of STEPS.entries()) {
    const extra = i === 2 ? ["--signature-out", `${dir}/sig.bin`] : [];
    const result = await append(["--jsonl", timeline], step, extra, i === 0);
    assert.equal(result.status, 0, result.stderr);
  }
  const flags = ["--trust", `${dir}/trust.json`, "--tsa-roots", `${dir}/root.pem`, "--json"];
  // The claimed 08:00 does not count: without a token the entry is judged now, after revocation.
  const unstamped = await verify(timeline, ...flags);
  assert.deepEqual(JSON.parse(unstamped.stdout).firstFailure, { index: 2, code: "KEY_REVOKED" });

  const signature = await Deno.readFile(`${dir}/sig.bin`);
  await Deno.writeFile(`${dir}/late.tsr`, tsa.stamp(signature, "2026-02-11T09:30:00Z"));
  await Deno.writeFile(`${dir}/early.tsr`, tsa.stamp(signature, "2026-02-11T08:01:00Z"));
  await Deno.writeFile(`${dir}/other.tsr`, tsa.stamp(new Uint8Array(64), "2026-02-11T08:01:00Z"));

  const wrong = await runCli([
    "timeline",
    "append",
    "--jsonl",
    timeline,
    "--timestamp",
    `${dir}/other.tsr`,
  ]);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /not over a signature of/);

  const attached = await runCli([
    "timeline",
    "append",
    "--jsonl",
    timeline,
    "--timestamp",
    `${dir}/early.tsr`,
  ]);
  assert.equal(attached.status, 0, attached.stderr);
  assert.match(attached.stdout, /^attached timestamp .*custody\.jsonl\.2\.tsr to sequence 2/);
  assert.deepEqual(
    await Deno.readFile(`${timeline}.2.tsr`),
    await Deno.readFile(`${dir}/early.tsr`),
  );
  const again = await runCli([
    "timeline",
    "append",
    "--jsonl",
    timeline,
    "--timestamp",
    `${dir}/late.tsr`,
  ]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already/);

  const stamped = await verify(timeline, ...flags);
  assert.equal(stamped.status, 0, stamped.stdout);
  assert.deepEqual(JSON.parse(stamped.stdout).entries[2].report.time, {
    source: "rfc3161",
    value: "2026-02-11T08:01:00Z",
  });
  // Without TSA roots the token proves nothing.
  const noRoots = await verify(timeline, "--trust", `${dir}/trust.json`, "--json");
  assert.deepEqual(JSON.parse(noRoots.stdout).firstFailure, { index: 2, code: "KEY_REVOKED" });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("timeline append --entry --timestamp: envelope files keep their token in <file>.tsr", async () => {
  const dir = await setup("2026-02-11T09:00:00Z");
  await Deno.mkdir(`${dir}/entries`);
  let previous: string[] = [];
  for (const [i, step] of STEPS.entries()) {
    const out = `${dir}/entries/E${i}.dsse.json`;
    const extra = i === 2 ? ["--signature-out", `${dir}/sig.bin`] : [];
    const result = await append([...previous, "--out", out], step, extra, i === 0);
    assert.equal(result.status, 0, result.stderr);
    previous = ["--previous", out];
  }
  await Deno.writeFile(
    `${dir}/early.tsr`,
    tsa.stamp(await Deno.readFile(`${dir}/sig.bin`), "2026-02-11T08:01:00Z"),
  );
  const attached = await runCli([
    "timeline",
    "append",
    "--entry",
    `${dir}/entries/E2.dsse.json`,
    "--timestamp",
    `${dir}/early.tsr`,
  ]);
  assert.equal(attached.status, 0, attached.stderr);
  assert.ok((await Deno.stat(`${dir}/entries/E2.dsse.json.tsr`)).isFile);
  const flags = ["--trust", `${dir}/trust.json`, "--tsa-roots", `${dir}/root.pem`, "--json"];
  // The directory form skips the .tsr sidecars as entries and attaches them.
  const fromDir = await verify(`${dir}/entries`, ...flags);
  assert.equal(fromDir.status, 0, fromDir.stdout);
  const report = JSON.parse(fromDir.stdout);
  assert.equal(report.entries.length, 3);
  assert.equal(report.entries[2].report.time.source, "rfc3161");
  const fromFiles = await verify(
    `${dir}/entries/E0.dsse.json`,
    `${dir}/entries/E1.dsse.json`,
    `${dir}/entries/E2.dsse.json`,
    ...flags,
  );
  assert.equal(fromFiles.status, 0, fromFiles.stdout);
  await Deno.remove(dir, { recursive: true });
});
