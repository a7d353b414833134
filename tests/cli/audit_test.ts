import assert from "node:assert/strict";
import { runCli } from "./_io.ts";

const INTOTO = "application/vnd.in-toto+json";
const STATEMENT = new URL("../../fixtures/statements/job.statement.json", import.meta.url).pathname;

interface Report {
  ok: boolean;
  code: string | null;
  index: number | null;
  message: string;
  records: number;
  head: string | null;
  tornTail: boolean;
}

async function sha256Hex(text: string): Promise<string> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))
    .toHex();
}

/** Makes a temp dir with a 3-record audit log written by `stella sign --audit-log`. */
async function withLog(
  fn: (dir: string, log: string, lines: string[]) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "stella-audit-" });
  try {
    const generated = await runCli([
      "keys",
      "generate",
      "--algorithm",
      "ed25519",
      "--out",
      `${dir}/k`,
    ]);
    assert.equal(generated.status, 0, generated.stderr);
    const log = `${dir}/audit.jsonl`;
    for (const [i, actor] of ["alice", "bob", "carol"].entries()) {
      const result = await runCli([
        "sign",
        STATEMENT,
        "--payload-type",
        INTOTO,
        "--key",
        `${dir}/k.key.pem`,
        "--audit-log",
        log,
        "--actor",
        actor,
        "--signed-at",
        `2025-01-0${i + 1}T00:00:00Z`,
      ]);
      assert.equal(result.status, 0, result.stderr);
    }
    const lines = (await Deno.readTextFile(log)).split("\n").slice(0, -1);
    assert.equal(lines.length, 3);
    await fn(dir, log, lines);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function verifyJson(
  log: string,
  extra: string[] = [],
): Promise<{ status: number; report: Report }> {
  const result = await runCli(["audit", "verify", log, "--json", ...extra]);
  assert.equal(result.stderr, "");
  assert.ok(result.stdout.endsWith("}\n"));
  return { status: result.status, report: JSON.parse(result.stdout) };
}

Deno.test("stella audit verify: an intact log is exit 0 with the record count and head digest", async () => {
  await withLog(async (_dir, log, lines) => {
    const head = await sha256Hex(lines[2]!);
    assert.deepEqual(await runCli(["audit", "verify", log]), {
      status: 0,
      stdout: `VERIFIED ${log}\n  records:        3\n  head:           ${head}\n`,
      stderr: "",
    });
    const json = await runCli(["audit", "verify", "--json", log]);
    assert.equal(json.status, 0);
    assert.equal(
      json.stdout,
      `{"code":null,"head":"${head}","index":null,"message":"Audit log intact: 3 records","ok":true,"records":3,"tornTail":false}\n`,
    );
    for (const line of lines) {
      const trusted = await runCli([
        "audit",
        "verify",
        log,
        "--trusted-head",
        await sha256Hex(line),
      ]);
      assert.equal(trusted.status, 0, "records appended after the trusted head are fine");
    }
  });
});

Deno.test("stella audit verify: an edited record is exit 1 naming the record and AUDIT_CHAIN_BROKEN", async () => {
  await withLog(async (_dir, log, lines) => {
    const edited = [lines[0], lines[1]!.replace('"actor":"bob"', '"actor":"eve"'), lines[2]];
    await Deno.writeTextFile(log, edited.join("\n") + "\n");
    const human = await runCli(["audit", "verify", log]);
    assert.deepEqual(human, {
      status: 1,
      stdout:
        `FAILED ${log}: AUDIT_CHAIN_BROKEN Record 2 was edited: its digest does not match what record 3 committed to\n` +
        "  bad record:     2\n" +
        "  records:        1 verified before it\n" +
        `  head:           ${await sha256Hex(lines[0]!)} (the last verified record)\n`,
      stderr: "",
    });
    const { status, report } = await verifyJson(log);
    assert.equal(status, 1);
    assert.deepEqual([report.ok, report.code, report.index, report.records], [
      false,
      "AUDIT_CHAIN_BROKEN",
      2,
      1,
    ]);
    assert.equal(report.head, await sha256Hex(lines[0]!));
  });
});

Deno.test("stella audit verify detects deletion, reordering, malformed lines, sequence gaps and truncation", async () => {
  await withLog(async (_dir, log, lines) => {
    const [a, b, c] = lines as [string, string, string];
    const cases: { name: string; text: string; extra?: string[]; code: string; index: number }[] = [
      { name: "deleted middle record", text: `${a}\n${c}\n`, code: "AUDIT_CHAIN_BROKEN", index: 2 },
      { name: "deleted first record", text: `${b}\n${c}\n`, code: "AUDIT_CHAIN_BROKEN", index: 1 },
      {
        name: "reordered records",
        text: `${a}\n${c}\n${b}\n`,
        code: "AUDIT_CHAIN_BROKEN",
        index: 2,
      },
      {
        name: "malformed line",
        text: `${a}\n{"seq":2}\n${c}\n`,
        code: "AUDIT_RECORD_MALFORMED",
        index: 2,
      },
      {
        name: "sequence gap",
        text: `${a}\n${b.replace('"seq":2', '"seq":5')}\n`,
        code: "AUDIT_SEQUENCE_GAP",
        index: 2,
      },
      {
        name: "truncated tail against a trusted head",
        text: `${a}\n${b}\n`,
        extra: ["--trusted-head", await sha256Hex(c)],
        code: "AUDIT_TRUNCATED",
        index: 3,
      },
    ];
    for (const { name, text, extra, code, index } of cases) {
      await Deno.writeTextFile(log, text);
      const { status, report } = await verifyJson(log, extra);
      assert.deepEqual(
        [status, report.ok, report.code, report.index],
        [1, false, code, index],
        name,
      );
      const human = await runCli(["audit", "verify", log, ...(extra ?? [])]);
      assert.equal(human.status, 1, name);
      assert.ok(
        human.stdout.startsWith(`FAILED ${log}: ${code} `),
        `${name}: ${human.stdout}`,
      );
      assert.match(human.stdout, new RegExp(`^  bad record: {5}${index}$`, "m"), name);
    }
    await Deno.writeTextFile(log, `${a}\n${b}\n`);
    assert.equal(
      (await runCli(["audit", "verify", log])).status,
      0,
      "truncation needs a trusted head",
    );
  });
});

Deno.test("stella audit verify: a torn last line is reported but exit 0; the next sign repairs it", async () => {
  await withLog(async (dir, log, lines) => {
    await Deno.writeTextFile(log, lines.join("\n") + "\n" + lines[2]!.slice(0, 40));
    const head = await sha256Hex(lines[2]!);
    assert.deepEqual(await runCli(["audit", "verify", log]), {
      status: 0,
      stdout: `VERIFIED ${log}\n  records:        3\n  head:           ${head}\n` +
        "  warning:        AUDIT_TORN_TAIL Record 4 is incomplete (torn by an interrupted append): the 3 complete records verify; the next append removes it\n",
      stderr: "",
    });
    const { status, report } = await verifyJson(log);
    assert.deepEqual([status, report.ok, report.code, report.tornTail, report.records], [
      0,
      true,
      "AUDIT_TORN_TAIL",
      true,
      3,
    ]);
    const signed = await runCli([
      "sign",
      STATEMENT,
      "--payload-type",
      INTOTO,
      "--key",
      `${dir}/k.key.pem`,
      "--audit-log",
      log,
      "--actor",
      "dave",
      "--signed-at",
      "2025-01-04T00:00:00Z",
    ]);
    assert.equal(signed.status, 0, signed.stderr);
    const repaired = await verifyJson(log);
    assert.deepEqual([repaired.status, repaired.report.code, repaired.report.records], [
      0,
      null,
      4,
    ]);
    assert.match((await Deno.readTextFile(log)).split("\n")[3]!, /"repairedTornTail":true/);
  });
});

Deno.test("stella audit verify: an empty log is intact with no head", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stella-audit-" });
  try {
    await Deno.writeTextFile(`${dir}/empty.jsonl`, "");
    assert.deepEqual(await runCli(["audit", "verify", `${dir}/empty.jsonl`]), {
      status: 0,
      stdout: `VERIFIED ${dir}/empty.jsonl\n  records:        0\n`,
      stderr: "",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella audit verify: unreadable log and bad flags are exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stella-audit-" });
  try {
    const cases: [string[], string][] = [
      [
        ["audit", "verify", `${dir}/none.jsonl`],
        `stella: Cannot read "${dir}/none.jsonl": no such file or directory\n`,
      ],
      [["audit", "verify", dir], `stella: Cannot read "${dir}": is a directory\n`],
      [
        ["audit", "verify", `${dir}/none.jsonl`, "--trusted-head", "ABC"],
        'stella: Cannot parse --trusted-head "ABC": use 64 lowercase hex digits\n',
      ],
      [["audit", "verify"], "stella: Missing LOG: the audit log file\n"],
      [["audit", "frob"], 'stella: Unknown command "audit frob"; run "stella audit --help"\n'],
    ];
    for (const [args, stderr] of cases) {
      assert.deepEqual(await runCli(args), { status: 2, stdout: "", stderr }, args.join(" "));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
