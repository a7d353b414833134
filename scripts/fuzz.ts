/**
 * `deno task fuzz`: the fuzz suite of tests/fuzz/ for longer runs, or to look at one mutation.
 *
 *   deno task fuzz [--iterations N] [--seed S] [--family NAME]... [--cli-every N] [--show I]
 *
 * Prints one line per family (mutations, verified-as-neutral, rejected, refused, the codes seen)
 * and every finding with the base64 of its input; exits 1 when there is a finding. `--show I`
 * prints mutation I of one family (its bytes as text, then its outcome) instead.
 */
import { parseArgs } from "node:util";
import { fuzzFamilies } from "../tests/fuzz/_families.ts";
import { mutations, runFuzz } from "../tests/fuzz/_runner.ts";

function integer(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${flag} takes a whole number ≥ 0, not "${text}"`);
  }
  return value;
}

const encoder = new TextEncoder();
const out = (text: string) => void Deno.stdout.writeSync(encoder.encode(text + "\n"));
const err = (text: string) => void Deno.stderr.writeSync(encoder.encode(text + "\n"));

const USAGE =
  "usage: deno task fuzz [--iterations N] [--seed S] [--family NAME]... [--cli-every N] [--show I]";

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      iterations: { type: "string" },
      seed: { type: "string" },
      family: { type: "string", multiple: true },
      "cli-every": { type: "string" },
      show: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const iterations = integer("--iterations", values.iterations, 2000);
  const seed = integer("--seed", values.seed, 1);
  const cliEvery = integer("--cli-every", values["cli-every"], 0);
  const all = await fuzzFamilies();
  const names = values.family ?? all.map((f) => f.name);
  const unknown = names.filter((name) => !all.some((f) => f.name === name));
  if (unknown.length > 0) {
    err(
      `fuzz: unknown family ${unknown.join(", ")}: use ${all.map((f) => f.name).join(", ")}`,
    );
    return 2;
  }
  const families = all.filter((f) => names.includes(f.name));
  if (values.show !== undefined) {
    const index = integer("--show", values.show, 0);
    if (families.length !== 1) {
      err("fuzz: --show needs exactly one --family");
      return 2;
    }
    const family = families[0]!;
    for (const m of mutations(family, seed, index + 1)) {
      if (m.iteration !== index) continue;
      out(new TextDecoder().decode(m.input));
      out(JSON.stringify(await family.evaluate(m.input, m.seedIndex)));
    }
    return 0;
  }
  let findings = 0;
  for (const family of families) {
    if (family.missing !== undefined) {
      out(`${family.name}: skipped, ${family.missing} is absent`);
      continue;
    }
    const started = performance.now();
    const result = await runFuzz(family, {
      iterations,
      seed,
      cliEvery,
      onProgress: (done) => {
        if (done % 1000 === 0 && Deno.stderr.isTerminal()) {
          Deno.stderr.writeSync(
            new TextEncoder().encode(`\r${family.name}: ${done}/${iterations}`),
          );
        }
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const codes = Object.entries(result.codes).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, n]) => `${code}=${n}`).join(" ");
    out(
      `${family.name}: ${result.iterations} mutations in ${seconds} s: ${result.verified} verified (neutral), ${result.rejected} rejected, ${result.refused} refused; ${codes}`,
    );
    for (const f of result.findings) {
      out(
        `  FINDING #${f.iteration} (seed input ${f.seedIndex}): ${f.problem}\n    ${f.input}`,
      );
    }
    findings += result.findings.length;
  }
  out(`${findings} findings`);
  return findings === 0 ? 0 : 1;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    err(`fuzz: ${(error as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
}
