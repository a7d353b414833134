import assert from "node:assert/strict";
import { digestBytes } from "../../mod.ts";
import { digestStream } from "../../lib/digest/mod.ts";
import {
  DIGEST_ALGORITHMS,
  digestSize,
  Hasher,
  isDigestAlgorithm,
  sha256,
} from "../../lib/digest/mod.ts";
import type { DigestAlgorithm } from "../../mod.ts";

const WEBCRYPTO_NAMES: Record<DigestAlgorithm, string> = {
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512",
};

const ASCII = new TextEncoder();

/** FIPS 180-2 appendix examples (one-block "abc", empty input, and the two-block messages). */
const KNOWN_ANSWERS: [DigestAlgorithm, string, string][] = [
  ["sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [
    "sha256",
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  ],
  [
    "sha384",
    "",
    "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
  ],
  [
    "sha384",
    "abc",
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
  ],
  [
    "sha384",
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
    "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
  ],
  [
    "sha512",
    "",
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
  ],
  [
    "sha512",
    "abc",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  ],
  [
    "sha512",
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
    "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
  ],
];

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x;
  }
  return out;
}

function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

async function* asyncChunks(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
}

Deno.test("DIGEST_ALGORITHMS lists sha256, sha384, sha512 with their sizes", () => {
  assert.deepEqual([...DIGEST_ALGORITHMS], ["sha256", "sha384", "sha512"]);
  assert.deepEqual(DIGEST_ALGORITHMS.map(digestSize), [32, 48, 64]);
  assert.equal(isDigestAlgorithm("sha512"), true);
  for (const bad of ["SHA256", "sha-256", "sha1", "md5", "", null, 256]) {
    assert.equal(isDigestAlgorithm(bad), false, String(bad));
  }
});

Deno.test("digestBytes() matches the FIPS 180-2 known answers for every algorithm", () => {
  for (const [algorithm, message, hex] of KNOWN_ANSWERS) {
    assert.equal(
      digestBytes(algorithm, ASCII.encode(message)).toHex(),
      hex,
      `${algorithm}("${message}")`,
    );
  }
  assert.equal(sha256(ASCII.encode("abc")).toHex(), KNOWN_ANSWERS[1]![2]);
});

Deno.test("digestBytes() returns a fresh Uint8Array over its own ArrayBuffer", () => {
  const a = sha256(new Uint8Array());
  const b = sha256(new Uint8Array());
  assert.equal(a.constructor, Uint8Array);
  assert.equal(a.byteOffset, 0);
  assert.equal(a.buffer.byteLength, 32);
  a[0] = 0;
  assert.equal(b[0], 0xe3);
});

Deno.test("digestBytes() agrees with WebCrypto for lengths 0..300 and around block sizes", async () => {
  const lengths = [...Array.from({ length: 301 }, (_, i) => i), 511, 512, 1023, 1024, 65_537];
  for (const algorithm of DIGEST_ALGORITHMS) {
    for (const length of lengths) {
      const bytes = pseudoRandomBytes(length, length + 1);
      const expected = new Uint8Array(
        await crypto.subtle.digest(WEBCRYPTO_NAMES[algorithm], bytes),
      );
      assert.deepEqual(digestBytes(algorithm, bytes), expected, `${algorithm} of ${length} bytes`);
    }
  }
});

Deno.test("digestBytes() hashes only the view, not the whole underlying buffer", () => {
  const whole = pseudoRandomBytes(100, 7);
  assert.deepEqual(sha256(whole.subarray(10, 20)), sha256(whole.slice(10, 20)));
});

Deno.test("digestBytes() rejects unknown algorithms and non-byte input with TypeError", () => {
  assert.throws(() => digestBytes("md5" as DigestAlgorithm, new Uint8Array()), TypeError);
  assert.throws(() => digestBytes("SHA-256" as DigestAlgorithm, new Uint8Array()), TypeError);
  assert.throws(() => digestBytes("sha256", "abc" as unknown as Uint8Array), TypeError);
  assert.throws(() => sha256([1, 2] as unknown as Uint8Array), TypeError);
  assert.throws(() => digestSize("sha1" as DigestAlgorithm), TypeError);
});

Deno.test("digestStream() equals the one-shot digest across many chunk boundaries", async () => {
  const bytes = pseudoRandomBytes(10_000, 42);
  const sizes = [
    1,
    3,
    7,
    31,
    63,
    64,
    65,
    111,
    112,
    127,
    128,
    129,
    1000,
    4096,
    9_999,
    10_000,
    20_000,
  ];
  for (const algorithm of DIGEST_ALGORITHMS) {
    const expected = digestBytes(algorithm, bytes);
    for (const size of sizes) {
      const chunks = chunksOf(bytes, size);
      assert.deepEqual(await digestStream(algorithm, ReadableStream.from(chunks)), expected);
      assert.deepEqual(await digestStream(algorithm, asyncChunks(chunks)), expected);
    }
    // Irregular chunks, including empty ones.
    const irregular: Uint8Array[] = [];
    for (let i = 0, step = 0; i < bytes.length; step++) {
      const size = (step * 37) % 150;
      irregular.push(bytes.subarray(i, i + size));
      i += size;
    }
    assert.deepEqual(await digestStream(algorithm, asyncChunks(irregular)), expected);
  }
});

