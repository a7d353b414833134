/**
 * What the start of `stella forensic verify` spends on loading code (issue 15, cold start): the
 * cost of importing each part of its startup graph in a fresh process, against an empty script.
 * Each entry is a module written for the run under `bench/results/tmp/imports/` that imports one
 * thing; runs are interleaved, `--runs` of each after one warm-up.
 *
 *   deno run --cached-only --allow-read --allow-write --allow-run --allow-sys bench/import_cost.ts [--runs 20]
 *
 * Prints best wall time and median CPU time (user + system, from `/usr/bin/time`) per entry.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { timeProcess } from "./_process.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DIR = `${ROOT}/bench/results/tmp/imports`;
const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "20" } },
});
const RUNS = Number(values.runs);

const ENTRIES: Record<string, string> = {
  "empty script": "",
  "node:util (parseArgs)": `import "node:util";`,
  "node:crypto": `import "node:crypto";`,
  "node:crypto, node:buffer, node:util":
    `import "node:crypto"; import "node:buffer"; import "node:util";`,
  "@noble/curves ed25519 + nist":
    `import "@noble/curves/ed25519.js"; import "@noble/curves/nist.js";`,
  "node builtins + @noble/curves": `import "node:crypto"; import "node:buffer"; import "node:util";
import "@noble/curves/ed25519.js"; import "@noble/curves/nist.js";`,
  "lib/verify/verify_many.ts": `import "../../../../lib/verify/verify_many.ts";`,
  "cli/main.ts + cli/forensic_verify.ts": `import "../../../../cli/main.ts";
import "../../../../cli/forensic_verify.ts";`,
};

await Deno.mkdir(DIR, { recursive: true });
const files: [string, string][] = [];
for (const [i, [name, text]] of Object.entries(ENTRIES).entries()) {
  const path = `${DIR}/entry${i}.ts`;
  await Deno.writeTextFile(path, text + "\n");
  files.push([name, path]);
}
const walls = new Map<string, number[]>();
const cpus = new Map<string, number[]>();
for (let round = 0; round <= RUNS; round++) {
  for (const [name, path] of files) {
    const t = await timeProcess(Deno.execPath(), ["run", "--cached-only", "--allow-read", path], {
      cwd: ROOT,
      stdout: "null",
    });
    if (t.code !== 0) throw new Error(`${name}: exit ${t.code}: ${t.stderr}`);
    if (round === 0) continue;
    walls.set(name, [...(walls.get(name) ?? []), t.wallMs]);
    if (t.cpuMs !== null) cpus.set(name, [...(cpus.get(name) ?? []), t.cpuMs]);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const out = new TextEncoder();
const load = Deno.loadavg().map((n) => n.toFixed(2)).join(" ");
let text = `${RUNS} interleaved runs each, load ${load}\n`;
for (const [name] of files) {
  text +=
    `${name.padEnd(40)} wall best ${Math.min(...walls.get(name)!).toFixed(0).padStart(4)} ms` +
    `   cpu median ${median(cpus.get(name) ?? []).toFixed(0).padStart(4)} ms\n`;
}
Deno.stdout.writeSync(out.encode(text));
