import assert from "node:assert/strict";
import { FAILURE_CODES } from "../../lib/verify/codes.ts";

const DOC = await Deno.readTextFile(new URL("../../docs/codes.md", import.meta.url));

/** Table rows of docs/codes.md whose first cell is a code: `| \`CODE\` | check | … |`. */
const rows = DOC.split("\n")
  .filter((line) => /^\| `[A-Z0-9_]+` +\|/.test(line))
  .map((line) => line.trim().slice(1, -1).split("|").map((cell) => cell.trim()));

Deno.test("docs/codes.md documents every FAILURE_CODES code, once, in FAILURE_CODES order", () => {
  const documented = rows.map((cells) => cells[0]!.replaceAll("`", ""));
  assert.deepEqual(documented, [...FAILURE_CODES]);
});

Deno.test("docs/codes.md names no code that FAILURE_CODES does not define", () => {
  const mentioned = new Set(
    DOC.match(/`[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+`/g)?.map((m) => m.slice(1, -1)),
  );
  const known = new Set<string>(FAILURE_CODES);
  assert.deepEqual(
    [...mentioned].filter((code) => !known.has(code) && code !== "FAILURE_CODES"),
    [],
  );
});

Deno.test("docs/codes.md gives every code a check id, meaning, cause and action", () => {
  for (const cells of rows) {
    assert.equal(cells.length, 5, cells[0]);
    assert.match(cells[1]!, /^`[a-z]+(\.[a-z-]+)+`(, `[a-z]+(\.[a-z-]+)+`)*$/, cells[0]);
    for (const cell of cells.slice(2)) assert.ok(cell.length > 20, `${cells[0]}: ${cell}`);
  }
});
