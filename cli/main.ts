/**
 * `stella`: the StellaOps Provenance command line. Every command is a thin adapter over one
 * library function (see `cli/commands.ts`); `run(args, io)` is the whole CLI, in-process.
 *
 * Exit status: 0 success / verified; 1 the input was evaluated and rejected (not verified,
 * malformed artifact); 2 the command could not run (usage error, missing file, bad config).
 *
 * @example Usage
 * ```ts ignore
 * import { run } from "@stellaops/provenance/cli";
 * const status = await run(["canonicalize", "statement.json"]);
 * ```
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { type CommandEntry, COMMANDS } from "./commands.ts";
import { CliError, denoIo, type Io } from "./_io.ts";

/** The package version, as `stella --version` prints it. */
export const VERSION: string = config.version;

/**
 * Runs the CLI in-process: parses `args`, dispatches to one command, maps errors to exit codes.
 * Never throws and never prints a stack trace: anything unexpected is `stella: <message>`, exit 2.
 *
 * @param args Arguments after the program name, e.g. `["digest", "a.tar"]`.
 * @param io Where output goes and files come from (defaults to the real process).
 * @returns The exit status: 0, 1 or 2 (130 when interrupted).
 *
 * @example Usage
 * ```ts
 * import { run, VERSION } from "@stellaops/provenance/cli";
 * import assert from "node:assert/strict";
 * assert.match(VERSION, /^\d+\.\d+\.\d+/);
 * assert.equal(await run(["--version"]), 0); // prints "stella <VERSION>"
 * assert.equal(await run(["no-such-command"]), 2); // prints "stella: …" to stderr, no stack trace
 * ```
 */
export async function run(args: string[], io: Io = denoIo()): Promise<number> {
  try {
    const first = args[0];
    if (first === undefined) {
      io.stderr(topHelp());
      return 2;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      const topic = args.slice(1);
      if (topic.length === 0) {
        io.stdout(topHelp());
        return 0;
      }
      return run([...topic, "--help"], io);
    }
    if (first === "--version" || first === "-V") return run(["version", ...args.slice(1)], io);
    const entry = findCommand(args);
    if (entry === undefined) {
      const group = COMMANDS.filter((c) => c.path.length > 1 && c.path[0] === first);
      if (group.length === 0) throw new CliError(`Unknown command "${first}"; run "stella --help"`);
      const wantsHelp = args.length === 1 || args[1] === "--help" || args[1] === "-h";
      if (args.length > 1 && !wantsHelp) {
        throw new CliError(`Unknown command "${first} ${args[1]}"; run "stella ${first} --help"`);
      }
      (args.length === 1 ? io.stderr : io.stdout)(groupHelp(first, group));
      return args.length === 1 ? 2 : 0;
    }
    // Only the chosen command's module (and the library code it needs) is loaded.
    const command = await entry.load();
    const rest = args.slice(command.path.length);
    const dashDash = rest.indexOf("--");
    const flags = dashDash === -1 ? rest : rest.slice(0, dashDash);
    if (flags.includes("--help") || flags.includes("-h")) {
      io.stdout(command.help.endsWith("\n") ? command.help : command.help + "\n");
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`stella: ${message}\n`);
    return 2;
  }
}

function findCommand(args: readonly string[]): CommandEntry | undefined {
  let best: CommandEntry | undefined;
  for (const command of COMMANDS) {
    if (command.path.every((word, i) => args[i] === word)) {
      if (best === undefined || command.path.length > best.path.length) best = command;
    }
  }
  return best;
}

function table(commands: readonly CommandEntry[]): string {
  const names = commands.map((c) => c.path.join(" "));
  const width = Math.max(...names.map((n) => n.length));
  return commands.map((c, i) => `  ${names[i]!.padEnd(width)}  ${c.summary}\n`).join("");
}

function topHelp(): string {
  return `stella ${VERSION}: prove container provenance offline

Usage: stella <command> [flags] [arguments]

Commands:
${table(COMMANDS)}
Global flags:
  -h, --help     Show help for stella or for a command ("stella <command> --help")
  -V, --version  Print the version ("stella version": also Deno's and the bundle's build)

Exit status: 0 success/verified, 1 input evaluated and rejected, 2 could not run.
`;
}

function groupHelp(group: string, commands: readonly CommandEntry[]): string {
  return `Usage: stella ${group} <command> [flags]

Commands:
${table(commands)}
Run "stella ${group} <command> --help" for the flags of one command.
`;
}

if (import.meta.main) {
  Deno.exit(await run(Deno.args));
}
