/**
 * The custody checks of one timeline entry and of the timeline as a whole (internal to
 * `verifyTimeline`; the order and codes are in its module documentation): the entry's custody
 * statement, its claimed event time, sequence, link, time order and custodian binding, and the
 * anchors (`expectEntries`, `expectHead`).
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import {
  CUSTODY_PREDICATE_TYPE,
  type CustodyPredicate,
  validateCustodyStatement,
} from "../model/custody.ts";
import { INTOTO_PAYLOAD_TYPE, parseEnvelope } from "../model/dsse.ts";
import type { Statement } from "../model/statement.ts";
import { type Check, fail, pass, type VerificationReport } from "./report.ts";
import type { CountedSigner } from "./verify_envelope.ts";
import type { TimelineEntryReport } from "./timeline.ts";

/** Problem codes of `validateCustodyStatement` that step 4 (links) reports instead. */
const LINK_PROBLEMS = new Set(["PREVIOUS_REQUIRED", "PREVIOUS_UNEXPECTED"]);

const ENTRY_STEP_IDS = [
  "timeline.sequence",
  "timeline.links",
  "timeline.times",
  "timeline.subject",
  "timeline.custodian",
];

/** Reads the custody statement of an entry, or says why it is not one (undefined: no envelope). */
export function readCustody(
  bytes: Uint8Array,
  name: string,
): { statement?: Statement<CustodyPredicate>; problem?: string } {
  let payloadType: string;
  let payload: Uint8Array;
  try {
    ({ payloadType, payloadBytes: payload } = parseEnvelope(bytes, { name }));
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return {}; // verifyEnvelope reports ENVELOPE_MALFORMED
  }
  const reject = `Reject ${quote(name)}: it is not a ${CUSTODY_PREDICATE_TYPE} statement`;
  if (payloadType !== INTOTO_PAYLOAD_TYPE) {
    return { problem: `${reject}: payload type ${JSON.stringify(payloadType)} is not in-toto` };
  }
  let value: unknown;
  try {
    value = parseJson(payload, { name: `${name} payload` });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { problem: `${reject}: ${error.message}` };
  }
  const problems = validateCustodyStatement(value).filter((p) => !LINK_PROBLEMS.has(p.code));
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path || "(root)"}: ${p.message}`).join("; ");
    return { problem: `${reject}: ${list}` };
  }
  return { statement: value as Statement<CustodyPredicate> };
}

/** The claimed event time counts only against the signer (step 3). */
export function checkEventTime(
  name: string,
  at: number,
  trusted: VerificationReport["time"],
  now: number,
  notAfter: number | undefined,
  skew: number,
): Check {
  const claimed = formatRfc3339(at);
  if (at > now + skew) {
    return fail(
      "custody.time",
      "SIGNED_IN_FUTURE",
      `Reject ${quote(name)}: its event time ${claimed} is after now (${
        formatRfc3339(now)
      }) beyond the skew`,
    );
  }
  if (trusted.source === "rfc3161" && at > parseRfc3339(trusted.value) + skew) {
    return fail(
      "custody.time",
      "SIGNED_IN_FUTURE",
      `Reject ${quote(name)}: its event time ${claimed} is after its RFC 3161 time ` +
        `${trusted.value} beyond the skew (an event cannot follow its own signed record)`,
    );
  }
  if (notAfter !== undefined && at > notAfter + skew) {
    return fail(
      "custody.time",
      "SIGNED_AFTER_NOT_AFTER",
      `Reject ${quote(name)}: its event time ${claimed} is after --not-after ${
        formatRfc3339(notAfter)
      } beyond the skew`,
    );
  }
  return pass("custody.time");
}

/** Step 8: the actor is a custodian of every key that counted for the entry. */
export function checkCustodian(
  index: number,
  name: string,
  actor: string,
  signers: readonly CountedSigner[],
  allowUnbound: boolean | undefined,
): Check {
  const entry = name === `entry ${index}` ? `entry ${index}` : `entry ${index} (${quote(name)})`;
  for (const signer of signers) {
    if (signer.custodians === undefined) {
      if (allowUnbound === true) continue;
      return fail(
        "timeline.custodian",
        "CUSTODY_ACTOR_UNBOUND",
        `Reject ${entry}: it is signed by key "${signer.keyid}", which the trust policy binds to ` +
          `no custodian, so nothing shows it may act as ${quote(actor)} (list "custodians" on ` +
          "the key's trust entry, or pass --allow-unbound-custodians)",
      );
    }
    if (!signer.custodians.includes(actor)) {
      return fail(
        "timeline.custodian",
        "CUSTODY_ACTOR_MISMATCH",
        `Reject ${entry}: its actor ${quote(actor)} is not a custodian of key "${signer.keyid}", ` +
          `which signs for ${
            signer.custodians.length === 0 ? "no one" : signer.custodians.map(quote).join(", ")
          }`,
      );
    }
  }
  return pass("timeline.custodian");
}

export function checkEntryCount(count: number, expected: number): Check {
  if (count === expected) return pass("timeline.anchor.entries");
  return fail(
    "timeline.anchor.entries",
    count < expected ? "CUSTODY_TRUNCATED" : "CUSTODY_ANCHOR_MISMATCH",
    count < expected
      ? `Reject custody timeline: it has ${count} entries, the anchor --expect-entries says ` +
        `${expected}; ${expected - count} missing from its end`
      : `Reject custody timeline: it has ${count} entries, more than the anchored ${expected}`,
  );
}

export function checkHead(entries: readonly TimelineEntryReport[], expected: string): Check {
  const want = expected.toLowerCase().replace(/^sha256:/, "");
  const at = entries.findIndex((e) => e.sha256 === want);
  if (at !== -1 && at === entries.length - 1) return pass("timeline.anchor.head");
  if (at === -1) {
    return fail(
      "timeline.anchor.head",
      "CUSTODY_TRUNCATED",
      `Reject custody timeline: no entry is the anchored head sha256:${want}; entries were ` +
        "removed from its end or its last entry was replaced",
    );
  }
  return fail(
    "timeline.anchor.head",
    "CUSTODY_ANCHOR_MISMATCH",
    `Reject custody timeline: the anchored head sha256:${want} is entry ${at}, but ` +
      `${entries.length - 1 - at} more entries follow it`,
  );
}

export function checkSequence(index: number, name: string, sequence: number): Check {
  if (sequence === index) return pass("timeline.sequence");
  return fail(
    "timeline.sequence",
    "TIMELINE_GAP",
    `Reject ${quote(name)}: its sequence is ${sequence}, expected ${index} (entries must be ` +
      "numbered 0, 1, 2, … in timeline order; one is missing, duplicated or out of order)",
  );
}

export function checkLink(
  index: number,
  name: string,
  previous: { sha256: string } | null | undefined,
  previousDigest: string | undefined,
): Check {
  const named = previous?.sha256;
  if (index === 0) {
    if (named === undefined) return pass("timeline.links");
    return fail(
      "timeline.links",
      "TIMELINE_LINK_BROKEN",
      `Reject ${quote(name)}: the first entry must have previous null, it names sha256 ${named}`,
    );
  }
  if (named === previousDigest) return pass("timeline.links");
  return fail(
    "timeline.links",
    "TIMELINE_LINK_BROKEN",
    `Reject ${quote(name)}: previous is ${
      named === undefined ? "null" : `sha256 ${named}`
    }, but entry ${index - 1}'s exact bytes hash to sha256 ${previousDigest}`,
  );
}

