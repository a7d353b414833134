/**
 * Test helpers for the HTTP handler: serve it on a loopback port chosen by the system (port 0)
 * and shut it down; read fixtures.
 */

import { createVerifyHandler, type VerifyHandlerOptions } from "../../mod.ts";

/** A handler served over real HTTP on 127.0.0.1. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Stops accepting, lets requests in flight finish. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Serves `createVerifyHandler(options)` on 127.0.0.1, port 0. */
export function serveHandler(options: VerifyHandlerOptions): TestServer {
  const handler = createVerifyHandler(options);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const close = async () => {
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}

const FIXTURES = new URL("../../fixtures/", import.meta.url);

/** Bytes of a fixture file (path relative to `fixtures/`). */
export function fixture(path: string): Promise<Uint8Array<ArrayBuffer>> {
  return Deno.readFile(new URL(path, FIXTURES));
}

/** Text of a fixture file. */
export function fixtureText(path: string): Promise<string> {
  return Deno.readTextFile(new URL(path, FIXTURES));
}

/** Path of a fixture file, for CLI arguments. */
export function fixturePath(path: string): string {
  return new URL(path, FIXTURES).pathname;
}

/** The evaluation time of the negative fixtures. */
export const NOW = "2026-03-01T12:00:00Z";
export const NOW_MS = Date.parse(NOW);

/** POSTs a body to the verify route. */
export function post(
  url: string,
  body: BodyInit,
  contentType: string | undefined = "application/json",
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: contentType === undefined ? {} : { "content-type": contentType },
    body,
  });
}

/** Resolves once the server's in-flight gauge reads `n` (polls /metrics). */
export async function waitInFlight(base: string, n: number): Promise<void> {
  while (true) {
    const text = await (await fetch(`${base}/metrics`)).text();
    if (text.includes(`\nstella_http_requests_in_flight ${n}\n`)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A request body stream that the test feeds chunk by chunk, and closes when it wants. */
export function controlledBody(): {
  stream: ReadableStream<Uint8Array>;
  push(bytes: Uint8Array | string): void;
  close(): void;
} {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    stream,
    push: (bytes) =>
      controller.enqueue(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes),
    close: () => controller.close(),
  };
}

/**
 * Sends a request by hand over TCP (chunked body, chunks written one by one, the body never
 * ended unless `end`) and reads the response head and its Content-Length body.
 */
export async function rawRequest(
  base: string,
  head: string,
  chunks: Uint8Array[],
  end = false,
): Promise<{ status: number; headers: Headers; body: string }> {
  const { hostname, port } = new URL(base);
  using conn = await Deno.connect({ hostname, port: Number(port) });
  const encoder = new TextEncoder();
  const write = async (bytes: Uint8Array) => {
    for (let done = 0; done < bytes.length;) done += await conn.write(bytes.subarray(done));
  };
  await write(encoder.encode(head + "Transfer-Encoding: chunked\r\n\r\n"));
  for (const chunk of chunks) {
    await write(encoder.encode(chunk.length.toString(16) + "\r\n"));
    await write(chunk);
    await write(encoder.encode("\r\n"));
  }
  if (end) await write(encoder.encode("0\r\n\r\n"));
  let received = new Uint8Array(0);
  const buffer = new Uint8Array(64 * 1024);
  const decoder = new TextDecoder();
  while (true) {
    const text = decoder.decode(received);
    const split = text.indexOf("\r\n\r\n");
    if (split !== -1) {
      const lines = text.slice(0, split).split("\r\n");
      const headers = new Headers();
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const length = Number(headers.get("content-length") ?? "0");
      const body = text.slice(split + 4);
      if (encoder.encode(body).length >= length) {
        return { status: Number(lines[0]!.split(" ")[1]), headers, body };
      }
    }
    const n = await conn.read(buffer);
    if (n === null) throw new Error(`Connection closed after: ${text}`);
    const next = new Uint8Array(received.length + n);
    next.set(received);
    next.set(buffer.subarray(0, n), received.length);
    received = next;
  }
}
