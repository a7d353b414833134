/**
 * Runs `bench/sign_bench.ts` (our signers, `deno bench --json`) and
 * `bench/sign_node_reference.mjs` (node:crypto under Node.js, i.e. OpenSSL) and prints, per
 * operation, calls per second for both and the ratio ours/node (above 1 means we are faster).
 * Rates come from the fastest call (min), which a busy or shared machine disturbs least; the
 * ratio from the 75th-percentile call time is printed next to it.
 *
 *   deno run --cached-only --allow-run --allow-read --allow-env bench/sign_compare.ts
 */

interface DenoBench {
  benches: {
    group: string;
    name: string;
    results: { ok?: { n: number; min: number; avg: number; p75: number } }[];
  }[];
  runtime: string;
}
interface NodeBench {
  runtime: string;
  results: { group: string; n: number; min: number; avg: number; p75: number }[];
}

async function run(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "inherit" })
    .output();
  if (!out.success) throw new Error(`Cannot run ${command} ${args.join(" ")}: exit ${out.code}`);
  return new TextDecoder().decode(out.stdout);
}

const here = new URL(".", import.meta.url);
const denoJson: DenoBench = JSON.parse(
  await run(Deno.execPath(), [
    "bench",
    "--cached-only",
    "--json",
    new URL("sign_bench.ts", here).pathname,
  ]),
);
const nodeJson: NodeBench = JSON.parse(
  await run("node", [new URL("sign_node_reference.mjs", here).pathname]),
);

const rate = (ns: number): number => 1e9 / ns;
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US").padStart(9);
const rows: string[] = [];
rows.push(`ours: ${denoJson.runtime}; reference: ${nodeJson.runtime}`);
rows.push(
  "operation         | ours ops/s | node ops/s | ours/node | ours/node (p75)",
);
rows.push(
  "------------------|------------|------------|-----------|----------------",
);
for (const reference of nodeJson.results) {
  const ours = denoJson.benches.find((b) => b.group === reference.group && b.name === "stellaops")
    ?.results[0]?.ok;
  if (ours === undefined) throw new Error(`Missing our benchmark for ${reference.group}`);
  rows.push(
    [
      reference.group.padEnd(17),
      fmt(rate(ours.min)).padStart(10),
      fmt(rate(reference.min)).padStart(10),
      (reference.min / ours.min).toFixed(2).padStart(9),
      (reference.p75 / ours.p75).toFixed(2).padStart(15),
    ].join(" | "),
  );
}
await Deno.stdout.write(new TextEncoder().encode(rows.join("\n") + "\n"));
