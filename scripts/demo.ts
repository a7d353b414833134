/**
 * `deno task demo`: the main job on the bundled samples, offline.
 *
 * 1. Signs a promotion attestation for the sample image (`fixtures/sample/promotion.json`: its
 *    SBOM, VEX document and Rekor proof) with the TEST-ONLY Ed25519 key, through the same code
 *    path as `stella attest promotion` (it calls the CLI's `run`), into `out/demo/`.
 * 2. Verifies it with `stella forensic verify` against a trust policy that trusts only the
 *    test-only public key, allows only `stella.ops/promotion@v1` and requires the promotion to
 *    production with an `allow` policy decision.
 * 3. Prints a short summary and the verdict; exits 0 when verified, 1 when not, 2 when it could
 *    not run.
 *
 * Run: `deno run --cached-only --allow-read=. --allow-write=. --allow-env scripts/demo.ts
 * [--out DIR]` (DIR must be inside the repository; default `out/demo`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { canonicalize, parseEnvelope, parseJson } from "../mod.ts";
import { sha256 } from "../lib/digest/mod.ts";
import { decodeUtf8, encodeHex } from "../lib/encoding/mod.ts";
import type { PromotionPredicate, Statement, VerificationReport } from "../mod.ts";
import { run } from "../cli/main.ts";
import { denoIo, type Io } from "../cli/_io.ts";
import { loadSamplePromotion } from "./make_fixtures.ts";

const KEY = "fixtures/keys/test-only-ed25519.pem";
const PUBLIC_KEY = "fixtures/keys/test-only-ed25519.pub.pem";
const FIXTURE = "fixtures/envelopes/promotion.dsse.json";

/** Where the demo prints; tests pass a capturing one. */
export interface DemoOutput {
  /** Writes text to standard output. */
  stdout(text: string): void;
  /** Writes text to standard error. */
  stderr(text: string): void;
}

/**
 * Runs the demo from the repository root.
 *
 * @param args `[--out DIR]`.
 * @param output Where to print (default the process's streams).
 * @returns 0 verified, 1 not verified, 2 could not run.
 */
export async function demo(args: string[], output: DemoOutput = denoIo()): Promise<number> {
  let out: string;
  try {
    const { values } = parseArgs({ args, options: { out: { type: "string" } }, strict: true });
    out = (values.out ?? "out/demo").replace(/\/+$/, "");
  } catch (error) {
    output.stderr(`demo: ${(error as Error).message}\n`);
    return 2;
  }
  const io: Io = { ...denoIo(), stdout: output.stdout, stderr: output.stderr };
  const sample = await loadSamplePromotion();
  const options = sample.options;
  const envelopePath = `${out}/promotion.dsse.json`;
  const trustPath = `${out}/trust.json`;
  await Deno.mkdir(out, { recursive: true });

  const attestArgs = [
    "attest",
    "promotion",
    "--image",
    options.image,
    ...sample.files.sbom.flatMap((f) => ["--sbom", f]),
    ...sample.files.vex.flatMap((f) => ["--vex", f]),
    "--from",
    options.from,
    "--to",
    options.to,
    ...options.approver.flatMap((a) => ["--approver", typeof a === "string" ? a : a.approver]),
    ...optional("--promoted-by", options.promotedBy),
    "--promoted-at",
    options.promotedAt,
    ...optional("--ticket", options.ticket),
    ...optional(
      "--policy-decision",
      typeof options.policyDecision === "object"
        ? options.policyDecision.decision
        : options.policyDecision,
    ),
    ...optional("--rekor-proof", sample.files.rekorProof),
    "--key",
    KEY,
    "--out",
    envelopePath,
  ];
  output.stdout("StellaOps Provenance demo: offline, sample data, TEST-ONLY key\n\n");
  output.stdout(`1. Sign   stella ${commandLine(attestArgs)}\n`);
  const signed = await run(attestArgs, io);
  if (signed !== 0) {
    output.stdout(`\nVerdict: NOT SIGNED (stella attest promotion exited ${signed})\n`);
    return 2;
  }
  const bytes = await Deno.readFile(envelopePath);
  const statement = parseJson(parseEnvelope(bytes).payloadBytes) as unknown as Statement<
    PromotionPredicate
  >;
  const fixture = await Deno.readFile(FIXTURE).catch(() => undefined);
  output.stdout(summarize(statement, envelopePath, bytes, fixture));

  const trust = {
    version: 1,
    keys: [{ publicKey: decodeUtf8(await Deno.readFile(PUBLIC_KEY)), name: "test-only-ed25519" }],
    allowedPredicateTypes: ["stella.ops/promotion@v1"],
    requiredClaims: [
      { pointer: "/predicate/promotion/to", equals: "production" },
      { pointer: "/predicate/promotion/policyDecision/decision", equals: "allow" },
      { pointer: "/predicate/promotion/approvals/0/approver", present: true },
    ],
  };
  await Deno.writeTextFile(trustPath, canonicalize(trust) + "\n");
  const verifyArgs = ["forensic", "verify", envelopePath, "--trust", trustPath, "--json"];
  output.stdout(`\n2. Verify stella ${verifyArgs.map(quote).join(" ")}\n`);
  let json = "";
  const status = await run(verifyArgs, { ...io, stdout: (text) => void (json += text) });
  if (status === 2 || json === "") {
    output.stdout(`\nVerdict: NOT VERIFIED (stella forensic verify could not run)\n`);
    return 2;
  }
  const report = parseJson(json) as unknown as VerificationReport;
  for (const check of report.checks) {
    output.stdout(
      `   ${check.ok ? "ok  " : "FAIL"} ${check.id}${
        check.ok ? "" : `: ${check.code}: ${check.message}`
      }\n`,
    );
  }
  output.stdout(`   signed by key ${report.keyids.join(", ") || "(none)"}\n`);
  output.stdout(`\nVerdict: ${report.verified ? "VERIFIED" : `NOT VERIFIED (${report.code})`}\n`);
  return report.verified && status === 0 ? 0 : 1;
}