Deno.test("digestStream() of an empty stream is the digest of no bytes", async () => {
  for (const [algorithm, message, hex] of KNOWN_ANSWERS) {
    if (message !== "") continue;
    assert.equal((await digestStream(algorithm, ReadableStream.from([]))).toHex(), hex);
    assert.equal((await digestStream(algorithm, asyncChunks([new Uint8Array()]))).toHex(), hex);
  }
});

Deno.test("digestStream() rejects a non-byte chunk with TypeError and cancels the stream", async () => {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([1]));
      controller.enqueue("text" as unknown as Uint8Array);
    },
    cancel() {
      cancelled = true;
    },
  });
  await assert.rejects(() => digestStream("sha256", stream), TypeError);
  assert.equal(cancelled, true);
  await assert.rejects(
    () => digestStream("sha1" as DigestAlgorithm, ReadableStream.from([])),
    TypeError,
  );
});

Deno.test("digestStream() passes stream errors on unchanged", async () => {
  const failure = new Error("disk unplugged");
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(failure);
    },
  });
  await assert.rejects(() => digestStream("sha256", stream), (error) => error === failure);
});

/**
 * Hashes 256 fresh 1 MiB chunks in a child process (so that test modules running in parallel in
 * this process do not disturb its RSS) and reports the digest and the peak memory growth, both of
 * RSS and of the isolate's JS heap plus array buffers.
 */
const BOUNDED_MEMORY_CHILD = `
import { digestStream } from ${
  JSON.stringify(new URL("../../lib/digest/digest.ts", import.meta.url).href)
};
const MIB = 1024 * 1024;
let produced = 0;
const stream = new ReadableStream({
  pull(controller) {
    if (produced === 256) return controller.close();
    controller.enqueue(new Uint8Array(MIB).fill(produced & 0xff));
    produced++;
  },
}, { highWaterMark: 1 });
const isolate = () => Deno.memoryUsage().heapUsed + Deno.memoryUsage().external;
const rssBefore = Deno.memoryUsage().rss;
const isolateBefore = isolate();
let rssPeak = rssBefore;
let isolatePeak = isolateBefore;
const sample = () => {
  rssPeak = Math.max(rssPeak, Deno.memoryUsage().rss);
  isolatePeak = Math.max(isolatePeak, isolate());
};
const sampler = setInterval(sample, 5);
const digest = await digestStream("sha256", stream);
clearInterval(sampler);
sample();
console.log(JSON.stringify({
  produced,
  digest: digest.toHex(),
  rssGrowth: (rssPeak - rssBefore) / MIB,
  isolateGrowth: (isolatePeak - isolateBefore) / MIB,
}));
`;

Deno.test("digestStream() hashes a 256 MiB stream in bounded memory", async () => {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--cached-only", "--ext=js", BOUNDED_MEMORY_CHILD],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  const result = JSON.parse(new TextDecoder().decode(stdout)) as {
    produced: number;
    digest: string;
    rssGrowth: number;
    isolateGrowth: number;
  };
  assert.equal(result.produced, 256);
  // Reference: Python hashlib over bytes([i]) * 2**20 for i in 0..255.
  assert.equal(result.digest, "4eeeefa9b7aaed4b73d42682c623a108faef7a98c317e8960fae66bd5f003d61");
  // Without buffering, growth stays near V8's external-memory GC trigger (about 64 MiB) whatever
  // the stream's length; a hasher that kept its input would grow by the full 256 MiB.
  assert.ok(result.rssGrowth < 128, `RSS grew by ${result.rssGrowth.toFixed(1)} MiB`);
  assert.ok(
    result.isolateGrowth < 128,
    `heap + array buffers grew by ${result.isolateGrowth.toFixed(1)} MiB`,
  );
});

Deno.test("Hasher computes incrementally and refuses use after digest()", () => {
  const bytes = pseudoRandomBytes(1000, 9);
  for (const algorithm of DIGEST_ALGORITHMS) {
    const hasher = new Hasher(algorithm);
    assert.equal(hasher.algorithm, algorithm);
    for (const chunk of chunksOf(bytes, 77)) assert.equal(hasher.update(chunk), hasher);
    assert.deepEqual(hasher.digest(), digestBytes(algorithm, bytes));
    assert.throws(() => hasher.digest(), TypeError);
    assert.throws(() => hasher.update(new Uint8Array(1)), TypeError);
  }
  assert.throws(() => new Hasher("sha3_256" as DigestAlgorithm), TypeError);
  assert.throws(() => new Hasher("sha256").update(null as unknown as Uint8Array), TypeError);
});
