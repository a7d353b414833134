/**
 * `stella merkle root|prove|verify`: the build-metadata Merkle tree (RFC 9162) over a set of
 * digests — the files of an export, the subjects or materials of a build. Adapters over
 * {@link merkleRootOfDigests}, {@link proveDigestInclusion} and {@link verifyDigestInclusion}.
 *
 * The set is given as files (each contributes the `sha256:<hex>` of its bytes, streamed) and/or
 * `--digests LIST` (a text file with one `alg:hex` digest per line).
 *
 * @module
 */

import { canonicalize } from "../lib/encoding/canonical_json.ts";
import { decodeUtf8 } from "../lib/encoding/bytes.ts";
import { ParseError } from "../lib/encoding/errors.ts";
import { parseJson } from "../lib/encoding/strict_json.ts";
import { digestStream } from "../lib/digest/digest.ts";
import { formatDigest, parseDigest } from "../lib/digest/digest_set.ts";
import { merkleRootOfDigests } from "../lib/digest/merkle_tree.ts";
import {
  type DigestInclusionProof,
  digestTreeLeaves,
  proveDigestInclusion,
  verifyDigestInclusion,
} from "../lib/digest/digest_tree.ts";
import { HELP_FLAG, parseStrict } from "./_args.ts";
import { CliError, type Io, refuseOverwritingInput } from "./_io.ts";
import type { Command } from "./commands.ts";

const SET_FLAGS = { ...HELP_FLAG, digests: { type: "string", multiple: true } } as const;
const ROOT_FLAGS = { ...SET_FLAGS, json: { type: "boolean", default: false } } as const;
const PROVE_FLAGS = {
  ...SET_FLAGS,
  leaf: { type: "string" },
  "leaf-digest": { type: "string" },
  out: { type: "string" },
} as const;
const VERIFY_FLAGS = {
  ...HELP_FLAG,
  proof: { type: "string" },
  leaf: { type: "string" },
  "leaf-digest": { type: "string" },
  root: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

const SET_HELP = `The set is the sha256 digests of the FILEs (streamed) plus the digests listed in
each --digests LIST file (one "alg:hex" per line). It is treated as a set: order and
duplicates do not matter. Leaf i of the tree is the ASCII text of the i-th digest in sorted
order; the root is "sha256:<hex>" (RFC 9162 Merkle Tree Hash).`;

async function fileDigest(io: Io, path: string): Promise<string> {
  return formatDigest(
    "sha256",
    await digestStream("sha256", await io.openFile(path, { reuseBuffers: true })),
  );
}

async function collectSet(
  io: Io,
  files: readonly string[],
  lists: readonly string[],
): Promise<string[]> {
  const digests: string[] = [];
  for (const path of files) digests.push(await fileDigest(io, path));
  for (const list of lists) {
    const text = decodeUtf8(await io.readFile(list), list);
    text.split("\n").forEach((line, i) => {
      const digest = line.trim();
      if (digest === "") return;
      try {
        parseDigest(digest);
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        throw new CliError(
          `Cannot read "${list}" line ${i + 1}: expected "alg:hex", got "${digest}"`,
        );
      }
      digests.push(digest);
    });
  }
  if (digests.length === 0) throw new CliError("Give the set: FILE... and/or --digests LIST");
  try {
    digestTreeLeaves(digests);
  } catch (error) {
    if (error instanceof ParseError) throw new CliError(error.message);
    throw error;
  }
  return digests;
}

/** `stella merkle root`. */
export const merkleRootCommand: Command = {
  path: ["merkle", "root"],
  summary: "Print the Merkle root of a set of files or digests",
  flags: ROOT_FLAGS,
  help: `Usage: stella merkle root [--digests LIST]... [FILE...] [--json]

${SET_HELP}

Prints the root, or with --json {"root", "treeSize"} as canonical JSON.

Flags:
  --digests LIST  A file of digests, one "alg:hex" per line, added to the set; repeatable
  --json          Print {"root", "treeSize"} as RFC 8785 canonical JSON

Exit status: 0 printed; 2 could not run (missing file, malformed digest list).
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({
      args,
      options: ROOT_FLAGS,
      allowPositionals: true,
    });
    const digests = await collectSet(io, positionals, values.digests ?? []);
    const root = merkleRootOfDigests(digests);
    io.stdout(
      values.json
        ? canonicalize({ root, treeSize: digestTreeLeaves(digests).length }) + "\n"
        : root + "\n",
    );
    return 0;
  },
};

/** `stella merkle prove`. */
export const merkleProveCommand: Command = {
  path: ["merkle", "prove"],
  summary: "Print the inclusion proof of one file or digest in a set",
  flags: PROVE_FLAGS,
  help:
    `Usage: stella merkle prove [--digests LIST]... [FILE...] (--leaf FILE | --leaf-digest D) [--out PROOF]

${SET_HELP}

Prints the inclusion proof of the leaf as canonical JSON {"digest", "leafIndex",
"treeSize", "hashes", "root"} (or writes it to --out).

Flags:
  --digests LIST    A file of digests, one "alg:hex" per line, added to the set; repeatable
  --leaf FILE       The leaf to prove: this file's sha256
  --leaf-digest D   The leaf to prove, as a digest ("sha256:<hex>")
  --out PROOF       Write the proof to PROOF atomically instead of stdout

Exit status: 0 printed; 1 the leaf is not in the set; 2 could not run.
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseStrict({
      args,
      options: PROVE_FLAGS,
      allowPositionals: true,
    });
    const digests = await collectSet(io, positionals, values.digests ?? []);
    await refuseOverwritingInput(io, "--out", values.out, [
      ...positionals,
      ...(values.digests ?? []),
      values.leaf,
    ]);
    const leaf = await leafDigest(io, values.leaf, values["leaf-digest"]);
    let proof: DigestInclusionProof;
    try {
      proof = proveDigestInclusion(digests, leaf);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      io.stderr(`stella: ${error.message}\n`);
      return 1;
    }
    const text = canonicalize(proof) + "\n";
    if (values.out === undefined) io.stdout(text);
    else await io.writeFile(values.out, text);
    return 0;
  },
};

