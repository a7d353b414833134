import assert from "node:assert/strict";
import { runCli } from "./_io.ts";
import { VERSION } from "../../cli/main.ts";
import { COMMANDS } from "../../cli/commands.ts";

Deno.test("stella --version prints the deno.json version and the Deno version", async () => {
  const result = await runCli(["--version"]);
  assert.equal(result.status, 0);
  assert.equal(result.stdout, `stella ${VERSION}\ndeno ${Deno.version.deno}\n`);
});

Deno.test("stella --help lists every command and exits 0", async () => {
  const result = await runCli(["--help"]);
  assert.equal(result.status, 0);
  for (const command of COMMANDS) assert.ok(result.stdout.includes(command.path.join(" ")));
});

Deno.test("stella with no arguments prints help to stderr and exits 2", async () => {
  const result = await runCli([]);
  assert.equal(result.status, 2);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /^stella \d/);
});

Deno.test("every command answers --help with its usage and exit 0", async () => {
  for (const command of COMMANDS) {
    const result = await runCli([...command.path, "--help"]);
    assert.equal(result.status, 0, command.path.join(" "));
    assert.match(result.stdout, new RegExp(`^Usage: stella ${command.path.join(" ")}`));
    assert.match(result.stdout, /Exit status/);
  }
});

Deno.test("an unknown command is exit 2 with a one-line message, no stack", async () => {
  const result = await runCli(["frobnicate"]);
  assert.equal(result.status, 2);
  assert.equal(result.stderr, 'stella: Unknown command "frobnicate"; run "stella --help"\n');
});

Deno.test("an unknown flag is exit 2 naming the flag", async () => {
  const result = await runCli(["digest", "--frob", "x"]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^stella: Unknown flag --frob\n$/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

Deno.test("a missing file is exit 2 naming the path", async () => {
  const result = await runCli(["canonicalize", "no/such/file.json"]);
  assert.equal(result.status, 2);
  assert.equal(
    result.stderr,
    'stella: Cannot read "no/such/file.json": no such file or directory\n',
  );
});
