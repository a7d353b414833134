import assert from "node:assert/strict";
import { ERROR_CODE_GROUPS, FAILURE_CODES } from "../../lib/verify/codes.ts";

const DOC = await Deno.readTextFile(new URL("../../docs/codes.md", import.meta.url));

/** docs/codes.md has two parts: verification failure codes, then error and problem codes. */
const SECOND_PART = "\n# Error and problem codes\n";
const split = DOC.indexOf(SECOND_PART);
assert.ok(split > 0, `docs/codes.md has a "${SECOND_PART.trim()}" part`);
const VERDICTS = DOC.slice(0, split);
const ERRORS = DOC.slice(split);

/** Table rows whose first cell is a code: `| \`CODE\` | … |`. */
function rowsOf(text: string): string[][] {
  return text.split("\n")
    .filter((line) => /^\| `[A-Z0-9_]+` +\|/.test(line))
    .map((line) => line.trim().slice(1, -1).split("|").map((cell) => cell.trim()));
}

const codeOf = (cells: string[]): string => cells[0]!.replaceAll("`", "");

/** Every registered code, once, in registry order: the failure codes, then each group's. */
const ALL_CODES = [
  ...new Set<string>([...FAILURE_CODES, ...Object.values(ERROR_CODE_GROUPS).flat()]),
];

/**
 * UPPER_SNAKE strings in lib/ that are not codes: Sigstore's protobuf enum names
 * (`PublicKeyDetails`, `HashAlgorithm`) and the key classes of lib/verify/_sigstore_algorithm.ts.
 */
const NOT_CODES = new Set([
  "PKIX_ECDSA_P256_SHA_256",
  "PKIX_ECDSA_P384_SHA_384",
  "PKIX_ECDSA_P384_SHA_256",
  "PKIX_ECDSA_P521_SHA_512",
  "PKIX_ECDSA_P521_SHA_256",
  "PKIX_RSA_PKCS1V15_2048_SHA256",
  "PKIX_RSA_PKCS1V15_3072_SHA256",
  "PKIX_RSA_PKCS1V15_4096_SHA256",
  "PKIX_ED25519",
  "SHA2_256",
  "SHA2_384",
  "SHA2_512",
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
]);

async function* libFiles(dir = new URL("../../lib/", import.meta.url)): AsyncGenerator<URL> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    names.push(entry.isDirectory ? entry.name + "/" : entry.name);
  }
  for (const name of names.sort()) {
    if (name.endsWith("/")) yield* libFiles(new URL(name, dir));
    else if (name.endsWith(".ts")) yield new URL(name, dir);
  }
}

/** Every `"UPPER_SNAKE"` string literal in lib/ (code and doc examples) and the files it is in. */
async function codeLiterals(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for await (const file of libFiles()) {
    const path = file.pathname.replace(/^.*\/lib\//, "lib/");
    const text = await Deno.readTextFile(file);
    for (const match of text.matchAll(/"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g)) {
      const files = found.get(match[1]!) ?? [];
      if (!files.includes(path)) files.push(path);
      found.set(match[1]!, files);
    }
  }
  return found;
}

/** The registry modules: a declaration there is not a use. */
const REGISTRY = ["lib/verify/codes.ts", "lib/encoding/error_codes.ts"];

Deno.test("docs/codes.md documents every FAILURE_CODES code, once, in FAILURE_CODES order", () => {
  assert.deepEqual(rowsOf(VERDICTS).map(codeOf), [...FAILURE_CODES]);
});

Deno.test("docs/codes.md names no code that the registry does not define", () => {
  const mentioned = new Set(
    DOC.match(/`[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+`/g)?.map((m) => m.slice(1, -1)),
  );
  const known = new Set<string>([...ALL_CODES, "FAILURE_CODES", ...Object.keys(ERROR_CODE_GROUPS)]);
  assert.deepEqual([...mentioned].filter((code) => !known.has(code)), []);
});

Deno.test("docs/codes.md gives every code a check id, meaning, cause and action", () => {
  for (const cells of rowsOf(VERDICTS)) {
    assert.equal(cells.length, 5, cells[0]);
    assert.match(cells[1]!, /^`[a-z]+(\.[a-z-]+)+`(, `[a-z]+(\.[a-z-]+)+`)*$/, cells[0]);
    for (const cell of cells.slice(2)) assert.ok(cell.length > 20, `${cells[0]}: ${cell}`);
  }
});

Deno.test("docs/codes.md documents every error and problem code once, one section per registry tuple, in registry order", () => {
  const sections = ERRORS.split("\n## ").slice(1);
  const titles = sections.map((section) => /\(`([A-Z_]+)`\)\n/.exec(section)?.[1]);
  assert.deepEqual(titles, Object.keys(ERROR_CODE_GROUPS));
  const documented = new Set<string>(FAILURE_CODES);
  for (const [i, [name, codes]] of Object.entries(ERROR_CODE_GROUPS).entries()) {
    const fresh = codes.filter((code) => !documented.has(code));
    assert.deepEqual(rowsOf(sections[i]!).map(codeOf), fresh, name);
    for (const code of fresh) documented.add(code);
    for (const code of codes.filter((code) => !fresh.includes(code))) {
      assert.ok(sections[i]!.includes(`\`${code}\``), `${name} names ${code}, documented earlier`);
    }
  }
});

Deno.test("docs/codes.md gives every error and problem code its raisers, meaning and action", () => {
  for (const cells of rowsOf(ERRORS)) {
    assert.equal(cells.length, 4, cells[0]);
    assert.match(cells[1]!, /^`[A-Za-z][A-Za-z0-9]*`(, `[A-Za-z][A-Za-z0-9]*`)*$/, cells[0]);
    for (const cell of cells.slice(2)) assert.ok(cell.length > 10, `${cells[0]}: ${cell}`);
  }
});

Deno.test("every code string in lib/ is declared in the registry (lib/verify/codes.ts)", async () => {
  const known = new Set<string>(ALL_CODES);
  const undeclared = [...await codeLiterals()]
    .filter(([code]) => !known.has(code) && !NOT_CODES.has(code))
    .map(([code, files]) => `${code} (${files.join(", ")})`);
  assert.deepEqual(undeclared, []);
});

Deno.test("every code the registry declares is used in lib/", async () => {
  const used = await codeLiterals();
  const usedOutsideRegistry = (code: string) =>
    (used.get(code) ?? []).some((file) => !REGISTRY.includes(file));
  assert.deepEqual(ALL_CODES.filter((code) => !usedOutsideRegistry(code)), []);
  assert.deepEqual([...NOT_CODES].filter((name) => !used.has(name)), []);
});
