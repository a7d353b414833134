/**
 * Reading a large JSON Lines file as a stream (issue 15): `FsFile.readable` (a fresh 64 KiB
 * buffer per read) against `readChunks` (`cli/_read_ahead.ts`, two buffers used in turn) at
 * 64 KiB, the size the CLI uses, and 1 MiB.
 *
 * `deno bench --cached-only --allow-read --allow-write bench/read_chunks_bench.ts`
 *
 * The file (48 MiB of 2.5 KB lines, about the 20,000-envelope corpus) is written to a temporary
 * directory first and removed at the end. Each iteration reads it whole and checks its length.
 */

import { readChunks } from "../cli/_read_ahead.ts";

const dir = await Deno.makeTempDir();
const path = `${dir}/lines.jsonl`;
const line = new TextEncoder().encode(`{"payload":"${"A".repeat(2500)}"}\n`);
const lines = Math.floor((48 * 1024 * 1024) / line.length);
const file = new Uint8Array(lines * line.length);
for (let i = 0; i < lines; i++) file.set(line, i * line.length);
await Deno.writeFile(path, file);
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

async function total(stream: ReadableStream<Uint8Array>): Promise<void> {
  let n = 0;
  for await (const chunk of stream) n += chunk.length;
  if (n !== file.length) throw new Error(`read ${n} bytes, expected ${file.length}`);
}

Deno.bench(
  "FsFile.readable (fresh 64 KiB buffers)",
  { group: "read", baseline: true },
  async () => {
    await total((await Deno.open(path)).readable);
  },
);

Deno.bench("readChunks, 64 KiB buffers used in turn", { group: "read" }, async () => {
  await total(readChunks(await Deno.open(path), 64 * 1024));
});

Deno.bench("readChunks, 1 MiB buffers used in turn", { group: "read" }, async () => {
  await total(readChunks(await Deno.open(path), 1024 * 1024));
});
