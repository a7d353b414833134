/**
 * Issue 17 item 2 (Output) through `stella forensic verify`: a batch prints one line per input
 * and the summary, `--verbose` each input's details, `--quiet` the summary only; `--out FILE`
 * holds exactly what standard output would have, written atomically, and an interrupted run
 * leaves no `--out` file (nor a temporary one).
 */

import assert from "node:assert/strict";
import { formatReport, type VerificationReport } from "../../mod.ts";
import { formatSummary } from "../../lib/verify/mod.ts";
import { denoIo } from "../../cli/_io.ts";
import { envelopeSource } from "../../cli/_envelope_source.ts";
import { ROOT, runCli } from "./_io.ts";

const NEG = `${ROOT}/fixtures/negative`;
const KEY_A = `${NEG}/keys/test-only-ed25519-a.pub.pem`;
const NOW = ["--now", "2026-03-01T12:00:00Z"];
const VALID = await Deno.readFile(`${NEG}/valid.ed25519.dsse.json`);
const TAMPERED = await Deno.readFile(`${NEG}/tampered-payload.dsse.json`);
const TIMELINE = `${ROOT}/fixtures/timeline`;

/** A folder with a.dsse.json (valid), b.dsse.json (tampered), c.dsse.json (not JSON). */
async function withBatch(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/a.dsse.json`, VALID);
    await Deno.writeFile(`${dir}/b.dsse.json`, TAMPERED);
    await Deno.writeTextFile(`${dir}/c.dsse.json`, "{");
    await Deno.mkdir(`${dir}/out`);
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function verify(...args: string[]) {
  return runCli(["forensic", "verify", ...args, "--key", KEY_A, ...NOW]);
}

/** The first failed check's message of the report for `file` in a `--json` batch. */
function messageOf(reports: (VerificationReport & { file: string })[], file: string): string {
  return reports.find((r) => r.file === file)!.checks.find((c) => !c.ok)!.message!;
}

Deno.test("forensic verify DIR: one line per input (VERIFIED NAME / FAILED NAME: CODE message) and the summary", async () => {
  await withBatch(async (dir) => {
    const { reports } = JSON.parse((await verify(dir, "--json")).stdout);
    const text = await verify(dir);
    assert.equal(text.status, 1);
    assert.equal(text.stderr, "");
    assert.equal(
      text.stdout,
      `VERIFIED ${dir}/a.dsse.json\n` +
        `FAILED ${dir}/b.dsse.json: SIGNATURE_INVALID ${
          messageOf(reports, `${dir}/b.dsse.json`)
        }\n` +
        `FAILED ${dir}/c.dsse.json: ENVELOPE_MALFORMED ${
          messageOf(reports, `${dir}/c.dsse.json`)
        }\n` +
        "1 verified, 2 failed, 3 total (ENVELOPE_MALFORMED 1, SIGNATURE_INVALID 1)\n",
    );
  });
});

Deno.test("forensic verify DIR --verbose: each input's details (formatReport, verbose) and the summary", async () => {
  await withBatch(async (dir) => {
    const { reports, summary } = JSON.parse((await verify(dir, "--json")).stdout);
    const verbose = await verify(dir, "--verbose");
    assert.equal(verbose.status, 1);
    const expected = reports.map(({ file, ...report }: VerificationReport & { file: string }) =>
      formatReport(report, { name: file, verbose: true })
    ).join("") + formatSummary(summary);
    assert.equal(verbose.stdout, expected);
    assert.match(verbose.stdout, /^ {2}✓ envelope\.parse$/m);
    assert.match(verbose.stdout, /^ {2}predicate type: stella\.ops\/promotion@v1 \(unverified\)$/m);
  });
});

Deno.test("forensic verify --quiet: the summary only, for a batch and for one input", async () => {
  await withBatch(async (dir) => {
    const quiet = await verify(dir, "--quiet");
    assert.equal(quiet.status, 1);
    assert.equal(
      quiet.stdout,
      "1 verified, 2 failed, 3 total (ENVELOPE_MALFORMED 1, SIGNATURE_INVALID 1)\n",
    );
    const one = await verify(`${dir}/a.dsse.json`, "--quiet");
    assert.equal(one.status, 0);
    assert.equal(one.stdout, "1 verified, 0 failed, 1 total\n");
    const timeline = await runCli([
      "forensic",
      "verify",
      "--timeline",
      `${TIMELINE}/valid.jsonl`,
      "--trust",
      `${TIMELINE}/trust.json`,
      ...NOW,
      "--quiet",
    ]);
    assert.equal(timeline.status, 0, timeline.stderr);
    assert.equal(timeline.stdout, "1 verified, 0 failed, 1 total\n");
  });
});

Deno.test('forensic verify: --quiet with --verbose or --json, and --out "", cannot run (exit 2)', async () => {
  await withBatch(async (dir) => {
    for (
      const [flags, message] of [
        [["--quiet", "--verbose"], "stella: Use either --quiet or --verbose, not both\n"],
        [["--quiet", "--json"], "stella: --quiet applies to text output, not to --json\n"],
        [["--out", ""], 'stella: Cannot use --out "": give a file path\n'],
      ] as const
    ) {
      const result = await verify(dir, ...flags);
      assert.equal(result.status, 2, flags.join(" "));
      assert.equal(result.stdout, "");
      assert.equal(result.stderr, message);
    }
  });
});

Deno.test("forensic verify --out FILE: the bytes standard output would get, text and --json, replaced atomically", async () => {
  await withBatch(async (dir) => {
    const out = `${dir}/out/report.txt`;
    for (const extra of [[], ["--json"], ["--verbose"]]) {
      const printed = await verify(dir, ...extra);
      await Deno.writeTextFile(out, "old contents\n");
      const written = await verify(dir, ...extra, "--out", out);
      assert.equal(written.status, printed.status);
      assert.equal(written.stdout, "");
      assert.equal(written.stderr, "");
      assert.equal(await Deno.readTextFile(out), printed.stdout, extra.join(" "));
      assert.deepEqual([...Deno.readDirSync(`${dir}/out`)].map((e) => e.name), ["report.txt"]);
    }
    // One input, and the Sigstore-free timeline form, write the same way.
    const single = await verify(`${dir}/a.dsse.json`, "--json", "--out", out);
    assert.equal(single.status, 0);
    assert.equal(
      await Deno.readTextFile(out),
      (await verify(`${dir}/a.dsse.json`, "--json")).stdout,
    );
    const timelineArgs = [
      "forensic",
      "verify",
      "--timeline",
      `${TIMELINE}/valid.jsonl`,
      "--trust",
      `${TIMELINE}/trust.json`,
      ...NOW,
    ];
    const timeline = await runCli([...timelineArgs, "--out", out]);
    assert.equal(timeline.status, 0, timeline.stderr);
    assert.equal(timeline.stdout, "");
    assert.equal(await Deno.readTextFile(out), (await runCli(timelineArgs)).stdout);
    // A folder that does not exist: exit 2 naming the path.
    const missing = await verify(dir, "--out", `${dir}/nope/report.txt`);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^stella: Cannot write ".*\/nope\/report\.txt": /);
  });
});

/**
 * Runs `stella forensic verify DIR --out OUT ...` in a child process whose Io sends the process a
 * real SIGINT after the first file was read (and waits until it arrived): deterministic, no timing.
 */
async function runInterrupted(args: string[]): Promise<{ status: number; stderr: string }> {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    import { denoIo } from ${url("../../cli/_io.ts")};
    import { run } from ${url("../../cli/main.ts")};
    let received = 0;
    let wake = () => {};
    Deno.addSignalListener("SIGINT", () => { received++; wake(); });
    const base = denoIo();
    const io = {
      ...base,
      stderrIsTerminal: false,
      color: false,
      async *readFiles(paths, options) {
        let first = true;
        for await (const bytes of base.readFiles(paths, options)) {
          yield bytes;
          if (first) {
            first = false;
            Deno.kill(Deno.pid, "SIGINT");
            while (received < 1) await new Promise((r) => (wake = r));
          }
        }
      },
    };
    Deno.exit(await run(${JSON.stringify(args)}, io));
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "--allow-all", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const output = await child.output();
  assert.equal(new TextDecoder().decode(output.stdout), "");
  return { status: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

Deno.test("forensic verify --out FILE: an interrupted run (Ctrl-C) leaves FILE as it was, no partial file", async () => {
  await withBatch(async (dir) => {
    for (let i = 0; i < 5; i++) await Deno.writeFile(`${dir}/d${i}.dsse.json`, VALID);
    const out = `${dir}/out/report.json`;
    await Deno.writeTextFile(out, "previous run\n");
    for (const json of [[], ["--json"]]) {
      const args = ["forensic", "verify", dir, "--key", KEY_A, ...NOW, ...json, "--out", out];
      const { status, stderr } = await runInterrupted(args);
      assert.equal(status, 130, stderr);
      assert.match(
        stderr,
        /^stella: interrupted: \d+ inputs? checked .*the summary is partial\n$/,
      );
      assert.equal(await Deno.readTextFile(out), "previous run\n");
      assert.deepEqual([...Deno.readDirSync(`${dir}/out`)].map((e) => e.name), ["report.json"]);
      // Without the interrupt the same run writes the file.
      const done = await runCli(args);
      assert.equal(done.status, 1, done.stderr);
      assert.notEqual(await Deno.readTextFile(out), "previous run\n");
      await Deno.writeTextFile(out, "previous run\n");
    }
  });
});

Deno.test("forensic verify DIR on a terminal: the progress line counts done/total with rate and ETA; never with --json", async () => {
  await withBatch(async (dir) => {
    for (const json of [false, true]) {
      const args = ["forensic", "verify", dir, "--key", KEY_A, ...NOW];
      const { status, stdout, stderr } = await runCli(json ? [...args, "--json"] : args, {
        stderrIsTerminal: true,
      });
      assert.equal(status, 1);
      if (json) {
        assert.equal(stderr, "");
      } else {
        // The last redraw (always drawn) has the total the folder listing gave, then the erase.
        // deno-lint-ignore no-control-regex -- the terminal's erase sequence is what is checked
        assert.match(stderr, /\r\x1b\[K3\/3 envelopes \(100%\), 2 failed · [\d,]+\/s\r\x1b\[K$/);
        assert.ok(!stdout.includes("\r"), "progress goes to stderr only");
      }
    }
  });
});

Deno.test("envelopeSource().total: files and folders are counted; a .jsonl file makes the total unknown", async () => {
  await withBatch(async (dir) => {
    await Deno.writeTextFile(`${dir}/.hidden.dsse.json`, "{}");
    const io = denoIo();
    const total = async (paths: string[]) => (await envelopeSource(io, paths, 1024)).total;
    assert.equal(await total([dir]), 3);
    assert.equal(await total([dir, `${dir}/a.dsse.json`]), 4);
    await Deno.writeTextFile(`${dir}/d.jsonl`, "{}\n");
    assert.equal(await total([dir]), undefined);
    assert.equal(await total([`${dir}/a.dsse.json`]), 1);
    assert.equal(await total([`${dir}/d.jsonl`, `${dir}/a.dsse.json`]), undefined);
  });
});
