/**
 * The CLI's only door to the outside world: files, standard streams, the clock and the
 * environment. Commands receive an {@link Io}; tests pass an in-memory one.
 *
 * @module
 */

import { readBounded, readChunks, readFilesAhead } from "./_read_ahead.ts";

/** Everything a command may touch outside the library. */
export interface Io {
  /** Writes text to standard output. */
  stdout(text: string): void;
  /** Writes text to standard error. */
  stderr(text: string): void;
  /**
   * Reads a whole file; throws {@link CliError} (exit 2) naming the path when it cannot. With
   * `maxBytes`, reads at most `maxBytes + 1` bytes, so a caller sees that a file is too large
   * without reading all of it, and at the cost of the file's size (see `readBounded` in `_read_ahead.ts`;
   * `size`, from a `stat` of the path, saves finding it again: a hint, never a bound).
   */
  readFile(
    path: string,
    options?: { maxBytes?: number; size?: number | undefined },
  ): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Reads many files in order, each as `readFile(path, { maxBytes })` does; yields their bytes in
   * the same order and throws {@link CliError} at a file that cannot be read (after the files
   * before it). Many files are read ahead on another thread (`_read_ahead.ts`).
   */
  readFiles(
    paths: readonly string[],
    options: { maxBytes: number },
  ): AsyncIterable<Uint8Array<ArrayBuffer>>;
  /**
   * Opens a file as a byte stream (constant memory); throws {@link CliError} when it cannot. With
   * `regularOnly`, what was opened must be a regular file (checked on the open file, so a path
   * swapped for a device or pipe after it was listed is refused, not read). With `reuseBuffers`,
   * chunks are read into buffers used again (`readChunks` in `_read_ahead.ts`): faster, but each
   * chunk is valid only until the next one is requested, so only for consumers that hash or copy.
   */
  openFile(
    path: string,
    options?: { regularOnly?: boolean; reuseBuffers?: boolean },
  ): Promise<ReadableStream<Uint8Array<ArrayBuffer>>>;
  /**
   * Writes a whole file atomically (temporary file in the same folder, then rename), so an
   * interrupted run never leaves a half-written output.
   */
  writeFile(path: string, data: Uint8Array | string, options?: { mode?: number }): Promise<void>;
  /**
   * Describes a path (following symbolic links), or `undefined` when nothing is there. `size` is
   * the size in bytes when known (a hint: a file may change after it was described); `id` names
   * the file itself (device and inode) when the platform gives them, so two paths can be told to
   * be the same file.
   */
  stat(
    path: string,
  ): Promise<
    { isFile: boolean; isDirectory: boolean; size?: number; id?: string } | undefined
  >;
  /**
   * Describes a path without following a final symbolic link (`isSymlink`), or `undefined` when
   * nothing is there.
   */
  lstat(
    path: string,
  ): Promise<{ isFile: boolean; isDirectory: boolean; isSymlink: boolean } | undefined>;
  /**
   * Lists a directory's entries (unsorted; callers sort), each with its type as the directory
   * gives it (a symbolic link is `isSymlink`, not what it points to).
   */
  readDir(path: string): Promise<DirEntry[]>;
  /**
   * Creates a directory. Rejects with the platform's error (the caller names the operation).
   */
  mkdir(path: string, options?: { recursive?: boolean; mode?: number }): Promise<void>;
  /** Renames a file or directory (atomic within a file system). Rejects as {@link Io.mkdir}. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file, or a directory (with `recursive`). Rejects as {@link Io.mkdir}. */
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** Version of the Deno runtime (recorded in the kit's provenance). */
  readonly denoVersion: string;
  /** Current time in epoch milliseconds (the CLI's only clock). */
  now(): number;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /**
   * Asks for a password on the terminal without echo; present only when standard input is a
   * terminal (tests and pipes never prompt).
   */
  promptPassword?: ((prompt: string) => Promise<string>) | undefined;
  /** Whether standard error is an interactive terminal (for progress output). */
  readonly stderrIsTerminal: boolean;
  /** Whether colour may be used (stdout is a TTY and `NO_COLOR` is unset). */
  readonly color: boolean;
}

/** One entry of a directory listing ({@link Io.readDir}). */
export interface DirEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
}

