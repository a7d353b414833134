/**
 * Issue 15 item 1: files are read at the cost of their size, never past `maxBytes + 1` bytes,
 * in order, and many of them ahead of the consumer (`cli/_read_ahead.ts`, `Io.readFile`,
 * `Io.readFiles`).
 */

import assert from "node:assert/strict";
import { CliError, denoIo } from "../../cli/_io.ts";
import {
  type BoundedReadable,
  type ChunkReadable,
  READ_AHEAD_MIN_FILES,
  readBounded,
  readChunks,
  readFilesAhead,
} from "../../cli/_read_ahead.ts";
import { withTempDir } from "./_io.ts";

/** A file whose stated size (its end offset) is `stated` but whose reads return `content`. */
function fakeFile(stated: number | undefined, content: (offset: number, room: number) => number) {
  let offset = 0;
  const reads: number[] = [];
  const file: BoundedReadable = {
    seekSync(target: number, whence: Deno.SeekMode): number {
      if (stated === undefined) throw new Error("Illegal seek");
      return whence === Deno.SeekMode.End ? stated : target;
    },
    readSync(buffer: Uint8Array): number | null {
      reads.push(buffer.length);
      const n = content(offset, buffer.length);
      if (n === 0) return null;
      buffer.fill(0x61, 0, n);
      offset += n;
      return n;
    },
  };
  return { file, reads };
}

Deno.test("readBounded() allocates the stated size plus one byte and reads a small file in two reads", () => {
  const { file, reads } = fakeFile(2700, (offset, room) => Math.min(room, 2700 - offset));
  const bytes = readBounded(file, 32 * 1024 * 1024);
  assert.equal(bytes.length, 2700);
  assert.equal(bytes.buffer.byteLength, 2701); // the size, not 32 MiB
  assert.deepEqual(reads, [2701, 1]);
});

Deno.test("readBounded(): a file that grows between stat and read is still bounded at maxBytes + 1", () => {
  // Stated 10 bytes; the reads never end (a file grown after stat, or swapped for /dev/zero).
  const { file, reads } = fakeFile(10, (_offset, room) => room);
  const bytes = readBounded(file, 100_000);
  assert.equal(bytes.length, 100_001);
  assert.ok(reads.length <= 20, `${reads.length} reads`);
  // The same with a size taken earlier by a stat of the path.
  const again = fakeFile(undefined, (_offset, room) => room);
  assert.equal(readBounded(again.file, 5000, 10).length, 5001);
});

Deno.test("readBounded(): a file that shrank, an empty file and an unseekable stream", () => {
  const shrank = fakeFile(1000, (offset, room) => Math.min(room, 40 - offset));
  assert.equal(readBounded(shrank.file, 5000).length, 40);
  const empty = fakeFile(0, () => 0);
  assert.equal(readBounded(empty.file, 5000).length, 0);
  // A pipe: no size; read as it comes, in a doubling buffer, up to the bound.
  const pipe = fakeFile(undefined, (offset, room) => Math.min(room, 200_000 - offset, 4096));
  assert.equal(readBounded(pipe.file, 1_000_000).length, 200_000);
  const endless = fakeFile(undefined, (_offset, room) => Math.min(room, 4096));
  assert.equal(readBounded(endless.file, 300_000).length, 300_001);
});

