/**
 * The command table: every `stella` command with its summary and a loader for its adapter.
 * `stella --help` and `stella <group> --help` are generated from it without loading any command:
 * each command module (and the library code behind it) is imported only when that command runs
 * or prints its own help, so `stella forensic verify` never loads the kit, signing, KMS or
 * timeline-append code (cold start, issue 15).
 *
 * @module
 */

import type { FlagTable } from "./_args.ts";
import type { Io } from "./_io.ts";

/** One CLI command: a thin adapter over one library function. */
export interface Command {
  /** Words that select the command, e.g. `["merkle", "root"]`. */
  readonly path: readonly string[];
  /** One line, shown in the command list. */
  readonly summary: string;
  /**
   * Every flag the command accepts, as declared for `parseArgs` (`multiple: true` marks a
   * repeatable flag). The help text documents exactly these (`tests/cli/help_flags_test.ts`), and
   * `stella completions` and `docs/cli.md` are generated from them.
   */
  readonly flags: FlagTable;
  /** Full help text: usage line, flags, exit status. */
  readonly help: string;
  /** Runs the command with the arguments after its path; returns the exit status. */
  run(args: string[], io: Io): Promise<number>;
}

/**
 * A row of the command table: what `stella --help` shows, and how to load the command itself
 * (whose `path` and `summary` are the same; `tests/cli/main_test.ts` keeps them equal).
 */
export interface CommandEntry {
  /** Words that select the command. */
  readonly path: readonly string[];
  /** One line, shown in the command list. */
  readonly summary: string;
  /** Imports the command's module and returns the command. */
  load(): Promise<Command>;
}

/** Every command, in the order `stella --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    path: ["canonicalize"],
    summary: "Print the RFC 8785 canonical JSON of a file",
    load: async () => (await import("./canonicalize.ts")).canonicalizeCommand,
  },
  {
    path: ["digest"],
    summary: "Print SHA-2 digests of files (sha256sum format, or --json)",
    load: async () => (await import("./digest.ts")).digestCommand,
  },
  {
    path: ["merkle", "root"],
    summary: "Print the Merkle root of a set of files or digests",
    load: async () => (await import("./merkle.ts")).merkleRootCommand,
  },
  {
    path: ["merkle", "prove"],
    summary: "Print the inclusion proof of one file or digest in a set",
    load: async () => (await import("./merkle.ts")).merkleProveCommand,
  },
  {
    path: ["merkle", "verify"],
    summary: "Verify an inclusion proof against a leaf and a trusted root",
    load: async () => (await import("./merkle.ts")).merkleVerifyCommand,
  },
  {
    path: ["keys", "generate"],
    summary: "Generate a key pair (PREFIX.key.pem, PREFIX.pub.pem) and print its key id",
    load: async () => (await import("./keys_generate.ts")).keysGenerateCommand,
  },
  {
    path: ["keys", "id"],
    summary: "Print the key id of a public or private key file",
    load: async () => (await import("./keys_id.ts")).keysIdCommand,
  },
  {
    path: ["keys", "rotate"],
    summary: "Rotate a key ring to a new key and print the new active key id",
    load: async () => (await import("./keys_rotate.ts")).keysRotateCommand,
  },
  {
    path: ["sign"],
    summary: "Sign a file as a DSSE envelope (optional policy and audit log)",
    load: async () => (await import("./sign.ts")).signCommand,
  },
  {
    path: ["audit", "verify"],
    summary: "Verify a signing audit log's hash chain",
    load: async () => (await import("./audit_verify.ts")).auditVerifyCommand,
  },
  {
    path: ["attest", "provenance"],
    summary: "Build and sign a SLSA Provenance v1 attestation",
    load: async () => (await import("./attest_provenance.ts")).attestProvenanceCommand,
  },
  {
    path: ["attest", "promotion"],
    summary: "Build and sign a stella.ops/promotion@v1 attestation for an image",
    load: async () => (await import("./attest_promotion.ts")).attestPromotionCommand,
  },
  {
    path: ["forensic", "verify"],
    summary: "Verify DSSE envelopes offline (signatures, trust policy, time window)",
    load: async () => (await import("./forensic_verify.ts")).forensicVerifyCommand,
  },
  {
    path: ["trust", "init"],
    summary: "Write a starting trust policy (trust.json) that trusts the given public keys",
    load: async () => (await import("./trust_init.ts")).trustInitCommand,
  },
  {
    path: ["timestamp", "request"],
    summary: "Write the RFC 3161 time-stamp request (.tsq) for an envelope's signature",
    load: async () => (await import("./timestamp_request.ts")).timestampRequestCommand,
  },
  {
    path: ["serve"],
    summary: "Serve verification over HTTP (POST /v1/verify, /v1/verify/timeline; offline)",
    load: async () => (await import("./serve.ts")).serveCommand,
  },
  {
    path: ["timeline", "append"],
    summary: "Sign the next custody event of a stella.ops/custody@v1 timeline",
    load: async () => (await import("./timeline_append.ts")).timelineAppendCommand,
  },
  {
    path: ["kit", "build"],
    summary: "Build an offline kit: bundle, binaries, SHA256SUMS, signed manifest and provenance",
    load: async () => (await import("./kit_build.ts")).kitBuildCommand,
  },
  {
    path: ["kit", "verify"],
    summary: "Verify an offline kit: every file, the signed manifest and the kit's provenance",
    load: async () => (await import("./kit_verify.ts")).kitVerifyCommand,
  },
  {
    path: ["version"],
    summary: "Print the versions of stella and Deno, and the commit a bundle was built at",
    load: async () => (await import("./version.ts")).versionCommand,
  },
  {
    path: ["completions"],
    summary: "Print a shell completion script (bash, zsh or fish)",
    load: async () => (await import("./completions.ts")).completionsCommand,
  },
];