function summarize(
  statement: Statement<PromotionPredicate>,
  path: string,
  bytes: Uint8Array,
  fixture: Uint8Array | undefined,
): string {
  const { image, materials, promotion, rekor } = statement.predicate;
  const lines = [
    `   image      ${image.name}${image.tag === undefined ? "" : `:${image.tag}`}`,
    `   digest     sha256:${image.digest.sha256}`,
    `   promotion  ${promotion.from} -> ${promotion.to} at ${promotion.promotedAt}` +
    (promotion.promotedBy === undefined ? "" : ` by ${promotion.promotedBy}`),
    `   approvals  ${promotion.approvals.map((a) => a.approver).join(", ")}`,
    ...(promotion.policyDecision === undefined
      ? []
      : [`   policy     ${promotion.policyDecision.decision}`]),
    ...materials.map((m, i) =>
      `   ${i === 0 ? "materials " : "          "} ${m.annotations.role.padEnd(4)} ${m.name} ` +
      `sha256:${m.digest.sha256.slice(0, 16)}…`
    ),
    ...(rekor === undefined ? [] : [
      `   rekor      log index ${rekor.logIndex}, inclusion proof for tree size ` +
      `${rekor.inclusionProof.treeSize}`,
    ]),
    `   envelope   ${path} (sha256:${encodeHex(sha256(bytes))})`,
  ];
  if (fixture !== undefined) {
    const same = fixture.length === bytes.length && fixture.every((b, i) => b === bytes[i]);
    lines.push(`   identical to ${FIXTURE}: ${same ? "yes (deterministic signature)" : "NO"}`);
  }
  return lines.join("\n") + "\n";
}

function optional(flag: string, value: string | undefined): string[] {
  return value === undefined ? [] : [flag, value];
}

/** The command line, one flag per line (shell continuation), arguments quoted when needed. */
function commandLine(args: readonly string[]): string {
  return args.map((arg, i) => (i > 1 && arg.startsWith("--") ? " \\\n      " : " ") + quote(arg))
    .join("").trimStart();
}

function quote(arg: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

if (import.meta.main) {
  Deno.exit(await demo(Deno.args));
}
