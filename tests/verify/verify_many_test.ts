import assert from "node:assert/strict";
import { parseRfc3339 } from "../../lib/encoding/time.ts";
import { decodePemAll } from "../../lib/encoding/pem.ts";
import {
  summarizeReports,
  type VerificationReport,
  verifyEnvelope,
  verifyMany,
  type VerifyManyItem,
} from "../../mod.ts";
import { parseTrustPolicy } from "../../lib/verify/mod.ts";
import { parseDuration } from "../../cli/_args.ts";
import type { NegativeCase } from "../../scripts/make_negative_fixtures.ts";
import { type KeySource, splitTrust, trustOf } from "./_trust.ts";

const ROOT = new URL("../../", import.meta.url);
const NEG = new URL("fixtures/negative/", ROOT);
const cases: NegativeCase[] = JSON.parse(await Deno.readTextFile(new URL("cases.json", NEG)));
const NOW = Date.UTC(2026, 2, 1, 12);

/** Every valid fixture envelope, then every negative fixture file (in cases.json order, once). */
async function mixedCorpus(): Promise<VerifyManyItem[]> {
  const items: VerifyManyItem[] = [];
  for (const name of ["export", "job", "orchestrator", "promotion"]) {
    const file = `fixtures/envelopes/${name}.dsse.json`;
    items.push({ name: file, bytes: await Deno.readFile(new URL(file, ROOT)) });
  }
  for (const file of new Set(cases.map((c) => c.file))) {
    items.push({
      name: `fixtures/negative/${file}`,
      bytes: await Deno.readFile(new URL(file, NEG)),
    });
  }
  return items;
}

/** Every public key of the fixtures, as CLI `--key` would take it (DER or P1363 ECDSA). */
async function allKeys(): Promise<KeySource[]> {
  const keys: KeySource[] = [];
  for (const dir of ["fixtures/keys/", "fixtures/negative/keys/"]) {
    const names: string[] = [];
    for await (const e of Deno.readDir(new URL(dir, ROOT))) {
      if (e.name.endsWith(".pub.pem")) names.push(e.name);
    }
    for (const name of names.sort()) {
      keys.push({
        pem: await Deno.readTextFile(new URL(dir + name, ROOT)),
        options: { name: dir + name, signatureEncoding: "any" },
      });
    }
  }
  return keys;
}

function toTrusted(keys: readonly KeySource[]): KeySource[] {
  return keys.map((k) => ({ pem: k.pem, options: k.options }));
}

async function oneByOne(
  items: readonly VerifyManyItem[],
  keys: readonly KeySource[],
): Promise<{ name: string; report: VerificationReport }[]> {
  const trusted = toTrusted(keys);
  const out = [];
  for (const { name, bytes } of items) {
    out.push({
      name,
      report: await verifyEnvelope(bytes, ...splitTrust({ now: NOW, keys: trusted, name })),
    });
  }
  return out;
}

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const [i, item] of items.entries()) {
    if (i % 7 === 0) await new Promise((r) => setTimeout(r, 0));
    yield item;
  }
}

Deno.test("verifyMany() equals verifyEnvelope() one by one on the mixed corpus, in order, every mode", async () => {
  const items = await mixedCorpus();
  const keys = await allKeys();
  assert.equal(items.length, 4 + 46);
  const expected = await oneByOne(items, keys);
  // The corpus really is mixed: valid, malformed, bad signatures, bad statements.
  const summary = summarizeReports(expected.map((e) => e.report));
  assert.deepEqual(summary, {
    total: 50,
    verified: 25,
    failed: 25,
    codes: {
      SIGNATURE_INVALID: 11,
      ENVELOPE_MALFORMED: 8,
      STATEMENT_INVALID: 5,
      TOO_MANY_SIGNATURES: 1,
    },
  });
  const modes = [
    { concurrency: 1, workers: false },
    { concurrency: 2, workers: false },
    { concurrency: 1, workers: true },
    { concurrency: 2, workers: true },
    { concurrency: 3, workers: "auto" as const },
    { concurrency: 2, workers: false, nativeCrypto: false },
    { concurrency: 2, workers: true, nativeCrypto: false },
  ];
  for (const mode of modes) {
    for (const input of [items, slowly(items)]) {
      const result = await verifyMany(input, ...splitTrust({ now: NOW, keys, ...mode }));
      assert.equal(result.aborted, false);
      assert.deepEqual(result.reports, expected, JSON.stringify(mode));
      assert.deepEqual(result.summary, summary);
    }
  }
});

