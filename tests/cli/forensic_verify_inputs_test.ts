/**
 * Issue 13 items 5, 6 and 7 through `stella forensic verify`: nothing verified is not success
 * (`NO_INPUT`, `--allow-empty`), the statement is bound to what the operator holds (`--artifact`,
 * `--artifact-digest`, `--image`, `--subject-name`, `--predicate-type`), and hostile input is
 * bounded (`TOO_MANY_SIGNATURES`, `.jsonl` lines, streamed artifacts).
 */

import assert from "node:assert/strict";
import { canonicalize } from "../../lib/encoding/canonical_json.ts";
import { encodeHex, encodeUtf8 } from "../../lib/encoding/bytes.ts";
import { digestBytes } from "../../lib/digest/digest.ts";
import { denoIo, type Io } from "../../cli/_io.ts";
import { run } from "../../cli/main.ts";
import { envelopeSource } from "../../cli/_envelope_source.ts";
import { ROOT, runCli, withTempDir } from "./_io.ts";

const NEG = `${ROOT}/fixtures/negative`;
const KEY_A = `${NEG}/keys/test-only-ed25519-a.pub.pem`;
const VALID = `${NEG}/valid.ed25519.dsse.json`;
const VALID_P256 = `${NEG}/valid.ecdsa-p256-der.dsse.json`;
const KEYS = ["--key", KEY_A, "--key", `${NEG}/keys/test-only-ecdsa-p256.pub.pem`];
const NOW = ["--now", "2026-03-01T12:00:00Z"];
/** The subject of the negative fixtures' promotion statement. */
const SUBJECT_NAME = "registry.stella-ops.local/payments-api";
const SUBJECT_TEXT = "registry.stella-ops.local/payments-api:2.3.0";
const SUBJECT_SHA256 = encodeHex(digestBytes("sha256", encodeUtf8(SUBJECT_TEXT)));
const ZERO = "0".repeat(64);
const EMPTY_SUMMARY = { codes: {}, failed: 0, total: 0, verified: 0 };

function verify(args: string[]) {
  return runCli(["forensic", "verify", ...args, ...NOW]);
}

// ---- Item 5: nothing verified is not success ---------------------------------------------------

Deno.test("forensic verify: an empty directory, empty or blank .jsonl, or no input exits 1 NO_INPUT", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/empty`);
    await Deno.mkdir(`${dir}/dots`);
    await Deno.writeTextFile(`${dir}/dots/.hidden.dsse.json`, await Deno.readTextFile(VALID));
    await Deno.writeTextFile(`${dir}/empty.jsonl`, "");
    await Deno.writeTextFile(`${dir}/blank.jsonl`, "\n  \t\r\n\n");
    const inputs = [
      [`${dir}/empty`],
      [`${dir}/dots`],
      [`${dir}/empty.jsonl`],
      [`${dir}/blank.jsonl`],
      [`${dir}/empty`, `${dir}/blank.jsonl`],
      [],
    ];
    for (const paths of inputs) {
      const json = await verify([...paths, "--key", KEY_A, "--json"]);
      assert.equal(json.status, 1, `${paths.join(" ")}: ${json.stderr}`);
      assert.equal(json.stderr, "");
      assert.equal(
        json.stdout,
        canonicalize({ code: "NO_INPUT", reports: [], summary: EMPTY_SUMMARY, verified: false }) +
          "\n",
      );
      const human = await verify([...paths, "--key", KEY_A]);
      assert.equal(human.status, 1);
      assert.equal(
        human.stdout,
        "FAILED: NO_INPUT nothing to verify\n0 verified, 0 failed, 0 total\n",
      );
      // --allow-empty: the operator says an empty input is fine.
      const allowed = await verify([...paths, "--key", KEY_A, "--allow-empty", "--json"]);
      assert.equal(allowed.status, 0, allowed.stderr);
      assert.equal(
        allowed.stdout,
        canonicalize({ reports: [], summary: EMPTY_SUMMARY, verified: true }) + "\n",
      );
      const allowedHuman = await verify([...paths, "--key", KEY_A, "--allow-empty"]);
      assert.equal(allowedHuman.status, 0);
      assert.equal(allowedHuman.stdout, "0 verified, 0 failed, 0 total\n");
    }
    // Without a key and without input it is still a usage error (exit 2).
    const usage = await runCli(["forensic", "verify"]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^stella: Missing the envelope file/);
  });
});

Deno.test("forensic verify: evidence flags (one by one) also report NO_INPUT for an empty input", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/empty.jsonl`, "");
    const root = `sha256:${"a".repeat(64)}`;
    const json = await verify([
      `${dir}/empty.jsonl`,
      "--key",
      KEY_A,
      "--merkle-root",
      root,
      "--json",
    ]);
    assert.equal(json.status, 1, json.stderr);
    assert.equal(JSON.parse(json.stdout).code, "NO_INPUT");
    const allowed = await verify([
      `${dir}/empty.jsonl`,
      "--key",
      KEY_A,
      "--merkle-root",
      root,
      "--allow-empty",
    ]);
    assert.equal(allowed.status, 0, allowed.stderr);
  });
});

