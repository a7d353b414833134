import assert from "node:assert/strict";
import { splitJsonLines } from "../../lib/encoding/mod.ts";

const split = (text: string) =>
  splitJsonLines(new TextEncoder().encode(text)).map((line) => new TextDecoder().decode(line));

Deno.test("splitJsonLines() returns each line without its newline", () => {
  assert.deepEqual(split('{"a":1}\n{"b":2}\n'), ['{"a":1}', '{"b":2}']);
  assert.deepEqual(split('{"a":1}\n{"b":2}'), ['{"a":1}', '{"b":2}']);
  assert.deepEqual(split("1\r\n2\r\n"), ["1", "2"]);
  assert.deepEqual(split("1\r"), ["1\r"]); // a lone CR at the end is not a newline
});

Deno.test("splitJsonLines() keeps blank lines in the middle so indices match line numbers", () => {
  assert.deepEqual(split("1\n\n 3\n"), ["1", "", " 3"]);
  assert.deepEqual(split("1\n2\n\n \t\r\n"), ["1", "2"]);
  assert.deepEqual(split(""), []);
  assert.deepEqual(split("\n\n"), []);
});

Deno.test("splitJsonLines() returns views of the input bytes", () => {
  const bytes = new TextEncoder().encode("ab\ncd\n");
  const [first, second] = splitJsonLines(bytes);
  assert.equal(first?.buffer, bytes.buffer);
  assert.equal(second?.byteOffset, 3);
  assert.throws(() => splitJsonLines("ab" as never), TypeError);
});
