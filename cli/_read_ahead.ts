/**
 * Reads many small files in order, off the calling thread (issue 15: a directory of envelopes
 * verifies about as fast as the same envelopes in one JSON Lines file).
 *
 * Why a worker: in `deno run --allow-read` (not every permission granted) each file costs about
 * 35 µs of synchronous calls (the permission check of `open` is most of it), and the calling
 * thread is the bottleneck of a batch verify (strict parsing, reports), while the other core
 * has room. Async file calls would move the work to Deno's thread pool but cost about 100 µs of
 * dispatch each (bench/results/issue15.md). So a worker reads the files with the same bounded,
 * synchronous reads ({@link readBounded}) and hands them over in batches (buffers transferred,
 * not copied), a few batches ahead of the consumer; the calling thread reads the first files
 * itself while the worker starts, and reads everything itself when a worker cannot start.
 *
 * The worker is built from the source text of two self-contained functions (a `blob:` URL), so
 * it runs the same from `cli/main.ts`, the single-file bundle and a compiled binary, with the
 * caller's permissions (it needs read access only).
 *
 * @module
 */

/** What {@link readBounded} needs of an open file (`Deno.FsFile` has it). */
export interface BoundedReadable {
  /** Moves the file position; returns the new position (throws when the file cannot seek). */
  seekSync(offset: number, whence: Deno.SeekMode): number;
  /** Reads into `buffer`; the number of bytes read, or null at the end of the file. */
  readSync(buffer: Uint8Array): number | null;
}

/**
 * Reads an open file at the cost of its size, never more than `maxBytes + 1` bytes: the buffer
 * is the file's size plus one byte (which sees the end of the file, or that it grew), and grows
 * by doubling only when the file turns out longer (it grew since its size was taken, or it is
 * not a regular file), up to `maxBytes + 1` bytes. So a small envelope costs a small buffer, a
 * file larger than `maxBytes` is read only as far as `maxBytes + 1` bytes (the caller sees it is
 * too large), and a file that grows between the size and the read (or `/dev/zero`) is still
 * bounded. The size is `size` when the caller has it (a `stat` of the path), else the end
 * offset of the open file (`seek`; unknown for a pipe).
 *
 * Synchronous on purpose: measured on Deno 2.9.6 (bench/results/issue15.md), an async file
 * operation costs about 100 µs of thread-pool dispatch, the same call made synchronously a few
 * µs, and a directory of small envelopes needs several per file. `seek` rather than `fstat`
 * because `FsFile.statSync()` costs about 4x more when not every permission is granted, which
 * is how `stella forensic verify` runs (`--allow-read`).
 *
 * Self-contained (it refers to nothing outside itself but `Deno.SeekMode`): the read-ahead
 * worker of `_read_ahead.ts` runs it from its source text.
 *
 * @param file The open file, at offset 0.
 * @param maxBytes Largest size the caller accepts.
 * @param size The file's size when known.
 * @returns The bytes read (at most `maxBytes + 1`).
 */
export function readBounded(
  file: BoundedReadable,
  maxBytes: number,
  size?: number,
): Uint8Array<ArrayBuffer> {
  const limit = maxBytes + 1;
  // First buffer for a file whose size is unknown (a pipe, a device), doubled as it fills.
  const unknownSizeBuffer = 64 * 1024;
  if (size === undefined) {
    try {
      size = file.seekSync(0, Deno.SeekMode.End);
      file.seekSync(0, Deno.SeekMode.Start);
    } catch {
      size = undefined; // Not seekable: read as it comes.
    }
  }
  let buffer = new Uint8Array(Math.min(limit, size === undefined ? unknownSizeBuffer : size + 1));
  let length = 0;
  while (length < limit) {
    if (length === buffer.length) {
      const grown = new Uint8Array(
        Math.min(limit, Math.max(buffer.length * 2, unknownSizeBuffer)),
      );
      grown.set(buffer);
      buffer = grown;
    }
    const n = file.readSync(buffer.subarray(length));
    if (n === null) break;
    length += n;
  }
  return length === buffer.length ? buffer : buffer.subarray(0, length);
}

/** Fewest files for which a reader worker is started (below, the calling thread reads). */
export const READ_AHEAD_MIN_FILES = 128;
/** Files read by the calling thread between two looks for the worker's "ready" message. */
const READY_CHECK_FILES = 16;
/** Files per batch handed over by the worker. */
const BATCH_FILES = 64;
/** Bytes per batch (a batch closes at whichever limit comes first; at least one file). */
const BATCH_BYTES = 1024 * 1024;
/**
 * Batches the worker may be ahead of the consumer (bounds memory: about 16 MiB, plus one file
 * larger than a batch). The worker is bursty on two busy cores: with 4 batches ahead the calling
 * thread waited 157-173 ms in all over 20,000 envelopes, with 8 77-84 ms, with 16 55-65 ms.
 */