/** `stella merkle verify`. */
export const merkleVerifyCommand: Command = {
  path: ["merkle", "verify"],
  summary: "Verify an inclusion proof against a leaf and a trusted root",
  flags: VERIFY_FLAGS,
  help:
    `Usage: stella merkle verify --proof PROOF (--leaf FILE | --leaf-digest D) [--root sha256:HEX] [--json]

Checks that the proof's leaf is the given file (or digest) and that its audit path leads to
its root; with --root, that root must also be the trusted one. With --json prints
{"ok", "code"?, "message"?} as canonical JSON.

Flags:
  --proof PROOF     The inclusion proof (JSON, as stella merkle prove writes it)
  --leaf FILE       The leaf: this file's sha256
  --leaf-digest D   The leaf, as a digest ("sha256:<hex>")
  --root sha256:HEX The trusted root the proof must lead to
  --json            Print {"ok", "code"?, "message"?} as RFC 8785 canonical JSON

Exit status: 0 verified; 1 not verified (wrong leaf, bad path, other root, malformed proof);
2 could not run.
`,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseStrict({
      args,
      options: VERIFY_FLAGS,
      allowPositionals: false,
    });
    if (values.proof === undefined) throw new CliError("Missing --proof PROOF");
    const leaf = await leafDigest(io, values.leaf, values["leaf-digest"]);
    const verdict = checkProof(await io.readFile(values.proof), values.proof, leaf, values.root);
    if (values.json) io.stdout(canonicalize(verdict) + "\n");
    else if (verdict.ok) {
      io.stdout(`VERIFIED ${leaf} is in ${values.root ?? "the proof's root"}\n`);
    } else io.stdout(`FAILED ${leaf}: ${verdict.code} ${verdict.message}\n`);
    return verdict.ok ? 0 : 1;
  },
};

type Verdict = { ok: true } | { ok: false; code: string; message: string };

function checkProof(bytes: Uint8Array, name: string, leaf: string, root?: string): Verdict {
  let proof: DigestInclusionProof;
  try {
    const value = parseJson(bytes, { name }) as Record<string, unknown>;
    const ok = typeof value === "object" && value !== null && typeof value.digest === "string" &&
      Number.isSafeInteger(value.leafIndex) && Number.isSafeInteger(value.treeSize) &&
      Array.isArray(value.hashes) && value.hashes.every((h) => typeof h === "string") &&
      typeof value.root === "string";
    if (!ok) {
      return {
        ok: false,
        code: "MERKLE_INPUT_INVALID",
        message: `Reject proof "${name}": expected {digest, leafIndex, treeSize, hashes, root}`,
      };
    }
    proof = value as unknown as DigestInclusionProof;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { ok: false, code: "MERKLE_INPUT_INVALID", message: error.message };
  }
  if (proof.digest !== leaf) {
    return {
      ok: false,
      code: "INCLUSION_PROOF_INVALID",
      message: `Reject proof "${name}": it proves ${proof.digest}, not ${leaf}`,
    };
  }
  return verifyDigestInclusion(proof, { root });
}

async function leafDigest(
  io: Io,
  file: string | undefined,
  digest: string | undefined,
): Promise<string> {
  if ((file === undefined) === (digest === undefined)) {
    throw new CliError("Name the leaf with exactly one of --leaf FILE or --leaf-digest D");
  }
  return file !== undefined ? await fileDigest(io, file) : digest!;
}
