/**
 * Compares the Merkle root of 1,000,000 leaves with OpenSSL's single-core SHA-256 rate on 64-byte
 * inputs, measured in the same run (issue target: our rate within 4× of OpenSSL's).
 *
 * `deno run --cached-only -A bench/merkle_vs_openssl.ts`
 *
 * - OpenSSL: `openssl speed -seconds 3 -bytes 64 sha256`, hashes/s from its "Doing sha256 …: N
 *   sha256's in T s" line. OpenSSL divides by CPU user time, so its figure ignores time lost to
 *   other processes; the script also runs the same command with `-elapsed` (divide by wall-clock
 *   time) so that both sides can be compared in the same unit.
 * - Ours: `merkleRootOfData` over 1,000,000 32-byte entries, best of 5 runs, timed by wall clock
 *   and by process CPU time (user + system, all threads). One root takes 2 × 1,000,000 − 1 SHA-256
 *   calls (each leaf hash over 33 bytes: one block; each node hash over 65 bytes: two blocks, as a
 *   64-byte OpenSSL input also takes), so hashes/s = 1,999,999 / time.
 *
 * Prints three ratios, OpenSSL ÷ ours: CPU time ÷ CPU time and wall clock ÷ wall clock (like for
 * like: the target), and OpenSSL CPU time ÷ our wall clock (the strictest, which a busy machine
 * inflates). Exits with status 1 when a like-for-like ratio exceeds 4.
 */

import { cpuUsage } from "node:process";
import { merkleRootOfData } from "../lib/digest/mod.ts";

const LEAVES = 1_000_000;
const RUNS = 5;
const TARGET_RATIO = 4;
const OUT = new TextEncoder();

function print(line: string): void {
  Deno.stdout.writeSync(OUT.encode(line + "\n"));
}

function format(rate: number): string {
  return `${(rate / 1e6).toFixed(2)} M hashes/s`;
}

async function opensslRate(extra: string[]): Promise<number> {
  const args = ["speed", ...extra, "-seconds", "3", "-bytes", "64", "sha256"];
  print(`$ openssl ${args.join(" ")}`);
  const { success, stdout, stderr } = await new Deno.Command("openssl", {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout);
  if (!success) throw new Error(`openssl speed failed:\n${text}`);
  const doing = /Doing sha256 for \S+ on 64 size blocks: (\d+) sha256's in ([\d.]+)s/.exec(text);
  if (doing !== null) return Number(doing[1]) / Number(doing[2]);
  const table = /^sha256\s+([\d.]+)k\s*$/m.exec(text); // 1000s of bytes per second
  if (table !== null) return (Number(table[1]) * 1000) / 64;
  throw new Error(`Cannot read the sha256 rate from openssl speed output:\n${text}`);
}

const opensslCpu = await opensslRate([]);
print(`  openssl sha256, 64-byte inputs, 1 core, per CPU second: ${format(opensslCpu)}`);
const opensslWall = await opensslRate(["-elapsed"]);
print(`  openssl sha256, 64-byte inputs, 1 core, per wall second: ${format(opensslWall)}`);

const data = new Uint8Array(32 * LEAVES);
for (let i = 0; i < data.length; i++) data[i] = Math.imul(i, 2654435761) >>> 24;
const entries = Array.from({ length: LEAVES }, (_, i) => data.subarray(32 * i, 32 * i + 32));

let bestWall = Infinity;
let bestCpu = Infinity;
let root = "";
for (let run = 1; run <= RUNS; run++) {
  const cpuBefore = cpuUsage();
  const start = performance.now();
  root = merkleRootOfData(entries).toHex();
  const wall = (performance.now() - start) / 1000;
  const cpu = cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  bestWall = Math.min(bestWall, wall);
  bestCpu = Math.min(bestCpu, cpuSeconds);
  print(`run ${run}: ${wall.toFixed(3)} s wall, ${cpuSeconds.toFixed(3)} s CPU`);
}
const hashes = 2 * LEAVES - 1;
const oursWall = hashes / bestWall;
const oursCpu = hashes / bestCpu;
print(`merkleRootOfData, ${LEAVES} leaves (root ${root.slice(0, 16)}…), best of ${RUNS}:`);
print(`  ${bestCpu.toFixed(3)} s CPU  -> ${format(oursCpu)}`);
print(`  ${bestWall.toFixed(3)} s wall -> ${format(oursWall)}`);

const cpuRatio = opensslCpu / oursCpu;
const wallRatio = opensslWall / oursWall;
print("ratio openssl / ours:");
print(`  CPU time / CPU time:     ${cpuRatio.toFixed(2)}x`);
print(`  wall clock / wall clock: ${wallRatio.toFixed(2)}x`);
print(`  CPU time / wall clock:   ${(opensslCpu / oursWall).toFixed(2)}x (strictest)`);
const pass = cpuRatio <= TARGET_RATIO && wallRatio <= TARGET_RATIO;
print(
  `${pass ? "PASS" : "FAIL"}: like-for-like ratios ${pass ? "within" : "above"} ${TARGET_RATIO}x`,
);
if (!pass) Deno.exit(1);
