/**
 * Cold start (issue 15): `stella` loads only what the command needs. The startup graph of an
 * entry is every module reachable through static value imports (type-only imports are erased
 * and `import()` runs later), read from the sources themselves so that the test needs neither
 * the network nor `deno info`; `bench/module_graph.ts` measures the same graph with `deno info`.
 */

import assert from "node:assert/strict";
import { COMMANDS } from "../../cli/commands.ts";
import { ROOT } from "./_io.ts";

const IMPORT =
  /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*"([^"]+)"|^\s*import\s+"([^"]+)"/gm;

/** Static value imports of one source file (relative specifiers resolved; others as written). */
async function staticImports(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(`${ROOT}/${path}`);
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[4] ?? m[5]!;
    if (m[2] !== undefined) continue; // import type / export type
    const clause = m[3] ?? "";
    const braces = /^\{([^}]*)\}$/s.exec(clause.trim());
    if (braces !== null) {
      const names = braces[1]!.split(",").map((s) => s.trim()).filter((s) => s !== "");
      if (names.length > 0 && names.every((n) => n.startsWith("type "))) continue; // all types
    }
    out.push(
      specifier.startsWith(".")
        ? new URL(specifier, `file:///${path}`).pathname.slice(1)
        : specifier,
    );
  }
  return out;
}

async function startupGraph(entries: readonly string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length > 0) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    if (path.endsWith(".ts")) stack.push(...await staticImports(path));
  }
  return seen;
}

Deno.test("stella --help and --version load only the command table, no command module", async () => {
  const graph = await startupGraph(["cli/main.ts"]);
  assert.deepEqual([...graph].sort(), [
    "cli/_io.ts",
    "cli/_read_ahead.ts",
    "cli/commands.ts",
    "cli/main.ts",
    "deno.json",
  ]);
});

Deno.test("stella forensic verify ENVELOPE loads no Sigstore, RFC 3161, X.509, timeline, kit, KMS or signing code", async () => {
  const graph = await startupGraph(["cli/main.ts", "cli/forensic_verify.ts"]);
  assert.ok(graph.has("lib/verify/verify_many.ts"));
  const unwanted = [...graph].filter((path) =>
    /^lib\/(kit\/|verify\/(verify_bundle|timestamp|x509_chain|fulcio|rekor|timeline|trusted_root|github_identity|checkpoint|signed_note)\.ts|sign\/(kms|kms_plugin|kms_plugin_process|audit_log|audit_log_file|attest|envelope|custody|key_ring|rotating_signer)\.ts|keys\/(x509|cosign_key|generate|jwk)\.ts)/
      .test(path) || /^cli\/(_bundle\.ts|kit_|sign|attest|keys_|timeline_append|audit)/.test(path)
  );
  assert.deepEqual(unwanted, []);
});

Deno.test("every command of the table loads as itself (same path and summary)", async () => {
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.deepEqual(command.path, entry.path);
    assert.equal(command.summary, entry.summary, entry.path.join(" "));
  }
});
