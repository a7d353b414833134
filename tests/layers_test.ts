/**
 * The layers of `lib/` as docs/architecture.md draws them: a module imports only from its own
 * folder or a lower layer, and never another folder's `_private` file.
 */
import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);

/** Layer rank of each `lib/` folder; sign and verify share a rank and may not import each other. */
const LAYERS: Readonly<Record<string, number>> = {
  encoding: 0,
  digest: 1,
  model: 2,
  keys: 3,
  crypto: 4,
  sign: 5,
  verify: 5,
  kit: 6,
  serve: 7,
};

/**
 * Imports that still cross a layer, each with the reason it stays for now. An entry that no longer
 * occurs fails the test, so the list only shrinks.
 */
const KNOWN_EXCEPTIONS: readonly string[] = [];

async function* walk(dir: URL, prefix = ""): AsyncGenerator<string> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    names.push(entry.isDirectory ? entry.name + "/" : entry.name);
  }
  for (const name of names.sort()) {
    if (name.endsWith("/")) yield* walk(new URL(name, dir), prefix + name);
    else if (name.endsWith(".ts")) yield prefix + name;
  }
}

/** Every relative module specifier of a source file: static imports, re-exports, `import()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/\b(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
    found.push(match[1]!);
  }
  return found;
}

async function crossFolderImports(): Promise<{ from: string; to: string }[]> {
  const edges: { from: string; to: string }[] = [];
  for await (const file of walk(LIB)) {
    const source = await Deno.readTextFile(new URL(file, LIB));
    for (const spec of specifiers(source)) {
      const target = new URL(spec, new URL(file, LIB)).href.slice(LIB.href.length);
      if (target.split("/")[0] !== file.split("/")[0]) edges.push({ from: file, to: target });
    }
  }
  return edges;
}

Deno.test("lib/: every folder has a layer", async () => {
  const folders = new Set<string>();
  for await (const file of walk(LIB)) folders.add(file.split("/")[0]!);
  assert.deepEqual([...folders].sort(), Object.keys(LAYERS).sort());
});

Deno.test("lib/: a module imports only from its own folder or a lower layer", async () => {
  const upward = (await crossFolderImports())
    .filter(({ from, to }) => {
      const source = LAYERS[from.split("/")[0]!];
      const target = LAYERS[to.split("/")[0]!];
      return target === undefined || source === undefined || target >= source;
    })
    .map(({ from, to }) => `${from} -> ${to}`);
  assert.deepEqual(upward, [...KNOWN_EXCEPTIONS]);
});

Deno.test("lib/: no module imports another folder's _private file", async () => {
  const reaching = (await crossFolderImports())
    .filter(({ to }) => to.split("/").at(-1)!.startsWith("_"))
    .map(({ from, to }) => `${from} -> ${to}`);
  assert.deepEqual(reaching, []);
});
