// `stella serve`: usage errors in-process; then a real `stella serve` process with least
// permissions (--allow-net=127.0.0.1, --allow-read of the trust files only), spoken to over
// loopback HTTP: verdicts and status codes, SIGHUP reload (good and bad file), SIGTERM while a
// request is in flight.
import assert from "node:assert/strict";
import { ROOT, runCli } from "./_io.ts";
import { controlledBody, fixture, fixturePath, NOW, post, waitInFlight } from "../serve/_server.ts";

const KEY_A = fixturePath("negative/keys/test-only-ed25519-a.pub.pem");
const VALID = await fixture("negative/valid.ed25519.dsse.json");
const TAMPERED = await fixture("negative/tampered-payload.dsse.json");
const MALFORMED = await fixture("negative/malformed-json.dsse.json");

Deno.test("stella serve: usage errors exit 2 and name the flag or file", async () => {
  const cases: [string[], RegExp][] = [
    [[], /Name the trust material with --trust trust\.json/],
    [["--key", KEY_A, "--port", "70000"], /Cannot parse --port "70000"/],
    [["--key", KEY_A, "--max-body", "32 MiB"], /Cannot parse --max-body "32 MiB"/],
    [["--key", KEY_A, "--concurrency", "0"], /Cannot parse --concurrency "0"/],
    [["--key", KEY_A, "extra"], /Unexpected argument "extra"/],
    [["--trust", fixturePath("negative/nope.json")], /Cannot read ".*nope\.json"/],
    [
      ["--trust", fixturePath("negative/valid.ed25519.dsse.json")],
      /Cannot load trust policy ".*valid\.ed25519\.dsse\.json": Invalid trust policy/,
    ],
    [
      ["--key", fixturePath("negative/valid.ed25519.dsse.json")],
      /Cannot decode PEM ".*valid\.ed25519\.dsse\.json": no PEM block found/,
    ],
    [
      ["--trusted-root", fixturePath("negative/valid.ed25519.dsse.json")],
      /^stella: Cannot read trusted root ".*valid\.ed25519\.dsse\.json": /,
    ],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(["serve", ...args]);
    assert.equal(result.status, 2, args.join(" "));
    assert.match(result.stderr, message, args.join(" "));
    assert.doesNotMatch(result.stderr, /\n\s+at /); // no stack trace
  }
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const busy = await runCli(["serve", "--key", KEY_A, "--port", String(taken.addr.port)]);
  assert.equal(busy.status, 2);
  assert.match(busy.stderr, /^stella: Cannot listen on 127\.0\.0\.1:\d+: /);
  const help = await runCli(["serve", "--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--allow-net=HOST:PORT --allow-read=<trust files>/);
});

/** A running `stella serve` process. */
interface ServeProcess {
  url: string;
  child: Deno.ChildProcess;
  /** Structured log lines so far (stderr). */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line (from now on, or already seen after `from`) that matches. */
  waitLog(
    match: (entry: Record<string, unknown>) => boolean,
    from?: number,
  ): Promise<Record<string, unknown>>;
  stop(): Promise<Deno.CommandStatus>;
}

async function startServe(args: string[], readable: string[]): Promise<ServeProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--cached-only",
      "--allow-net=127.0.0.1",
      `--allow-read=${readable.join(",")}`,
      "cli/main.ts",
      "serve",
      "--port",
      "0",
      ...args,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const logs: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  (async () => {
    let rest = "";
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      rest += text;
      const lines = rest.split("\n");
      rest = lines.pop()!;
      for (const line of lines) logs.push(JSON.parse(line));
      for (const wake of waiters.splice(0)) wake();
    }
  })();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stella serve did not start: ${out}`);
    out += value;
  }
  reader.releaseLock();
  const url = /listening on (http:\/\/\S+)/.exec(out)![1]!;
  const waitLog = async (match: (entry: Record<string, unknown>) => boolean, from = 0) => {
    while (true) {
      const found = logs.slice(from).find(match);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return {
    url,
    child,
    logs,
    waitLog,
    async stop() {
      child.kill("SIGTERM");
      const status = await child.status;
      await child.stdout.cancel().catch(() => {});
      return status;
    },
  };
}

Deno.test("stella serve (process): verdicts, codes and status codes over HTTP; access logs without payloads", async () => {
  const server = await startServe(
    ["--key", KEY_A, "--max-body", "1KiB", "--concurrency", "4"],
    [KEY_A],
  );
  try {
    const verify = `${server.url}/v1/verify?now=${NOW}`;
    const big = new Uint8Array(2048).fill(0x20);
    const cases: [BodyInit, string | undefined, number, boolean | undefined, string | undefined][] =
      [
        [VALID, "application/json", 200, true, undefined],
        [TAMPERED, "application/json", 200, false, "SIGNATURE_INVALID"],
        [MALFORMED, "application/json", 200, false, "ENVELOPE_MALFORMED"],
        [big, "application/json", 413, undefined, "BODY_TOO_LARGE"],
        ["{}", "text/plain", 415, undefined, "MEDIA_TYPE_UNSUPPORTED"],
      ];
    for (const [body, type, status, verified, code] of cases) {
      const response = await post(verify, body, type);
      assert.equal(response.status, status, code);
      const json = await response.json();
      assert.deepEqual([json.verified, json.code], [verified, code]);
    }
    const bad = await post(`${server.url}/v1/verify?skew=soon`, "{}");
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).detail, /skew="soon"/);
    const access = await server.waitLog((e) => e.type === "access" && e.status === 400);
    assert.equal(access.route, "/v1/verify");
    assert.equal(access.code, "QUERY_INVALID");
    assert.match(String(access.requestId), /^[0-9a-f-]{36}$/);
    assert.equal(typeof access.durationMs, "number");
    assert.equal(typeof access.time, "string");
    // Never a payload in the logs.
    const text = server.logs.map((e) => JSON.stringify(e)).join("\n");
    assert.doesNotMatch(text, /payloadType|signatures/);
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

Deno.test("stella serve (process): SIGHUP reloads the trust; a bad file keeps the old trust and logs why", async () => {
  const dir = await Deno.makeTempDir();
  const trustFile = `${dir}/trust.json`;
  try {
    await Deno.copyFile(fixturePath("negative/trust/allow-promotion.json"), trustFile);
    const server = await startServe(["--trust", trustFile], [dir]);
    try {
      const verify = `${server.url}/v1/verify?now=${NOW}`;
      const first = await (await post(verify, VALID)).json();
      assert.equal(first.verified, true);
      const digest1 = (await (await fetch(`${server.url}/v1/trust`)).json()).digest;

      await Deno.copyFile(fixturePath("negative/trust/ed25519-a.revoked.json"), trustFile);
      let from = server.logs.length;
      server.child.kill("SIGHUP");
      const good = await server.waitLog((e) => e.type === "reload", from);
      assert.equal(good.ok, true);
      const digest2 = (await (await fetch(`${server.url}/v1/trust`)).json()).digest;
      assert.notEqual(digest2, digest1);
      assert.equal(good.trust, digest2);
      assert.equal((await (await post(verify, VALID)).json()).code, "KEY_REVOKED");

      await Deno.writeTextFile(trustFile, '{"keys": [}');
      from = server.logs.length;
      server.child.kill("SIGHUP");
      const bad = await server.waitLog((e) => e.type === "reload", from);
      assert.equal(bad.ok, false);
      assert.match(String(bad.message), /^Cannot load trust policy ".*trust\.json": /);
      assert.equal(bad.trust, digest2);
      assert.equal((await (await fetch(`${server.url}/v1/trust`)).json()).digest, digest2);
      assert.equal((await (await post(verify, VALID)).json()).code, "KEY_REVOKED");
      assert.equal((await server.stop()).code, 0);
    } finally {
      try {
        server.child.kill("SIGKILL");
      } catch { /* already exited */ }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stella serve (process): SIGTERM while a request is in flight finishes it, then exits 0", async () => {
  const server = await startServe(["--key", KEY_A], [KEY_A]);
  const slow = controlledBody();
  const pending = fetch(`${server.url}/v1/verify?now=${NOW}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: slow.stream,
  });
  slow.push(VALID.subarray(0, 100));
  await waitInFlight(server.url, 1);
  const from = server.logs.length;
  server.child.kill("SIGTERM");
  assert.equal((await server.waitLog((e) => e.type === "shutdown", from)).inFlight, 1);
  // Draining: a new request is refused (another instance takes it), the one in flight goes on.
  const late = await post(`${server.url}/v1/verify?now=${NOW}`, VALID);
  assert.deepEqual([late.status, late.headers.get("connection")], [503, "close"]);
  assert.equal((await late.json()).code, "SERVER_BUSY");
  slow.push(VALID.subarray(100));
  slow.close();
  const response = await pending;
  assert.equal(response.status, 200);
  assert.equal((await response.json()).verified, true);
  const status = await server.child.status;
  await server.child.stdout.cancel().catch(() => {});
  assert.equal(status.code, 0);
  assert.equal(server.logs.at(-1)?.type, "stopped");
  // Closed: nothing accepts connections any more.
  await assert.rejects(fetch(`${server.url}/healthz`));
});

Deno.test("stella serve (process): tampered and valid envelopes verify as with stella forensic verify", async () => {
  const server = await startServe(["--key", KEY_A], [KEY_A]);
  try {
    for (
      const [body, file] of [[VALID, "valid.ed25519.dsse.json"], [
        TAMPERED,
        "tampered-payload.dsse.json",
      ]] as const
    ) {
      const served = await (await post(`${server.url}/v1/verify?now=${NOW}`, body)).text();
      const cli = await runCli([
        "forensic",
        "verify",
        fixturePath(`negative/${file}`),
        "--key",
        KEY_A,
        "--now",
        NOW,
        "--json",
      ]);
      assert.equal(served, cli.stdout.replaceAll(fixturePath(`negative/${file}`), "body"));
    }
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});
