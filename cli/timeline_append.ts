/**
 * `stella timeline append`: signs the next custody event of a `stella.ops/custody@v1` timeline.
 * Adapter over {@link appendCustodyEvent}. The stored bytes are exactly what the next entry's
 * `previous` hashes: an envelope file holds them with no trailing newline; a JSON Lines
 * timeline gets them plus one newline (the whole file is rewritten atomically).
 *
 * @module
 */

import { ParseError, ValidationError } from "../lib/encoding/errors.ts";
import { concatBytes, encodeUtf8 } from "../lib/encoding/bytes.ts";
import { splitJsonLines } from "../lib/encoding/json_lines.ts";
import { digestStream } from "../lib/digest/digest.ts";
import type { ResourceDescriptor } from "../lib/model/statement.ts";
import { appendCustodyEvent } from "../lib/sign/custody.ts";
import { HELP_FLAG, parseStrict } from "./_args.ts";
import {
  baseName,
  eventTime,
  loadAttestSigner,
  reject,
  SIGNING_FLAGS,
  SIGNING_HELP,
} from "./_attest.ts";
import { CliError, type Io } from "./_io.ts";
import type { Command } from "./commands.ts";

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
} as const;

/** `stella timeline append`. */
export const timelineAppendCommand: Command = {
  path: ["timeline", "append"],
  summary: "Sign the next custody event of a stella.ops/custody@v1 timeline",
  help:
    `Usage: stella timeline append (--jsonl TIMELINE.jsonl | [--previous PREV.dsse.json] --out NEW.dsse.json)
       --type EVENT --event-actor ID [--at RFC3339] [--location L] [--note N]
       [--subject NAME=sha256:HEX] [--evidence FILE]... [--sequence N] --key KEY

Builds the custody statement (sequence, previous = sha256 of the previous entry's exact
stored bytes, same subject) and signs it. With --jsonl the previous entry is the file's last
line and the new one is appended (the file is created for the first entry). Otherwise the
previous entry is --previous (absent for the first) and the new envelope goes to --out.

Flags:
  --subject NAME=ALG:HEX  The item in custody (required for the first entry; later entries
                          inherit it and, when given, it must match)
  --type EVENT            Event type, e.g. collected, transferred, sealed, analysed
  --event-actor ID        Who acted (the custodian)
  --at T                  Event time (default SOURCE_DATE_EPOCH, else the clock)
  --location L, --note N  Optional event details
  --evidence FILE         Document backing the event, recorded by name and sha256
  --sequence N            Expected sequence number (checked against the derived one)
${SIGNING_HELP}

Exit status: 0 appended; 1 the event was rejected (sequence, subject or time order, policy);
2 could not run (missing file, bad key, bad flag).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseStrict({ args, options: FLAGS, allowPositionals: false });
    if ((values.jsonl === undefined) === (values.out === undefined)) {
      throw new CliError("Give exactly one of --jsonl TIMELINE.jsonl or --out NEW.dsse.json");
    }
    if (values.jsonl !== undefined && values.previous !== undefined) {
      throw new CliError("--previous is for envelope files; with --jsonl the last line is used");
    }
    if (values.type === undefined) throw new CliError("Missing --type: the event type");
    if (values["event-actor"] === undefined) throw new CliError("Missing --event-actor: who acted");
    const { signer } = await loadAttestSigner(io, { ...values, out: undefined });
    let existing: Uint8Array | undefined;
    let previous: Uint8Array | null = null;
    if (values.jsonl !== undefined) {
      if ((await io.stat(values.jsonl))?.isFile) {
        existing = await io.readFile(values.jsonl);
        const lines = splitJsonLines(existing);
        previous = lines.at(-1) ?? null;
      }
    } else if (values.previous !== undefined) {
      previous = await io.readFile(values.previous);
    }
    const evidence: ResourceDescriptor[] = [];
    for (const path of values.evidence ?? []) {
      const digest = await digestStream("sha256", await io.openFile(path));
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
      });
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ParseError) {
        return reject(io, "Cannot append custody event", error);
      }
      if (error instanceof RangeError || error instanceof TypeError) {
        io.stderr(`stella: Cannot append custody event: ${error.message}\n`);
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
    io.stdout(
      `appended sequence ${appended.statement.predicate.sequence} (${appended.statement.predicate.event.type})\n`,
    );
    return 0;
  },
};

function parseSubject(value: string | undefined): ResourceDescriptor | undefined {
  if (value === undefined) return undefined;
  const match = /^(.+)=(sha256|sha384|sha512):([0-9a-f]+)$/.exec(value);
  if (match === null) {
    throw new CliError(`Cannot parse --subject "${value}": use NAME=sha256:HEX`);
  }
  return { name: match[1]!, digest: { [match[2]!]: match[3]! } };
}

function parseSequence(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new CliError(`Cannot parse --sequence "${value}"`);
  return Number(value);
}