const BATCHES_AHEAD = 16;

type ToReader =
  | {
    type: "job";
    paths: string[];
    from: number;
    maxBytes: number;
    window: number;
    batchFiles: number;
    batchBytes: number;
  }
  | { type: "credit" };
type FromReader = { type: "ready" } | { type: "batch"; items: ReadAheadResult[] } | { type: "end" };

/** Options of {@link readFilesAhead}. */
export interface ReadAheadOptions {
  /** Largest size accepted (each file is read as far as `maxBytes + 1` bytes). */
  maxBytes: number;
  /** Use a worker from this many files (default {@link READ_AHEAD_MIN_FILES}). */
  workerFrom?: number | undefined;
}

/**
 * One file read by {@link readFilesAhead}: its bytes, or the error that stopped its read;
 * `worker` when the reader worker read it.
 */
export type ReadAheadResult =
  & (
    | { bytes: Uint8Array<ArrayBuffer> }
    | { error: { name: string; message: string } }
  )
  & { worker?: true };

/**
 * Reads `paths` in order, each at the cost of its size and never past `maxBytes + 1` bytes
 * ({@link readBounded}), yielding one result per path in the same order.
 *
 * @param paths Files to read.
 * @param options The bound and when to use a worker.
 * @returns One result per path, in `paths` order.
 */
