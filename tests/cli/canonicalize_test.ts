import assert from "node:assert/strict";
import { runCli } from "./_io.ts";
import { vectorSet, vectorTest } from "../_vectors.ts";

const JCS = vectorSet("json-canonicalization");
const VECTORS = JCS.path("testdata");

vectorTest(
  JCS,
  "stella canonicalize prints every RFC 8785 vector byte-for-byte plus one newline",
  async () => {
    const names = [...Deno.readDirSync(`${VECTORS}/input`)].map((e) => e.name).sort();
    assert.equal(names.length, 6);
    for (const name of names) {
      const result = await runCli(["canonicalize", `${VECTORS}/input/${name}`]);
      const expected = await Deno.readTextFile(`${VECTORS}/output/${name}`);
      assert.equal(result.status, 0, name);
      assert.equal(result.stdout, expected + "\n", name);
      assert.equal(result.stderr, "");
    }
    return names.length;
  },
);

Deno.test("stella canonicalize rejects duplicate keys with exit 1 naming file and offset", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/dup.json`;
  await Deno.writeTextFile(path, '{"a":1,"a":2}');
  const result = await runCli(["canonicalize", path]);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, "");
  assert.match(
    result.stderr,
    /^stella: Cannot parse JSON ".*dup\.json": duplicate key "a" at offset 7/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stella canonicalize needs exactly one FILE", async () => {
  assert.equal((await runCli(["canonicalize"])).status, 2);
  assert.equal(
    (await runCli(["canonicalize", "a", "b"])).stderr,
    'stella: Unexpected argument "b"\n',
  );
});
