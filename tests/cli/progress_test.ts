import assert from "node:assert/strict";
import type { Io } from "../../cli/_io.ts";
import {
  createProgress,
  formatCount,
  formatEta,
  formatProgress,
  INTERRUPTED_EXIT,
  trapInterrupt,
} from "../../cli/_progress.ts";

function fakeIo(stderrIsTerminal: boolean): Io & { err: string[] } {
  const err: string[] = [];
  return {
    err,
    stdout: () => {},
    stderr: (text) => void err.push(text),
    readFile: () => Promise.reject(new Error("unused")),
    readFiles: async function* () {
      yield* [];
      throw new Error("unused");
    },
    openFile: () => Promise.reject(new Error("unused")),
    writeFile: () => Promise.reject(new Error("unused")),
    stat: () => Promise.resolve(undefined),
    lstat: () => Promise.resolve(undefined),
    readDir: () => Promise.resolve([]),
    mkdir: () => Promise.reject(new Error("unused")),
    rename: () => Promise.reject(new Error("unused")),
    remove: () => Promise.reject(new Error("unused")),
    denoVersion: "0.0.0",
    now: () => 0,
    env: () => undefined,
    stderrIsTerminal,
    color: false,
  };
}

Deno.test("formatCount(), formatEta() and formatProgress() are locale-free and exact", () => {
  assert.deepEqual([0, 7, 999, 1000, 12345, 1234567].map(formatCount), [
    "0",
    "7",
    "999",
    "1,000",
    "12,345",
    "1,234,567",
  ]);
  assert.deepEqual([0, 0.2, 59, 60, 61, 725, 3600, 11220].map(formatEta), [
    "0s",
    "1s",
    "59s",
    "1m00s",
    "1m01s",
    "12m05s",
    "1h00m",
    "3h07m",
  ]);
  assert.equal(
    formatProgress(2500, 10000, 3, 500),
    "2,500/10,000 envelopes (25%), 3 failed · 5,000/s · ETA 2s",
  );
  assert.equal(formatProgress(2500, undefined, 0, 1000), "2,500 envelopes · 2,500/s");
  assert.equal(formatProgress(10, 10, undefined, 1000, "files"), "10/10 files (100%) · 10/s");
  assert.equal(formatProgress(0, 0, undefined, 0), "0/0 envelopes (100%) · 0/s");
});

Deno.test("createProgress() draws on a terminal, throttled, and erases its line on finish", () => {
  const io = fakeIo(true);
  let now = 0;
  const progress = createProgress(io, { clock: () => now });
  assert.equal(progress.enabled, true);
  now = 50;
  progress.update(100, 1000);
  now = 120;
  progress.update(200, 1000); // within 100 ms of the last redraw: skipped
  now = 160;
  progress.update(300, 1000);
  now = 300;
  progress.update(1000, 1000); // the last one always draws
  progress.finish();
  assert.deepEqual(io.err, [
    "\r\x1b[K100/1,000 envelopes (10%) · 2,000/s · ETA 1s",
    "\r\x1b[K300/1,000 envelopes (30%) · 1,875/s · ETA 1s",
    "\r\x1b[K1,000/1,000 envelopes (100%) · 3,333/s",
    "\r\x1b[K",
  ]);
});

Deno.test("createProgress() draws nothing on a pipe or with --json", () => {
  for (const [terminal, json] of [[false, false], [true, true], [false, true]] as const) {
    const io = fakeIo(terminal);
    const progress = createProgress(io, { json, clock: () => 1000 });
    assert.equal(progress.enabled, false);
    progress.update(1, 2);
    progress.update(2, 2);
    progress.finish();
    assert.deepEqual(io.err, []);
  }
});

Deno.test("trapInterrupt(): first SIGINT aborts the signal, the second exits 130, dispose unlistens", () => {
  const exits: number[] = [];
  let handler: (() => void) | undefined;
  {
    using interrupt = trapInterrupt({
      exit: (code) => void exits.push(code),
      listen: (h) => {
        handler = h;
        return () => (handler = undefined);
      },
    });
    assert.equal(interrupt.interrupted, false);
    handler!();
    assert.equal(interrupt.interrupted, true);
    assert.equal(interrupt.signal.aborted, true);
    assert.equal((interrupt.signal.reason as DOMException).name, "AbortError");
    assert.deepEqual(exits, []);
    handler!();
    assert.deepEqual(exits, [INTERRUPTED_EXIT]);
  }
  assert.equal(handler, undefined);
  assert.equal(INTERRUPTED_EXIT, 130);
});

Deno.test("trapInterrupt() with a real SIGINT: the process stops cleanly with status 130", async () => {
  const script = `
    import { INTERRUPTED_EXIT, trapInterrupt } from ${
    JSON.stringify(new URL("../../cli/_progress.ts", import.meta.url).href)
  };
    using interrupt = trapInterrupt();
    console.log("ready");
    let done = 0;
    while (!interrupt.signal.aborted) { done++; await new Promise((r) => setTimeout(r, 5)); }
    console.log("partial", done > 0);
    Deno.exit(INTERRUPTED_EXIT);
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  child.kill("SIGINT");
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(out, "ready\npartial true\n");
  assert.equal(status.code, 130);
});

Deno.test("formatProgress(): done/total, failures, rate and ETA in hours for a large batch; no ETA without a total", () => {
  assert.equal(
    formatProgress(1000, 1_000_000, 5, 10_000),
    "1,000/1,000,000 envelopes (0%), 5 failed · 100/s · ETA 2h46m",
  );
  assert.equal(formatProgress(1000, undefined, 5, 10_000), "1,000 envelopes, 5 failed · 100/s");
  // Nothing done yet: no rate, so no ETA.
  assert.equal(formatProgress(0, 20_000, 0, 0), "0/20,000 envelopes (0%) · 0/s");
});
