import assert from "node:assert/strict";
import { canonicalize } from "../../lib/encoding/canonical_json.ts";
import { ROOT, runCli, withTempDir } from "./_io.ts";

const NEG = `${ROOT}/fixtures/negative`;
const KEY_A = `${NEG}/keys/test-only-ed25519-a.pub.pem`;
const VALID = `${NEG}/valid.ed25519.dsse.json`;
const TAMPERED = `${NEG}/tampered-payload.dsse.json`;
const NOW = ["--now", "2026-03-01T12:00:00Z"];
const GOLDEN = new URL("../golden/forensic_verify_promotion.json", import.meta.url);
/** The golden run: the promotion fixture with a claimed signing time, a cut-off and a skew. */
const GOLDEN_ARGS = [
  "forensic",
  "verify",
  "fixtures/envelopes/promotion.dsse.json",
  "--key",
  "fixtures/keys/test-only-ed25519.pub.pem",
  "--signed-at",
  "2025-01-31T18:35:00+05:30",
  "--not-after",
  "2025-02-01T00:00:00Z",
  "--skew",
  "30s",
  "--now",
  "2026-03-01T12:00:00Z",
  "--json",
];

/** Runs `deno run --cached-only --allow-read cli/main.ts ARGS`: read-only, no env/write/net. */
async function spawnReadOnly(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "--allow-read", "cli/main.ts", ...args],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    status: output.code,
    stdout: output.stdout,
    stderr: new TextDecoder().decode(output.stderr),
  };
}

Deno.test("forensic verify: one envelope, --json prints the report as canonical JSON, exit 0/1", async () => {
  const good = await runCli(["forensic", "verify", VALID, "--key", KEY_A, ...NOW, "--json"]);
  assert.equal(good.status, 0, good.stderr);
  assert.equal(good.stderr, "");
  const report = JSON.parse(good.stdout);
  assert.equal(good.stdout, canonicalize(report) + "\n");
  assert.equal(report.verified, true);
  assert.deepEqual(report.time, { value: "2026-03-01T12:00:00Z", source: "clock" });
  const bad = await runCli(["forensic", "verify", TAMPERED, "--key", KEY_A, ...NOW, "--json"]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, canonicalize(JSON.parse(bad.stdout)) + "\n");
  assert.equal(JSON.parse(bad.stdout).code, "SIGNATURE_INVALID");
});

Deno.test("forensic verify: human output names the verdict, code and failed check, without colour", async () => {
  const good = await runCli(["forensic", "verify", VALID, "--key", KEY_A, ...NOW]);
  assert.equal(good.status, 0);
  assert.equal(
    good.stdout.split("\n")[0],
    `VERIFIED ${VALID}`,
  );
  const lines = good.stdout.split("\n");
  assert.ok(lines.includes("  predicate type: stella.ops/promotion@v1"), good.stdout);
  assert.ok(
    lines.includes("  signing time:   none verified (judged at the verification time)"),
    good.stdout,
  );
  assert.ok(lines.includes("  verified at:    2026-03-01T12:00:00Z"), good.stdout);
  const bad = await runCli(["forensic", "verify", TAMPERED, "--key", KEY_A, ...NOW]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout.split("\n")[0]!, /^FAILED [^ ]+: SIGNATURE_INVALID Reject envelope /);
  assert.equal(bad.stdout.split("\n")[0]!.split(": ")[0], `FAILED ${TAMPERED}`);
  assert.match(bad.stdout, /✗ envelope\.signatures: SIGNATURE_INVALID: Reject envelope/);
  assert.ok(!(good.stdout + bad.stdout).includes("\x1b["), "no ANSI colour");
});