export function checkTime(
  name: string,
  at: number,
  last: { ms: number; index: number } | undefined,
  skew: number,
): Check {
  if (last === undefined || at >= last.ms - skew) return pass("timeline.times");
  return fail(
    "timeline.times",
    "TIMELINE_TIME_REGRESSION",
    `Reject ${quote(name)}: its event time ${formatRfc3339(at)} is before entry ${last.index}'s ` +
      `(${formatRfc3339(last.ms)}) beyond the skew`,
  );
}

/** The timeline checks: each fails with its first failing entry's check (and counts the rest). */
export function timelineChecks(entries: readonly TimelineEntryReport[]): Check[] {
  if (entries.length === 0) {
    return [
      fail("timeline.entries", "TIMELINE_EMPTY", "Reject custody timeline: it has no entries"),
      ...ENTRY_STEP_IDS.map(pass),
    ];
  }
  const firstOf = new Map<string, { check: Check; count: number }>();
  for (const entry of entries) {
    let envelopeFailed = false;
    for (const check of entry.report.checks) {
      if (check.ok) continue;
      const id = ENTRY_STEP_IDS.includes(check.id) ? check.id : "timeline.entries";
      if (id === "timeline.entries") {
        if (envelopeFailed) continue; // one count per entry
        envelopeFailed = true;
      }
      const seen = firstOf.get(id);
      if (seen === undefined) firstOf.set(id, { check, count: 1 });
      else seen.count++;
    }
  }
  return ["timeline.entries", ...ENTRY_STEP_IDS].map((id) => {
    const seen = firstOf.get(id);
    if (seen === undefined) return pass(id);
    const more = seen.count - 1;
    const suffix = more === 0 ? "" : ` (and ${more} more ${more === 1 ? "entry" : "entries"})`;
    return fail(id, seen.check.code!, `${seen.check.message ?? "Reject entry"}${suffix}`);
  });
}

export function quote(name: string): string {
  return JSON.stringify(name);
}
