/**
 * Whole-process benchmarks (issue 15): what a user feels when they run the CLI, measured as
 * separate processes side by side in one script, contenders interleaved per round, reported as
 * ratios. `bench/compare.ts` runs these sections with the in-memory ones; this file also runs
 * alone:
 *
 *   deno run --cached-only --allow-read --allow-write --allow-run --allow-env --allow-sys \
 *     bench/whole_process.ts [--only batch,cold,rss] [--count 20000] [--rounds 2] \
 *     [--rss-lines 1000000] [--cold-runs 15] [--out FILE]
 *
 * Sections:
 * - `batch`: `stella forensic verify DIR` and `… FILE.jsonl` over `--count` envelopes
 *   (Ed25519 and ECDSA P-256; corpus of `bench/_corpus.ts` in `bench/results/tmp/corpus-20k/`,
 *   the directory form one `NNNNNN.dsse.json` file per envelope), `deno run --cached-only
 *   --allow-read cli/main.ts` (as documented for operators), for P-256 also with `--allow-ffi`,
 *   and `dist/stella.js` when it is built; `--json` output to /dev/null. Against: a Node.js
 *   `node:crypto` loop over the same JSON Lines file and over the same directory, and
 *   sigstore-js (`@sigstore/verify` under Node.js, installed on demand into
 *   `bench/results/tmp/node/`, skipped with the reason when it cannot be), all from
 *   `bench/compare_node.mjs` as whole processes; and the machine's physical limit, cores ×
 *   `openssl speed -seconds 3 ed25519|ecdsap256` verify/s (OpenSSL divides by CPU time, so the
 *   limit ignores load while our wall times do not: read the CPU-time column beside them).
 * - `cold`: one `stella forensic verify ENVELOPE --key PEM` and `stella --version`, from
 *   `cli/main.ts` and `dist/stella.js`, against `deno run` of an empty script: best and median
 *   wall of `--cold-runs` interleaved runs, time to first output, CPU time.
 * - `rss`: peak RSS (`/usr/bin/time`) of `stella forensic verify FILE.jsonl --json` over a
 *   `--rss-lines`-line file (the two 20,000-envelope corpora alternated; written for the run
 *   under `bench/results/tmp/`, deleted after).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type CorpusAlgorithm, type CorpusFiles, ensureCorpus } from "./_corpus.ts";
import { commandLine, hasGnuTime, type ProcessTiming, timeProcess } from "./_process.ts";
import { Results } from "./_report.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const TMP = `${ROOT}/bench/results/tmp`;
const DENO = Deno.execPath();
const NOW_FLAG = "2026-03-01T00:00:00Z";
const encoder = new TextEncoder();

function log(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}

/** One contender: a command, timed as a whole process. */
interface Contender {
  name: string;
  cmd: string;
  args: string[];
  /** Work items per run (envelopes), to turn a time into a rate. */
  items: number;
  /** Exit status that means the run did its work (0: every envelope verified). */
  expect?: number;
}

/** The result of {@link ensureSigstore}: where sigstore-js is, or why it is not. */
export interface SigstoreInstall {
  prefix?: string | undefined;
  version?: string | undefined;
  skip?: string | undefined;
}

/**
 * Installs sigstore-js (`@sigstore/verify@4`, `@sigstore/core`) into `bench/results/tmp/node/`
 * with npm when it is not there yet; never fails, says why it is unavailable instead.
 */
export async function ensureSigstore(): Promise<SigstoreInstall> {
  const prefix = `${TMP}/node`;
  const pkg = `${prefix}/node_modules/@sigstore/verify/package.json`;
  const node = await timeProcess("node", ["--version"]).catch(() => undefined);
  if (node?.code !== 0) return { skip: "node is not installed" };
  if (!(await Deno.stat(pkg).then(() => true, () => false))) {
    log("npm install --prefix bench/results/tmp/node @sigstore/verify@4 @sigstore/core");
    const npm = await new Deno.Command("npm", {
      args: ["install", "--no-audit", "--no-fund", "--prefix", prefix, "@sigstore/verify@4"]
        .concat("@sigstore/core"),
      stdout: "piped",
      stderr: "piped",
    }).output().catch((e) => ({ code: -1, stderr: encoder.encode(String(e)) }));
    if (npm.code !== 0) {
      const err = new TextDecoder().decode(npm.stderr).trim().split("\n").slice(-3).join(" / ");
      return { skip: `npm install failed: ${err}` };
    }
  }
  try {
    return { prefix, version: JSON.parse(await Deno.readTextFile(pkg)).version };
  } catch (error) {
    return { skip: `cannot read ${pkg}: ${error}` };
  }
}

