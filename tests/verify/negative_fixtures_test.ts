import assert from "node:assert/strict";
import { concatBytes } from "../../lib/encoding/bytes.ts";
import { canonicalize } from "../../lib/encoding/canonical_json.ts";
import { decodePemAll } from "../../lib/encoding/pem.ts";
import { parseRfc3339 } from "../../lib/encoding/time.ts";
import { FAILURE_CODES } from "../../lib/verify/codes.ts";
import { parseTrustPolicy } from "../../lib/verify/trust_policy.ts";
import { verifyEnvelope } from "../../lib/verify/verify_envelope.ts";
import { parseDuration } from "../../cli/_args.ts";
import { runCli } from "../cli/_io.ts";
import { makeNegativeFixtures, type NegativeCase } from "../../scripts/make_negative_fixtures.ts";
import { type KeySource, splitTrust } from "./_trust.ts";

const ROOT = new URL("../../", import.meta.url);
const DIR = new URL("fixtures/negative/", ROOT);
const path = (relative: string) => new URL(relative, DIR).pathname;
const cases: NegativeCase[] = JSON.parse(await Deno.readTextFile(new URL("cases.json", DIR)));

/** The CLI flags of a case, with absolute paths. */
function flags(args: NegativeCase["args"]): string[] {
  const out: string[] = [];
  if (args.trust !== undefined) out.push("--trust", path(args.trust));
  for (const key of args.key ?? []) out.push("--key", path(key));
  if (args.signedAt !== undefined) out.push("--signed-at", args.signedAt);
  if (args.notAfter !== undefined) out.push("--not-after", args.notAfter);
  if (args.skew !== undefined) out.push("--skew", args.skew);
  for (const token of args.timestamp ?? []) out.push("--timestamp", path(token));
  if (args.tsaRoots !== undefined) out.push("--tsa-roots", path(args.tsaRoots));
  for (const digest of args.artifactDigest ?? []) out.push("--artifact-digest", digest);
  if (args.image !== undefined) out.push("--image", args.image);
  if (args.subjectName !== undefined) out.push("--subject-name", args.subjectName);
  for (const type of args.predicateType ?? []) out.push("--predicate-type", type);
  out.push("--now", args.now);
  return out;
}

/** The library call the CLI flags stand for (each `--key` is a one-entry policy, DER or P1363). */
async function verifyWithLibrary(c: NegativeCase) {
  const policy = c.args.trust === undefined
    ? undefined
    : parseTrustPolicy(await Deno.readFile(path(c.args.trust)), { name: path(c.args.trust) });
  const trustPolicy = policy;
  const keys: KeySource[] = [];
  for (const key of c.args.key ?? []) {
    keys.push(
      {
        pem: await Deno.readTextFile(path(key)),
        options: {
          name: path(key),
          signatureEncoding: "any",
        },
      },
    );
  }
  return await verifyEnvelope(
    await Deno.readFile(path(c.file)),
    ...splitTrust({
      now: parseRfc3339(c.args.now),
      trustPolicy,
      keys,
      signedAt: c.args.signedAt === undefined ? undefined : parseRfc3339(c.args.signedAt),
      notAfter: c.args.notAfter === undefined ? undefined : parseRfc3339(c.args.notAfter),
      skew: c.args.skew === undefined ? undefined : parseDuration("--skew", c.args.skew),
      timestamps: await Promise.all((c.args.timestamp ?? []).map((t) => Deno.readFile(path(t)))),
      tsaRoots: c.args.tsaRoots === undefined
        ? undefined
        : decodePemAll(await Deno.readTextFile(path(c.args.tsaRoots)), { label: "CERTIFICATE" })
          .map((block) => block.bytes),
      artifactDigest: c.args.artifactDigest,
      image: c.args.image,
      subjectName: c.args.subjectName,
      predicateType: c.args.predicateType,
      name: path(c.file),
    }),
  );
}

