/**
 * Test helpers for the CLI: an Io over the real file system whose standard streams are captured,
 * and a way to run `cli/main.ts` as a separate process.
 */

import { denoIo, type Io } from "../../cli/_io.ts";
import { run } from "../../cli/main.ts";

/** Captured result of one in-process CLI run. */
export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with real files, captured streams and optional overrides. */
export async function runCli(
  args: string[],
  overrides: Partial<Pick<Io, "now" | "env" | "promptPassword" | "stderrIsTerminal">> = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    ...denoIo(),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    promptPassword: undefined,
    stderrIsTerminal: false,
    color: false,
    ...overrides,
  };
  const status = await run(args, io);
  return { status, stdout, stderr };
}

/** Path of the repository root (ends without a slash). */
export const ROOT: string = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** Runs `deno run cli/main.ts ARGS` as a child process with the given environment. */
export async function spawnCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<RunResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--cached-only",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "cli/main.ts",
      ...args,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    status: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Runs `fn` with a fresh temporary directory, removed afterwards whatever happens. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