/** Per-core verify rate of `openssl speed -seconds 3 <alg>` (divided by CPU time). */
export async function opensslVerifyRate(algorithm: CorpusAlgorithm): Promise<number | null> {
  const name = algorithm === "ed25519" ? "ed25519" : "ecdsap256";
  const out = await new Deno.Command("openssl", {
    args: ["speed", "-seconds", "3", name],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  if (out?.code !== 0) return null;
  const text = new TextDecoder().decode(out.stdout);
  const line = text.split("\n").find((l) =>
    algorithm === "ed25519" ? /EdDSA \(Ed25519\)/.test(l) : /ecdsa \(nistp256\)/.test(l)
  );
  const numbers = line?.trim().split(/\s+/) ?? [];
  const verify = Number(numbers.at(-1));
  return Number.isFinite(verify) && verify > 0 ? verify : null;
}

/** The corpus as a JSON Lines file and as a directory of envelope files. */
export interface WholeCorpus extends CorpusFiles {
  dir: string;
}

/** Generates (or reuses) `count` envelopes of `algorithm` as JSON Lines and as a directory. */
export async function ensureWholeCorpus(
  algorithm: CorpusAlgorithm,
  count: number,
): Promise<WholeCorpus> {
  const base = `${TMP}/corpus-${count}`;
  const files = await ensureCorpus(base, algorithm, count);
  const dir = `${base}/${algorithm}.d`;
  const marker = `${base}/${algorithm}.d.keyid`;
  const done = await Deno.readTextFile(marker).then((t) => t === files.keyid, () => false);
  if (!done) {
    log(`writing ${count} envelope files into ${dir.slice(ROOT.length + 1)}/`);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.mkdir(dir, { recursive: true });
    const text = await Deno.readTextFile(files.jsonl);
    let n = 0;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      n++;
      await Deno.writeTextFile(`${dir}/${String(n).padStart(6, "0")}.dsse.json`, line);
    }
    await Deno.writeTextFile(marker, files.keyid);
  }
  return { ...files, dir };
}

function stella(
  entry: "cli/main.ts" | "dist/stella.js",
  input: string,
  keys: string[],
  extra: string[] = [],
): string[] {
  return [
    "run",
    ...(entry === "cli/main.ts" ? ["--cached-only"] : []),
    "--allow-read",
    ...extra,
    entry,
    "forensic",
    "verify",
    input,
    ...keys.flatMap((k) => ["--key", k]),
    "--now",
    NOW_FLAG,
    "--json",
  ];
}

async function runRounds(
  contenders: readonly Contender[],
  rounds: number,
  stdout: "null" | "drain",
): Promise<Map<string, ProcessTiming | null>> {
  const best = new Map<string, ProcessTiming | null>();
  for (let round = 1; round <= rounds; round++) {
    for (const c of contenders) {
      const t = await timeProcess(c.cmd, c.args, { cwd: ROOT, stdout });
      if (t.code !== (c.expect ?? 0)) {
        log(`${c.name}: exit ${t.code}: ${t.stderr.trim().split("\n").slice(-3).join(" / ")}`);
        if (!best.has(c.name)) best.set(c.name, null);
        continue;
      }
      const previous = best.get(c.name);
      if (previous === undefined || previous === null || t.wallMs < previous.wallMs) {
        best.set(c.name, t);
      }
    }
  }
  return best;
}

/** Options of {@link wholeProcessBatch}. */
export interface BatchOptions {
  count: number;
  rounds: number;
  sigstore: SigstoreInstall;
  algorithms: readonly CorpusAlgorithm[];
}

/** Section `batch`: whole-process batch verify, see the module doc. */
export async function wholeProcessBatch(options: BatchOptions): Promise<Results> {
  const results = new Results();
  const bundle = await Deno.stat(`${ROOT}/dist/stella.js`).then(() => true, () => false);
  const node = (await timeProcess("node", ["--version"]).catch(() => undefined))?.code === 0;
  const cores = navigator.hardwareConcurrency;
  for (const algorithm of options.algorithms) {
    const corpus = await ensureWholeCorpus(algorithm, options.count);
    const group = `whole process: verify ${options.count} ${algorithm} envelopes`;
    const count = options.count;
    const keys = [corpus.pem];
    const contenders: Contender[] = [
      {
        name: "stella FILE.jsonl",
        cmd: DENO,
        args: stella("cli/main.ts", corpus.jsonl, keys),
        items: count,
      },
      {
        name: "stella DIR",
        cmd: DENO,
        args: stella("cli/main.ts", corpus.dir, keys),
        items: count,
      },
    ];
    if (algorithm !== "ed25519") {
      contenders.push(
        {
          name: "stella FILE.jsonl --allow-ffi",
          cmd: DENO,
          args: stella("cli/main.ts", corpus.jsonl, keys, ["--allow-ffi"]),
          items: count,
        },
        {
          name: "stella DIR --allow-ffi",
          cmd: DENO,
          args: stella("cli/main.ts", corpus.dir, keys, ["--allow-ffi"]),
          items: count,
        },
      );
    }
    if (bundle) {
      contenders.push({
        name: "dist/stella.js FILE.jsonl",
        cmd: DENO,
        args: stella("dist/stella.js", corpus.jsonl, keys),
        items: count,
      });
    }
    const nodeArgs = (mode: string, input: string) => [
      `${ROOT}/bench/compare_node.mjs`,
      mode,
      input,
      corpus.pem,
      corpus.keyid,
      ...(options.sigstore.prefix === undefined ? [] : [options.sigstore.prefix]),
    ];
    if (node) {
      contenders.push(
        {
          name: "node:crypto loop FILE.jsonl",
          cmd: "node",
          args: nodeArgs("node-whole", corpus.jsonl),
          items: count,
        },
        {
          name: "node:crypto loop DIR",
          cmd: "node",
          args: nodeArgs("node-whole", corpus.dir),
          items: count,
        },
      );
    }
    if (options.sigstore.prefix !== undefined) {
      contenders.push({
        name: "sigstore-js FILE.jsonl",
        cmd: "node",
        args: nodeArgs("sigstore-whole", corpus.jsonl),
        items: count,
      });
    }
    log(`${group}: ${contenders.length} contenders, ${options.rounds} rounds`);
    const best = await runRounds(contenders, options.rounds, "null");
    for (const c of contenders) {
      const t = best.get(c.name) ?? null;
      results.add({
        group,
        name: c.name,
        unit: "envelopes/s",
        rate: t === null ? null : c.items / (t.wallMs / 1000),
        command: commandLine(c.cmd, c.args, ROOT),
        seconds: t === null ? null : t.wallMs / 1000,
        cpuSeconds: t?.cpuMs === null || t === null ? null : t.cpuMs / 1000,
        maxRssMiB: t?.maxRssKiB === null || t === null ? null : t.maxRssKiB / 1024,
        load: t?.load ?? null,
        note: t === null ? "failed, see the log" : undefined,
      });
    }
    if (options.sigstore.prefix === undefined) {
      results.add({
        group,
        name: "sigstore-js FILE.jsonl",
        unit: "envelopes/s",
        rate: null,
        note: `skipped: ${options.sigstore.skip}`,
      });
    }
    const perCore = await opensslVerifyRate(algorithm);
    results.add({
      group,
      name: `physical limit (${cores} cores x openssl speed)`,
      unit: "envelopes/s",
      rate: perCore === null ? null : perCore * cores,
      command: `openssl speed -seconds 3 ${algorithm === "ed25519" ? "ed25519" : "ecdsap256"}`,
      seconds: perCore === null ? null : count / (perCore * cores),
      note: perCore === null ? "openssl speed failed" : `${Math.round(perCore)} verify/s per core`,
    });
    results.compareTimes(group, "stella DIR", "stella FILE.jsonl", 1.15);
    const limit = `physical limit (${cores} cores x openssl speed)`;
    if (algorithm === "ed25519") {
      results.compareRates(group, "stella FILE.jsonl", limit, 0.8);
    } else {
      results.compareRates(group, "stella FILE.jsonl", limit, 0.5);
      results.compareRates(group, "stella FILE.jsonl --allow-ffi", limit, 0.8);
      results.compareTimes(group, "stella DIR --allow-ffi", "stella FILE.jsonl --allow-ffi", 1.15);
    }
    if (node) {
      results.compareTimes(group, "stella FILE.jsonl", "node:crypto loop FILE.jsonl");
      results.compareTimes(group, "stella DIR", "node:crypto loop DIR");
    }
    results.compareTimes(group, "stella FILE.jsonl", "sigstore-js FILE.jsonl");
    if (bundle) results.compareTimes(group, "dist/stella.js FILE.jsonl", "stella FILE.jsonl");
  }
  return results;
}

/** Section `cold`: cold start, see the module doc. */
export async function coldStart(runs: number): Promise<Results> {
  const results = new Results();
  const group = "whole process: cold start, one envelope";
  const empty = `${TMP}/empty.ts`;
  await Deno.mkdir(TMP, { recursive: true });
  await Deno.writeTextFile(empty, "");
  const envelope = "fixtures/negative/valid.ed25519.dsse.json";
  const key = "fixtures/negative/keys/test-only-ed25519-a.pub.pem";
  const verify = ["forensic", "verify", envelope, "--key", key];
  const contenders: Contender[] = [
    { name: "deno run (empty script)", cmd: DENO, args: ["run", "--cached-only", empty], items: 1 },
    {
      name: "cli/main.ts forensic verify",
      cmd: DENO,
      args: ["run", "--cached-only", "--allow-read", "cli/main.ts", ...verify],
      items: 1,
    },
    {
      name: "cli/main.ts --version",
      cmd: DENO,
      args: ["run", "--cached-only", "--allow-read", "cli/main.ts", "--version"],
      items: 1,
    },
  ];
  const bundle = await Deno.stat(`${ROOT}/dist/stella.js`).then(() => true, () => false);
  if (bundle) {
    contenders.push(
      {
        name: "dist/stella.js forensic verify",
        cmd: DENO,
        args: ["run", "--allow-read", "dist/stella.js", ...verify],
        items: 1,
      },
      {
        name: "dist/stella.js --version",
        cmd: DENO,
        args: ["run", "--allow-read", "dist/stella.js", "--version"],
        items: 1,
      },
    );
  }
  log(`${group}: ${runs} interleaved runs of ${contenders.length} commands (after 1 warm-up)`);
  const all = new Map<string, ProcessTiming[]>();
  for (let round = 0; round <= runs; round++) {
    for (const c of contenders) {
      const t = await timeProcess(c.cmd, c.args, { cwd: ROOT, stdout: "drain" });
      if (t.code !== 0) throw new Error(`${c.name} exited ${t.code}: ${t.stderr}`);
      if (round > 0) all.set(c.name, [...(all.get(c.name) ?? []), t]);
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  for (const c of contenders) {
    const ts = all.get(c.name)!;
    const walls = ts.map((t) => t.wallMs);
    const best = Math.min(...walls);
    const firsts = ts.map((t) => t.firstOutputMs).filter((x): x is number => x !== null);
    const cpus = ts.map((t) => t.cpuMs).filter((x): x is number => x !== null);
    const loads = ts.map((t) => t.load).filter((x): x is number => x !== null);
    const row = {
      group,
      unit: "runs/s",
      command: commandLine(c.cmd, c.args, ROOT),
      note: `median ${median(walls).toFixed(0)} ms` +
        (firsts.length === 0 ? "" : `, first output median ${median(firsts).toFixed(0)} ms`) +
        (cpus.length === 0 ? "" : `, cpu median ${median(cpus).toFixed(0)} ms`),
    };
    results.add({ ...row, name: `${c.name} (best)`, rate: 1000 / best, seconds: best / 1000 });
    results.add({
      ...row,
      name: `${c.name} (median)`,
      rate: 1000 / median(walls),
      seconds: median(walls) / 1000,
      cpuSeconds: cpus.length === 0 ? null : median(cpus) / 1000,
      load: loads.length === 0 ? null : median(loads),
      note: undefined,
    });
  }
  for (const stat of ["best", "median"]) {
    results.compareTimes(
      group,
      `cli/main.ts forensic verify (${stat})`,
      `deno run (empty script) (${stat})`,
      3,
    );
    if (bundle) {
      results.compareTimes(
        group,
        `dist/stella.js forensic verify (${stat})`,
        `deno run (empty script) (${stat})`,
        2,
      );
    }
  }
  return results;
}

/** Section `rss`: peak RSS over a large JSON Lines file, see the module doc. */
export async function peakRss(lines: number): Promise<Results> {
  const results = new Results();
  const group = `whole process: peak RSS, ${lines} envelopes in one JSON Lines file`;
  if (!(await hasGnuTime())) {
    results.add({
      group,
      name: "stella FILE.jsonl",
      unit: "MiB",
      rate: null,
      note: "skipped: no /usr/bin/time",
    });
    return results;
  }
  const corpora = [
    await ensureWholeCorpus("ed25519", 20_000),
    await ensureWholeCorpus("ecdsa-p256", 20_000),
  ];
  const path = `${TMP}/rss-${lines}.jsonl`;
  log(`${group}: writing ${path.slice(ROOT.length + 1)}`);
  {
    const sources = await Promise.all(corpora.map((c) => Deno.readFile(c.jsonl)));
    using file = await Deno.open(path, { write: true, create: true, truncate: true });
    let written = 0;
    let turn = 0;
    while (written < lines) {
      const source = sources[turn++ % sources.length]!;
      // Whole corpora while they fit, then the first lines of the next one.
      let bytes = source;
      const remaining = lines - written;
      if (remaining < 20_000) {
        let end = 0;
        for (let i = 0; i < remaining; i++) end = source.indexOf(0x0a, end) + 1;
        bytes = source.subarray(0, end);
      }
      for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
      written += Math.min(20_000, remaining);
    }
  }
  try {
    const args = stella("cli/main.ts", path, corpora.map((c) => c.pem));
    log(`${group}: ${commandLine(DENO, args, ROOT)}`);
    const t = await timeProcess(DENO, args, { cwd: ROOT, stdout: "null" });
    const ok = t.code === 0;
    results.add({
      group,
      name: "stella FILE.jsonl (peak RSS)",
      unit: "MiB",
      rate: ok && t.maxRssKiB !== null ? t.maxRssKiB / 1024 : null,
      command: commandLine(DENO, args, ROOT),
      seconds: t.wallMs / 1000,
      cpuSeconds: t.cpuMs === null ? null : t.cpuMs / 1000,
      maxRssMiB: t.maxRssKiB === null ? null : t.maxRssKiB / 1024,
      load: t.load,
      note: ok
        ? `${Math.round(lines / (t.wallMs / 1000))} envelopes/s; target <= 256 MiB: ${
          (t.maxRssKiB ?? Infinity) / 1024 <= 256 ? "PASS" : "FAIL"
        }`
        : `exit ${t.code}: ${t.stderr.trim().split("\n").slice(-2).join(" / ")}`,
    });
  } finally {
    await Deno.remove(path);
  }
  return results;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      only: { type: "string", default: "batch,cold,rss" },
      count: { type: "string", default: "20000" },
      rounds: { type: "string", default: "2" },
      "rss-lines": { type: "string", default: "1000000" },
      "cold-runs": { type: "string", default: "15" },
      out: { type: "string" },
    },
  });
  const only = new Set(values.only.split(","));
  const results = new Results();
  const sigstore = only.has("batch") ? await ensureSigstore() : {};
  if (sigstore.skip !== undefined) log(`skipping sigstore-js: ${sigstore.skip}`);
  if (only.has("cold")) results.merge(await coldStart(Number(values["cold-runs"])));
  if (only.has("batch")) {
    results.merge(
      await wholeProcessBatch({
        count: Number(values.count),
        rounds: Number(values.rounds),
        sigstore,
        algorithms: ["ed25519", "ecdsa-p256"],
      }),
    );
  }
  if (only.has("rss")) results.merge(await peakRss(Number(values["rss-lines"])));
  const load = Deno.loadavg().map((n) => n.toFixed(2)).join(" ");
  Deno.stdout.writeSync(
    encoder.encode(
      `deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs, load ${load}, ` +
        `@sigstore/verify ${sigstore.version ?? "n/a"}\n${results.table()}`,
    ),
  );
  if (values.out !== undefined) {
    await Deno.writeTextFile(
      values.out,
      JSON.stringify(
        {
          load,
          date: new Date().toISOString(),
          rows: results.rows,
          comparisons: results.comparisons,
        },
        null,
        2,
      ) + "\n",
    );
  }
}
