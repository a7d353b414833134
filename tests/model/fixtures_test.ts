import assert from "node:assert/strict";
import { makeFixtures } from "../../scripts/make_fixtures.ts";
import { parseStatement } from "../../mod.ts";
import { validatePromotionStatement, validateProvenanceStatement } from "../../lib/model/mod.ts";

const root = new URL("../../", import.meta.url);
const fixtures = await makeFixtures();

Deno.test("fixtures: the generator lists the sample statements", () => {
  assert.deepEqual(
    fixtures.map((f) => f.path).filter((p) => p.startsWith("fixtures/statements/")),
    [
      "fixtures/statements/orchestrator.statement.json",
      "fixtures/statements/job.statement.json",
      "fixtures/statements/export.statement.json",
      "fixtures/statements/promotion.statement.json",
    ],
  );
});

for (const fixture of fixtures) {
  Deno.test(`fixtures: regenerating ${fixture.path} gives the committed bytes`, async () => {
    const onDisk = await Deno.readFile(new URL(fixture.path, root));
    assert.deepEqual(
      onDisk,
      fixture.bytes,
      `run \`deno task fixtures\` to refresh ${fixture.path}`,
    );
  });
}

for (const fixture of fixtures.filter((f) => f.path.endsWith(".statement.json"))) {
  const promotion = fixture.path.endsWith("/promotion.statement.json");
  const kind = promotion ? "stella.ops/promotion@v1" : "SLSA provenance";
  Deno.test(`fixtures: ${fixture.path} is a valid ${kind} statement in canonical form`, () => {
    const statement = parseStatement(fixture.bytes, { name: fixture.path });
    const validate = promotion ? validatePromotionStatement : validateProvenanceStatement;
    assert.deepEqual(validate(statement), []);
    assert.equal(fixture.bytes.at(-1), 0x0a);
    assert.doesNotMatch(new TextDecoder().decode(fixture.bytes.subarray(0, -1)), /\n/);
  });
}

Deno.test("fixtures: generating twice gives identical bytes", async () => {
  const again = await makeFixtures();
  assert.deepEqual(again, fixtures);
});
