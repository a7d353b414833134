import assert from "node:assert/strict";
import { loadCommands } from "../../cli/completions.ts";

/**
 * The flag rows of a help text: lines that start with two spaces and a flag (`  --name …` or
 * `  -x, --name …`), each with its description (the row and the more-indented lines after it).
 */
function flagRows(help: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of help.split("\n")) {
    const row = /^ {2}(?:-[a-zA-Z], )?--([a-z0-9][a-z0-9-]*)/.exec(line);
    if (row !== null) {
      rows.set(row[1]!, [...(rows.get(row[1]!) ?? []), line]);
      const all = rows.get(row[1]!)!;
      current = all;
    } else if (current !== undefined && /^ {4,}\S/.test(line)) {
      current.push(line);
    } else {
      current = undefined;
    }
  }
  return rows;
}

const commands = await loadCommands();

Deno.test("every command's help documents exactly its declared flags (Command.flags)", () => {
  const mismatches: string[] = [];
  for (const command of commands) {
    const name = command.path.join(" ");
    const documented = new Set(flagRows(command.help).keys());
    const declared = new Set(Object.keys(command.flags).filter((flag) => flag !== "help"));
    for (const flag of declared) {
      if (!documented.has(flag)) mismatches.push(`stella ${name}: --${flag} has no help row`);
    }
    for (const flag of documented) {
      if (!declared.has(flag)) mismatches.push(`stella ${name}: --${flag} is documented only`);
    }
    assert.ok(Object.hasOwn(command.flags, "help"), `stella ${name} accepts --help`);
  }
  assert.deepEqual(mismatches, []);
});

Deno.test("every repeatable flag (multiple: true) says so in its help row", () => {
  const missing: string[] = [];
  for (const command of commands) {
    const rows = flagRows(command.help);
    for (const [flag, spec] of Object.entries(command.flags)) {
      if (spec.multiple !== true) continue;
      const text = (rows.get(flag) ?? []).join("\n");
      if (!/repeatable/i.test(text)) missing.push(`stella ${command.path.join(" ")} --${flag}`);
    }
  }
  assert.deepEqual(missing, []);
});