/** An error the CLI reports as `stella: <message>` with exit status 2 (could not run). */
export class CliError extends Error {
  /**
   * @param message What went wrong, naming the offending input.
   */
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * The words a failed file call is reported with (`Cannot read "PATH": <words>`), from the
 * error's name (so an error that crossed a worker boundary as `{ name, message }` reads the same).
 */
export function describeError(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === "NotFound") return "no such file or directory";
  if (name === "PermissionDenied") return "permission denied";
  if (name === "IsADirectory") return "is a directory";
  if (name === "AlreadyExists") return "it exists";
  return typeof message === "string" ? message : String(error);
}

/** The real Io over `Deno.*`. */
export function denoIo(): Io {
  const encoder = new TextEncoder();
  return {
    stdout: (text) => void writeAllSync(Deno.stdout, encoder.encode(text)),
    stderr: (text) => void writeAllSync(Deno.stderr, encoder.encode(text)),
    async readFile(path, options = {}) {
      try {
        if (options.maxBytes === undefined) return await Deno.readFile(path);
        using file = Deno.openSync(path, { read: true });
        return readBounded(file, options.maxBytes, options.size);
      } catch (error) {
        throw new CliError(`Cannot read "${path}": ${describeError(error)}`);
      }
    },
    async *readFiles(paths, options) {
      let i = 0;
      for await (const result of readFilesAhead(paths, options)) {
        if ("error" in result) {
          throw new CliError(`Cannot read "${paths[i]}": ${describeError(result.error)}`);
        }
        i++;
        yield result.bytes;
      }
    },
    async openFile(path, options = {}) {
      try {
        const info = await Deno.stat(path);
        if (info.isDirectory) throw new Deno.errors.IsADirectory();
        const file = await Deno.open(path, { read: true });
        if (options.regularOnly && !(await file.stat()).isFile) {
          file.close();
          throw new Error("not a regular file");
        }
        return options.reuseBuffers ? readChunks(file) : file.readable;
      } catch (error) {
        throw new CliError(`Cannot open "${path}": ${describeError(error)}`);
      }
    },
    async writeFile(path, data, options = {}) {
      const bytes = typeof data === "string" ? encoder.encode(data) : data;
      const slash = path.lastIndexOf("/");
      const dir = slash >= 0 ? path.slice(0, slash + 1) : "";
      const base = slash >= 0 ? path.slice(slash + 1) : path;
      const tmp = `${dir}.${base}.${crypto.randomUUID()}.tmp`;
      try {
        const file = await Deno.open(tmp, {
          write: true,
          createNew: true,
          mode: options.mode ?? 0o644,
        });
        try {
          await writeAll(file, bytes);
          await file.sync();
        } finally {
          file.close();
        }
        if (options.mode !== undefined) await Deno.chmod(tmp, options.mode);
        await Deno.rename(tmp, path);
      } catch (error) {
        await Deno.remove(tmp).catch(() => {});
        throw new CliError(`Cannot write "${path}": ${describeError(error)}`);
      }
    },
    stat(path) {
      // Synchronous underneath: a metadata call costs less than the dispatch of an async one
      // (see readBounded in _read_ahead.ts).
      try {
        const info = Deno.statSync(path);
        return Promise.resolve({
          isFile: info.isFile,
          isDirectory: info.isDirectory,
          size: info.size,
          ...(info.dev !== null && info.ino !== null ? { id: `${info.dev}:${info.ino}` } : {}),
        });
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return Promise.resolve(undefined);
        return Promise.reject(new CliError(`Cannot stat "${path}": ${describeError(error)}`));
      }
    },
    async lstat(path) {
      try {
        const info = await Deno.lstat(path);
        return { isFile: info.isFile, isDirectory: info.isDirectory, isSymlink: info.isSymlink };
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw new CliError(`Cannot stat "${path}": ${describeError(error)}`);
      }
    },
    readDir(path) {
      // Synchronous underneath, as stat: 20,000 entries list in 15-60 ms against 63-130 ms
      // through the async iterator (a dispatch per batch of entries).
      try {
        const entries: DirEntry[] = [];
        for (const e of Deno.readDirSync(path)) {
          entries.push({
            name: e.name,
            isFile: e.isFile,
            isDirectory: e.isDirectory,
            isSymlink: e.isSymlink,
          });
        }
        return Promise.resolve(entries);
      } catch (error) {
        return Promise.reject(new CliError(`Cannot list "${path}": ${describeError(error)}`));
      }
    },
    mkdir: (path, options) => Deno.mkdir(path, options),
    rename: (from, to) => Deno.rename(from, to),
    remove: (path, options) => Deno.remove(path, options),
    denoVersion: Deno.version.deno,
    now: () => Date.now(),
    env: (name) => Deno.env.get(name),
    promptPassword: Deno.stdin.isTerminal() ? promptTerminalPassword : undefined,
    stderrIsTerminal: Deno.stderr.isTerminal(),
    color: Deno.stdout.isTerminal() && Deno.env.get("NO_COLOR") === undefined,
  };
}