Deno.test("forensic verify: a directory is verified in UTF-16 name order, one report per file plus a summary", async () => {
  await withTempDir(async (dir) => {
    const valid = await Deno.readFile(VALID);
    const tampered = await Deno.readFile(TAMPERED);
    // UTF-16 order: "Z" < "a" < "b" < "é" < "😀" (U+D83D…) < "ﬁ" (U+FB01); code points differ.
    const files: [string, Uint8Array][] = [
      ["\uFB01.dsse.json", valid],
      ["b.dsse.json", tampered],
      ["\u{1F600}.dsse.json", valid],
      ["a.dsse.json", valid],
      ["Z.dsse.json", valid],
      ["\u00E9.dsse.json", new TextEncoder().encode("{")],
      [".hidden.dsse.json", tampered],
    ];
    for (const [name, bytes] of files) await Deno.writeFile(`${dir}/${name}`, bytes);
    await Deno.mkdir(`${dir}/nested`);
    await Deno.writeFile(`${dir}/nested/c.dsse.json`, tampered);
    const result = await runCli(["forensic", "verify", dir, "--key", KEY_A, ...NOW, "--json"]);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stdout, canonicalize(JSON.parse(result.stdout)) + "\n");
    const out = JSON.parse(result.stdout);
    assert.deepEqual(
      out.reports.map((r: { file: string; code?: string }) => [r.file, r.code ?? "OK"]),
      [
        [`${dir}/Z.dsse.json`, "OK"],
        [`${dir}/a.dsse.json`, "OK"],
        [`${dir}/b.dsse.json`, "SIGNATURE_INVALID"],
        [`${dir}/\u00E9.dsse.json`, "ENVELOPE_MALFORMED"],
        [`${dir}/\u{1F600}.dsse.json`, "OK"],
        [`${dir}/\uFB01.dsse.json`, "OK"],
      ],
    );
    assert.deepEqual(out.summary, {
      total: 6,
      verified: 4,
      failed: 2,
      codes: { ENVELOPE_MALFORMED: 1, SIGNATURE_INVALID: 1 },
    });
    assert.equal(out.verified, false);
    // Human output: one line per file and a summary line.
    const human = await runCli(["forensic", "verify", `${dir}/`, "--key", KEY_A, ...NOW]);
    assert.equal(human.status, 1);
    assert.deepEqual(
      human.stdout.split("\n").filter((l) => /^(VERIFIED|FAILED)/.test(l)).map((l) =>
        l.split(/\s+/)[0]
      ),
      ["VERIFIED", "VERIFIED", "FAILED", "FAILED", "VERIFIED", "VERIFIED"],
    );
    assert.match(
      human.stdout,
      /\n4 verified, 2 failed, 6 total \(ENVELOPE_MALFORMED 1, SIGNATURE_INVALID 1\)\n$/,
    );
    // A directory of only valid envelopes exits 0.
    for (const name of ["b.dsse.json", "\u00E9.dsse.json"]) await Deno.remove(`${dir}/${name}`);
    const clean = await runCli(["forensic", "verify", dir, "--key", KEY_A, ...NOW, "--json"]);
    assert.equal(clean.status, 0);
    assert.deepEqual(JSON.parse(clean.stdout).summary, {
      total: 4,
      verified: 4,
      failed: 0,
      codes: {},
    });
  });
});

