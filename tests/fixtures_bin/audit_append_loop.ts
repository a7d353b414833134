// Test helper (spawned by tests/sign/audit_log_kill_test.ts): appends audit records to the log
// at Deno.args[0] forever, printing the sequence number of each record once it is stored.
// Mode "torn" (Deno.args[1]) instead appends three records, then writes half a record directly
// (what a write cut short by a crash leaves behind), prints "torn" and waits to be killed.
import { appendAuditLogFile } from "../../lib/sign/mod.ts";

const [path, mode = "loop"] = Deno.args;
if (path === undefined) throw new TypeError("Pass the log path");
const out = Deno.stdout.writable.getWriter();
const subjects = Array.from(
  { length: 200 },
  (_, i) => `sha256:${i.toString(16).padStart(64, "0")}`,
);
const entry = (i: number) => ({
  time: "2025-01-01T00:00:00Z",
  keyid: "test-key",
  algorithm: "ed25519",
  payloadType: "application/vnd.in-toto+json",
  payloadSha256: (i % 10).toString().repeat(64),
  subjects,
  actor: `child-${i}`,
});

if (mode === "torn") {
  for (let i = 0; i < 3; i++) await appendAuditLogFile(path, entry(i));
  using file = await Deno.open(path, { append: true });
  await file.write(
    new TextEncoder().encode('{"actor":"child-3","algorithm":"ed25519","keyid":"te'),
  );
  await file.sync();
  await out.write(new TextEncoder().encode("torn\n"));
  setInterval(() => {}, 1000);
} else {
  for (let i = 0;; i++) {
    const record = await appendAuditLogFile(path, entry(i));
    await out.write(new TextEncoder().encode(`${record.seq}\n`));
  }
}