export async function* readFilesAhead(
  paths: readonly string[],
  options: ReadAheadOptions,
): AsyncGenerator<ReadAheadResult> {
  const { maxBytes } = options;
  let i = 0;
  const reader = paths.length >= (options.workerFrom ?? READ_AHEAD_MIN_FILES)
    ? startReader()
    : undefined;
  try {
    // Until the worker says it is ready (or for good, without one), read here. Its message is a
    // macrotask, and a consumer whose work is all synchronous never lets one run: every few files
    // give the event loop a turn, or the calling thread would read every file itself.
    while (i < paths.length && reader !== undefined && !reader.ready() && !reader.failed()) {
      yield readOne(paths[i]!, maxBytes, readBounded);
      i++;
      if (i % READY_CHECK_FILES === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (reader !== undefined && i < paths.length && !reader.failed()) {
      reader.post({
        type: "job",
        paths: [...paths],
        from: i,
        maxBytes,
        window: BATCHES_AHEAD,
        batchFiles: BATCH_FILES,
        batchBytes: BATCH_BYTES,
      });
      while (i < paths.length) {
        const batch = await reader.next();
        if (batch === undefined) break; // The worker failed: the rest is read here.
        for (const item of batch) {
          i++;
          item.worker = true;
          yield item;
        }
        reader.post({ type: "credit" });
      }
    }
    for (; i < paths.length; i++) yield readOne(paths[i]!, maxBytes, readBounded);
  } finally {
    reader?.stop();
  }
}

/** Reads one file (self-contained: the worker runs it from its source text too). */
function readOne(
  path: string,
  maxBytes: number,
  read: typeof readBounded,
): ReadAheadResult {
  try {
    const file = Deno.openSync(path, { read: true });
    try {
      return { bytes: read(file, maxBytes) };
    } finally {
      file.close();
    }
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown };
    return {
      error: {
        name: typeof e?.name === "string" ? e.name : "Error",
        message: typeof e?.message === "string" ? e.message : String(error),
      },
    };
  }
}

interface Reader {
  ready(): boolean;
  failed(): boolean;
  post(message: ToReader): void;
  /** The next batch, or undefined when the worker failed or ended. */
  next(): Promise<ReadAheadResult[] | undefined>;
  stop(): void;
}

let workerUrl: string | undefined;

/** Starts the reader worker; undefined when workers are not available here. */
function startReader(): Reader | undefined {
  if (typeof Worker !== "function") return undefined;
  let worker: Worker;
  try {
    workerUrl ??= URL.createObjectURL(
      new Blob([
        `const readBounded = (${readBounded.toString()});\n` +
        `const readOne = (${readOne.toString()});\n` +
        `(${readerMain.toString()})(readBounded, readOne);\n`,
      ], { type: "application/javascript" }),
    );
    worker = new Worker(workerUrl, { type: "module" });
  } catch {
    return undefined;
  }
  let ready = false;
  let failed = false;
  const batches: ReadAheadResult[][] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  worker.onmessage = (event: MessageEvent<FromReader>) => {
    const message = event.data;
    if (message.type === "ready") ready = true;
    else if (message.type === "batch") batches.push(message.items);
    else ended = true;
    wake?.();
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    failed = true;
    wake?.();
  };
  return {
    ready: () => ready,
    failed: () => failed,
    post: (message) => worker.postMessage(message),
    async next() {
      while (batches.length === 0 && !failed && !ended) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      return batches.shift();
    },
    stop: () => worker.terminate(),
  };
}

/**
 * The worker's main function. Runs inside the worker from its source text, so it refers to
 * nothing outside itself except its argument (and Deno's globals).
 */
function readerMain(read: typeof readBounded, readFile: typeof readOne): void {
  const scope = self as unknown as {
    onmessage: ((event: MessageEvent<ToReader>) => void) | null;
    postMessage(message: FromReader, transfer?: Transferable[]): void;
  };
  let credits = 0;
  let wake: (() => void) | undefined;
  const run = async (job: Extract<ToReader, { type: "job" }>): Promise<void> => {
    let items: ReadAheadResult[] = [];
    let transfer: ArrayBuffer[] = [];
    let bytes = 0;
    for (let i = job.from; i < job.paths.length; i++) {
      const item = readFile(job.paths[i]!, job.maxBytes, read);
      items.push(item);
      if ("bytes" in item) {
        transfer.push(item.bytes.buffer);
        bytes += item.bytes.length;
      }
      if (items.length >= job.batchFiles || bytes >= job.batchBytes || i === job.paths.length - 1) {
        while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
        credits--;
        scope.postMessage({ type: "batch", items }, transfer);
        items = [];
        transfer = [];
        bytes = 0;
      }
    }
    scope.postMessage({ type: "end" });
  };
  scope.onmessage = (event) => {
    const message = event.data;
    if (message.type === "job") {
      credits += message.window;
      void run(message);
    } else {
      credits++;
      wake?.();
    }
  };
  scope.postMessage({ type: "ready" });
}

/** What {@link readChunks} needs of an open file (`Deno.FsFile` has it). */
export interface ChunkReadable {
  /** Reads into `buffer`; the number of bytes read, or null at the end of the file. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Closes the file. */
  close(): void;
}

/**
 * Size of each of the two buffers of {@link readChunks}: 64 KiB, the chunk size of
 * `FsFile.readable`. 1 MiB buffers read faster alone (`bench/read_chunks_bench.ts`) but raised
 * the peak RSS of `forensic verify` over 100,000 envelopes in one file from about 167 MiB to
 * 210-250 MiB (256 KiB: 175 MiB), for no gain in the whole run.
 */
export const CHUNK_BYTES = 64 * 1024;

/**
 * A file's bytes as a stream of chunks read into two buffers in turn: the next chunk is read
 * (on Deno's thread pool) while the consumer works on this one, and **each chunk is valid only
 * until the next one is requested** (its buffer is then read into again). For consumers that
 * hash or copy what they need (a JSON Lines splitter, a digest).
 *
 * Why (issue 15): `FsFile.readable` allocates a fresh buffer per read, and over a batch of
 * millions of lines those buffers are garbage the collector has to chase; reading into two
 * buffers used again allocates nothing per read (`bench/read_chunks_bench.ts`: 30 ms against
 * 42 ms per 48 MiB in a warm loop). The file is closed at the end, on an error and on cancel.
 *
 * @param file The open file.
 * @param size Bytes per chunk (default {@link CHUNK_BYTES}).
 * @returns The stream; cancel it to stop early.
 */
export function readChunks(
  file: ChunkReadable,
  size = CHUNK_BYTES,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const buffers = [new Uint8Array(size), new Uint8Array(size)];
  let turn = 0;
  let closed = false;
  const close = () => {
    if (!closed) file.close();
    closed = true;
  };
  const readInto = async (buffer: Uint8Array<ArrayBuffer>) => {
    const n = await file.read(buffer);
    return n === null ? null : buffer.subarray(0, n);
  };
  let next: Promise<Uint8Array<ArrayBuffer> | null> = readInto(buffers[0]!);
  // A read that fails before the consumer asks for it is reported when the consumer asks.
  next.catch(() => {});
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      let chunk: Uint8Array<ArrayBuffer> | null;
      try {
        chunk = await next;
      } catch (error) {
        close();
        throw error;
      }
      if (chunk === null) {
        close();
        controller.close();
        return;
      }
      turn ^= 1;
      next = readInto(buffers[turn]!);
      next.catch(() => {});
      controller.enqueue(chunk);
    },
    async cancel() {
      await next.catch(() => {});
      close();
    },
  }, { highWaterMark: 0 });
}
