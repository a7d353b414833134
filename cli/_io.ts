/**
 * The CLI's only door to the outside world: files, standard streams, the clock and the
 * environment. Commands receive an {@link Io}; tests pass an in-memory one.
 *
 * @module
 */

/** Everything a command may touch outside the library. */
export interface Io {
  /** Writes text to standard output. */
  stdout(text: string): void;
  /** Writes text to standard error. */
  stderr(text: string): void;
  /**
   * Reads a whole file; throws {@link CliError} (exit 2) naming the path when it cannot. With
   * `maxBytes`, reads at most `maxBytes + 1` bytes, so a caller sees that a file is too large
   * without reading all of it.
   */
  readFile(path: string, options?: { maxBytes?: number }): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Opens a file as a byte stream (constant memory); throws {@link CliError} when it cannot. With
   * `regularOnly`, what was opened must be a regular file (checked on the open file, so a path
   * swapped for a device or pipe after it was listed is refused, not read).
   */
  openFile(
    path: string,
    options?: { regularOnly?: boolean },
  ): Promise<ReadableStream<Uint8Array<ArrayBuffer>>>;
  /**
   * Writes a whole file atomically (temporary file in the same folder, then rename), so an
   * interrupted run never leaves a half-written output.
   */
  writeFile(path: string, data: Uint8Array | string, options?: { mode?: number }): Promise<void>;
  /** Describes a path, or `undefined` when nothing is there. */
  stat(path: string): Promise<{ isFile: boolean; isDirectory: boolean } | undefined>;
  /**
   * Describes a path without following a final symbolic link (`isSymlink`), or `undefined` when
   * nothing is there.
   */
  lstat(
    path: string,
  ): Promise<{ isFile: boolean; isDirectory: boolean; isSymlink: boolean } | undefined>;
  /** Lists a directory's entry names (unsorted; callers sort). */
  readDir(path: string): Promise<string[]>;
  /** Current time in epoch milliseconds (the CLI's only clock). */
  now(): number;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** Whether standard error is an interactive terminal (for progress output). */
  readonly stderrIsTerminal: boolean;
  /** Whether colour may be used (stdout is a TTY and `NO_COLOR` is unset). */
  readonly color: boolean;
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

function describe(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file or directory";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  return error instanceof Error ? error.message : String(error);
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
        using file = await Deno.open(path, { read: true });
        const limit = options.maxBytes + 1;
        const buffer = new Uint8Array(limit);
        let length = 0;
        while (length < limit) {
          const n = await file.read(buffer.subarray(length));
          if (n === null) break;
          length += n;
        }
        return buffer.slice(0, length);
      } catch (error) {
        throw new CliError(`Cannot read "${path}": ${describe(error)}`);
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
        return file.readable;
      } catch (error) {
        throw new CliError(`Cannot open "${path}": ${describe(error)}`);
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
        throw new CliError(`Cannot write "${path}": ${describe(error)}`);
      }
    },
    async stat(path) {
      try {
        const info = await Deno.stat(path);
        return { isFile: info.isFile, isDirectory: info.isDirectory };
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw new CliError(`Cannot stat "${path}": ${describe(error)}`);
      }
    },
    async lstat(path) {
      try {
        const info = await Deno.lstat(path);
        return { isFile: info.isFile, isDirectory: info.isDirectory, isSymlink: info.isSymlink };
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw new CliError(`Cannot stat "${path}": ${describe(error)}`);
      }
    },
    async readDir(path) {
      try {
        const names: string[] = [];
        for await (const entry of Deno.readDir(path)) names.push(entry.name);
        return names;
      } catch (error) {
        throw new CliError(`Cannot list "${path}": ${describe(error)}`);
      }
    },
    now: () => Date.now(),
    env: (name) => Deno.env.get(name),
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
