import assert from "node:assert/strict";
import { denoIo } from "../../cli/_io.ts";
import { envelopeSource } from "../../cli/_envelope_source.ts";
import { runCli } from "./_io.ts";

const NEG = new URL("../../fixtures/negative/", import.meta.url).pathname;

async function collect(paths: string[], maxBytes = 1 << 20) {
  const out: { name: string; text: string }[] = [];
  for await (const a of await envelopeSource(denoIo(), paths, maxBytes)) {
    out.push({ name: a.name, text: new TextDecoder().decode(a.bytes) });
  }
  return out;
}

Deno.test("envelopeSource() yields the artifacts, names and order of forensic verify", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = await Deno.readTextFile(`${NEG}valid.ed25519.dsse.json`);
    const bad = await Deno.readTextFile(`${NEG}tampered-payload.dsse.json`);
    await Deno.writeTextFile(`${dir}/b.dsse.json`, good);
    await Deno.writeTextFile(`${dir}/.hidden.dsse.json`, good);
    await Deno.mkdir(`${dir}/sub`);
    // Blank lines count for numbering; the last line has no newline; \r stays in the bytes.
    const lines = `${good.trim()}\n\n  \t\r\n${bad.trim()}\r\n${good.trim()}`;
    await Deno.writeTextFile(`${dir}/a.jsonl`, lines);
    const got = await collect([dir, `${dir}/b.dsse.json`]);
    assert.deepEqual(got.map((a) => a.name), [
      `${dir}/a.jsonl:1`,
      `${dir}/a.jsonl:4`,
      `${dir}/a.jsonl:5`,
      `${dir}/b.dsse.json`,
      `${dir}/b.dsse.json`,
    ]);
    assert.equal(got[1]!.text, `${bad.trim()}\r`);
    assert.equal(got[2]!.text, good.trim());
    assert.equal(got[3]!.text, good);
    // The sequential command reads the same artifacts under the same names.
    const cli = await runCli([
      "forensic",
      "verify",
      dir,
      `${dir}/b.dsse.json`,
      "--key",
      `${NEG}keys/test-only-ed25519-a.pub.pem`,
      "--now",
      "2026-03-01T12:00:00Z",
      "--json",
    ]);
    const files = JSON.parse(cli.stdout).reports.map((r: { file: string }) => r.file);
    assert.deepEqual(files, got.map((a) => a.name));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("envelopeSource(): a 3 MiB line spanning many reads is one artifact; oversized files are cut", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const long = "x".repeat(3 * 1024 * 1024);
    await Deno.writeTextFile(`${dir}/big.jsonl`, `{}\n${long}\n{"a":1}\n`);
    const got = await collect([`${dir}/big.jsonl`], 4 * 1024 * 1024);
    assert.deepEqual(got.map((a) => [a.name, a.text.length]), [
      [`${dir}/big.jsonl:1`, 2],
      [`${dir}/big.jsonl:2`, long.length],
      [`${dir}/big.jsonl:3`, 7],
    ]);
    await Deno.writeTextFile(`${dir}/big.json`, long);
    const cut = await collect([`${dir}/big.json`], 1000);
    assert.equal(cut[0]!.text.length, 1001);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("envelopeSource(): 60,000 distinct lines across many read buffers are each exact", async () => {
  // The JSON Lines reader reuses its read buffers: every line must be copied out before the
  // buffer is read into again, including lines that straddle two reads.
  const dir = await Deno.makeTempDir();
  try {
    const lines = Array.from(
      { length: 60_000 },
      (_, i) => `{"i":${i},"pad":"${"p".repeat(i % 131)}"}`,
    );
    await Deno.writeTextFile(`${dir}/many.jsonl`, lines.join("\n") + "\n");
    assert.ok((await Deno.stat(`${dir}/many.jsonl`)).size > 4 * 1024 * 1024);
    // Keep every artifact's bytes until the end, as verifyMany keeps the ones in flight.
    const kept = [];
    for await (const a of await envelopeSource(denoIo(), [`${dir}/many.jsonl`], 1 << 20)) {
      kept.push(a);
    }
    assert.equal(kept.length, lines.length);
    for (const [i, line] of lines.entries()) {
      assert.equal(kept[i]!.name, `${dir}/many.jsonl:${i + 1}`);
      assert.equal(new TextDecoder().decode(kept[i]!.bytes), line);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("envelopeSource() rejects a missing path before yielding anything", async () => {
  await assert.rejects(
    () => envelopeSource(denoIo(), [`${NEG}valid.ed25519.dsse.json`, "/nonexistent/x.json"], 10),
    { name: "CliError", message: 'Cannot read "/nonexistent/x.json": no such file or directory' },
  );
});
