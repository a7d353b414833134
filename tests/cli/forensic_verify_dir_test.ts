/**
 * Issue 15 items 1 and 2 through `stella forensic verify DIR`: files of any size are read at the
 * cost of their size and bounded (a file past the envelope limit is a rejection with a code, not
 * a crash), reports keep the name order whichever thread read the files, a directory gives the
 * same reports as the same envelopes in one JSON Lines file, and the output goes out in a few
 * large writes with the same bytes.
 */

import assert from "node:assert/strict";
import { canonicalize } from "../../lib/encoding/canonical_json.ts";
import { DEFAULT_ENVELOPE_MAX_BYTES } from "../../lib/model/dsse.ts";
import { denoIo, type Io } from "../../cli/_io.ts";
import { READ_AHEAD_MIN_FILES } from "../../cli/_read_ahead.ts";
import { run } from "../../cli/main.ts";
import { ROOT, runCli, withTempDir } from "./_io.ts";

const NEG = `${ROOT}/fixtures/negative`;
const KEY_A = `${NEG}/keys/test-only-ed25519-a.pub.pem`;
const NOW = ["--now", "2026-03-01T12:00:00Z"];
const VALID = (await Deno.readTextFile(`${NEG}/valid.ed25519.dsse.json`)).trim();
const TAMPERED = (await Deno.readTextFile(`${NEG}/tampered-payload.dsse.json`)).trim();

interface Row {
  file: string;
  verified: boolean;
  code?: string;
  checks: { id: string; code?: string; message?: string }[];
}

async function verifyJson(args: string[]): Promise<{ status: number; reports: Row[] }> {
  const result = await runCli(["forensic", "verify", ...args, "--key", KEY_A, ...NOW, "--json"]);
  return { status: result.status, reports: JSON.parse(result.stdout).reports };
}

Deno.test("forensic verify DIR: files of many sizes in name order; one past the limit is ENVELOPE_MALFORMED", async () => {
  await withTempDir(async (dir) => {
    const pad = (n: number) => " ".repeat(n);
    await Deno.writeTextFile(`${dir}/a.dsse.json`, VALID);
    await Deno.writeTextFile(`${dir}/b.dsse.json`, VALID + pad(200_000)); // larger, still valid
    await Deno.writeTextFile(`${dir}/c.dsse.json`, "");
    // Past the 32 MiB limit: read only as far as limit + 1 bytes, then rejected with a code.
    await Deno.writeTextFile(`${dir}/d.dsse.json`, VALID + pad(DEFAULT_ENVELOPE_MAX_BYTES));
    await Deno.writeTextFile(`${dir}/e.dsse.json`, TAMPERED);
    await Deno.writeTextFile(
      `${dir}/f.dsse.json`,
      VALID + pad(DEFAULT_ENVELOPE_MAX_BYTES - VALID.length),
    );
    const { status, reports } = await verifyJson([dir]);
    assert.equal(status, 1);
    assert.deepEqual(
      reports.map((r) => [r.file.slice(dir.length + 1), r.verified, r.code ?? null]),
      [
        ["a.dsse.json", true, null],
        ["b.dsse.json", true, null],
        ["c.dsse.json", false, "ENVELOPE_MALFORMED"],
        ["d.dsse.json", false, "ENVELOPE_MALFORMED"],
        ["e.dsse.json", false, "SIGNATURE_INVALID"],
        ["f.dsse.json", true, null], // exactly at the limit
      ],
    );
    assert.match(
      reports[3]!.checks[0]!.message!,
      new RegExp(`larger than the limit of ${DEFAULT_ENVELOPE_MAX_BYTES} bytes`),
    );
  });
});

Deno.test("forensic verify DIR read ahead by a worker: the reports, in order, of the same envelopes as JSON Lines", async () => {
  await withTempDir(async (dir) => {
    const count = READ_AHEAD_MIN_FILES + 172;
    const lines: string[] = [];
    await Deno.mkdir(`${dir}/envelopes`);
    for (let i = 0; i < count; i++) {
      // Every third envelope is tampered, and sizes vary (trailing blanks).
      const text = (i % 3 === 2 ? TAMPERED : VALID) + " ".repeat(i * 37);
      lines.push(text);
      await Deno.writeTextFile(`${dir}/envelopes/${String(i).padStart(4, "0")}.dsse.json`, text);
    }
    await Deno.writeTextFile(`${dir}/all.jsonl`, lines.join("\n") + "\n");
    const fromDir = await verifyJson([`${dir}/envelopes`]);
    const fromLines = await verifyJson([`${dir}/all.jsonl`]);
    assert.equal(fromDir.status, 1);
    assert.equal(fromDir.reports.length, count);
    assert.deepEqual(
      fromDir.reports.map((r) => r.file),
      lines.map((_, i) => `${dir}/envelopes/${String(i).padStart(4, "0")}.dsse.json`),
    );
    // Equal reports, up to the name (which messages also quote).
    const strip = (rows: Row[]) =>
      rows.map(({ file, ...report }) => JSON.stringify(report).replaceAll(file, "NAME"));
    assert.deepEqual(strip(fromDir.reports), strip(fromLines.reports));
    assert.deepEqual(
      fromDir.reports.map((r) => r.code ?? null),
      lines.map((_, i) => (i % 3 === 2 ? "SIGNATURE_INVALID" : null)),
    );
  });
});

Deno.test("forensic verify DIR --json: one buffered writer, a few large writes, canonical bytes", async () => {
  await withTempDir(async (dir) => {
    for (let i = 0; i < 200; i++) {
      await Deno.writeTextFile(`${dir}/${String(i).padStart(3, "0")}.dsse.json`, VALID);
    }
    for (const json of [true, false]) {
      const writes: string[] = [];
      const io: Io = {
        ...denoIo(),
        stdout: (text) => void writes.push(text),
        stderr: () => {},
        stderrIsTerminal: false,
        color: false,
      };
      const args = ["forensic", "verify", dir, "--key", KEY_A, ...NOW];
      const status = await run(json ? [...args, "--json"] : args, io);
      assert.equal(status, 0);
      // Never one write per report: at most one per chunk of envelopes, plus the end.
      assert.ok(writes.length <= 12, `${writes.length} writes`);
      const out = writes.join("");
      if (json) {
        assert.equal(out, canonicalize(JSON.parse(out)) + "\n");
        assert.equal(JSON.parse(out).reports.length, 200);
      } else {
        assert.equal(out.match(/^VERIFIED /gm)?.length, 200);
        assert.ok(out.endsWith("200 verified, 0 failed, 200 total\n"));
      }
    }
  });
});
