/**
 * Times one child process for the whole-process benchmarks (`bench/whole_process.ts`,
 * `bench/cli_cold_start.ts`): wall clock from spawn to exit, the time to the first byte on
 * stdout, and, through `/usr/bin/time` when it is installed, CPU time (user + system, all
 * threads) and peak resident memory.
 *
 * @module
 */

/** What one run of a child process cost. */
export interface ProcessTiming {
  /** Exit status. */
  code: number;
  /** Spawn to exit, ms. */
  wallMs: number;
  /** Spawn to the first byte on stdout, ms (null when nothing was printed or not asked). */
  firstOutputMs: number | null;
  /** User + system CPU time of the child, ms (null without `/usr/bin/time`). */
  cpuMs: number | null;
  /** Peak resident set size of the child, KiB (null without `/usr/bin/time`). */
  maxRssKiB: number | null;
  /** Bytes the child wrote to stdout (0 when stdout went to /dev/null). */
  stdoutBytes: number;
  /** The end of the child's stderr (for error messages). */
  stderr: string;
  /** 1-minute load average when the child exited (null without `--allow-sys`). */
  load: number | null;
}

/** Options of {@link timeProcess}. */
export interface TimeProcessOptions {
  cwd?: string | undefined;
  /**
   * `"null"`: stdout goes to /dev/null (cheapest for the child; no first-output time);
   * `"drain"` (default): stdout is read and counted, and the first byte is timed.
   */
  stdout?: "null" | "drain" | undefined;
  env?: Record<string, string> | undefined;
}

let gnuTime: boolean | undefined;

/** Whether `/usr/bin/time` (GNU time, for CPU time and peak RSS) is installed. */
export async function hasGnuTime(): Promise<boolean> {
  gnuTime ??= await Deno.stat("/usr/bin/time").then((i) => i.isFile, () => false);
  return gnuTime;
}

/**
 * Runs `cmd args` once and measures it.
 *
 * @param cmd Program.
 * @param args Arguments.
 * @param options Working directory, stdout handling, environment.
 * @returns The timing (the exit status is not checked here).
 */
export async function timeProcess(
  cmd: string,
  args: readonly string[],
  options: TimeProcessOptions = {},
): Promise<ProcessTiming> {
  const gnu = await hasGnuTime();
  const report = gnu ? await Deno.makeTempFile({ prefix: "stella-bench-time-" }) : undefined;
  const argv = gnu ? ["-f", "%U %S %M", "-o", report!, cmd, ...args] : [...args];
  const drain = (options.stdout ?? "drain") === "drain";
  const start = performance.now();
  const child = new Deno.Command(gnu ? "/usr/bin/time" : cmd, {
    args: argv,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
    stdin: "null",
    stdout: drain ? "piped" : "null",
    stderr: "piped",
  }).spawn();
  let firstOutputMs: number | null = null;
  let stdoutBytes = 0;
  const stdoutDone = drain
    ? (async () => {
      for await (const chunk of child.stdout) {
        if (firstOutputMs === null && chunk.length > 0) firstOutputMs = performance.now() - start;
        stdoutBytes += chunk.length;
      }
    })()
    : Promise.resolve();
  const stderrDone = (async () => {
    let tail = "";
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4000);
    }
    return tail;
  })();
  const [status, , stderr] = await Promise.all([child.status, stdoutDone, stderrDone]);
  const wallMs = performance.now() - start;
  let cpuMs: number | null = null;
  let maxRssKiB: number | null = null;
  if (report !== undefined) {
    const text = await Deno.readTextFile(report);
    await Deno.remove(report);
    const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(text);
    if (m !== null) {
      cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
      maxRssKiB = Number(m[3]);
    }
  }
  return {
    code: status.code,
    wallMs,
    firstOutputMs,
    cpuMs,
    maxRssKiB,
    stdoutBytes,
    stderr,
    load: loadAverage(),
  };
}

/** The 1-minute load average, or null when it cannot be read (no `--allow-sys`). */
export function loadAverage(): number | null {
  try {
    return Deno.loadavg()[0] ?? null;
  } catch {
    return null;
  }
}

/** Shell-like rendering of a command line, for reports (paths relative to `root`). */
export function commandLine(cmd: string, args: readonly string[], root: string): string {
  const rel = (s: string) => s.startsWith(root + "/") ? s.slice(root.length + 1) : s;
  return [cmd === Deno.execPath() ? "deno" : rel(cmd), ...args.map(rel)].join(" ");
}
