/**
 * `deno task install [--root DIR] [--name NAME]`: installs a `stella` command that runs this
 * checkout's `cli/main.ts`, offline and with the least permissions: `--allow-read
 * --allow-write --allow-env` (no network, subprocesses or FFI), in the caller's working
 * directory. It is `deno install --global --cached-only` with the checkout's `deno.json` and its
 * vendored `node_modules/` (`--node-modules-dir=manual`), so nothing is downloaded and an empty
 * `DENO_DIR` suffices. `--no-lock`: the installed command resolves nothing (every npm package
 * is read from the vendored `node_modules/`, whose contents `deno.lock` pinned when they were
 * vendored), and the checkout's frozen `deno.lock` is left as it is. The command is written to `DIR/bin/NAME` (default: Deno's install root,
 * `$DENO_INSTALL_ROOT` or `~/.deno`, so `~/.deno/bin/stella`); an existing one is replaced.
 * Rerun it after moving the checkout or changing `deno.json`.
 *
 * Exit status: 0 installed; 2 could not install (bad flag, `deno install` failed).
 *
 * @module
 */

import { parseArgs } from "node:util";

/** The checkout this script belongs to (no trailing slash). */
export const ROOT: string = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The permissions of the installed command: read and write files, read environment variables
 * (passwords via `--password-env`, `SOURCE_DATE_EPOCH`, `NO_COLOR`). Never network, run or FFI.
 */
export const INSTALL_PERMISSIONS = ["--allow-read", "--allow-write", "--allow-env"] as const;

/** The `deno install` arguments that install the command (`root`: the install root). */
export function installArgs(
  options: { root?: string | undefined; name?: string | undefined },
): string[] {
  return [
    "install",
    "--global",
    "--cached-only",
    "--force",
    "--name",
    options.name ?? "stella",
    ...(options.root === undefined ? [] : ["--root", options.root]),
    "--config",
    `${ROOT}/deno.json`,
    "--node-modules-dir=manual",
    "--no-lock",
    ...INSTALL_PERMISSIONS,
    `${ROOT}/cli/main.ts`,
  ];
}

/** Writes one line to standard error. */
function printError(text: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(text + "\n"));
}

if (import.meta.main) {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: { root: { type: "string" }, name: { type: "string" } },
      allowPositionals: false,
    }));
  } catch (error) {
    printError(`install: ${(error as Error).message}`);
    printError("Usage: deno task install [--root DIR] [--name NAME]");
    Deno.exit(2);
  }
  if (values.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(values.name)) {
    printError(
      `install: Cannot use --name "${values.name}": use letters, digits, ".", "_", "-"`,
    );
    Deno.exit(2);
  }
  const result = await new Deno.Command(Deno.execPath(), {
    args: installArgs(values),
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!result.success) {
    printError("install: deno install failed (see above)");
    Deno.exit(2);
  }
  printError(
    `${values.name ?? "stella"} runs ${ROOT}/cli/main.ts with ${INSTALL_PERMISSIONS.join(" ")}`,
  );
}
