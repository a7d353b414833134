/**
 * CLI messages speak of flags, files and fields, never of library functions or option objects
 * (issue 17 item 5).
 */

import assert from "node:assert/strict";
import { ROOT, runCli, withTempDir } from "./_io.ts";

const KEY = `${ROOT}/fixtures/keys/test-only-ed25519.pem`;
const SUBJECT = `evidence.img=sha256:${"ab".repeat(32)}`;

Deno.test("timeline append: a rejected event is told in the words of its flags", async () => {
  await withTempDir(async (dir) => {
    const base = ["timeline", "append", "--jsonl", `${dir}/t.jsonl`, "--key", KEY, "--type", "x"];
    const first = await runCli([...base, "--event-actor", "alice"]);
    assert.equal(first.status, 2);
    assert.equal(
      first.stderr,
      "stella: Missing --subject NAME=sha256:HEX: the first entry of a timeline names the item in custody\n",
    );
    const ok = await runCli([
      ...base,
      "--event-actor",
      "alice",
      "--subject",
      SUBJECT,
      "--at",
      "2026-01-02T00:00:00Z",
    ]);
    assert.equal(ok.status, 0, ok.stderr);
    const digest = `sha256:${"ab".repeat(32)}`;
    const cases: [string[], string][] = [
      [
        ["--subject", `other.img=${digest}`],
        `--subject "other.img" ${digest} is not the timeline's subject "evidence.img" ${digest}: ` +
        "give that subject or leave --subject out",
      ],
      [
        ["--at", "2026-01-01T00:00:00Z"],
        "--at 2026-01-01T00:00:00Z is before the previous event's time 2026-01-02T00:00:00Z: " +
        "events are appended in time order",
      ],
      [
        ["--sequence", "5", "--at", "2026-01-03T00:00:00Z"],
        "--sequence 5 is not the next sequence number 1 (the previous entry has sequence 0): " +
        "give 1 or leave --sequence out",
      ],
    ];
    for (const [extra, message] of cases) {
      const result = await runCli([...base, "--event-actor", "bob", ...extra]);
      assert.equal(result.status, 1, extra.join(" "));
      assert.equal(result.stderr, `stella: Cannot append custody event: ${message}\n`);
    }
  });
});

Deno.test("an encrypted key without its password is named, with no library function in the message", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/enc.pem`,
      "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
    );
    const result = await runCli([
      "forensic",
      "verify",
      `${ROOT}/fixtures/envelopes/promotion.dsse.json`,
      "--key",
      `${dir}/enc.pem`,
    ]);
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      `stella: Cannot import key "${dir}/enc.pem": the ENCRYPTED SIGSTORE PRIVATE KEY is ` +
        "encrypted; no password was given to decrypt it\n",
    );
  });
});

Deno.test("no CLI message names a library option object or function", async () => {
  const leaks: string[] = [];
  const pattern =
    /["'`][^"'`\n]*(options\.[a-zA-Z]|importKey|decryptCosignKey|Pass `)[^"'`\n]*["'`]/;
  for (const dir of ["cli", "lib/keys"]) {
    for await (const entry of Deno.readDir(`${ROOT}/${dir}`)) {
      if (!entry.name.endsWith(".ts")) continue;
      const lines = (await Deno.readTextFile(`${ROOT}/${dir}/${entry.name}`)).split("\n");
      lines.forEach((line, i) => {
        if (/^\s*(\*|\/\/|import |export \{)/.test(line)) return; // docs and imports
        // Only the literal text counts, not the expressions interpolated into it.
        if (pattern.test(line.replace(/\$\{[^}]*\}/g, ""))) {
          leaks.push(`${dir}/${entry.name}:${i + 1}: ${line.trim()}`);
        }
      });
    }
  }
  // API misuse (a TypeError for a caller that passes a foreign object), never reached from the CLI.
  const misuse = /^lib\/keys\/_store\.ts:\d+: "Pass a key made by importKey/;
  assert.deepEqual(leaks.filter((leak) => !misuse.test(leak)), []);
});
