/**
 * Streaming SHA-256 of 1 GiB: `digestStream` against coreutils `sha256sum`.
 *
 * `deno bench --cached-only -A bench/digest_bench.ts`
 *
 * Group "sha256 of 1 GiB" (ratios against the `sha256sum` baseline are in the summary):
 * - `sha256sum` on a 1 GiB temporary file (a subprocess, as a user would run it);
 * - `digestStream` over `Deno.FsFile.readable` of the same file (what the CLI does);
 * - `digestStream` over a generated 1 GiB stream (1 MiB chunks, no disk: the hashing cost alone).
 *
 * The temporary file is written once before timing and deleted when the bench exits.
 */

import { digestStream } from "../lib/digest/mod.ts";

const MIB = 1024 * 1024;
const CHUNKS = 1024; // 1 GiB

const chunk = new Uint8Array(MIB);
for (let i = 0; i < chunk.length; i++) chunk[i] = Math.imul(i, 2654435761) >>> 24;

const path = await Deno.makeTempFile({ prefix: "stella-digest-bench-", suffix: ".bin" });
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(path);
  } catch {
    // Already gone.
  }
});
{
  using file = await Deno.open(path, { write: true, truncate: true });
  for (let i = 0; i < CHUNKS; i++) {
    chunk[0] = i & 0xff; // vary the content a little
    let written = 0;
    while (written < MIB) written += await file.write(chunk.subarray(written));
  }
}
chunk[0] = 0;

function generated(): ReadableStream<Uint8Array> {
  let produced = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced === CHUNKS) controller.close();
      else {
        produced++;
        controller.enqueue(chunk);
      }
    },
  });
}

// Both tools must agree before anything is timed.
const sha256sumOutput = async (): Promise<string> => {
  const { success, stdout } = await new Deno.Command("sha256sum", { args: [path], stdout: "piped" })
    .output();
  if (!success) throw new Error("sha256sum failed");
  return new TextDecoder().decode(stdout).slice(0, 64);
};
const fileDigest = async (): Promise<string> => {
  using file = await Deno.open(path);
  return (await digestStream("sha256", file.readable)).toHex();
};
if (await sha256sumOutput() !== await fileDigest()) throw new Error("digests differ");

Deno.bench({
  group: "sha256 of 1 GiB",
  name: "sha256sum (coreutils, subprocess)",
  baseline: true,
  n: 3,
  warmup: 1,
  fn: async () => void await sha256sumOutput(),
});
Deno.bench({
  group: "sha256 of 1 GiB",
  name: "digestStream(file.readable)",
  n: 3,
  warmup: 1,
  fn: async () => void await fileDigest(),
});
Deno.bench({
  group: "sha256 of 1 GiB",
  name: "digestStream(generated stream, 1 MiB chunks)",
  n: 3,
  warmup: 1,
  fn: async () => void await digestStream("sha256", generated()),
});