Deno.test("verifyMany() with workers: auto and 4 workers (workers past 512 envelopes): same reports", async () => {
  const base = await mixedCorpus();
  const keys = await allKeys();
  const items: VerifyManyItem[] = [];
  for (let i = 0; i < 12; i++) {
    for (const item of base) items.push({ name: `${i}/${item.name}`, bytes: item.bytes });
  }
  assert.ok(items.length > 512);
  const expected = await oneByOne(items, keys);
  const seen: number[] = [];
  const result = await verifyMany(
    slowly(items),
    ...splitTrust({
      now: NOW,
      keys,
      concurrency: 4,
      onReport: (name: string, report: VerificationReport, index: number) => {
        seen.push(index);
        assert.deepEqual({ name, report }, expected[index]);
      },
    }),
  );
  assert.deepEqual(seen, items.map((_, i) => i));
  assert.deepEqual(result.reports, [], "onReport without keepReports keeps nothing");
  assert.deepEqual(result.summary, summarizeReports(expected.map((e) => e.report)));
});

/** The batch options a negative case's flags stand for. */
async function caseOptions(c: NegativeCase) {
  const trust = c.args.trust === undefined
    ? undefined
    : parseTrustPolicy(await Deno.readFile(new URL(c.args.trust, NEG)), { name: c.args.trust });
  const keys: KeySource[] = [];
  for (const key of c.args.key ?? []) {
    keys.push({
      pem: await Deno.readTextFile(new URL(key, NEG)),
      options: { name: key, signatureEncoding: "any" },
    });
  }
  return {
    now: parseRfc3339(c.args.now),
    trustPolicy: trust,
    keys,
    signedAt: c.args.signedAt === undefined ? undefined : parseRfc3339(c.args.signedAt),
    notAfter: c.args.notAfter === undefined ? undefined : parseRfc3339(c.args.notAfter),
    skew: c.args.skew === undefined ? undefined : parseDuration("--skew", c.args.skew),
    timestamps: c.args.timestamp === undefined
      ? undefined
      : await Promise.all(c.args.timestamp.map((t) => Deno.readFile(new URL(t, NEG)))),
    tsaRoots: c.args.tsaRoots === undefined
      ? undefined
      : decodePemAll(await Deno.readTextFile(new URL(c.args.tsaRoots, NEG)), {
        label: "CERTIFICATE",
      }).map((block) => block.bytes),
    artifactDigest: c.args.artifactDigest,
    image: c.args.image,
    subjectName: c.args.subjectName,
    predicateType: c.args.predicateType,
  };
}

