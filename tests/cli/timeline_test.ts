/**
 * `stella forensic verify --timeline` and `stella timeline append`, end to end: every custody
 * fixture case through the CLI gives the library's verdict, code and index, and a timeline built
 * with the CLI verifies until one stored byte changes.
 */
import assert from "node:assert/strict";
import { ROOT, runCli, withTempDir } from "./_io.ts";

const DIR = `${ROOT}/fixtures/timeline`;
const KEYS = `${DIR}/keys`;

interface Case {
  dir?: string;
  file?: string;
  args: {
    trust?: string;
    key?: string[];
    now: string;
    skew?: string;
    notAfter?: string;
    merkleRoot?: string;
    tsaRoots?: string;
    expectHead?: string;
    expectEntries?: number;
    allowUnboundCustodians?: boolean;
  };
  expect: { verified: boolean; code: string | null; index: number | null };
  why: string;
}

const CASES: Case[] = JSON.parse(await Deno.readTextFile(`${DIR}/negative/cases.json`));

function flags(args: Case["args"]): string[] {
  const out = ["--now", args.now];
  if (args.trust !== undefined) out.push("--trust", `${DIR}/${args.trust}`);
  for (const key of args.key ?? []) out.push("--key", `${DIR}/${key}`);
  if (args.skew !== undefined) out.push("--skew", args.skew);
  if (args.notAfter !== undefined) out.push("--not-after", args.notAfter);
  if (args.merkleRoot !== undefined) out.push("--merkle-root", args.merkleRoot);
  if (args.tsaRoots !== undefined) out.push("--tsa-roots", `${DIR}/${args.tsaRoots}`);
  if (args.expectHead !== undefined) out.push("--expect-head", args.expectHead);
  if (args.expectEntries !== undefined) out.push("--expect-entries", `${args.expectEntries}`);
  if (args.allowUnboundCustodians === true) out.push("--allow-unbound-custodians");
  return out;
}

Deno.test("forensic verify --timeline gives every fixture case its verdict, code and index", async () => {
  assert.equal(CASES.length, 44);
  for (const c of CASES) {
    const target = `${DIR}/${c.dir ?? c.file}`;
    const result = await runCli([
      "forensic",
      "verify",
      "--timeline",
      target,
      ...flags(c.args),
      "--json",
    ]);
    const label = `${c.dir ?? c.file}: ${c.why}`;
    assert.equal(result.status, c.expect.verified ? 0 : 1, `${label}\n${result.stderr}`);
    const report = JSON.parse(result.stdout);
    assert.equal(report.verified, c.expect.verified, label);
    assert.equal(report.code ?? null, c.expect.code, label);
    assert.equal(report.firstFailure?.index ?? null, c.expect.index, label);
  }
});

Deno.test("forensic verify --timeline: separate files in order equal the directory and the .jsonl", async () => {
  const names = [...Deno.readDirSync(`${DIR}/valid`)].map((e) => e.name).sort();
  const common = ["--trust", `${DIR}/trust.json`, "--now", "2026-03-01T12:00:00Z", "--json"];
  const files = await runCli([
    "forensic",
    "verify",
    "--timeline",
    ...names.map((n) => `${DIR}/valid/${n}`),
    ...common,
  ]);
  const jsonl = await runCli(["forensic", "verify", "--timeline", `${DIR}/valid.jsonl`, ...common]);
  assert.equal(files.status, 0);
  assert.equal(jsonl.status, 0);
  const strip = (text: string) => {
    const report = JSON.parse(text);
    for (const entry of report.entries) delete entry.report.checks;
    return report.entries.map((e: { sha256: string }) => e.sha256);
  };
  assert.deepEqual(strip(files.stdout), strip(jsonl.stdout));
  const human = await runCli([
    "forensic",
    "verify",
    "--timeline",
    `${DIR}/valid.jsonl`,
    ...common.slice(0, -1),
  ]);
  assert.ok(human.stdout.startsWith(`VERIFIED ${DIR}/valid.jsonl\n`), human.stdout);
  assert.match(human.stdout, /^ {2}entries: {8}4, unanchored$/m);
  const signedAt = await runCli([
    "forensic",
    "verify",
    "--timeline",
    `${DIR}/valid.jsonl`,
    "--signed-at",
    "2026-01-01T00:00:00Z",
    ...common,
  ]);
  assert.equal(signedAt.status, 2);
});

