/**
 * The envelopes named on a `stella forensic verify` command line, as a lazy stream for
 * `verifyMany` (bounded memory: a few batches of files read ahead, or one read buffer of a JSON
 * Lines file, at a time).
 *
 * Same artifacts, names and order as the command's sequential reading: a file is one envelope
 * named by its path (read up to `maxBytes + 1` bytes, so an oversized file is reported as
 * malformed without reading all of it); a `.jsonl` file gives one envelope per non-blank line,
 * named `path:line` (1-based, counting blank lines), without its newline, and bounded like a file
 * (a line longer than `maxBytes` keeps its first `maxBytes + 1` bytes, the rest is skipped
 * unread into memory); a directory gives its files (dot files skipped) in UTF-16 name order, each
 * as above.
 *
 * Reading costs what the files hold (issue 15): each file is read at the cost of its size
 * (`readBounded` in `_read_ahead.ts`: its size, then read exactly, never past `maxBytes + 1`
 * bytes), and a directory's files go through `Io.readFiles`, which reads many of them ahead on
 * a worker while `verifyMany` verifies the ones before, so reading and verifying overlap.
 *
 * @module
 */

import { isBlankLine } from "../lib/encoding/json_lines.ts";
import { CliError, type Io } from "./_io.ts";

/** One envelope of the command line. */
export interface EnvelopeArtifact {
  /** `path`, or `path:line` for a line of a `.jsonl` file. */
  name: string;
  /** The envelope's bytes. */
  bytes: Uint8Array;
}

/** The envelopes of a command line: a lazy stream, and how many there are when known. */
export interface EnvelopeSource extends AsyncIterable<EnvelopeArtifact> {
  /**
   * How many envelopes the stream yields, when known without reading them: every path a file
   * (not `.jsonl`) or a directory of such files. `undefined` when a `.jsonl` file is among them
   * (its lines are counted only by reading it). For the progress line's total and ETA.
   */
  total: number | undefined;
}

/**
 * Checks that every positional exists (so a missing path is exit 2 before anything is verified),
 * lists each directory once, and returns the lazy stream of their envelopes.
 *
 * @param io The command's Io.
 * @param paths Positionals: envelope files, `.jsonl` files, directories.
 * @param maxBytes Largest single envelope file to read whole (the CLI passes
 *   `DEFAULT_ENVELOPE_MAX_BYTES`).
 * @returns The envelopes, in command-line order, and their number when known.
 * @throws {CliError} When a path does not exist.
 */
export async function envelopeSource(
  io: Io,
  paths: readonly string[],
  maxBytes: number,
): Promise<EnvelopeSource> {
  // Per positional: the file itself, or the directory's files in order.
  const inputs: { path: string; files: string[] | undefined }[] = [];
  let total: number | undefined = 0;
  for (const path of paths) {
    const info = await io.stat(path);
    if (info === undefined) throw new CliError(`Cannot read "${path}": no such file or directory`);
    const files = info.isDirectory ? await listDirectory(io, path) : undefined;
    inputs.push({ path, files });
    for (const file of files ?? [path]) {
      if (total !== undefined) total = file.endsWith(".jsonl") ? undefined : total + 1;
    }
  }
  const artifacts = (async function* () {
    for (const { path, files } of inputs) {
      if (files === undefined) yield* fileArtifacts(io, path, maxBytes);
      else yield* directoryArtifacts(io, files, maxBytes);
    }
  })();
  return { total, [Symbol.asyncIterator]: () => artifacts };
}

/**
 * A directory's files in UTF-16 name order: dot files skipped, only regular files, symbolic
 * links followed (a regular file is known from the listing itself; only a link costs a `stat`).
 */
async function listDirectory(io: Io, dir: string): Promise<string[]> {
  const entries = (await io.readDir(dir)).filter((e) => !e.name.startsWith("."));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const base = dir.replace(/\/+$/, "");
  const files: string[] = [];
  for (const entry of entries) {
    const path = `${base}/${entry.name}`;
    const isFile = entry.isSymlink ? (await io.stat(path))?.isFile === true : entry.isFile;
    if (isFile) files.push(path);
  }
  return files;
}

/**
 * A directory's listed files: runs of envelope files go through `Io.readFiles` (read ahead, in
 * order); a `.jsonl` file is streamed in its place.
 */
async function* directoryArtifacts(
  io: Io,
  files: readonly string[],
  maxBytes: number,
): AsyncGenerator<EnvelopeArtifact> {
  let run: string[] = [];
  async function* flush(): AsyncGenerator<EnvelopeArtifact> {
    const paths = run;
    run = [];
    let i = 0;
    for await (const bytes of io.readFiles(paths, { maxBytes })) yield { name: paths[i++]!, bytes };
  }
  for (const path of files) {
    if (!path.endsWith(".jsonl")) {
      run.push(path);
      continue;
    }
    yield* flush();
    yield* fileArtifacts(io, path, maxBytes);
  }
  yield* flush();
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
  // Pieces of the current line seen so far (a long line spans many reads; joined once), at most
  // `limit` bytes of it: the rest of an oversized line is dropped as it is read.
  const limit = maxBytes + 1;
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let cut = false;
  const keep = (piece: Uint8Array): void => {
    const room = limit - pendingLength;
    if (piece.length > room) cut = true;
    if (room <= 0) return;
    const kept = piece.length > room ? piece.subarray(0, room) : piece;
    pending.push(kept.slice());
    pendingLength += kept.length;
  };
  /** The current line, ending with `last`; a cut line is never blank (it is oversized). */
  const take = (last: Uint8Array): { bytes: Uint8Array; blank: boolean } => {
    keep(last);
    const bytes = pending.length === 1 ? pending[0]! : new Uint8Array(pendingLength);
    if (pending.length > 1) {
      let offset = 0;
      for (const piece of pending) {
        bytes.set(piece, offset);
        offset += piece.length;
      }
    }
    const blank = !cut && isBlankLine(bytes);
    pending = [];
    pendingLength = 0;
    cut = false;
    return { bytes, blank };
  };
  // Every piece of a line is copied by `keep`, so the chunks may share their buffers.
  for await (const chunk of await io.openFile(path, { reuseBuffers: true })) {
    let start = 0;
    while (true) {
      const end = chunk.indexOf(0x0a, start);
      if (end === -1) break;
      line++;
      const { bytes, blank } = take(chunk.subarray(start, end));
      if (!blank) yield { name: `${path}:${line}`, bytes };
      start = end + 1;
    }
    if (start < chunk.length) keep(chunk.subarray(start));
  }
  if (pendingLength > 0 || cut) {
    const { bytes, blank } = take(new Uint8Array(0));
    if (!blank) yield { name: `${path}:${line + 1}`, bytes };
  }
}
