/**
 * `docs/cli.md` is generated from the command table, the help texts and the flag declarations
 * (`deno task docs`, `scripts/make_cli_docs.ts`); this test regenerates it and compares.
 */

import assert from "node:assert/strict";
import { CLI_DOCS_PATH, cliDocs } from "../../scripts/make_cli_docs.ts";
import { loadCommands } from "../../cli/completions.ts";
import { ROOT } from "./_io.ts";

Deno.test("docs/cli.md is what deno task docs generates (rerun it after changing a command)", async () => {
  const committed = await Deno.readTextFile(`${ROOT}/${CLI_DOCS_PATH}`);
  assert.equal(committed, await cliDocs(), `${CLI_DOCS_PATH} is out of date: run "deno task docs"`);
});

Deno.test("docs/cli.md has every command's help text and every declared flag", async () => {
  const docs = await Deno.readTextFile(`${ROOT}/${CLI_DOCS_PATH}`);
  for (const command of await loadCommands()) {
    assert.ok(docs.includes(`## stella ${command.path.join(" ")}\n`));
    assert.ok(docs.includes(command.help.trimEnd()), command.path.join(" "));
    for (const [flag, spec] of Object.entries(command.flags)) {
      const line = `- \`--${flag}\``;
      assert.ok(docs.includes(line), `${command.path.join(" ")} --${flag}`);
      if (spec.multiple === true) {
        assert.match(docs, new RegExp(`- \`--${flag}\`: takes a value, repeatable`));
      }
    }
  }
});