Deno.test("Io.readFile(maxBytes): /dev/zero and a file larger than the bound stop at maxBytes + 1", async () => {
  const io = denoIo();
  if ((await io.stat("/dev/zero")) !== undefined) {
    assert.equal((await io.readFile("/dev/zero", { maxBytes: 1000 })).length, 1001);
  }
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/big`, new Uint8Array(50_000).fill(1));
    assert.equal((await io.readFile(`${dir}/big`, { maxBytes: 1000 })).length, 1001);
    // A stale size hint (the file grew after it was listed) changes nothing but the first buffer.
    assert.equal((await io.readFile(`${dir}/big`, { maxBytes: 1000, size: 10 })).length, 1001);
    assert.equal((await io.readFile(`${dir}/big`, { maxBytes: 60_000, size: 10 })).length, 50_000);
    await assert.rejects(() => io.readFile(`${dir}/missing`, { maxBytes: 10 }), {
      name: "CliError",
      message: `Cannot read "${dir}/missing": no such file or directory`,
    });
  });
});

/** Files of many sizes around the bound, with distinct contents. */
async function writeSizes(
  dir: string,
  maxBytes: number,
): Promise<{ path: string; size: number }[]> {
  const sizes = [0, 1, 2700, maxBytes - 1, maxBytes, maxBytes + 1, maxBytes + 5000, 3 * maxBytes];
  const files = [];
  for (let i = 0; i < 200; i++) {
    const size = sizes[i % sizes.length]!;
    const path = `${dir}/${String(i).padStart(3, "0")}.bin`;
    const bytes = new Uint8Array(size);
    for (let j = 0; j < size; j++) bytes[j] = (i * 31 + j) & 0xff;
    await Deno.writeFile(path, bytes);
    files.push({ path, size });
  }
  return files;
}

for (const workerFrom of [1, Infinity]) {
  Deno.test(`readFilesAhead() (${workerFrom === 1 ? "reader worker" : "calling thread"}): exact bytes, in order, each bounded`, async () => {
    await withTempDir(async (dir) => {
      const maxBytes = 10_000;
      const files = await writeSizes(dir, maxBytes);
      const got: Uint8Array[] = [];
      let fromWorker = 0;
      for await (
        const result of readFilesAhead(files.map((f) => f.path), { maxBytes, workerFrom })
      ) {
        assert.ok("bytes" in result);
        got.push(result.bytes);
        if (result.worker) fromWorker++;
        // A consumer with work of its own (as verifyMany has): the worker gets to start.
        if (got.length < 50) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      assert.equal(got.length, files.length);
      if (workerFrom === 1) assert.ok(fromWorker > 0, "the worker read some files");
      else assert.equal(fromWorker, 0);
      for (const [i, file] of files.entries()) {
        const want = (await Deno.readFile(file.path)).subarray(0, maxBytes + 1);
        assert.deepEqual(got[i], want, file.path);
      }
    });
  });
}

Deno.test("readFilesAhead(): the worker takes over even when the consumer never waits on the event loop", async () => {
  // A consumer whose work is all synchronous (Ed25519 through node:crypto) never lets a macrotask
  // run; the worker's "ready" message must still get in, or the calling thread reads every file.
  await withTempDir(async (dir) => {
    const paths = [];
    for (let i = 0; i < 3000; i++) {
      paths.push(`${dir}/${String(i).padStart(5, "0")}.json`);
      await Deno.writeTextFile(paths.at(-1)!, `{"i":${i}}`);
    }
    let fromWorker = 0;
    let n = 0;
    for await (const result of readFilesAhead(paths, { maxBytes: 100 })) {
      assert.ok("bytes" in result);
      assert.equal(new TextDecoder().decode(result.bytes), `{"i":${n++}}`);
      if (result.worker) fromWorker++;
    }
    assert.equal(n, 3000);
    assert.ok(fromWorker > 1500, `the worker read ${fromWorker} of 3000 files`);
  });
});

Deno.test("Io.readFiles(): a file that cannot be read fails in its place, after the files before it", async () => {
  await withTempDir(async (dir) => {
    const paths = [];
    for (let i = 0; i < READ_AHEAD_MIN_FILES + 50; i++) {
      const path = `${dir}/${String(i).padStart(4, "0")}.json`;
      if (i !== 150) await Deno.writeTextFile(path, `{"i":${i}}`);
      paths.push(path);
    }
    const seen: string[] = [];
    const error = await (async () => {
      try {
        for await (const bytes of denoIo().readFiles(paths, { maxBytes: 100 })) {
          seen.push(new TextDecoder().decode(bytes));
          // Let the reader worker start, so that the failure crosses it.
          if (seen.length < 30) await new Promise((resolve) => setTimeout(resolve, 2));
        }
      } catch (error) {
        return error;
      }
    })();
    assert.ok(error instanceof CliError);
    assert.equal(error.message, `Cannot read "${paths[150]}": no such file or directory`);
    assert.deepEqual(seen, Array.from({ length: 150 }, (_, i) => `{"i":${i}}`));
  });
});

Deno.test("readFilesAhead(): a consumer that stops early stops the reader (no leaked worker)", async () => {
  await withTempDir(async (dir) => {
    const paths = [];
    for (let i = 0; i < 500; i++) {
      paths.push(`${dir}/${i}.json`);
      await Deno.writeTextFile(paths.at(-1)!, "{}");
    }
    let n = 0;
    for await (const result of readFilesAhead(paths, { maxBytes: 10, workerFrom: 1 })) {
      assert.ok("bytes" in result);
      if (++n === 300) break;
    }
    assert.equal(n, 300);
  });
});

/** An open file over `content` whose reads return at most `step` bytes; records its calls. */
function fakeChunkFile(content: Uint8Array, step: number, failAt?: number) {
  let offset = 0;
  const calls: string[] = [];
  const file: ChunkReadable = {
    read(buffer: Uint8Array): Promise<number | null> {
      calls.push("read");
      if (failAt !== undefined && offset >= failAt) return Promise.reject(new Error("EIO"));
      const n = Math.min(step, buffer.length, content.length - offset);
      if (n === 0) return Promise.resolve(null);
      buffer.set(content.subarray(offset, offset + n));
      offset += n;
      return Promise.resolve(n);
    },
    close() {
      calls.push("close");
    },
  };
  return { file, calls };
}

Deno.test("readChunks(): the file's bytes in order through two buffers used in turn; closed once at the end", async () => {
  const content = new Uint8Array(1000).map((_, i) => (i * 7) % 251);
  const { file, calls } = fakeChunkFile(content, 300);
  const copies: Uint8Array[] = [];
  const buffers = new Set<ArrayBufferLike>();
  for await (const chunk of readChunks(file, 256)) {
    assert.ok(chunk.length <= 256);
    copies.push(chunk.slice());
    buffers.add(chunk.buffer);
  }
  assert.deepEqual(new Uint8Array(copies.flatMap((c) => [...c])), content);
  assert.equal(buffers.size, 2);
  // 4 chunks of 256, 256, 256, 232, then the end; the file is closed exactly once.
  assert.deepEqual(copies.map((c) => c.length), [256, 256, 256, 232]);
  assert.deepEqual(calls, ["read", "read", "read", "read", "read", "close"]);
});

Deno.test("readChunks(): a read error reaches the consumer and closes the file; cancel closes it once", async () => {
  const content = new Uint8Array(1000);
  const failing = fakeChunkFile(content, 100, 200);
  await assert.rejects(async () => {
    for await (const _ of readChunks(failing.file, 100)) { /* consume */ }
  }, { message: "EIO" });
  assert.equal(failing.calls.filter((c) => c === "close").length, 1);

  const early = fakeChunkFile(content, 100);
  for await (const _ of readChunks(early.file, 100)) break;
  assert.deepEqual(early.calls, ["read", "read", "close"]);
});
