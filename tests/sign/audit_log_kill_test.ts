import assert from "node:assert/strict";
import { appendAuditLogFile, verifyAuditLogFile } from "../../lib/sign/mod.ts";

const CHILD = new URL("../fixtures_bin/audit_append_loop.ts", import.meta.url);

/** Spawns the appending child and resolves once it has printed `until` lines (or "torn"). */
async function runChild(path: string, mode: "loop" | "torn", until: number, extraDelayMs: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "--allow-read", "--allow-write", CHILD.pathname, path, mode],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let seen = 0;
  while (seen < until) {
    const { value, done } = await reader.read();
    if (done) throw new Error("Child exited before reaching the kill point");
    buffered += value;
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    seen += parts.length;
  }
  // Vary the kill point: kill now, or after letting the child run on for a moment.
  if (extraDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, extraDelayMs));
  child.kill("SIGKILL");
  const status = await child.status;
  await reader.cancel();
  assert.equal(status.success, false);
  assert.equal(status.signal, "SIGKILL");
  return seen;
}

const entry = {
  time: "2025-06-01T00:00:00Z",
  keyid: "parent",
  algorithm: "ed25519",
  payloadType: null,
  payloadSha256: "f".repeat(64),
  subjects: [],
  actor: "parent",
};

for (const [until, delay] of [[1, 0], [2, 1], [5, 0], [9, 3], [17, 7], [33, 2]] as const) {
  Deno.test(`a child killed with SIGKILL after ${until} appends (+${delay} ms) leaves a verifiable log`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/audit.jsonl`;
      const confirmed = await runChild(path, "loop", until, delay);
      const after = await verifyAuditLogFile(path);
      // Whatever the kill interrupted, every complete record verifies; at most the last line is torn.
      assert.equal(after.ok, true, after.message);
      assert.ok(after.code === null || after.code === "AUDIT_TORN_TAIL", after.message);
      assert.ok(after.records >= confirmed, `${after.records} >= ${confirmed}`);
      // The next append repairs a torn tail and extends the chain.
      const record = await appendAuditLogFile(path, entry);
      assert.equal(record.seq, after.records + 1);
      assert.equal(record.repairedTornTail, after.tornTail ? true : undefined);
      const repaired = await verifyAuditLogFile(path);
      assert.deepEqual(
        [repaired.ok, repaired.code, repaired.records, repaired.tornTail],
        [true, null, after.records + 1, false],
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a child killed after a partial write leaves a torn tail that the next append repairs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    await runChild(path, "torn", 1, 0);
    const after = await verifyAuditLogFile(path);
    assert.deepEqual(
      [after.ok, after.code, after.index, after.records, after.tornTail],
      [true, "AUDIT_TORN_TAIL", 4, 3, true],
    );
    const record = await appendAuditLogFile(path, entry);
    assert.deepEqual([record.seq, record.repairedTornTail], [4, true]);
    const repaired = await verifyAuditLogFile(path, { trustedHead: after.head! });
    assert.deepEqual([repaired.ok, repaired.code, repaired.records], [true, null, 4]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