// ---- Item 6: subject and predicate binding -----------------------------------------------------

Deno.test("forensic verify: without subject flags the report says the subject was not checked", async () => {
  const human = await verify([VALID, "--key", KEY_A]);
  assert.equal(human.status, 0, human.stderr);
  assert.match(
    human.stdout,
    /^ {2}subject not checked \(no --artifact, --artifact-digest, --image or --subject-name\)$/m,
  );
  const json = await verify([VALID, "--key", KEY_A, "--json"]);
  assert.equal(JSON.parse(json.stdout).subjectChecked, false);
  const bound = await verify([VALID, "--key", KEY_A, "--subject-name", SUBJECT_NAME]);
  assert.equal(bound.status, 0);
  assert.doesNotMatch(bound.stdout, /subject not checked/);
  const boundJson = await verify([VALID, "--key", KEY_A, "--subject-name", SUBJECT_NAME, "--json"]);
  assert.equal(JSON.parse(boundJson.stdout).subjectChecked, true);
});

Deno.test("forensic verify: --artifact, --artifact-digest, --image, --subject-name bind the subject (exit 0/1)", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/image.ref`, SUBJECT_TEXT);
    await Deno.writeTextFile(`${dir}/other.bin`, "something else");
    const cases: [string[], number, string | null][] = [
      [["--artifact", `${dir}/image.ref`], 0, null],
      [["--artifact", `${dir}/other.bin`], 1, "SUBJECT_MISMATCH"],
      [["--artifact-digest", `sha256:${SUBJECT_SHA256}`], 0, null],
      [["--artifact-digest", `sha256:${ZERO}`], 1, "SUBJECT_MISMATCH"],
      [
        [
          "--artifact-digest",
          `sha256:${SUBJECT_SHA256}`,
          "--artifact-digest",
          `sha256:${ZERO}`,
        ],
        1,
        "SUBJECT_MISMATCH",
      ],
      [["--image", `${SUBJECT_NAME}@sha256:${SUBJECT_SHA256}`], 0, null],
      [["--image", `${SUBJECT_NAME}@sha256:${ZERO}`], 1, "SUBJECT_MISMATCH"],
      [
        ["--image", `registry.stella-ops.local/other@sha256:${SUBJECT_SHA256}`],
        1,
        "SUBJECT_MISMATCH",
      ],
      [["--subject-name", SUBJECT_NAME], 0, null],
      [["--subject-name", "other"], 1, "SUBJECT_MISMATCH"],
      [["--subject-name", SUBJECT_NAME, "--artifact", `${dir}/image.ref`], 0, null],
      [["--subject-name", "other", "--artifact", `${dir}/image.ref`], 1, "SUBJECT_MISMATCH"],
      [["--predicate-type", "stella.ops/promotion@v1"], 0, null],
      [["--predicate-type", "https://slsa.dev/provenance/v1"], 1, "PREDICATE_TYPE_NOT_ALLOWED"],
      [
        [
          "--predicate-type",
          "https://slsa.dev/provenance/v1",
          "--predicate-type",
          "stella.ops/promotion@v1",
        ],
        0,
        null,
      ],
    ];
    for (const [flags, status, code] of cases) {
      const result = await verify([VALID, "--key", KEY_A, ...flags, "--json"]);
      assert.equal(result.status, status, `${flags.join(" ")}: ${result.stderr}`);
      const report = JSON.parse(result.stdout);
      assert.equal(report.code ?? null, code, flags.join(" "));
      const human = await verify([VALID, "--key", KEY_A, ...flags]);
      assert.equal(human.status, status);
      if (code !== null) {
        assert.match(human.stdout, new RegExp(`^FAILED [^:]+: ${code} Reject `, "m"));
      }
    }
  });
});

Deno.test("forensic verify: batch mode applies the subject flags to every envelope", async () => {
  await withTempDir(async (dir) => {
    const good = (await Deno.readTextFile(VALID)).trim();
    await Deno.writeTextFile(
      `${dir}/all.jsonl`,
      `${good}\n${(await Deno.readTextFile(VALID_P256)).trim()}\n`,
    );
    await Deno.mkdir(`${dir}/d`);
    await Deno.copyFile(VALID, `${dir}/d/a.dsse.json`);
    await Deno.copyFile(VALID_P256, `${dir}/d/b.dsse.json`);
    for (const input of [`${dir}/all.jsonl`, `${dir}/d`]) {
      const bad = await verify([input, ...KEYS, "--artifact-digest", `sha256:${ZERO}`, "--json"]);
      assert.equal(bad.status, 1, bad.stderr);
      const out = JSON.parse(bad.stdout);
      assert.deepEqual(out.summary, {
        codes: { SUBJECT_MISMATCH: 2 },
        failed: 2,
        total: 2,
        verified: 0,
      });
      const ok = await verify([
        input,
        ...KEYS,
        "--image",
        `${SUBJECT_NAME}@sha256:${SUBJECT_SHA256}`,
        "--json",
      ]);
      assert.equal(ok.status, 0, ok.stdout);
      assert.deepEqual(
        JSON.parse(ok.stdout).reports.map((r: { subjectChecked: boolean }) => r.subjectChecked),
        [true, true],
      );
      // The one-by-one path (evidence flags) applies them too.
      const root = `sha256:${"a".repeat(64)}`;
      const merkle = await verify([
        input,
        ...KEYS,
        "--merkle-root",
        root,
        "--subject-name",
        "x",
        "--json",
      ]);
      assert.deepEqual(
        JSON.parse(merkle.stdout).reports.map((r: { checks: { id: string; code?: string }[] }) =>
          r.checks.filter((c) => c.code !== undefined).map((c) => `${c.id}:${c.code}`)
        ),
        [
          ["statement.subject:SUBJECT_MISMATCH", "merkle.root:MERKLE_ROOT_MISMATCH"],
          ["statement.subject:SUBJECT_MISMATCH", "merkle.root:MERKLE_ROOT_MISMATCH"],
        ],
      );
    }
  });
});

Deno.test("forensic verify: malformed subject flags and a missing --artifact exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--artifact", "/nonexistent/artifact.bin"],
      /^stella: Cannot open "\/nonexistent\/artifact\.bin"/,
    ],
    [["--artifact-digest", "sha1:abcd"], /^stella: Cannot parse --artifact-digest "sha1:abcd"/],
    [["--artifact-digest", `sha256:${"A".repeat(64)}`], /^stella: Cannot parse --artifact-digest/],
    [["--image", SUBJECT_NAME], /^stella: Cannot parse --image ".*": use NAME@sha256:<64 hex>/],
    [["--image", `${SUBJECT_NAME}@sha512:${"0".repeat(128)}`], /^stella: Cannot parse --image/],
    [["--subject-name", ""], /^stella: Cannot parse --subject-name "": give a subject name/],
    [
      ["--predicate-type", ""],
      /^stella: Cannot parse --predicate-type "": give a predicate type URI/,
    ],
    [["--max-signatures", "0"], /^stella: Cannot parse --max-signatures "0"/],
  ];
  for (const [flags, stderr] of cases) {
    const result = await verify([VALID, "--key", KEY_A, ...flags]);
    assert.equal(result.status, 2, `${flags.join(" ")}: ${result.stdout}`);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, stderr, flags.join(" "));
  }
});

/** Runs the CLI with an Io that records every whole-file read. */
async function runRecording(args: string[]) {
  const reads: { path: string; maxBytes: number | undefined }[] = [];
  const opened: string[] = [];
  let stdout = "";
  const real = denoIo();
  const io: Io = {
    ...real,
    stdout: (text) => void (stdout += text),
    stderr: () => {},
    color: false,
    stderrIsTerminal: false,
    readFile(path, options) {
      reads.push({ path, maxBytes: options?.maxBytes });
      return real.readFile(path, options);
    },
    openFile(path) {
      opened.push(path);
      return real.openFile(path);
    },
  };
  const status = await run(args, io);
  return { status, stdout, reads, opened };
}

Deno.test("forensic verify --artifact is hashed as a stream, never read whole", async () => {
  await withTempDir(async (dir) => {
    const artifact = `${dir}/image.ref`;
    await Deno.writeTextFile(artifact, SUBJECT_TEXT);
    const result = await runRecording([
      "forensic",
      "verify",
      VALID,
      "--key",
      KEY_A,
      "--artifact",
      artifact,
      ...NOW,
      "--json",
    ]);
    assert.equal(result.status, 0, result.stdout);
    assert.deepEqual(result.opened, [artifact]);
    assert.deepEqual(result.reads.filter((r) => r.path === artifact), []);
  });
});

// ---- Item 7: bounded work on hostile input -----------------------------------------------------

Deno.test("forensic verify: more than 64 signatures is TOO_MANY_SIGNATURES (exit 1); --max-signatures", async () => {
  const envelope = JSON.parse(await Deno.readTextFile(VALID));
  const many = {
    ...envelope,
    signatures: Array.from({ length: 65 }, () => envelope.signatures[0]),
  };
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/many.dsse.json`, JSON.stringify(many));
    const result = await verify([`${dir}/many.dsse.json`, "--key", KEY_A, "--json"]);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(JSON.parse(result.stdout).code, "TOO_MANY_SIGNATURES");
    const raised = await verify([
      `${dir}/many.dsse.json`,
      "--key",
      KEY_A,
      "--max-signatures",
      "65",
      "--json",
    ]);
    assert.equal(raised.status, 0, raised.stdout);
    // In a batch the bound holds for every line.
    await Deno.writeTextFile(
      `${dir}/many.jsonl`,
      `${JSON.stringify(many)}\n${JSON.stringify(envelope)}\n`,
    );
    const lines = await verify([`${dir}/many.jsonl`, "--key", KEY_A, "--json"]);
    assert.deepEqual(
      JSON.parse(lines.stdout).reports.map((r: { code?: string }) => r.code ?? null),
      ["TOO_MANY_SIGNATURES", null],
    );
  });
});

