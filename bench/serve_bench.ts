/**
 * Load benchmark of `stella serve` (issue 18): a real `stella serve` process on loopback, and a
 * bounded loop of `POST /v1/verify` requests (one DSSE envelope each, Ed25519, about 2 KB of SLSA
 * provenance) at concurrency 1, 16 and 64: throughput, p50/p99 latency and errors (there must be
 * none at 64). Beside it, the CLI batch throughput over the same envelopes (`stella forensic
 * verify corpus.jsonl`, whole process) and one JSON Lines request holding all of them.
 *
 * Run: `deno run --cached-only --allow-read --allow-write --allow-run --allow-net=127.0.0.1
 *   --allow-sys bench/serve_bench.ts [--requests 2000]`
 *
 * Client and server share the machine, so the figures are a floor for the server alone.
 */

import { parseArgs } from "node:util";
import { ensureCorpus } from "./_corpus.ts";
import { loadAverage, timeProcess } from "./_process.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const { values } = parseArgs({
  args: Deno.args,
  options: { requests: { type: "string", default: "2000" } },
});
const REQUESTS = Number(values.requests);
const NOW = "2026-03-01T12:00:00Z";

const dir = `${ROOT}/bench/results/tmp/serve`;
const corpus = await ensureCorpus(dir, "ed25519", REQUESTS);
const envelopes = (await Deno.readTextFile(corpus.jsonl)).split("\n").filter((l) => l !== "")
  .map((line) => new TextEncoder().encode(line));

const serverArgs = [
  "run",
  "--cached-only",
  "--allow-net=127.0.0.1",
  `--allow-read=${dir}`,
  "cli/main.ts",
  "serve",
  "--key",
  corpus.pem,
  "--port",
  "0",
  "--concurrency",
  "256",
];
const child = new Deno.Command(Deno.execPath(), {
  args: serverArgs,
  cwd: ROOT,
  stdin: "null",
  stdout: "piped",
  stderr: "null",
}).spawn();
const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
let banner = "";
while (!banner.includes("\n")) {
  const { done, value } = await reader.read();
  if (done) throw new Error("stella serve did not start");
  banner += value;
}
reader.releaseLock();
const base = /listening on (http:\/\/\S+)/.exec(banner)![1]!;
const url = `${base}/v1/verify?now=${NOW}`;

async function one(body: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    return false;
  }
  return (await response.json()).verified === true;
}

interface Run {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

async function run(concurrency: number): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < envelopes.length) {
      const body = envelopes[next++]! as Uint8Array<ArrayBuffer>;
      const t = performance.now();
      const ok = await one(body).catch(() => false);
      latencies.push(performance.now() - t);
      if (!ok) errors++;
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { concurrency, requests: latencies.length, errors, seconds, p50: at(0.5), p99: at(0.99) };
}

// Warm up (JIT, connection pool).
for (let i = 0; i < 200; i++) {
  await one(envelopes[i % envelopes.length]! as Uint8Array<ArrayBuffer>);
}

const runs: Run[] = [];
for (const c of [1, 16, 64]) runs.push(await run(c));

// All envelopes as one JSON Lines request.
const lines = await Deno.readFile(corpus.jsonl);
const batchStart = performance.now();
const batch = await (await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/jsonl" },
  body: lines,
})).json();
const batchSeconds = (performance.now() - batchStart) / 1000;

child.kill("SIGTERM");
await child.status;
await child.stdout.cancel().catch(() => {});

// The CLI over the same envelopes, whole process (WebCrypto, as the server).
const cliArgs = [
  "run",
  "--cached-only",
  `--allow-read=${dir}`,
  "cli/main.ts",
  "forensic",
  "verify",
  corpus.jsonl,
  "--key",
  corpus.pem,
  "--now",
  NOW,
  "--json",
];
const cli = await timeProcess(Deno.execPath(), cliArgs, { cwd: ROOT, stdout: "null" });

const print = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
const fmt = (n: number, digits = 1) => n.toFixed(digits);
print(`load average ${loadAverage() ?? "n/a"}; ${envelopes.length} envelopes (Ed25519)\n`);
print("| concurrency | requests | errors | wall s | req/s | p50 ms | p99 ms |");
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of runs) {
  print(
    `| ${r.concurrency} | ${r.requests} | ${r.errors} | ${fmt(r.seconds, 2)} | ${
      fmt(r.requests / r.seconds, 0)
    } | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} |`,
  );
}
print(
  `\nOne JSON Lines request of ${batch.summary.total} envelopes: ${fmt(batchSeconds, 2)} s, ${
    fmt(batch.summary.total / batchSeconds, 0)
  } envelopes/s (verified ${batch.summary.verified})`,
);
print(
  `CLI batch (stella forensic verify corpus.jsonl --json, whole process, exit ${cli.code}): ${
    fmt(cli.wallMs / 1000, 2)
  } s, ${fmt(envelopes.length / (cli.wallMs / 1000), 0)} envelopes/s`,
);
if (runs.find((r) => r.concurrency === 64)!.errors !== 0) {
  Deno.stderr.writeSync(new TextEncoder().encode("errors at concurrency 64\n"));
  Deno.exit(1);
}
