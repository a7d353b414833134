/**
 * `stella serve`: the verification handler ({@link createVerifyHandler}) on `Deno.serve`, with the
 * process's clock, structured JSON logs on stderr, SIGHUP reload and graceful shutdown.
 *
 * Least permissions: `deno run --allow-net=HOST:PORT --allow-read=<the trust files> cli/main.ts
 * serve …` (or the bundle `dist/stella.js`); the process only listens and never connects out.
 * `--allow-env=NO_COLOR` is needed only when stdout is a terminal.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { ParseError, ValidationError } from "../lib/encoding/errors.ts";
import type { TrustMaterial } from "../lib/verify/trust_material.ts";
import {
  createVerifyHandler,
  preparedTrust,
  type VerifyHandlerLogEntry,
} from "../lib/serve/handler.ts";
import { expectPositionals, HELP_FLAG, parseCountFlag, parseStrict } from "./_args.ts";
import { CliError, type Io } from "./_io.ts";
import type { Command } from "./commands.ts";
import { readTrust } from "./_verify_options.ts";

const FLAGS = {
  ...HELP_FLAG,
  trust: { type: "string" },
  key: { type: "string", multiple: true },
  "trusted-root": { type: "string" },
  "tsa-roots": { type: "string" },
  hostname: { type: "string", default: "127.0.0.1" },
  port: { type: "string", default: "8080" },
  "max-body": { type: "string", default: "32MiB" },
  concurrency: { type: "string", default: "64" },
} as const;

const SIZE_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  B: 1,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

/** `stella serve`. */
export const serveCommand: Command = {
  path: ["serve"],
  summary: "Serve verification over HTTP (POST /v1/verify, /v1/verify/timeline; offline)",
  flags: FLAGS,
  help: `Usage: stella serve --trust trust.json [--key PEM]... [--trusted-root trusted_root.json]
       [--tsa-roots roots.pem] [--hostname 127.0.0.1] [--port 8080] [--max-body 32MiB]
       [--concurrency 64]

Serves the verdicts of "stella forensic verify" over HTTP (OpenAPI 3.1: GET /openapi.json):
  POST /v1/verify            a DSSE envelope or Sigstore bundle (application/json), or JSON
                             Lines of either (application/jsonl); query parameters are the
                             verify flags: now, signed-at, not-after, skew, max-signatures,
                             merkle-root, artifact-digest, image, subject-name, predicate-type,
                             allow-empty, certificate-identity, certificate-oidc-issuer,
                             tlog-threshold, timestamp-threshold, sct-threshold
  POST /v1/verify/timeline   a custody timeline as JSON Lines (now, not-after, skew,
                             merkle-root, expect-head, expect-entries, allow-unbound-custodians)
  GET  /v1/trust             digest and summary of the trust material
  GET  /healthz, /metrics (Prometheus), /openapi.json
Every evaluated input is 200 with the report of "stella forensic verify --json" (verified or
not); 400 bad query, 404, 405, 413 body too large, 415 wrong Content-Type, 503 busy
(Retry-After), 500 with a request id only.

Flags:
  --trust FILE         Trust policy (keys, threshold, allowed predicate types, claims, TSA roots)
  --key PEM            Trust this public key too (as forensic verify --key); repeatable
  --trusted-root FILE  Sigstore trusted_root.json, for bundles
  --tsa-roots PEM      Trusted TSA root certificates
  --hostname H         Address to listen on (default 127.0.0.1: loopback only)
  --port N             Port (default 8080; 0 picks a free one)
  --max-body SIZE      Largest request body (default 32MiB; e.g. 1048576, 512KiB, 8MiB)
  --concurrency N      Verifications in flight at once (default 64); more is 503

Prints "stella serve: listening on http://HOST:PORT" on stdout once listening. Logs one JSON
object per line on stderr: access lines (request id, method, route, status, code, verified,
duration; never a payload), errors (with the request id the client got), reloads.
Signals: SIGHUP reloads every trust file atomically (a file that does not load keeps the old
trust and logs why); SIGTERM or SIGINT stop accepting, finish the requests in flight, exit 0.

Least permissions: deno run --allow-net=HOST:PORT --allow-read=<trust files> (the process only
listens; it never connects out).

Exit status: 0 stopped by a signal; 2 could not start (bad flag, unreadable trust file, port in
use).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({ args, options: FLAGS, allowPositionals: true });
    expectPositionals(positionals, "nothing", { min: 0, max: 0 });
    if (
      values.trust === undefined && values.key === undefined && values["trusted-root"] === undefined
    ) {
      throw new CliError(
        "Name the trust material with --trust trust.json (or --key PEM, --trusted-root FILE)",
      );
    }
    const port = parseCountFlag("--port", values.port, 0, 65535)!;
    const maxBody = parseSize(values["max-body"]);
    const concurrency = parseCountFlag("--concurrency", values.concurrency, 1, 1_000_000)!;
    const hostname = values.hostname;
    const load = () => loadTrust(io, values);
    let trust = await load();
    const log = (entry: Record<string, unknown>) =>
      io.stderr(canonicalize({ time: new Date(io.now()).toISOString(), ...entry }) + "\n");
    const handler = createVerifyHandler({
      trust: () => trust,
      limits: { maxBodyBytes: maxBody, concurrency },
      now: () => io.now(),
      monotonic: () => performance.now(),
      requestId: () => crypto.randomUUID(),
      log: (entry: VerifyHandlerLogEntry) => log({ ...entry }),
    });
    // Graceful stop: Deno's shutdown() closes the bodies of requests still being read, so a
    // signal first drains: requests in flight finish, new ones get 503 (Connection: close, so a
    // load balancer retries elsewhere), and the server shuts down once none is left.
    let inFlight = 0;
    let draining = false;
    let drained!: () => void;
    const idle = new Promise<void>((resolve) => (drained = resolve));
    const serve = async (request: Request): Promise<Response> => {
      if (draining) {
        await request.body?.cancel().catch(() => {});
        return new Response(
          canonicalize({
            code: "SERVER_BUSY",
            detail: "Retry on another instance: this one is shutting down",
            requestId: "",
            status: 503,
            title: "Service Unavailable",
          }) + "\n",
          {
            status: 503,
            headers: {
              "content-type": "application/problem+json",
              "retry-after": "1",
              connection: "close",
            },
          },
        );
      }
      inFlight++;
      try {
        return await handler(request);
      } finally {
        if (--inFlight === 0 && draining) drained();
      }
    };
    let server: Deno.HttpServer<Deno.NetAddr>;
    try {
      server = Deno.serve({
        hostname,
        port,
        onListen(addr) {
          const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
          io.stdout(`stella serve: listening on http://${host}:${addr.port}\n`);
          log({
            type: "listen",
            url: `http://${host}:${addr.port}`,
            trust: preparedTrust(trust).digest,
          });
        },
        // Only reached when the handler itself fails (it answers its own errors): no stack.
        onError() {
          return new Response("Internal error\n", { status: 500 });
        },
      }, serve);
    } catch (error) {
      throw new CliError(
        `Cannot listen on ${hostname}:${port}: ${error instanceof Error ? error.message : error}`,
      );
    }
    let reloading = Promise.resolve();
    const reload = () => {
      reloading = reloading.then(async () => {
        try {
          const next = await load();
          trust = next; // one assignment: each request reads the old or the new, never a mix
          log({ type: "reload", ok: true, trust: preparedTrust(next).digest });
        } catch (error) {
          log({
            type: "reload",
            ok: false,
            message: error instanceof Error ? error.message : String(error),
            trust: preparedTrust(trust).digest,
          });
        }
      });
    };
    let stopping = false;
    const stop = (signal: string) => () => {
      if (stopping) return;
      stopping = true;
      log({ type: "shutdown", signal, inFlight });
      draining = true;
      if (inFlight === 0) drained();
      void idle.then(() => server.shutdown());
    };
    const signals: [Deno.Signal, () => void][] = [
      ["SIGHUP", reload],
      ["SIGTERM", stop("SIGTERM")],
      ["SIGINT", stop("SIGINT")],
    ];
    for (const [signal, listener] of signals) Deno.addSignalListener(signal, listener);
    try {
      await server.finished;
    } finally {
      for (const [signal, listener] of signals) Deno.removeSignalListener(signal, listener);
    }
    await reloading;
    log({ type: "stopped" });
    return 0;
  },
};

