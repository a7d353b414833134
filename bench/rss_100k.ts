/**
 * Peak memory of a 100,000-envelope batch verify (issue 8 target: peak RSS ≤ 256 MB): streams a
 * generated 100,000-line JSON Lines corpus through `verifyMany`, reports streamed to `onReport`
 * (counted, not kept), exactly as `stella forensic verify FILE.jsonl` does.
 *
 *   deno run --cached-only -A bench/rss_100k.ts --prepare        # once: writes the corpus
 *   /usr/bin/time -v deno run --cached-only -A bench/rss_100k.ts [--workers N]
 *   # read "Maximum resident set size (kbytes)"
 *
 * The corpus (`bench/results/tmp/corpus/mixed-100k.jsonl`, ~270 MB, gitignored) is the two
 * 10,000-envelope corpora of `bench/_corpus.ts` (Ed25519 and ECDSA P-256) alternated ten times
 * each: 100,000 distinct lines by position, half of each algorithm, all valid.
 */

import { parseArgs } from "node:util";
import { verifyMany } from "../mod.ts";
import { CORPUS_ALGORITHMS, ensureCorpus, readJsonLines } from "./_corpus.ts";
import { loadTrustMaterial } from "../lib/verify/trust_material.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DIR = `${ROOT}/bench/results/tmp/corpus`;
const PATH = `${DIR}/mixed-100k.jsonl`;
const { values } = parseArgs({
  args: Deno.args,
  options: { prepare: { type: "boolean", default: false }, workers: { type: "string" } },
});
const out = new TextEncoder();
const print = (line: string) => Deno.stdout.writeSync(out.encode(line + "\n"));

const files = [];
for (const algorithm of CORPUS_ALGORITHMS) files.push(await ensureCorpus(DIR, algorithm, 10_000));

if (values.prepare) {
  using target = await Deno.open(PATH, { write: true, create: true, truncate: true });
  for (let round = 0; round < 5; round++) {
    for (const file of files) {
      using source = await Deno.open(file.jsonl);
      await source.readable.pipeTo(target.writable, { preventClose: true });
    }
  }
  print(`wrote ${PATH}`);
  Deno.exit(0);
}

const keys = await Promise.all(files.map(async (f) => ({
  pem: await Deno.readTextFile(f.pem),
  options: { signatureEncoding: "any" as const },
})));
const workers = values.workers === undefined ? undefined : Number(values.workers);
let seen = 0;
const start = performance.now();
const result = await verifyMany(
  readJsonLines(PATH),
  loadTrustMaterial({ keys }),
  {
    now: Date.UTC(2026, 2, 1),
    ...(workers === undefined ? {} : { workers: true, concurrency: workers }),
    onReport: () => void seen++,
  },
);
const seconds = (performance.now() - start) / 1000;
print(
  `verified ${result.summary.verified} of ${result.summary.total} (${seen} reports streamed, ${result.reports.length} kept) in ${
    seconds.toFixed(1)
  } s: ${Math.round(result.summary.total / seconds)} envelopes/s; ${
    workers === undefined ? "default mode" : `${workers} workers`
  }`,
);
print(`peak RSS seen by the process: ${(Deno.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (now)`);
if (result.summary.total !== 100_000 || result.summary.verified !== 100_000) Deno.exit(1);