function writeAllSync(target: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
}

async function writeAll(target: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await target.write(bytes.subarray(offset));
}

/**
 * Reads a line from a terminal without echo (`Deno.stdin.setRaw`), writing `prompt` to standard
 * error. Backspace erases; Ctrl-C or Ctrl-D on an empty line cancels (exit 2).
 */
async function promptTerminalPassword(prompt: string): Promise<string> {
  const encoder = new TextEncoder();
  Deno.stderr.writeSync(encoder.encode(prompt));
  const bytes: number[] = [];
  const buffer = new Uint8Array(64);
  Deno.stdin.setRaw(true);
  try {
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        if (byte === 0x0d || byte === 0x0a) return new TextDecoder().decode(new Uint8Array(bytes));
        if (byte === 0x03 || (byte === 0x04 && bytes.length === 0)) {
          throw new CliError("Cancelled at the password prompt");
        }
        if (byte === 0x7f || byte === 0x08) bytes.pop();
        else if (byte >= 0x20 || byte === 0x09) bytes.push(byte);
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  } finally {
    buffer.fill(0);
    bytes.fill(0);
    Deno.stdin.setRaw(false);
    Deno.stderr.writeSync(encoder.encode("\n"));
  }
}

/**
 * Refuses to write an output over one of the command's own inputs (exit 2, naming both): an
 * output written over the evidence it was made from would lose it. An input is a file named on
 * the command line, or a file listed in an input directory (dot files are not listed). Paths that
 * do not exist yet are never inputs; files are compared as files (device and inode), so another
 * path to the same file is caught too.
 *
 * @param io The CLI's I/O (its `stat`).
 * @param flag The output flag, for the message (`--out`).
 * @param out The output path, or undefined when there is none.
 * @param inputs The command's input paths (files or directories; undefined ones are skipped).
 * @throws {CliError} When `out` is one of the inputs.
 */
export async function refuseOverwritingInput(
  io: Io,
  flag: string,
  out: string | undefined,
  inputs: readonly (string | undefined)[],
): Promise<void> {
  if (out === undefined || out === "") return; // "" is the command's own usage error
  const target = await io.stat(out);
  if (target?.id === undefined) return;
  const slash = out.lastIndexOf("/");
  const folder = slash < 0 ? "." : slash === 0 ? "/" : out.slice(0, slash);
  // A dot file in an input directory is not listed, so not an input.
  const listed = !out.slice(slash + 1).startsWith(".");
  for (const input of inputs) {
    if (input === undefined || input === "") continue;
    const info = await io.stat(input);
    if (info?.id === undefined) continue;
    const inDirectory = listed && info.isDirectory && (await io.stat(folder))?.id === info.id;
    if (info.id === target.id || inDirectory) {
      throw new CliError(
        `Refusing to write ${flag} "${out}" over the input "${input}": choose another output file`,
      );
    }
  }
}
