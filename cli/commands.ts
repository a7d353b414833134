/**
 * The command table: every `stella` command with its summary, help text and adapter.
 * `stella --help` and `stella <group> --help` are generated from it.
 *
 * @module
 */

import type { Io } from "./_io.ts";
import { canonicalizeCommand } from "./canonicalize.ts";
import { digestCommand } from "./digest.ts";
import { forensicVerifyCommand } from "./forensic_verify.ts";
import { timelineAppendCommand } from "./timeline_append.ts";
import { merkleProveCommand, merkleRootCommand, merkleVerifyCommand } from "./merkle.ts";
import { keysGenerateCommand } from "./keys_generate.ts";
import { keysIdCommand } from "./keys_id.ts";
import { keysRotateCommand } from "./keys_rotate.ts";
import { signCommand } from "./sign.ts";
import { auditVerifyCommand } from "./audit_verify.ts";
import { attestPromotionCommand } from "./attest_promotion.ts";
import { attestProvenanceCommand } from "./attest_provenance.ts";
import { kitBuildCommand } from "./kit_build.ts";
import { kitVerifyCommand } from "./kit_verify.ts";

/** One CLI command: a thin adapter over one library function. */
export interface Command {
  /** Words that select the command, e.g. `["merkle", "root"]`. */
  readonly path: readonly string[];
  /** One line, shown in the command list. */
  readonly summary: string;
  /** Full help text: usage line, flags, exit status. */
  readonly help: string;
  /** Runs the command with the arguments after its path; returns the exit status. */
  run(args: string[], io: Io): Promise<number>;
}

/** Every command, in the order `stella --help` lists them. */
export const COMMANDS: readonly Command[] = [
  canonicalizeCommand,
  digestCommand,
  merkleRootCommand,
  merkleProveCommand,
  merkleVerifyCommand,
  keysGenerateCommand,
  keysIdCommand,
  keysRotateCommand,
  signCommand,
  auditVerifyCommand,
  attestProvenanceCommand,
  attestPromotionCommand,
  forensicVerifyCommand,
  timelineAppendCommand,
  kitBuildCommand,
  kitVerifyCommand,
];
