// Node.js peers for bench/compare.ts: verifies the same DSSE corpus (JSON Lines, one envelope per
// line) with the same public key, and prints {"count","verified","seconds"} as JSON on stdout.
//
//   node bench/compare_node.mjs <mode> <corpus.jsonl|dir> <key.pub.pem> <keyid> [node_modules prefix]
//
// The input is a JSON Lines file (one envelope per line) or a directory of envelope files (read
// one by one with fs.readFileSync, in name order). A mode ending in "-whole" (e.g. "node-whole")
// skips the warm-up: the caller times the whole process (bench/whole_process.ts).
//
// Modes (every line is parsed from its bytes inside the timed loop, as ours does):
// - "node":     JSON.parse, base64-decode payload and signature, build the DSSE PAE, then
//               crypto.verify (OpenSSL) with a KeyObject made once: the plain OpenSSL reference.
// - "sigstore": sigstore-js's own key-based DSSE path: @sigstore/bundle bundleFromJSON of a
//               v0.3 bundle holding the envelope and a public-key hint, @sigstore/verify
//               toSignedEntity, then Verifier.verify with trust material whose key finder
//               returns our public key (@sigstore/verify toTrustMaterial over an empty trusted
//               root; tlog, CT log and timestamp thresholds 0, since the corpus is offline
//               key-signed DSSE). That runs sigstore-js's checks: bundle schema, key lookup
//               (a KeyObject per call, as sigstore-js does), PAE and crypto.verify.
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";

const [modeArg, corpus, pemPath, keyid, prefix] = process.argv.slice(2);
const whole = modeArg.endsWith("-whole");
const mode = whole ? modeArg.slice(0, -"-whole".length) : modeArg;
const isDir = fs.statSync(corpus).isDirectory();
const names = isDir ? fs.readdirSync(corpus).filter((n) => !n.startsWith(".")).sort() : [];
// A directory is read inside the timed loop, file by file, as a CLI over a directory must.
const lines = isDir
  ? names.map((n) => `${corpus}/${n}`)
  : fs.readFileSync(corpus, "utf8").split("\n").filter((l) => l.length > 0);
const text = isDir ? (path) => fs.readFileSync(path, "utf8") : (line) => line;
const pem = fs.readFileSync(pemPath, "utf8");
const key = crypto.createPublicKey(pem);
const hashOf = key.asymmetricKeyType === "ed25519" ? null : "sha256";

function pae(type, body) {
  const t = Buffer.from(type, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${t.length} `),
    t,
    Buffer.from(` ${body.length} `),
    body,
  ]);
}

let run;
if (mode === "node") {
  run = (line) => {
    const env = JSON.parse(text(line));
    const body = Buffer.from(env.payload, "base64");
    const sig = Buffer.from(env.signatures[0].sig, "base64");
    return crypto.verify(hashOf, pae(env.payloadType, body), key, sig);
  };
} else if (mode === "sigstore") {
  const require = createRequire(`${prefix}/node_modules/`);
  const { bundleFromJSON } = require("@sigstore/bundle");
  const { Verifier, toSignedEntity, toTrustMaterial } = require("@sigstore/verify");
  const der = key.export({ format: "der", type: "spki" });
  const root = {
    mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    tlogs: [],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
  const trust = toTrustMaterial(root, {
    [keyid]: {
      rawBytes: der,
      keyDetails: key.asymmetricKeyType === "ed25519" ? "PKIX_ED25519" : "PKIX_ECDSA_P256_SHA_256",
    },
  });
  const verifier = new Verifier(trust, {
    tlogThreshold: 0,
    ctlogThreshold: 0,
    timestampThreshold: 0,
  });
  run = (line) => {
    const bundle = bundleFromJSON({
      mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
      verificationMaterial: {
        publicKey: { hint: keyid },
        tlogEntries: [],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      dsseEnvelope: JSON.parse(text(line)),
    });
    try {
      verifier.verify(toSignedEntity(bundle));
      return true;
    } catch {
      return false;
    }
  };
} else {
  throw new Error(`Unknown mode ${mode}: use node or sigstore`);
}

// Warm up on the first 500 envelopes (unless the caller times the whole process), then time the
// whole corpus.
if (!whole) { for (const line of lines.slice(0, 500)) run(line); }
const start = process.hrtime.bigint();
let verified = 0;
for (const line of lines) if (run(line)) verified++;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({ count: lines.length, verified, seconds }) + "\n");
