/**
 * Determinism (docs/architecture.md): the same inputs and flags give byte-identical output on any machine,
 * locale or time zone. Each command runs as a separate process under two TZ/LANG pairs and must
 * match the bytes in tests/golden/ exactly.
 */
import assert from "node:assert/strict";
import { ROOT, spawnCli } from "./_io.ts";

const ENVIRONMENTS = [
  { TZ: "UTC", LANG: "C" },
  { TZ: "Asia/Kolkata", LANG: "de_DE.UTF-8" },
];

const CASES: { golden: string; args: string[] }[] = [
  {
    golden: "canonicalize_orchestrator.json",
    args: ["canonicalize", "fixtures/statements/orchestrator.statement.json"],
  },
  {
    golden: "digest_statements.json",
    args: [
      "digest",
      "--json",
      "fixtures/statements/export.statement.json",
      "fixtures/statements/job.statement.json",
    ],
  },
  {
    golden: "merkle_root_statements.json",
    args: [
      "merkle",
      "root",
      "--json",
      "fixtures/statements/export.statement.json",
      "fixtures/statements/job.statement.json",
      "fixtures/statements/orchestrator.statement.json",
    ],
  },
];

for (const { golden, args } of CASES) {
  Deno.test(`stella ${args.slice(0, 2).join(" ")} is byte-identical across TZ/LANG (${golden})`, async () => {
    const expected = await Deno.readTextFile(`${ROOT}/tests/golden/${golden}`);
    for (const env of ENVIRONMENTS) {
      const result = await spawnCli(args, env);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout, expected, `${golden} under TZ=${env.TZ} LANG=${env.LANG}`);
    }
  });
}