Deno.test("forensic verify: a .jsonl file is one envelope per line, named file:line, blank lines skipped", async () => {
  await withTempDir(async (dir) => {
    const line = async (path: string) => (await Deno.readTextFile(path)).trimEnd();
    const text = [await line(VALID), await line(TAMPERED), "", "  ", await line(VALID) + "\r"]
      .join("\n") + "\n";
    const file = `${dir}/timeline.jsonl`;
    await Deno.writeTextFile(file, text);
    const result = await runCli(["forensic", "verify", file, "--key", KEY_A, ...NOW, "--json"]);
    assert.equal(result.status, 1, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.deepEqual(
      out.reports.map((r: { file: string; verified: boolean }) => [r.file, r.verified]),
      [[`${file}:1`, true], [`${file}:2`, false], [`${file}:5`, true]],
    );
    assert.deepEqual(out.summary.codes, { SIGNATURE_INVALID: 1 });
    // The same lines as several positionals: reports in argument order.
    const many = await runCli([
      "forensic",
      "verify",
      VALID,
      file,
      "--key",
      KEY_A,
      ...NOW,
      "--json",
    ]);
    assert.equal(JSON.parse(many.stdout).reports.length, 4);
    assert.equal(JSON.parse(many.stdout).reports[0].file, VALID);
  });
});

Deno.test("forensic verify: could-not-run errors exit 2 with one line on stderr", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.json`, '{"keys":[');
    await Deno.writeTextFile(`${dir}/invalid.json`, '{"keys":[],"treshold":2}');
    await Deno.writeTextFile(`${dir}/badpem.json`, '{"keys":[{"publicKey":"nope"}]}');
    await Deno.writeTextFile(
      `${dir}/bad.pem`,
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    );
    const cases: [string[], RegExp][] = [
      [["--frobnicate"], /^stella: Unknown flag --frobnicate\n$/],
      [[], /^stella: Missing the envelope file/],
      [
        [`${dir}/missing.dsse.json`, "--key", KEY_A],
        /^stella: Cannot read ".*missing\.dsse\.json": no such file or directory/,
      ],
      [[VALID], /^stella: Name at least one trusted key/],
      [[VALID, "--key", `${dir}/missing.pem`], /^stella: Cannot read ".*missing\.pem"/],
      [[VALID, "--key", `${dir}/bad.pem`], /^stella: Cannot import key ".*bad\.pem"/],
      [[VALID, "--trust", `${dir}/missing.json`], /^stella: Cannot read ".*missing\.json"/],
      [[VALID, "--trust", `${dir}/bad.json`], /^stella: Cannot load trust policy ".*bad\.json"/],
      [
        [VALID, "--trust", `${dir}/invalid.json`],
        /^stella: Cannot load trust policy ".*invalid\.json"/,
      ],
      [[VALID, "--trust", `${dir}/badpem.json`], /^stella: Cannot load trust policy .*\/keys\/0/],
      [[VALID, "--trust", dir], /^stella: Cannot /],
      [[VALID, "--key", KEY_A, "--now", "yesterday"], /^stella: Cannot parse --now "yesterday"/],
      [
        [VALID, "--key", KEY_A, "--signed-at", "2026-02-30T00:00:00Z"],
        /^stella: Cannot parse --signed-at/,
      ],
      [[VALID, "--key", KEY_A, "--not-after", "x"], /^stella: Cannot parse --not-after/],
      [[VALID, "--key", KEY_A, "--skew", "5 minutes"], /^stella: Cannot parse --skew "5 minutes"/],
      [[VALID, "--key", KEY_A, "--skew=-5m"], /^stella: Cannot parse --skew "-5m"/],
      [[VALID, "--key"], /^stella: Missing value for --key\n$/],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCli(["forensic", "verify", ...args]);
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stdout, "", args.join(" "));
      assert.match(result.stderr, stderr, args.join(" "));
      assert.equal(result.stderr.split("\n").length, 2, `one line: ${result.stderr}`);
    }
  });
});

Deno.test("forensic verify: the positive fixtures (orchestrator, job, export, promotion) verify", async () => {
  const keys = ["ed25519", "ecdsa-p256", "rsa-3072"].flatMap((k) => [
    "--key",
    `${ROOT}/fixtures/keys/test-only-${k}.pub.pem`,
  ]);
  const dir = `${ROOT}/fixtures/envelopes`;
  const result = await runCli(["forensic", "verify", dir, ...keys, ...NOW, "--json"]);
  assert.equal(result.status, 0, result.stdout);
  const out = JSON.parse(result.stdout);
  const files = out.reports.map((r: { file: string }) => r.file.slice(dir.length + 1));
  for (const name of ["orchestrator", "job", "export", "promotion"]) {
    assert.ok(files.includes(`${name}.dsse.json`), name);
  }
  assert.equal(out.summary.failed, 0);
  assert.equal(out.verified, true);
});

Deno.test("forensic verify --help documents the contract and exits 0", async () => {
  const result = await runCli(["forensic", "verify", "--help"]);
  assert.equal(result.status, 0);
  for (
    const flag of ["--key", "--trust", "--signed-at", "--not-after", "--skew", "--now", "--json"]
  ) {
    assert.ok(result.stdout.includes(flag), flag);
  }
  assert.match(result.stdout, /Exit status: 0 verified; 1 .*; 2 could not run/s);
});

Deno.test("forensic verify runs with read permission only (no --allow-write/--allow-env/--allow-net)", async () => {
  const key = "fixtures/negative/keys/test-only-ed25519-a.pub.pem";
  const good = await spawnReadOnly([
    "forensic",
    "verify",
    "fixtures/negative/valid.ed25519.dsse.json",
    "--key",
    key,
    ...NOW,
  ]);
  assert.equal(good.status, 0, good.stderr);
  assert.ok(
    new TextDecoder().decode(good.stdout).startsWith(
      "VERIFIED fixtures/negative/valid.ed25519.dsse.json\n",
    ),
  );
  const dir = await spawnReadOnly([
    "forensic",
    "verify",
    "fixtures/negative",
    "--key",
    key,
    ...NOW,
    "--json",
  ]);
  assert.equal(dir.status, 1, dir.stderr);
  assert.equal(dir.stderr, "");
  assert.ok(JSON.parse(new TextDecoder().decode(dir.stdout)).summary.total > 40);
  const missing = await spawnReadOnly(["forensic", "verify", "no/such.dsse.json", "--key", key]);
  assert.equal(missing.status, 2);
  assert.equal(
    missing.stderr,
    'stella: Cannot read "no/such.dsse.json": no such file or directory\n',
  );
});

Deno.test("forensic verify --json is byte-identical across TZ/LANG and equals tests/golden/forensic_verify_promotion.json", async () => {
  const utc = await spawnReadOnly(GOLDEN_ARGS, { TZ: "UTC", LANG: "C", LC_ALL: "C" });
  const kolkata = await spawnReadOnly(GOLDEN_ARGS, {
    TZ: "Asia/Kolkata",
    LANG: "de_DE.UTF-8",
    LC_ALL: "de_DE.UTF-8",
  });
  assert.equal(utc.status, 0, utc.stderr);
  assert.equal(kolkata.status, 0, kolkata.stderr);
  assert.deepEqual(kolkata.stdout, utc.stdout);
  assert.deepEqual(utc.stdout, await Deno.readFile(GOLDEN));
  // The same run in-process (absolute paths; a verified report names no file) prints the same.
  const inProcess = await runCli(
    GOLDEN_ARGS.map((a) => a.startsWith("fixtures/") ? `${ROOT}/${a}` : a),
  );
  assert.deepEqual(new TextEncoder().encode(inProcess.stdout), utc.stdout);
});

Deno.test("forensic verify --key takes a public key as PEM, DER or JWK (as trust init does); an HMAC secret is exit 2 naming the file", async () => {
  await withTempDir(async (dir) => {
    const pem = await Deno.readTextFile(KEY_A);
    const der = Uint8Array.fromBase64(pem.replace(/-----[^-]+-----|\s/g, ""));
    await Deno.writeFile(`${dir}/a.pub.der`, der);
    // The same key as a JWK (Ed25519: the last 32 bytes of the SPKI are the public key).
    const jwk = {
      kty: "OKP",
      crv: "Ed25519",
      x: der.subarray(der.length - 32).toBase64({ alphabet: "base64url", omitPadding: true }),
    };
    await Deno.writeTextFile(`${dir}/a.pub.jwk`, JSON.stringify(jwk));
    const expected = await runCli(["forensic", "verify", VALID, "--key", KEY_A, ...NOW, "--json"]);
    assert.equal(expected.status, 0);
    for (const key of [`${dir}/a.pub.der`, `${dir}/a.pub.jwk`]) {
      const result = await runCli(["forensic", "verify", VALID, "--key", key, ...NOW, "--json"]);
      assert.equal(result.status, 0, `${key}: ${result.stderr}`);
      // Same verdict and key id; only the key's name (its file) differs.
      const report = JSON.parse(result.stdout);
      assert.deepEqual(report.keyids, JSON.parse(expected.stdout).keyids);
    }
    const secret = new Uint8Array(32).map((_, i) => (i * 37 + 200) & 0xff);
    await Deno.writeFile(`${dir}/hmac.key`, secret);
    const hmac = await runCli(["forensic", "verify", VALID, "--key", `${dir}/hmac.key`, ...NOW]);
    assert.equal(hmac.status, 2);
    assert.match(
      hmac.stderr,
      /^stella: Cannot trust ".*hmac\.key": it is not a public key in PEM, DER or JWK/,
    );
    // An HMAC secret as a JWK ("oct") is no public key either.
    await Deno.writeTextFile(
      `${dir}/hmac.jwk`,
      JSON.stringify({
        kty: "oct",
        k: secret.toBase64({ alphabet: "base64url", omitPadding: true }),
      }),
    );
    const oct = await runCli(["forensic", "verify", VALID, "--key", `${dir}/hmac.jwk`, ...NOW]);
    assert.equal(oct.status, 2);
    assert.match(oct.stderr, /^stella: Cannot trust ".*hmac\.jwk": it is not a public key/);
    const kit = await runCli(["kit", "verify", dir, "--key", `${dir}/hmac.key`]);
    assert.equal(kit.status, 2);
    assert.match(kit.stderr, /^stella: Cannot trust ".*hmac\.key": it is not a public key/);
  });
});
