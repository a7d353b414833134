/**
 * The envelopes named on a `stella forensic verify` command line, as a lazy stream for
 * `verifyMany` (bounded memory: one file, or one read buffer of a JSON Lines file, at a time).
 *
 * Same artifacts, names and order as the command's sequential reading: a file is one envelope
 * named by its path (read up to `maxBytes + 1` bytes, so an oversized file is reported as
 * malformed without reading all of it); a `.jsonl` file gives one envelope per non-blank line,
 * named `path:line` (1-based, counting blank lines), without its newline; a directory gives its
 * files (dot files skipped) in UTF-16 name order, each as above.
 *
 * @module
 */

import { CliError, type Io } from "./_io.ts";

/** One envelope of the command line. */
export interface EnvelopeArtifact {
  /** `path`, or `path:line` for a line of a `.jsonl` file. */
  name: string;
  /** The envelope's bytes. */
  bytes: Uint8Array;
}

/**
 * Checks that every positional exists (so a missing path is exit 2 before anything is verified)
 * and returns the lazy stream of their envelopes.
 *
 * @param io The command's Io.
 * @param paths Positionals: envelope files, `.jsonl` files, directories.
 * @param maxBytes Largest single envelope file to read whole (the CLI passes
 *   `DEFAULT_ENVELOPE_MAX_BYTES`).
 * @returns The envelopes, in command-line order.
 * @throws {CliError} When a path does not exist.
 */
export async function envelopeSource(
  io: Io,
  paths: readonly string[],
  maxBytes: number,
): Promise<AsyncGenerator<EnvelopeArtifact>> {
  const kinds: boolean[] = [];
  for (const path of paths) {
    const info = await io.stat(path);
    if (info === undefined) throw new CliError(`Cannot read "${path}": no such file or directory`);
    kinds.push(info.isDirectory);
  }
  return (async function* () {
    for (const [i, path] of paths.entries()) {
      if (!kinds[i]) {
        yield* fileArtifacts(io, path, maxBytes);
        continue;
      }
      const names = (await io.readDir(path)).filter((n) => !n.startsWith(".")).sort();
      for (const name of names) {
        const child = `${path.replace(/\/+$/, "")}/${name}`;
        if ((await io.stat(child))?.isFile) yield* fileArtifacts(io, child, maxBytes);
      }
    }
  })();
}

async function* fileArtifacts(
  io: Io,
  path: string,
  maxBytes: number,
): AsyncGenerator<EnvelopeArtifact> {
  if (!path.endsWith(".jsonl")) {
    yield { name: path, bytes: await io.readFile(path, { maxBytes }) };
    return;
  }
  let line = 0;
  // Pieces of the current line seen so far (a long line spans many reads; joined once).
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  const join = (last: Uint8Array): Uint8Array => {
    if (pending.length === 0) return last.slice();
    const out = new Uint8Array(pendingLength + last.length);
    let offset = 0;
    for (const piece of pending) {
      out.set(piece, offset);
      offset += piece.length;
    }
    out.set(last, offset);
    pending = [];
    pendingLength = 0;
    return out;
  };
  for await (const chunk of await io.openFile(path)) {
    let start = 0;
    while (true) {
      const end = chunk.indexOf(0x0a, start);
      if (end === -1) break;
      line++;
      const bytes = join(chunk.subarray(start, end));
      if (!isBlank(bytes)) yield { name: `${path}:${line}`, bytes };
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.slice(start));
      pendingLength += chunk.length - start;
    }
  }
  if (pendingLength > 0) {
    const bytes = join(new Uint8Array(0));
    if (!isBlank(bytes)) yield { name: `${path}:${line + 1}`, bytes };
  }
}

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}
