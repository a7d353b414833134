/**
 * `stella timeline append`: signs the next custody event of a `stella.ops/custody@v1` timeline.
 * Adapter over {@link appendCustodyEvent}. The stored bytes are exactly what the next entry's
 * `previous` hashes: an envelope file holds them with no trailing newline; a JSON Lines
 * timeline gets them plus one newline (the whole file is rewritten atomically). It prints the
 * new head (`sha256:` of those bytes), the value `forensic verify --expect-head` anchors.
 *
 * With `--timestamp TOKEN` (and no event) it instead attaches an RFC 3161 token over an entry's
 * signature (obtained for the bytes `--signature-out` wrote) to the last entry of `--jsonl` or
 * to `--entry FILE`: the token is stored as a sidecar (`_timestamp_sidecar.ts`), so the entry's
 * bytes and the chain stay unchanged, and `forensic verify --timeline` gives the entry the
 * token's time.
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { ParseError, ValidationError } from "../lib/encoding/errors.ts";
import { concatBytes, decodeBase64, encodeUtf8, equalBytes } from "../lib/encoding/bytes.ts";
import { splitJsonLines } from "../lib/encoding/json_lines.ts";
import { formatRfc3339 } from "../lib/encoding/time.ts";
import { type DigestAlgorithm, digestBytes, digestStream, sha256 } from "../lib/digest/digest.ts";
import { parseCustodyEntry } from "../lib/model/custody.ts";
import type { ResourceDescriptor } from "../lib/model/statement.ts";
import { appendCustodyEvent } from "../lib/sign/custody.ts";
import { parseTimestampResponse } from "../lib/verify/timestamp_parse.ts";
import { HELP_FLAG, parseStrict } from "./_args.ts";
import { timestampSidecar } from "./_timestamp_sidecar.ts";
import {
  baseName,
  buildSigner,
  eventTime,
  reject,
  SIGNING_FLAGS,
  SIGNING_HELP,
} from "./_attest.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import type { Command } from "./commands.ts";
import { parseDigest } from "../lib/digest/digest_set.ts";

const FLAGS = {
  ...HELP_FLAG,
  ...SIGNING_FLAGS,
  jsonl: { type: "string" },
  previous: { type: "string" },
  subject: { type: "string" },
  type: { type: "string" },
  "event-actor": { type: "string" },
  at: { type: "string" },
  location: { type: "string" },
  note: { type: "string" },
  evidence: { type: "string", multiple: true },
  sequence: { type: "string" },
  "signature-out": { type: "string" },
  timestamp: { type: "string" },
  entry: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

/** `stella timeline append`. */
export const timelineAppendCommand: Command = {
  path: ["timeline", "append"],
  summary: "Sign the next custody event of a stella.ops/custody@v1 timeline",
  flags: FLAGS,
  help:
    `Usage: stella timeline append (--jsonl TIMELINE.jsonl | [--previous PREV.dsse.json] --out NEW.dsse.json)
       --type EVENT --event-actor ID [--at RFC3339] [--location L] [--note N]
       [--subject NAME=sha256:HEX] [--evidence FILE]... [--sequence N] --key KEY
       [--signature-out SIG.bin] [--json]
       stella timeline append (--jsonl TIMELINE.jsonl | --entry ENTRY.dsse.json) --timestamp TOKEN
       [--json]

Builds the custody statement (sequence, previous = sha256 of the previous entry's exact
stored bytes, same subject) and signs it. With --jsonl the previous entry is the file's last
line and the new one is appended (the file is created for the first entry). Otherwise the
previous entry is --previous (absent for the first) and the new envelope goes to --out.
Prints the new head (sha256 of the entry's exact bytes): anchor the timeline with it
(forensic verify --timeline --expect-head).

The second form attaches an RFC 3161 token over the entry's signature (request it for the
bytes --signature-out wrote, e.g. openssl ts -query -data SIG.bin -sha256 -cert) to the last
entry of TIMELINE.jsonl or to ENTRY.dsse.json. The token is stored next to the entry, as
TIMELINE.jsonl.N.tsr (N = the entry's 0-based line) or ENTRY.dsse.json.tsr; the envelope stays
standard DSSE and its bytes do not change. forensic verify --timeline --tsa-roots then judges
the entry's key at the token's time instead of now.

Flags:
  --jsonl FILE            The timeline as JSON Lines: the last line is the previous entry, the
                          new one is appended (the file is created for the first entry)
  --previous PREV         Without --jsonl: the previous entry's envelope file (absent for the
                          first entry); the new envelope goes to --out
  --subject NAME=ALG:HEX  The item in custody (required for the first entry; later entries
                          inherit it and, when given, it must match)
  --type EVENT            Event type, e.g. collected, transferred, sealed, analysed
  --event-actor ID        Who acted (the custodian)
  --at T                  Event time (default SOURCE_DATE_EPOCH, else the clock)
  --location L            Optional event detail: where it happened
  --note N                Optional event detail: free text
  --evidence FILE         Document backing the event, recorded by name and sha256; repeatable
  --sequence N            Expected sequence number (checked against the derived one)
  --signature-out F       Also write the new entry's signature bytes to F (what a TSA stamps)
  --timestamp TOKEN       Attach this RFC 3161 token (DER) to an existing entry (second form)
  --entry FILE            With --timestamp: the envelope file to attach it to
  --json                  Print {"head", "sequence", "type"} (appended) or {"genTime", "head",
                          "sequence", "timestamp"} (attached) as RFC 8785 canonical JSON
${SIGNING_HELP}

Exit status: 0 appended; 1 the event was rejected (sequence, subject or time order, policy);
2 could not run (missing file, bad key, bad flag).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseStrict({ args, options: FLAGS, allowPositionals: false });
    if (values.timestamp !== undefined) return await attachTimestamp(io, values);
    if (values.entry !== undefined) throw new CliError("--entry goes with --timestamp TOKEN");
    if ((values.jsonl === undefined) === (values.out === undefined)) {
      throw new CliError("Give exactly one of --jsonl TIMELINE.jsonl or --out NEW.dsse.json");
    }
    if (values.jsonl !== undefined && values.previous !== undefined) {
      throw new CliError("--previous is for envelope files; with --jsonl the last line is used");
    }
    if (values.type === undefined) throw new CliError("Missing --type: the event type");
    if (values["event-actor"] === undefined) throw new CliError("Missing --event-actor: who acted");
    const inputs = [values.previous, ...(values.evidence ?? []), values.key, values["audit-log"]];
    await refuseOverwritingInput(io, "--out", values.out, inputs);
    await refuseOverwritingInput(io, "--signature-out", values["signature-out"], [
      ...inputs,
      values.jsonl,
      values.out,
    ]);
    const { signer } = await buildSigner(io, { ...values, out: undefined });
    let existing: Uint8Array | undefined;
    let previous: Uint8Array | null = null;
    let previousName: string | undefined;
    if (values.jsonl !== undefined) {
      if ((await io.stat(values.jsonl))?.isFile) {
        existing = await io.readFile(values.jsonl);
        const lines = splitJsonLines(existing);
        previous = lines.at(-1) ?? null;
        previousName = `${values.jsonl}:${lines.length}`; // as forensic verify names lines
      }
    } else if (values.previous !== undefined) {
      previous = await io.readFile(values.previous);
      previousName = values.previous;
    }
    if (previous === null && values.subject === undefined) {
      throw new CliError(
        "Missing --subject NAME=sha256:HEX: the first entry of a timeline names the item in custody",
      );
    }
    const evidence: ResourceDescriptor[] = [];
    for (const path of values.evidence ?? []) {
      const digest = await digestStream("sha256", await io.openFile(path, { reuseBuffers: true }));
      evidence.push({ name: baseName(path), digest: { sha256: digest.toHex() } });
    }
    let appended;
    try {
      appended = await appendCustodyEvent(previous, {
        subject: parseSubject(values.subject),
        event: {
          type: values.type,
          actor: values["event-actor"],
          at: eventTime(io, "--at", values.at),
          ...(values.location === undefined ? {} : { location: values.location }),
          ...(values.note === undefined ? {} : { note: values.note }),
        },
        evidence: evidence.length === 0 ? undefined : evidence,
        sequence: parseSequence(values.sequence),
        signers: [signer],
        previousName,
      });
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ParseError) {
        return reject(io, "Cannot append custody event", error);
      }
      if (error instanceof RangeError || error instanceof TypeError) {
        io.stderr(`stella: Cannot append custody event: ${flagMessage(error.message)}\n`);
        return 1;
      }
      throw error;
    }
    if (values.jsonl !== undefined) {
      const separator = existing !== undefined && existing.length > 0 &&
          existing[existing.length - 1] !== 0x0a
        ? encodeUtf8("\n")
        : new Uint8Array();
      await io.writeFile(
        values.jsonl,
        concatBytes(existing ?? new Uint8Array(), separator, appended.bytes, encodeUtf8("\n")),
      );
    } else {
      await io.writeFile(values.out!, appended.bytes);
    }
    if (values["signature-out"] !== undefined) {
      const sig = appended.envelope.signatures[0]!.sig;
      await io.writeFile(values["signature-out"], decodeBase64(sig, "signature"));
    }
    const { sequence, event } = appended.statement.predicate;
    const head = `sha256:${sha256(appended.bytes).toHex()}`;
    io.stdout(
      values.json
        ? canonicalize({ head, sequence, type: event.type }) + "\n"
        : `appended sequence ${sequence} (${event.type})\nhead ${head}\n`,
    );
    return 0;
  },
};

/** The second form: attach an RFC 3161 token over an entry's signature as its sidecar. */
async function attachTimestamp(
  io: Io,
  values: { [K in keyof typeof FLAGS]?: unknown },
): Promise<number> {
  const others = (Object.keys(values) as (keyof typeof FLAGS)[]).filter((flag) =>
    values[flag] !== undefined &&
    values[flag] !== (FLAGS[flag] as { default?: unknown }).default &&
    !["timestamp", "jsonl", "entry", "json"].includes(flag)
  );
  if (others.length > 0) {
    throw new CliError(
      `--timestamp attaches a token to an existing entry: drop --${others.sort().join(", --")}`,
    );
  }
  const jsonl = values.jsonl as string | undefined;
  const file = values.entry as string | undefined;
  if ((jsonl === undefined) === (file === undefined)) {
    throw new CliError(
      "With --timestamp give exactly one of --jsonl TIMELINE.jsonl or --entry FILE",
    );
  }
  let entry: Uint8Array;
  let sidecar: string;
  let name: string;
  if (jsonl !== undefined) {
    const lines = splitJsonLines(await io.readFile(jsonl));
    if (lines.length === 0) {
      throw new CliError(`Cannot attach a timestamp: "${jsonl}" has no entry`);
    }
    entry = lines.at(-1)!;
    sidecar = timestampSidecar(jsonl, lines.length - 1);
    name = `${jsonl}:${lines.length}`;
  } else {
    entry = await io.readFile(file!);
    sidecar = timestampSidecar(file!);
    name = file!;
  }
  const tokenPath = values.timestamp as string;
  const token = await io.readFile(tokenPath);
  let sequence: number;
  let signatures: Uint8Array[];
  let genTime: number;
  let imprint: { digest: DigestAlgorithm | undefined; hash: Uint8Array };
  try {
    const custody = parseCustodyEntry(entry, name);
    sequence = custody.statement.predicate.sequence;
    signatures = custody.envelope.signatures.map((s) => s.sigBytes);
    const parsed = parseTimestampResponse(token, { name: tokenPath });
    genTime = parsed.tstInfo.genTime;
    imprint = {
      digest: parsed.tstInfo.messageImprint.digestAlgorithm,
      hash: parsed.tstInfo.messageImprint.hashedMessage,
    };
  } catch (error) {
    if (error instanceof ValidationError || error instanceof ParseError) {
      return reject(io, "Cannot attach timestamp", error);
    }
    throw error;
  }
  const algorithm = imprint.digest;
  if (
    algorithm === undefined ||
    !signatures.some((sig) => equalBytes(digestBytes(algorithm, sig), imprint.hash))
  ) {
    io.stderr(
      `stella: Cannot attach timestamp "${tokenPath}": its message imprint is not over a ` +
        `signature of "${name}" (request the token for the bytes --signature-out wrote)\n`,
    );
    return 1;
  }
  const existing = await io.stat(sidecar);
  if (existing !== undefined) {
    if (!existing.isFile || !equalBytes(await io.readFile(sidecar), token)) {
      throw new CliError(`Cannot attach timestamp: "${sidecar}" already exists; remove it first`);
    }
  } else {
    await io.writeFile(sidecar, token);
  }
  const head = `sha256:${sha256(entry).toHex()}`;
  io.stdout(
    values.json === true
      ? canonicalize({ genTime: formatRfc3339(genTime), head, sequence, timestamp: sidecar }) + "\n"
      : `attached timestamp ${sidecar} to sequence ${sequence} (genTime ${
        formatRfc3339(genTime)
      })\n` + `head ${head}\n`,
  );
  return 0;
}

/**
 * The library's rejections of an event, in the words of this command's flags (the library
 * speaks of its options; a CLI user gave flags).
 */
function flagMessage(message: string): string {
  const subject = /^Pass the timeline's subject \((.*)\) or none: got (.*)$/s.exec(message);
  if (subject !== null) {
    return `--subject ${subject[2]} is not the timeline's subject ${subject[1]}: give that ` +
      "subject or leave --subject out";
  }
  const time = /^Pass an event time at or after the previous event's \((.*)\): got (.*)$/s
    .exec(message);
  if (time !== null) {
    return `--at ${time[2]} is before the previous event's time ${time[1]}: events are appended ` +
      "in time order";
  }
  const sequence = /^Pass sequence (\d+) or none: (.*), got (.*)$/s.exec(message);
  if (sequence !== null) {
    return `--sequence ${sequence[3]} is not the next sequence number ${sequence[1]} ` +
      `(${sequence[2]}): give ${sequence[1]} or leave --sequence out`;
  }
  return message;
}

function parseSubject(value: string | undefined): ResourceDescriptor | undefined {
  if (value === undefined) return undefined;
  const equals = value.lastIndexOf("=");
  try {
    if (equals < 1) throw new ParseError("DIGEST_INVALID", "no NAME=", 0);
    const { algorithm, hex } = parseDigest(value.slice(equals + 1), "--subject");
    return { name: value.slice(0, equals), digest: { [algorithm]: hex } };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw new CliError(`Cannot parse --subject "${value}": use NAME=sha256:HEX`);
  }
}

function parseSequence(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new CliError(`Cannot parse --sequence "${value}"`);
  return Number(value);
}
