/**
 * Wall time of one cold `stella forensic verify` run against `deno run` of an empty script: the
 * cost an operator pays per invocation on top of starting Deno at all.
 *
 * `deno run --cached-only --allow-read --allow-write --allow-run bench/cli_cold_start.ts`
 *
 * Times, best and median of 10 runs each (after one untimed warm-up of each, so both read the
 * same warm module cache; "cold" means a new process per run):
 * - `deno run --cached-only --allow-read cli/main.ts forensic verify
 *   fixtures/negative/valid.ed25519.dsse.json --key fixtures/negative/keys/test-only-ed25519-a.pub.pem`
 *   (read permission only, as documented for operators);
 * - `deno run --cached-only <empty.ts>` (a temporary empty module).
 *
 * Prints both and the ratio verify / empty (best and median).
 */

const RUNS = 10;
const ROOT = new URL("..", import.meta.url).pathname;
const OUT = new TextEncoder();

function print(line: string): void {
  Deno.stdout.writeSync(OUT.encode(line + "\n"));
}

async function time(args: string[], expect: number): Promise<number> {
  const start = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const elapsed = performance.now() - start;
  if (output.code !== expect) {
    throw new Error(
      `${args.join(" ")} exited ${output.code}: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return elapsed;
}

async function measure(args: string[]): Promise<{ best: number; median: number }> {
  await time(args, 0);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await time(args, 0));
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: (times[RUNS / 2 - 1]! + times[RUNS / 2]!) / 2 };
}

const empty = await Deno.makeTempFile({ prefix: "stella-empty-", suffix: ".ts" });
try {
  const verify = await measure([
    "run",
    "--cached-only",
    "--allow-read",
    "cli/main.ts",
    "forensic",
    "verify",
    "fixtures/negative/valid.ed25519.dsse.json",
    "--key",
    "fixtures/negative/keys/test-only-ed25519-a.pub.pem",
  ]);
  const baseline = await measure(["run", "--cached-only", empty]);
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  print(`runs per command: ${RUNS} (after 1 warm-up)`);
  print(`deno run empty script:   best ${ms(baseline.best)}, median ${ms(baseline.median)}`);
  print(`stella forensic verify:  best ${ms(verify.best)}, median ${ms(verify.median)}`);
  print(
    `ratio verify / empty:    best ${(verify.best / baseline.best).toFixed(2)}x, median ${
      (verify.median / baseline.median).toFixed(2)
    }x`,
  );
} finally {
  await Deno.remove(empty);
}
