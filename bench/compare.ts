/**
 * Peer comparison harness (issue 8): measures, side by side in one run, our throughput against
 * the peers on the same inputs, prints a table of rates and ratios, and writes
 * `bench/results/latest.json`.
 *
 *   deno task bench:compare
 *   (= deno run --cached-only --allow-read --allow-write --allow-run --allow-env --allow-sys
 *      --allow-ffi bench/compare.ts [--rounds N] [--skip-digest] [--only SECTIONS] [--out FILE])
 *
 * `--only` runs a comma-separated subset of the sections `batch`, `canonicalize`, `merkle`,
 * `digest` (in-memory and library rows) and `whole`, `cold`, `rss` (whole processes, from
 * `bench/whole_process.ts`); `--out` writes the JSON somewhere other than `latest.json`.
 *
 * Inputs, generated once into `bench/results/tmp/` (gitignored) and reused:
 * - `corpus/{ed25519,ecdsa-p256}.jsonl`: 10,000 DSSE envelopes each over distinct ~1.8 KB SLSA
 *   Provenance v1 statements (~2.7 KB per envelope), see `bench/_corpus.ts`;
 * - `node/`: sigstore-js, installed at bench time with `npm install --prefix bench/results/tmp/node
 *   @sigstore/verify@4 @sigstore/core` (never committed; when the install fails the harness says
 *   why and skips that row);
 * - a 1 GiB file for the streaming digest (written for the run, deleted after).
 *
 * Rows (rates are best of `--rounds` rounds, default 2, contenders interleaved per round so a
 * busy machine disturbs them alike; ratio = ours / peer, above 1 means we are faster):
 * - batch verify, per algorithm, envelopes/s from the corpus bytes in memory to verdicts:
 *   ours `verifyMany` (default options: in-thread on < 4 cores, workers from 4; Ed25519 on
 *   WebCrypto, ECDSA on the system OpenSSL through FFI since `--allow-ffi` is granted), ECDSA
 *   also with `nativeCrypto: false` (WebCrypto, what runs without `--allow-ffi`), and
 *   `verifyMany` forced onto 2 workers, against sigstore-js (`@sigstore/verify` `Verifier` with
 *   public-key trust material, under Node.js; see `bench/compare_node.mjs`) and a plain
 *   Node.js `node:crypto` loop over the PAE bytes (the OpenSSL reference). Each peer runs one
 *   thread; ours uses every core (that is the feature being measured).
 * - canonicalization: `canonicalize` of the 10,000 corpus statements vs the npm `canonicalize`
 *   package, statements/s (outputs checked equal first);
 * - Merkle root of 1,000,000 leaves vs `openssl speed -bytes 64 sha256` (one core), from
 *   `bench/merkle_vs_openssl.ts` (helper H2), SHA-256 calls/s;
 * - streaming SHA-256 of a 1 GiB file (`digestStream(file.readable)`) vs `sha256sum`, MiB/s;
 * - whole processes (`bench/whole_process.ts`, issue 15): `stella forensic verify DIR` and
 *   `… FILE.jsonl` over 20,000 envelopes per algorithm against a Node.js `node:crypto` loop,
 *   sigstore-js and the machine's physical limit (cores × `openssl speed`); cold start against
 *   an empty `deno run`, for `cli/main.ts` and `dist/stella.js`; peak RSS over a
 *   1,000,000-line JSON Lines file (`--whole-count`, `--rss-lines` to change the sizes).
 *
 * @module
 */

import canonicalizeModule from "canonicalize";
import { parseArgs } from "node:util";
import { canonicalize, loadTrustMaterial, parseEnvelope, verifyMany } from "../mod.ts";
import { digestStream } from "../lib/digest/mod.ts";
import { CORPUS_ALGORITHMS, type CorpusFiles, ensureCorpus } from "./_corpus.ts";
import { Results } from "./_report.ts";
import { coldStart, ensureSigstore, peakRss, wholeProcessBatch } from "./whole_process.ts";

const npmCanonicalize = canonicalizeModule as unknown as (value: unknown) => string;

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const TMP = `${ROOT}/bench/results/tmp`;

