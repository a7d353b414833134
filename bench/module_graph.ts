/**
 * The module graph a command loads at start (issue 15, cold start): from `deno info --json`,
 * the modules reachable through static, non-type-only imports (what Deno loads and evaluates
 * before the first line of output), against everything reachable when dynamic imports are
 * followed too.
 *
 *   deno run --allow-read --allow-run bench/module_graph.ts [--json]
 *
 * Rows:
 * - `stella (any command)`: `cli/main.ts` alone (help, `--version`, the command table);
 * - `stella forensic verify ENVELOPE`: `cli/main.ts` plus `cli/forensic_verify.ts`, the command
 *   module the table loads (the bundle, timeline and RFC 3161 code stay behind dynamic imports);
 * - `all commands`: everything `cli/main.ts` can reach, dynamic imports followed.
 *
 * Local modules are counted with their source size; npm and `node:` modules are listed by name
 * (`deno info` gives no size for them).
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

interface InfoDependency {
  specifier: string;
  code?: { specifier: string };
  isDynamic?: boolean;
}
interface InfoModule {
  specifier: string;
  size?: number;
  dependencies?: InfoDependency[];
}

/** One row: the modules a set of entry points loads. */
export interface GraphRow {
  name: string;
  localModules: number;
  localBytes: number;
  external: string[];
}

async function info(entry: string): Promise<Map<string, InfoModule>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (output.code !== 0) {
    throw new Error(`deno info ${entry} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  const json = JSON.parse(new TextDecoder().decode(output.stdout)) as { modules: InfoModule[] };
  return new Map(json.modules.map((m) => [m.specifier, m]));
}

function reach(
  modules: Map<string, InfoModule>,
  roots: readonly string[],
  dynamic: boolean,
): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      // Type-only imports have no `code` edge: they are erased and never load.
      if (dep.code !== undefined && (dynamic || dep.isDynamic !== true)) {
        stack.push(dep.code.specifier);
      }
    }
  }
  return seen;
}

function row(name: string, modules: Map<string, InfoModule>, seen: Set<string>): GraphRow {
  const local = [...seen].filter((s) => s.startsWith("file:"));
  return {
    name,
    localModules: local.length,
    localBytes: local.reduce((sum, s) => sum + (modules.get(s)?.size ?? 0), 0),
    external: [...seen].filter((s) => !s.startsWith("file:")).sort(),
  };
}

/** Measures the rows described in the module doc. */
export async function moduleGraph(): Promise<GraphRow[]> {
  const modules = await info("cli/main.ts");
  const url = (path: string) => new URL(path, `file://${ROOT}/`).href;
  const main = url("cli/main.ts");
  return [
    row("stella (any command)", modules, reach(modules, [main], false)),
    row(
      "stella forensic verify ENVELOPE",
      modules,
      reach(modules, [main, url("cli/forensic_verify.ts")], false),
    ),
    row("all commands (dynamic imports followed)", modules, reach(modules, [main], true)),
  ];
}

if (import.meta.main) {
  const rows = await moduleGraph();
  const print = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
  if (Deno.args.includes("--json")) {
    print(JSON.stringify(rows, null, 2));
  } else {
    for (const r of rows) {
      print(
        `${r.name.padEnd(42)} ${String(r.localModules).padStart(4)} local modules, ${
          (r.localBytes / 1024).toFixed(0).padStart(5)
        } KiB source; ${r.external.join(", ") || "no npm/node modules"}`,
      );
    }
  }
}
