/**
 * Custody timeline verification (`verifyTimeline`): is it linear in the number of entries, and
 * how much does the chaining cost on top of verifying each envelope?
 *
 * `deno bench --cached-only -A bench/timeline_bench.ts`
 *
 * One Ed25519 custodian key; a 10,000-entry `stella.ops/custody@v1` timeline (~1 KiB per entry,
 * one evidence descriptor each) is built once with `appendCustodyEvent`, before timing; the
 * 1,000-entry timeline is its first 1,000 entries (a valid timeline too).
 *
 * - "timeline linearity": 1,000 vs 10,000 entries (baseline 1,000); linear time shows as ~10×.
 * - "timeline 10,000 entries": the floor (`verifyEnvelope` on each entry, signatures and key
 *   windows only; baseline), `verifyTimeline`, and `verifyTimeline` with the Merkle anchor.
 *
 * Entries per second = entries / (time per iteration).
 */

import {
  appendCustodyEvent,
  createSigner,
  exportPublicKeyPem,
  generateKeyPair,
  loadTrustMaterial,
  verifyEnvelope,
  verifyTimeline,
} from "../mod.ts";
import { timelineMerkleRoot } from "../lib/model/mod.ts";

const BIG = 10_000;
const SMALL = 1_000;
const NOW = Date.UTC(2026, 2, 1);
const START = Date.UTC(2026, 0, 1);

const key = await generateKeyPair("ed25519");
if (key.kind !== "private") throw new Error("bench setup: expected a private key");
const signers = [createSigner(key)];
const trust = loadTrustMaterial({
  keys: [{
    pem: exportPublicKeyPem(key),
    options: {
      validFrom: "2025-01-01T00:00:00Z",
      custodians: Array.from({ length: 7 }, (_, i) => `custodian-${i}@stella-ops.local`),
    },
  }],
});

const entries: Uint8Array[] = [];
let previous: Uint8Array | null = null;
for (let i = 0; i < BIG; i++) {
  const at = new Date(START + i * 60_000).toISOString().replace(".000Z", "Z");
  const appended: { bytes: Uint8Array } = await appendCustodyEvent(previous, {
    subject: i === 0
      ? { name: "registry.stella-ops.local/payments-api", digest: { sha256: "ab".repeat(32) } }
      : undefined,
    event: {
      type: i % 2 === 0 ? "transferred" : "received",
      actor: `custodian-${i % 7}@stella-ops.local`,
      at,
      location: `site ${i % 13}`,
      note: `hand-over ${i}`,
    },
    evidence: [{ name: `handover-${i}.pdf`, digest: { sha256: "cd".repeat(32) } }],
    signers,
  });
  entries.push(appended.bytes);
  previous = appended.bytes;
}
const small = entries.slice(0, SMALL);
const root = timelineMerkleRoot(entries);

for (const list of [small, entries]) {
  const report = await verifyTimeline(list, trust, {
    now: NOW,
    merkleRoot: timelineMerkleRoot(list),
  });
  if (!report.verified) {
    throw new Error(`bench setup: ${list.length}-entry timeline: ${report.code}`);
  }
}

Deno.bench({
  group: "timeline linearity",
  name: "verifyTimeline 1,000 entries",
  baseline: true,
  n: 20,
  warmup: 2,
  fn: async () => void await verifyTimeline(small, trust, { now: NOW }),
});
Deno.bench({
  group: "timeline linearity",
  name: "verifyTimeline 10,000 entries",
  n: 5,
  warmup: 1,
  fn: async () => void await verifyTimeline(entries, trust, { now: NOW }),
});

Deno.bench({
  group: "timeline 10,000 entries",
  name: "verifyEnvelope on each entry (floor)",
  baseline: true,
  n: 5,
  warmup: 1,
  fn: async () => {
    for (const entry of entries) await verifyEnvelope(entry, trust, { now: NOW });
  },
});
Deno.bench({
  group: "timeline 10,000 entries",
  name: "verifyTimeline",
  n: 5,
  warmup: 1,
  fn: async () => void await verifyTimeline(entries, trust, { now: NOW }),
});
Deno.bench({
  group: "timeline 10,000 entries",
  name: "verifyTimeline + Merkle anchor",
  n: 5,
  warmup: 1,
  fn: async () => void await verifyTimeline(entries, trust, { now: NOW, merkleRoot: root }),
});