/**
 * Reads every trust file named by the flags into one {@link TrustMaterial} (the loader of
 * `stella forensic verify`); any problem is a CliError naming the file.
 */
async function loadTrust(
  io: Io,
  values: {
    trust?: string | undefined;
    key?: string[] | undefined;
    "trusted-root"?: string | undefined;
    "tsa-roots"?: string | undefined;
  },
): Promise<TrustMaterial> {
  // The same reading as forensic verify: every error names its file.
  const trust = await readTrust(io, {
    trust: values.trust,
    key: values.key,
    trustedRoot: values["trusted-root"],
    tsaRoots: values["tsa-roots"],
  });
  try {
    // Imports every key and summarises the trust once, not per request.
    preparedTrust(trust);
  } catch (error) {
    if (
      error instanceof ParseError || error instanceof ValidationError ||
      error instanceof TypeError
    ) {
      throw new CliError(`Cannot load the trust material: ${error.message}`);
    }
    throw error;
  }
  return trust;
}

function parseSize(value: string): number {
  const match = /^(\d{1,12})(B|KB|MB|GB|KiB|MiB|GiB)?$/.exec(value);
  const bytes = match === null ? NaN : Number(match[1]) * SIZE_UNITS[match[2] ?? ""]!;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new CliError(
      `Cannot parse --max-body "${value}": use a size such as 1048576, 512KiB or 32MiB`,
    );
  }
  return bytes;
}