Deno.test("envelopeSource(): a .jsonl line is bounded like a file (kept to maxBytes + 1, the rest skipped)", async () => {
  await withTempDir(async (dir) => {
    const long = "y".repeat(5 * 1024 * 1024);
    await Deno.writeTextFile(`${dir}/long.jsonl`, `{}\n${long}\n{"a":1}\n${long}`);
    const got: [string, number][] = [];
    for await (const a of await envelopeSource(denoIo(), [`${dir}/long.jsonl`], 1000)) {
      got.push([a.name, a.bytes.length]);
    }
    assert.deepEqual(got, [
      [`${dir}/long.jsonl:1`, 2],
      [`${dir}/long.jsonl:2`, 1001],
      [`${dir}/long.jsonl:3`, 7],
      [`${dir}/long.jsonl:4`, 1001],
    ]);
    // An oversized line of blanks is not a blank line: it is reported (as malformed), not skipped.
    await Deno.writeTextFile(`${dir}/blank.jsonl`, `${" ".repeat(5000)}\n\n{}`);
    const blanks: [string, number][] = [];
    for await (const a of await envelopeSource(denoIo(), [`${dir}/blank.jsonl`], 1000)) {
      blanks.push([a.name, a.bytes.length]);
    }
    assert.deepEqual(blanks, [[`${dir}/blank.jsonl:1`, 1001], [`${dir}/blank.jsonl:3`, 2]]);
  });
});
