/**
 * File I/O for the signing audit log (format and verification in `audit_log.ts`).
 *
 * Crash safety of {@link appendAuditLogFile}:
 * 1. The file is opened for append (created with mode 0600 when missing) and locked exclusively
 *    (`FsFile.lock`, advisory), so concurrent writers using this helper never interleave.
 * 2. Only the end of the file is read: enough to find the last complete line.
 * 3. A torn tail (a last line without `"\n"`, left by a writer killed mid-write) is truncated away
 *    and the truncation synced; the new record says `repairedTornTail: true`.
 * 4. The new record line (canonical JSON + `"\n"`) is written with one write call (looping only on
 *    a short write) and `FsFile.sync()` (fsync) runs before the call resolves.
 * A process killed at any point leaves a log whose complete records verify; at worst the last
 * line is torn, and the next append repairs it.
 *
 * @module
 */

import {
  type AuditEntry,
  type AuditLogReport,
  type AuditRecord,
  type AuditSink,
  planAuditAppend,
  verifyAuditLog,
  type VerifyAuditLogOptions,
} from "./audit_log.ts";

const NEWLINE = 0x0a;
const FIRST_WINDOW = 64 * 1024;

async function readAt(file: Deno.FsFile, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  await file.seek(position, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

/**
 * Reads the end of the file starting at a line boundary and holding at least one complete line
 * (or the whole file when it is shorter).
 */
async function readTail(
  file: Deno.FsFile,
  size: number,
): Promise<{ tail: Uint8Array; offset: number }> {
  let window = FIRST_WINDOW;
  for (;;) {
    const start = Math.max(0, size - window);
    const bytes = await readAt(file, start, size - start);
    if (start === 0) return { tail: bytes, offset: 0 };
    const firstNewline = bytes.indexOf(NEWLINE);
    if (firstNewline >= 0) {
      const tail = bytes.subarray(firstNewline + 1);
      if (tail.indexOf(NEWLINE) >= 0) return { tail, offset: start + firstNewline + 1 };
    }
    window *= 2;
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await file.write(bytes.subarray(written));
  }
}

/**
 * Appends one record to an audit log file, crash-safely (see the module doc): lock, repair a
 * torn tail, write the canonical line in one call, fsync.
 *
 * @param path The log file (created when missing).
 * @param entry What to record.
 * @returns The record as written.
 * @throws {ParseError} `AUDIT_RECORD_MALFORMED` when the last complete record cannot be read.
 * @throws {Deno.errors.PermissionDenied} And other file-system errors, unchanged.
 *
 * @example Usage
 * ```ts
 * import { appendAuditLogFile, verifyAuditLogFile } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/audit.jsonl`;
 * const record = await appendAuditLogFile(path, {
 *   time: "2025-01-01T00:00:00Z", keyid: "k1", algorithm: "ed25519", payloadType: null,
 *   payloadSha256: "0".repeat(64), subjects: [], actor: "ci",
 * });
 * assert.equal(record.seq, 1);
 * assert.equal((await verifyAuditLogFile(path)).ok, true);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function appendAuditLogFile(
  path: string | URL,
  entry: AuditEntry,
): Promise<AuditRecord> {
  using file = await Deno.open(path, { read: true, append: true, create: true, mode: 0o600 });
  await file.lock(true);
  try {
    const { size } = await file.stat();
    const { tail, offset } = await readTail(file, size);
    const plan = planAuditAppend(tail, entry, { tailOffset: offset });
    if (plan.keepBytes < size) {
      await file.truncate(plan.keepBytes);
      await file.sync();
    }
    await writeAll(file, plan.line);
    await file.sync();
    return plan.record;
  } finally {
    await file.unlock();
  }
}

/**
 * Reads and verifies an audit log file (see `verifyAuditLog`).
 *
 * @param path The log file.
 * @param options An optional trusted head digest.
 * @returns The verification report.
 * @throws {Deno.errors.NotFound} When the file does not exist (and other file-system errors).
 *
 * @example Usage
 * ```ts
 * import { verifyAuditLogFile } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/empty.jsonl`, "");
 * assert.equal((await verifyAuditLogFile(`${dir}/empty.jsonl`)).records, 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function verifyAuditLogFile(
  path: string | URL,
  options: VerifyAuditLogOptions = {},
): Promise<AuditLogReport> {
  return verifyAuditLog(await Deno.readFile(path), options);
}

/**
 * An {@link AuditSink} backed by a JSON Lines file; each `append` is one
 * {@link appendAuditLogFile} call.
 *
 * @example Usage
 * ```ts
 * import { type Signer } from "@stellaops/provenance";
 * import { AuditedSigner, FileAuditLog, verifyAuditLogFile } from "@stellaops/provenance/sign";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const inner: Signer = { keyid: "k", algorithm: "hmac-sha256", sign: () => Promise.resolve(new Uint8Array(32)) };
 * const signer = new AuditedSigner(inner, new FileAuditLog(`${dir}/audit.jsonl`), {
 *   actor: "ci",
 *   time: "2025-01-01T00:00:00Z",
 * });
 * await signer.sign(new TextEncoder().encode("DSSEv1 10 text/plain 2 hi"));
 * assert.equal((await verifyAuditLogFile(`${dir}/audit.jsonl`)).records, 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class FileAuditLog implements AuditSink {
  readonly #path: string | URL;

  /**
   * Creates a sink for one log file (nothing is opened until the first append).
   *
   * @param path The log file.
   */
  constructor(path: string | URL) {
    this.#path = path;
  }

  /** The log file path. */
  get path(): string | URL {
    return this.#path;
  }

  /**
   * Appends a record crash-safely.
   *
   * @param entry What to record.
   * @returns The record as written.
   */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return appendAuditLogFile(this.#path, entry);
  }
}
