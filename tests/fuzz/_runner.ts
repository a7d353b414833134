/**
 * Runs seeded mutations of one fuzz family and judges every outcome (see `_families.ts`).
 */
import { ParseError, ValidationError } from "../../mod.ts";
import type { Family, Outcome } from "./_families.ts";
import { mutate, Rng } from "./_mutate.ts";
import { runCli } from "../cli/_io.ts";

/** One finding: a mutation whose outcome breaks the family's rules. */
export interface Finding {
  family: string;
  iteration: number;
  seedIndex: number;
  problem: string;
  /** The mutated input, base64, to reproduce the finding. */
  input: string;
}

/** Totals of one run. */
export interface FuzzResult {
  family: string;
  iterations: number;
  verified: number;
  rejected: number;
  refused: number;
  codes: Record<string, number>;
  findings: Finding[];
}

/** Derives the per-family seed so that families do not share mutation streams. */
function familySeed(seed: number, name: string): number {
  let h = seed >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** One mutated input. */
export interface Mutation {
  iteration: number;
  seedIndex: number;
  input: Uint8Array;
}

/**
 * The family's mutations for `seed`, in order (deterministic). Stacked mutations (one to three
 * edits) reach past the first parse error.
 */
export function* mutations(family: Family, seed: number, iterations: number): Generator<Mutation> {
  const rng = new Rng(familySeed(seed, family.name));
  for (let iteration = 0; iteration < iterations; iteration++) {
    const seedIndex = rng.below(family.seeds.length);
    let input: Uint8Array = family.seeds[seedIndex]!;
    const edits = 1 + rng.below(3);
    for (let e = 0; e < edits; e++) {
      input = family.mutate === undefined
        ? mutate(rng, input, family.json)
        : family.mutate(rng, input);
    }
    yield { iteration, seedIndex, input };
  }
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  iterations: number;
  seed: number;
  /** Also run every n-th mutation through the `stella` CLI in process (0: never). */
  cliEvery?: number;
  onProgress?: (done: number) => void;
}

/** Mutates the family's seeds `iterations` times and judges each outcome. */
export async function runFuzz(family: Family, options: FuzzOptions): Promise<FuzzResult> {
  const result: FuzzResult = {
    family: family.name,
    iterations: 0,
    verified: 0,
    rejected: 0,
    refused: 0,
    codes: {},
    findings: [],
  };
  const seedMeanings: (string | undefined)[] = [];
  for (const [i, seed] of family.seeds.entries()) {
    const outcome = await family.evaluate(seed, i);
    if (!outcome.verified) {
      throw new Error(`fuzz seed ${family.name}[${i}] does not verify: ${outcome.code}`);
    }
    seedMeanings.push(outcome.meaning);
  }
  const cliEvery = family.cliArgs === undefined ? 0 : options.cliEvery ?? 0;
  const dir = cliEvery > 0 ? await Deno.makeTempDir({ prefix: "stella-fuzz-" }) : "";
  for (
    const { iteration, seedIndex, input } of mutations(family, options.seed, options.iterations)
  ) {
    const finding = (problem: string) =>
      result.findings.push({
        family: family.name,
        iteration,
        seedIndex,
        problem,
        input: input.toBase64(),
      });
    let outcome: Outcome;
    try {
      outcome = await family.evaluate(input, seedIndex);
    } catch (error) {
      if (family.operator && (error instanceof ParseError || error instanceof ValidationError)) {
        result.refused++;
        result.codes[(error as { code?: string }).code ?? "VALIDATION"] =
          (result.codes[(error as { code?: string }).code ?? "VALIDATION"] ?? 0) + 1;
      } else {
        finding(`threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
      }
      result.iterations++;
      options.onProgress?.(result.iterations);
      continue;
    }
    result.iterations++;
    options.onProgress?.(result.iterations);
    if (cliEvery > 0 && iteration % cliEvery === 0) {
      const path = `${dir}/input-${iteration}${family.cliExtension ?? ".json"}`;
      await Deno.writeFile(path, input);
      const cli = await runCli(family.cliArgs!(path, seedIndex));
      if (cli.status !== (outcome.verified ? 0 : 1)) {
        finding(
          `the CLI exits ${cli.status} where the library says verified=${outcome.verified}: ${
            cli.stderr.slice(0, 200)
          }`,
        );
      }
      await Deno.remove(path);
    }
    if (outcome.verified) {
      result.verified++;
      if (!family.operator && outcome.meaning !== seedMeanings[seedIndex]) {
        finding("verified, but the content it vouches for is not the seed's");
      }
    } else {
      result.rejected++;
      const code = outcome.code ?? "(no code)";
      result.codes[code] = (result.codes[code] ?? 0) + 1;
      if (outcome.code === undefined) finding("rejected without a code");
    }
  }
  if (dir !== "") await Deno.remove(dir, { recursive: true });
  return result;
}