Deno.test("every fixtures/negative case gives its exact verdict and code via the library and the CLI", async () => {
  assert.ok(cases.length >= 70, `expected at least 70 cases, found ${cases.length}`);
  const mismatches: string[] = [];
  const seen = new Map<string, number>();
  for (const c of cases) {
    const label = `${c.file} (${c.why})`;
    const report = await verifyWithLibrary(c);
    const code = report.code ?? null;
    seen.set(code ?? "VERIFIED", (seen.get(code ?? "VERIFIED") ?? 0) + 1);
    if (report.verified !== c.expect.verified || code !== c.expect.code) {
      mismatches.push(`library ${label}: got ${report.verified}/${code}, want ${c.expect.code}`);
    }
    const cli = await runCli(["forensic", "verify", path(c.file), ...flags(c.args), "--json"]);
    const expectedStatus = c.expect.verified ? 0 : 1;
    if (cli.status !== expectedStatus) {
      mismatches.push(`cli ${label}: exit ${cli.status}, want ${expectedStatus}: ${cli.stderr}`);
      continue;
    }
    const printed = JSON.parse(cli.stdout);
    if (printed.verified !== c.expect.verified || (printed.code ?? null) !== c.expect.code) {
      mismatches.push(`cli ${label}: got ${printed.verified}/${printed.code}`);
    }
    // The CLI is a thin adapter: it prints exactly the library's report.
    if (cli.stdout !== canonicalize(report) + "\n") mismatches.push(`cli ${label}: report differs`);
    if (cli.stderr !== "") mismatches.push(`cli ${label}: unexpected stderr ${cli.stderr}`);
  }
  assert.deepEqual(mismatches, []);
  // Every envelope-level failure code is exercised by at least one committed case.
  const envelopeCodes = FAILURE_CODES.slice(0, FAILURE_CODES.indexOf("CLAIM_MISMATCH") + 1);
  assert.deepEqual(envelopeCodes.filter((code) => !seen.has(code)), []);
  assert.ok((seen.get("VERIFIED") ?? 0) >= 20);
});

Deno.test("every negative fixture file is named by a case and every case names an existing file", async () => {
  const onDisk: string[] = [];
  for await (const entry of Deno.readDir(DIR)) {
    if (entry.isFile && entry.name.endsWith(".dsse.json")) onDisk.push(entry.name);
  }
  assert.deepEqual([...new Set(cases.map((c) => c.file))].sort(), onDisk.sort());
  for (const c of cases) {
    for (const file of [c.args.trust, ...(c.args.key ?? []), ...(c.args.timestamp ?? [])]) {
      if (file !== undefined) assert.ok((await Deno.stat(path(file))).isFile, file);
    }
  }
});

Deno.test("makeNegativeFixtures() regenerates fixtures/negative byte-identically", async () => {
  const generated = await makeNegativeFixtures();
  const paths = generated.map((f) => f.path);
  assert.equal(new Set(paths).size, paths.length, "no file is generated twice");
  for (const { path, bytes } of generated) {
    assert.deepEqual(await Deno.readFile(new URL(path, ROOT)), bytes, path);
  }
  // Nothing stale on disk: every file except the openssl-made private keys is generated.
  const onDisk: string[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      else onDisk.push(`${prefix}${entry.name}`);
    }
  };
  await walk(DIR, "fixtures/negative/");
  const inputs = onDisk.filter((p) => /\/keys\/test-only-[^/]+(?<!\.pub)\.pem$/.test(p));
  assert.equal(inputs.length, 6);
  assert.deepEqual(onDisk.filter((p) => !inputs.includes(p)).sort(), [...paths].sort());
});

Deno.test("a huge envelope (33 MiB, over the 32 MiB limit) is ENVELOPE_MALFORMED via library and CLI", async () => {
  const head = new TextEncoder().encode('{"payloadType":"text/plain","payload":"');
  const tail = new TextEncoder().encode('","signatures":[{"sig":"AAAA"}]}\n');
  const huge = new Uint8Array(33 * 1024 * 1024);
  huge.fill(0x41);
  huge.set(head, 0);
  huge.set(tail, huge.length - tail.length);
  const options = { now: Date.UTC(2026, 2, 1, 12), keys: [] };
  const report = await verifyEnvelope(huge, ...splitTrust(options));
  assert.equal(report.verified, false);
  assert.equal(report.code, "ENVELOPE_MALFORMED");
  assert.deepEqual(report.checks.map((c) => c.id), ["envelope.parse"]);

  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/huge.dsse.json`;
    await Deno.writeFile(file, huge);
    const key = path("keys/test-only-ed25519-a.pub.pem");
    const now = ["--now", "2026-03-01T12:00:00Z"];
    const cli = await runCli(["forensic", "verify", file, "--key", key, ...now, "--json"]);
    assert.equal(cli.status, 1, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).code, "ENVELOPE_MALFORMED");
    // One huge line inside a JSON Lines file is one malformed envelope; its neighbour verifies.
    const good = await Deno.readFile(path("valid.ed25519.dsse.json"));
    await Deno.writeFile(`${dir}/two.jsonl`, concatBytes(good, huge));
    const lines = await runCli([
      "forensic",
      "verify",
      `${dir}/two.jsonl`,
      "--key",
      key,
      ...now,
      "--json",
    ]);
    assert.equal(lines.status, 1, lines.stderr);
    const out = JSON.parse(lines.stdout);
    assert.deepEqual(out.reports.map((r: { code?: string }) => r.code ?? null), [
      null,
      "ENVELOPE_MALFORMED",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