Deno.test("stella timeline append builds a JSON Lines timeline that verifies until a byte changes", async () => {
  const dir = await Deno.makeTempDir();
  const timeline = `${dir}/custody.jsonl`;
  await Deno.writeTextFile(`${dir}/photo.jpg`, "evidence photo");
  const steps = [
    [
      "--subject",
      `disk-image=sha256:${"ab".repeat(32)}`,
      "--type",
      "collected",
      "--event-actor",
      "alice",
      "--at",
      "2026-02-10T09:00:00Z",
      "--key",
      `${KEYS}/test-only-custodian-a-ed25519.pem`,
      "--evidence",
      `${dir}/photo.jpg`,
    ],
    [
      "--type",
      "transferred",
      "--event-actor",
      "bob",
      "--at",
      "2026-02-10T11:30:00Z",
      "--location",
      "lab 2",
      "--key",
      `${KEYS}/test-only-custodian-b-ecdsa-p256.pem`,
    ],
    [
      "--type",
      "analysed",
      "--event-actor",
      "carol",
      "--at",
      "2026-02-11T08:00:00Z",
      "--note",
      "hash matches",
      "--key",
      `${KEYS}/test-only-custodian-c-ecdsa-p384.pem`,
    ],
  ];
  for (const [i, step] of steps.entries()) {
    const result = await runCli(["timeline", "append", "--jsonl", timeline, ...step]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^appended sequence ${i} `));
  }
  const keys = ["custodian-a-ed25519", "custodian-b-ecdsa-p256", "custodian-c-ecdsa-p384"]
    .flatMap((k) => ["--key", `${KEYS}/test-only-${k}.pub.pem`]);
  const verify = (path: string) =>
    runCli([
      "forensic",
      "verify",
      "--timeline",
      path,
      ...keys,
      "--allow-unbound-custodians",
      "--now",
      "2026-03-01T00:00:00Z",
      "--json",
    ]);
  const ok = await verify(timeline);
  assert.equal(ok.status, 0, ok.stdout);
  assert.equal(JSON.parse(ok.stdout).entries.length, 3);

  const regressed = await runCli([
    "timeline",
    "append",
    "--jsonl",
    timeline,
    "--type",
    "x",
    "--event-actor",
    "eve",
    "--at",
    "2026-01-01T00:00:00Z",
    "--key",
    `${KEYS}/test-only-custodian-a-ed25519.pem`,
  ]);
  assert.equal(regressed.status, 1);

  const text = await Deno.readTextFile(timeline);
  const lines = text.split("\n");
  lines[1] = lines[1]!.replace('"payloadType"', ' "payloadType"'); // same JSON, other bytes
  await Deno.writeTextFile(`${dir}/tampered.jsonl`, lines.join("\n"));
  const tampered = await verify(`${dir}/tampered.jsonl`);
  assert.equal(tampered.status, 1);
  assert.deepEqual(JSON.parse(tampered.stdout).firstFailure, {
    index: 2,
    code: "TIMELINE_LINK_BROKEN",
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stella timeline append names the previous entry it cannot read: FILE:LINE or the --previous file", async () => {
  await withTempDir(async (dir) => {
    const timeline = `${dir}/custody.jsonl`;
    const key = `${KEYS}/test-only-custodian-a-ed25519.pem`;
    const event = ["--type", "moved", "--event-actor", "alice", "--at", "2026-02-10T09:00:00Z"];
    const first = await runCli([
      "timeline",
      "append",
      "--jsonl",
      timeline,
      "--subject",
      `disk-image=sha256:${"ab".repeat(32)}`,
      ...event,
      "--key",
      key,
    ]);
    assert.equal(first.status, 0, first.stderr);
    await Deno.writeTextFile(timeline, "not json\n", { append: true });
    const before = await Deno.readFile(timeline);
    const bad = await runCli(["timeline", "append", "--jsonl", timeline, ...event, "--key", key]);
    assert.equal(bad.status, 1);
    assert.match(
      bad.stderr,
      /^stella: Cannot append custody event: Cannot parse JSON ".*custody\.jsonl:2": expected a value/,
    );
    assert.deepEqual(await Deno.readFile(timeline), before); // nothing appended

    await Deno.writeTextFile(`${dir}/prev.dsse.json`, "{}");
    const prev = await runCli([
      "timeline",
      "append",
      "--previous",
      `${dir}/prev.dsse.json`,
      "--out",
      `${dir}/next.dsse.json`,
      ...event,
      "--key",
      key,
    ]);
    assert.equal(prev.status, 1);
    assert.match(prev.stderr, /".*prev\.dsse\.json"/);
    assert.doesNotMatch(prev.stderr, /previous entry/);
  });
});
