/**
 * The public API stays small and documented: `mod.ts` exports at most 60 values (what a verifier or
 * signer needs), each with an example; the advanced areas are the subpath exports of deno.json,
 * each documented (`deno doc --lint` over every path, in CI).
 */
import assert from "node:assert/strict";
import config from "../deno.json" with { type: "json" };
import * as root from "../mod.ts";

const ROOT = new URL("../", import.meta.url);
const LIBRARY_PATHS = Object.entries(config.exports).filter(([key]) => key !== "./cli");

interface DocNode {
  name: string;
  declarations: { kind: string; jsDoc?: { tags?: { kind: string }[] } }[];
}

async function docSymbols(entry: string): Promise<DocNode[]> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const json = JSON.parse(new TextDecoder().decode(stdout));
  const modules = Object.values(json.nodes) as { symbols: DocNode[] }[];
  return modules.flatMap((m) => m.symbols);
}

const isValue = (node: DocNode) =>
  node.declarations.some((d) => ["function", "variable", "class", "enum"].includes(d.kind));

Deno.test("mod.ts: at most 60 value exports", () => {
  const names = Object.keys(root);
  assert.ok(names.length <= 60, `mod.ts exports ${names.length} values: ${names.join(", ")}`);
  // What the README's quick start and the CLI's main path use stays at the root.
  for (const name of ["verifyEnvelope", "verifyBundle", "loadTrustMaterial", "signEnvelope"]) {
    assert.ok(names.includes(name), name);
  }
});

Deno.test("mod.ts: each value has JSDoc with an example; every export path has values", async () => {
  assert.ok(LIBRARY_PATHS.length >= 10, "the subpath exports are declared in deno.json");
  for (const [key, entry] of LIBRARY_PATHS) {
    const symbols = (await docSymbols(entry)).filter(isValue);
    assert.ok(symbols.length > 0, `${key} exports no value`);
    for (const symbol of symbols) {
      const examples = symbol.declarations.flatMap((d) => d.jsDoc?.tags ?? [])
        .filter((t) => t.kind === "example");
      if (key === ".") assert.ok(examples.length > 0, `${symbol.name} has no @example`);
    }
  }
});

Deno.test("every export path passes deno doc --lint on its own (its types are exported with it)", async () => {
  for (const [key, entry] of LIBRARY_PATHS) {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["doc", "--lint", entry],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, `${key}: ${new TextDecoder().decode(stderr)}`);
  }
});