Deno.test("verifyMany() gives every fixtures/negative case its verdict and code, as verifyEnvelope does", async () => {
  // Cases that share flags form one batch, in cases.json order; RFC 3161 tokens included.
  const batchable = cases;
  assert.ok(cases.some((c) => c.args.timestamp !== undefined));
  const groups = new Map<string, NegativeCase[]>();
  for (const c of batchable) {
    const id = JSON.stringify(c.args);
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  let checked = 0;
  for (const group of groups.values()) {
    const options = await caseOptions(group[0]!);
    const items = await Promise.all(group.map(async (c) => ({
      name: c.file,
      bytes: await Deno.readFile(new URL(c.file, NEG)),
    })));
    const trusted = {
      ...options,
      keys: toTrusted(options.keys),
    };
    for (const mode of [{ workers: false }, { workers: true, concurrency: 2 }]) {
      const result = await verifyMany(items, ...splitTrust({ ...options, ...mode }));
      for (const [i, c] of group.entries()) {
        const got = result.reports[i]!;
        assert.equal(got.name, c.file);
        assert.equal(got.report.verified, c.expect.verified, `${c.file}: ${c.why}`);
        assert.equal(got.report.code ?? null, c.expect.code, `${c.file}: ${c.why}`);
        const alone = await verifyEnvelope(
          items[i]!.bytes,
          ...splitTrust({ ...trusted, name: c.file }),
        );
        assert.deepEqual(got.report, alone, `${c.file}: ${c.why}`);
        checked++;
      }
    }
  }
  assert.equal(checked, batchable.length * 2);
  assert.ok(cases.length >= 70);
});

Deno.test("verifyMany() stops on abort with a partial, in-order result", async () => {
  const base = await mixedCorpus();
  const keys = await allKeys();
  const items = Array.from({ length: 2000 }, (_, i) => base[i % base.length]!);
  for (const workers of [false, true]) {
    const controller = new AbortController();
    const progress: number[] = [];
    const result = await verifyMany(
      items,
      ...splitTrust({
        now: NOW,
        keys,
        workers,
        concurrency: 2,
        signal: controller.signal,
        onProgress: (done: number, total: number | undefined) => {
          assert.equal(total, 2000);
          progress.push(done);
          if (done >= 100) controller.abort();
        },
      }),
    );
    assert.equal(result.aborted, true);
    const n = result.reports.length;
    assert.ok(n >= 100 && n < 2000, `${n} reports`);
    assert.equal(result.summary.total, n);
    assert.equal(progress.at(-1), n);
    const expected = await oneByOne(items.slice(0, n), keys);
    assert.deepEqual(result.reports, expected);
  }
  // Aborted before the start: nothing is verified.
  const result = await verifyMany(
    items,
    ...splitTrust({ now: NOW, keys, signal: AbortSignal.abort() }),
  );
  assert.deepEqual(result, {
    reports: [],
    summary: { total: 0, verified: 0, failed: 0, codes: {} },
    aborted: true,
    verified: false,
  });
});

Deno.test("verifyMany() progress counts every envelope, ends at the total, never goes back", async () => {
  const items = await mixedCorpus();
  const keys = await allKeys();
  for (const workers of [false, true]) {
    const progress: [number, number | undefined][] = [];
    const result = await verifyMany(
      slowly(items),
      ...splitTrust({
        now: NOW,
        keys,
        workers,
        total: items.length,
        onProgress: (done: number, total: number | undefined) => void progress.push([done, total]),
      }),
    );
    assert.equal(result.summary.total, items.length);
    assert.deepEqual(progress.at(-1), [items.length, items.length]);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]![0] > progress[i - 1]![0]);
  }
  // Without a known total, the callback says undefined.
  const seen: (number | undefined)[] = [];
  await verifyMany(
    slowly(items),
    ...splitTrust({
      now: NOW,
      keys,
      onProgress: (_: number, total: number | undefined) => void seen.push(total),
    }),
  );
  assert.ok(seen.length > 0 && seen.every((t) => t === undefined));
});

Deno.test("verifyMany() rejects misuse and bad keys before verifying anything", async () => {
  const items = await mixedCorpus();
  await assert.rejects(() => verifyMany(items, ...splitTrust({ now: Number.NaN })), RangeError);
  await assert.rejects(() => verifyMany(items, ...splitTrust({ now: NOW, skew: -1 })), RangeError);
  await assert.rejects(
    () => verifyMany(items, ...splitTrust({ now: NOW, threshold: 0 })),
    RangeError,
  );
  await assert.rejects(
    () => verifyMany(items, ...splitTrust({ now: NOW, concurrency: 0 })),
    RangeError,
  );
  // A bad key is refused when the trust material is loaded, before any verifier runs.
  assert.throws(
    () => trustOf({ keys: [{ pem: "not a key", options: { name: "k.pem" } }] }),
    { name: "ParseError" },
  );
  // An empty input is an empty, complete result, and not verified (tests/verify/bounds_test.ts).
  assert.deepEqual(await verifyMany([], ...splitTrust({ now: NOW })), {
    reports: [],
    summary: { total: 0, verified: 0, failed: 0, codes: {} },
    aborted: false,
    verified: false,
    code: "NO_INPUT",
  });
});