const COUNT = 10_000;
const NOW = Date.UTC(2026, 2, 1);

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "2" },
    "skip-digest": { type: "boolean", default: false },
    only: { type: "string", default: "batch,canonicalize,merkle,digest,whole,cold,rss" },
    out: { type: "string", default: "bench/results/latest.json" },
    "whole-count": { type: "string", default: "20000" },
    "rss-lines": { type: "string", default: "1000000" },
  },
});
const ROUNDS = Number(flags.rounds);
const ONLY = new Set(flags.only.split(","));
if (flags["skip-digest"]) ONLY.delete("digest");
const OUT = flags.out.startsWith("/") ? flags.out : `${ROOT}/${flags.out}`;

const encoder = new TextEncoder();
function log(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}

const results = new Results();
const rows = results.rows;
function compare(group: string, ours: string, peer: string, target?: number): void {
  results.compareRates(group, ours, peer, target);
}

async function command(
  cmd: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string; seconds: number }> {
  const start = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd ?? ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    seconds,
  };
}

function lines(bytes: Uint8Array, file: string): { name: string; bytes: Uint8Array }[] {
  const items = [];
  let start = 0;
  let n = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    n++;
    if (end > start) items.push({ name: `${file}:${n}`, bytes: bytes.subarray(start, end) });
    start = end + 1;
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Inputs
log(`corpus: ${COUNT} envelopes per algorithm in bench/results/tmp/corpus (generated once)`);
const corpora = new Map<string, CorpusFiles>();
for (const algorithm of ONLY.has("batch") || ONLY.has("canonicalize") ? CORPUS_ALGORITHMS : []) {
  corpora.set(algorithm, await ensureCorpus(`${TMP}/corpus`, algorithm, COUNT));
}

const nodeVersion = await command("node", ["--version"]).catch(() => undefined);
const hasNode = nodeVersion?.code === 0;
const needsSigstore = ONLY.has("batch") || ONLY.has("whole");
const sigstore = needsSigstore ? await ensureSigstore() : { skip: "not needed" };
const sigstorePrefix = sigstore.prefix;
const sigstoreVersion = sigstore.version;
const sigstoreSkip = sigstore.skip;
if (needsSigstore && sigstoreSkip !== undefined) log(`skipping sigstore-js: ${sigstoreSkip}`);

// ---------------------------------------------------------------------------------------------
// Batch verify
async function oursRate(
  items: { name: string; bytes: Uint8Array }[],
  pem: string,
  extra: { workers?: boolean; concurrency?: number; nativeCrypto?: boolean },
): Promise<number> {
  // Loading the trust (key import) is part of the measured run, as it is in the CLI.
  const start = performance.now();
  const trust = loadTrustMaterial({ keys: [{ pem, options: { signatureEncoding: "any" } }] });
  const result = await verifyMany(items, trust, { now: NOW, ...extra });
  const seconds = (performance.now() - start) / 1000;
  if (result.summary.verified !== items.length) throw new Error("our verifyMany rejected some");
  return items.length / seconds;
}

async function nodeRate(mode: "node" | "sigstore", files: CorpusFiles): Promise<number | null> {
  const args = [`${ROOT}/bench/compare_node.mjs`, mode, files.jsonl, files.pem, files.keyid];
  if (mode === "sigstore") args.push(sigstorePrefix!);
  const out = await command("node", args);
  if (out.code !== 0) {
    log(`node ${mode} failed: ${out.stderr.trim()}`);
    return null;
  }
  const result = JSON.parse(out.stdout);
  if (result.verified !== result.count) throw new Error(`${mode} rejected some envelopes`);
  return result.count / result.seconds;
}

for (const algorithm of ONLY.has("batch") ? CORPUS_ALGORITHMS : []) {
  const files = corpora.get(algorithm)!;
  const group = `batch verify ${algorithm} (${COUNT} envelopes)`;
  const items = lines(await Deno.readFile(files.jsonl), files.jsonl);
  const pem = await Deno.readTextFile(files.pem);
  await oursRate(items.slice(0, 500), pem, { workers: false }); // warm-up
  const best = new Map<string, number | null>();
  const keep = (name: string, rate: number | null) => {
    const previous = best.get(name);
    best.set(name, rate === null ? previous ?? null : Math.max(previous ?? 0, rate));
  };
  for (let round = 1; round <= ROUNDS; round++) {
    log(`${group}: round ${round}/${ROUNDS}`);
    keep("ours verifyMany (default)", await oursRate(items, pem, {}));
    if (algorithm === "ecdsa-p256") {
      keep(
        "ours verifyMany (WebCrypto, no FFI)",
        await oursRate(items, pem, { nativeCrypto: false }),
      );
    }
    keep(
      "ours verifyMany (2 workers)",
      await oursRate(items, pem, { workers: true, concurrency: 2 }),
    );
    if (sigstorePrefix !== undefined) keep("sigstore-js", await nodeRate("sigstore", files));
    if (hasNode) keep("node:crypto (OpenSSL)", await nodeRate("node", files));
  }
  for (const [name, rate] of best) rows.push({ group, name, unit: "envelopes/s", rate });
  if (sigstorePrefix === undefined) {
    rows.push({ group, name: "sigstore-js", unit: "envelopes/s", rate: null, note: sigstoreSkip });
  }
  compare(group, "ours verifyMany (default)", "sigstore-js", algorithm === "ed25519" ? 1 : 0.5);
  compare(group, "ours verifyMany (default)", "node:crypto (OpenSSL)");
}

// ---------------------------------------------------------------------------------------------
// Canonicalization
if (ONLY.has("canonicalize")) {
  const group = `canonicalize ${COUNT} SLSA statements`;
  const files = corpora.get("ed25519")!;
  const statements = lines(await Deno.readFile(files.jsonl), files.jsonl).map((item) =>
    JSON.parse(new TextDecoder().decode(parseEnvelope(item.bytes).payloadBytes))
  );
  for (const s of statements.slice(0, 100)) {
    if (canonicalize(s) !== npmCanonicalize(s)) throw new Error("canonical forms differ");
  }
  const time = (fn: (v: unknown) => string): number => {
    const start = performance.now();
    let length = 0;
    for (const s of statements) length += fn(s).length;
    const seconds = (performance.now() - start) / 1000;
    if (length === 0) throw new Error("unreachable");
    return statements.length / seconds;
  };
  let ours = 0;
  let npm = 0;
  for (let round = 0; round < ROUNDS + 1; round++) {
    ours = Math.max(ours, time(canonicalize));
    npm = Math.max(npm, time(npmCanonicalize));
  }
  log(`${group}: done`);
  rows.push({ group, name: "ours canonicalize", unit: "statements/s", rate: ours });
  rows.push({ group, name: "npm canonicalize", unit: "statements/s", rate: npm });
  compare(group, "ours canonicalize", "npm canonicalize");
}

// ---------------------------------------------------------------------------------------------
// Merkle root vs openssl speed (bench/merkle_vs_openssl.ts)
if (ONLY.has("merkle")) {
  const group = "Merkle root, 1,000,000 leaves vs SHA-256 of 64 bytes";
  log(`${group}: deno run bench/merkle_vs_openssl.ts`);
  const out = await command(Deno.execPath(), [
    "run",
    "--cached-only",
    "-A",
    `${ROOT}/bench/merkle_vs_openssl.ts`,
  ]);
  const text = out.stdout + out.stderr;
  const number = (re: RegExp): number | null => {
    const m = re.exec(text);
    return m === null ? null : Number(m[1]) * 1e6;
  };
  const opensslCpu = number(/1 core, per CPU second: ([\d.]+) M hashes\/s/);
  const opensslWall = number(/1 core, per wall second: ([\d.]+) M hashes\/s/);
  const oursCpu = number(/s CPU\s+-> ([\d.]+) M hashes\/s/);
  const oursWall = number(/s wall -> ([\d.]+) M hashes\/s/);
  if (opensslCpu === null || oursCpu === null) {
    log(`cannot read merkle_vs_openssl output:\n${text}`);
  }
  const note = "SHA-256 calls/s (a Merkle root of n leaves takes 2n-1 calls)";
  rows.push({
    group,
    name: "ours merkleRootOfData (per CPU s)",
    unit: "hashes/s",
    rate: oursCpu,
    note,
  });
  rows.push({
    group,
    name: "openssl speed sha256 (per CPU s)",
    unit: "hashes/s",
    rate: opensslCpu,
  });
  rows.push({
    group,
    name: "ours merkleRootOfData (per wall s)",
    unit: "hashes/s",
    rate: oursWall,
  });
  rows.push({
    group,
    name: "openssl speed -elapsed (per wall s)",
    unit: "hashes/s",
    rate: opensslWall,
  });
  compare(group, "ours merkleRootOfData (per CPU s)", "openssl speed sha256 (per CPU s)", 0.25);
  compare(group, "ours merkleRootOfData (per wall s)", "openssl speed -elapsed (per wall s)", 0.25);
}

// ---------------------------------------------------------------------------------------------
// Streaming digest of 1 GiB vs sha256sum
if (ONLY.has("digest")) {
  const group = "streaming SHA-256 of a 1 GiB file";
  const MIB = 1024 * 1024;
  const path = `${TMP}/digest-1gib.bin`;
  log(`${group}: writing ${path}`);
  {
    const chunk = new Uint8Array(MIB);
    for (let i = 0; i < chunk.length; i++) chunk[i] = Math.imul(i, 2654435761) >>> 24;
    using file = await Deno.open(path, { write: true, create: true, truncate: true });
    for (let i = 0; i < 1024; i++) {
      chunk[0] = i & 0xff;
      let written = 0;
      while (written < MIB) written += await file.write(chunk.subarray(written));
    }
  }
  try {
    let ours = 0;
    let sum = 0;
    let oursHex = "";
    let sumHex = "";
    for (let round = 0; round < ROUNDS; round++) {
      const s = await command("sha256sum", [path]);
      sumHex = s.stdout.slice(0, 64);
      sum = Math.max(sum, 1024 / s.seconds);
      const start = performance.now();
      using file = await Deno.open(path);
      oursHex = (await digestStream("sha256", file.readable)).toHex();
      ours = Math.max(ours, 1024 / ((performance.now() - start) / 1000));
    }
    if (oursHex !== sumHex) throw new Error("digestStream and sha256sum disagree");
    rows.push({ group, name: "ours digestStream(file.readable)", unit: "MiB/s", rate: ours });
    rows.push({ group, name: "sha256sum (coreutils)", unit: "MiB/s", rate: sum });
    compare(group, "ours digestStream(file.readable)", "sha256sum (coreutils)", 0.8);
  } finally {
    await Deno.remove(path);
  }
}

// ---------------------------------------------------------------------------------------------
// Whole processes (bench/whole_process.ts): batch verify, cold start, peak RSS
if (ONLY.has("whole")) {
  results.merge(
    await wholeProcessBatch({
      count: Number(flags["whole-count"]),
      rounds: ROUNDS,
      sigstore,
      algorithms: CORPUS_ALGORITHMS,
    }),
  );
}
if (ONLY.has("cold")) results.merge(await coldStart(15));
if (ONLY.has("rss")) results.merge(await peakRss(Number(flags["rss-lines"])));

// ---------------------------------------------------------------------------------------------
// Report
const table = results.table();
let load = "unknown";
try {
  load = Deno.loadavg().map((n) => n.toFixed(2)).join(" ");
} catch {
  // No --allow-sys: leave it unknown.
}
const environment = {
  deno: Deno.version.deno,
  node: nodeVersion?.stdout.trim() ?? null,
  sigstoreVerify: sigstoreVersion ?? null,
  cpus: navigator.hardwareConcurrency,
  loadAverage: load,
  rounds: ROUNDS,
  date: new Date().toISOString(),
};
Deno.stdout.writeSync(encoder.encode(
  `environment: deno ${environment.deno}, node ${environment.node}, @sigstore/verify ${environment.sigstoreVerify}, ${environment.cpus} CPUs, load ${load}\n${table}`,
));
await Deno.writeTextFile(
  OUT,
  JSON.stringify({ environment, rows, comparisons: results.comparisons }, null, 2) + "\n",
);
log(`wrote ${OUT.slice(ROOT.length + 1)}`);
