/**
 * The fuzz suite (issue: fail-closed verification, item 8): seeded mutations of every input
 * family end in a report (or, for operator-supplied config, a ParseError), never an uncaught
 * exception, and never VERIFIED unless the content the verdict vouches for is unchanged.
 *
 * `STELLA_FUZZ_ITERATIONS` (default 2000 per family) and `STELLA_FUZZ_SEED` (default 1) tune it;
 * `deno task fuzz --iterations N --seed S` runs longer outside the test suite.
 */
import assert from "node:assert/strict";
import { fuzzFamilies } from "./_families.ts";
import { runFuzz } from "./_runner.ts";
import { REQUIRE_VECTORS } from "../_vectors.ts";

function envNumber(name: string, fallback: number): number {
  const text = Deno.env.get(name);
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be an integer`);
  return value;
}

const ITERATIONS = envNumber("STELLA_FUZZ_ITERATIONS", 2000);
const SEED = envNumber("STELLA_FUZZ_SEED", 1);

for (const family of await fuzzFamilies()) {
  const name =
    `fuzz ${family.name}: ${ITERATIONS} seeded mutations (seed ${SEED}) end in a sound verdict`;
  if (family.missing !== undefined && !REQUIRE_VECTORS) {
    // deno-lint-ignore no-console
    console.log(`skipping fuzz family ${family.name}: ${family.missing} is absent`);
    Deno.test({ name, ignore: true, fn: () => {} });
    continue;
  }
  Deno.test(name, async () => {
    assert.equal(family.missing, undefined, `${family.missing} is absent`);
    const result = await runFuzz(family, { iterations: ITERATIONS, seed: SEED, cliEvery: 10 });
    // deno-lint-ignore no-console
    console.log(
      `  ${result.iterations} mutations: ${result.verified} verified (neutral), ${result.rejected} rejected, ${result.refused} refused`,
    );
    assert.deepEqual(
      result.findings.slice(0, 5).map((f) =>
        `#${f.iteration} (seed input ${f.seedIndex}): ${f.problem.slice(0, 300)}`
      ),
      [],
      `${result.findings.length} findings; reproduce one with \`deno task fuzz --family ${family.name} --seed ${SEED} --iterations N --show I\``,
    );
    assert.equal(result.iterations, ITERATIONS);
    // The mutations must reach past the first check: more than one distinct rejection code.
    assert.ok(Object.keys(result.codes).length > 1, JSON.stringify(result.codes));
  });
}
