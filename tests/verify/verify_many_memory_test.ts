/**
 * Issue 15: `verifyMany` bounds the envelope bytes it holds in flight, not only their count, so
 * a run of large envelopes (a directory of files near the 32 MiB limit) is not pulled hundreds
 * at a time; small envelopes still go in chunks, in input order.
 */

import assert from "node:assert/strict";
import { verifyMany, type VerifyManyItem } from "../../mod.ts";
import { splitTrust } from "./_trust.ts";

const NOW = Date.UTC(2026, 2, 1, 12);

/** A source that records how far ahead of the reports it has been pulled. */
function source(count: number, size: number) {
  const bytes = new Uint8Array(size).fill(0x20); // blanks: ENVELOPE_MALFORMED, quickly
  let pulled = 0;
  let reported = 0;
  let maxAhead = 0;
  function* items(): Generator<VerifyManyItem> {
    for (let i = 0; i < count; i++) {
      pulled++;
      maxAhead = Math.max(maxAhead, pulled - reported);
      yield { name: `item-${i}`, bytes };
    }
  }
  return {
    items,
    onReport: () => void reported++,
    get maxAhead() {
      return maxAhead;
    },
  };
}

Deno.test("verifyMany() holds about 64 MiB of envelopes in flight, not 256 large ones", async () => {
  const big = source(120, 4 * 1024 * 1024);
  const result = await verifyMany(
    big.items(),
    ...splitTrust({
      now: NOW,
      workers: false,
      onReport: big.onReport,
    }),
  );
  assert.equal(result.summary.total, 120);
  assert.deepEqual(result.summary.codes, { ENVELOPE_MALFORMED: 120 });
  // 64 MiB in flight plus the chunk being filled: 4 MiB envelopes, about 20 at most.
  assert.ok(big.maxAhead <= 20, `pulled ${big.maxAhead} ahead of the reports`);
});

Deno.test("verifyMany(): small envelopes are still verified in chunks, reports in input order", async () => {
  const small = source(1000, 100);
  const names: string[] = [];
  const result = await verifyMany(
    small.items(),
    ...splitTrust({
      now: NOW,
      workers: false,
      onReport: (name: string) => {
        small.onReport();
        names.push(name);
      },
    }),
  );
  assert.equal(result.summary.total, 1000);
  assert.deepEqual(names, Array.from({ length: 1000 }, (_, i) => `item-${i}`));
  // The count window (chunks of 32, 8 in flight) is what bounds small envelopes.
  assert.ok(small.maxAhead > 32 && small.maxAhead <= 300, `${small.maxAhead}`);
});
