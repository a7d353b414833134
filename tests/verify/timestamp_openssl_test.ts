/**
 * RFC 3161 interop with OpenSSL: an offline test PKI is made at test time with the `openssl` CLI
 * (an RSA root, a P-384 intermediate, a P-256 TSA with critical extendedKeyUsage timeStamping, a
 * TSA without that EKU, an expired TSA, and an RSA TSA under another, untrusted root), tokens are
 * made with `openssl ts -query` / `openssl ts -reply` (and, where `openssl ts` refuses to sign,
 * `openssl cms -sign` over the TSTInfo OpenSSL wrote), and `verifyTimestamp` must reach the
 * verdicts below. OpenSSL's own `ts -verify` is run on the main cases as a cross-check.
 *
 * Without `openssl` on PATH every test is reported as ignored, with the reason in its name.
 */
import assert from "node:assert/strict";
import type { Check } from "../../mod.ts";
import type {
  TimestampVerification,
  VerifyTimestampOptions,
} from "../../lib/verify/sigstore_mod.ts";
import { parseCertificatesPem } from "../../lib/keys/mod.ts";
import { parseTimestampResponse, verifyTimestamp } from "../../lib/verify/sigstore_mod.ts";

async function opensslVersion(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("openssl", {
      args: ["version"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

const VERSION = await opensslVersion();
const SKIP = VERSION === undefined;
const suffix = SKIP ? " (ignored: openssl not found on PATH)" : "";
// deno-lint-ignore no-console
console.log(
  SKIP
    ? "timestamp_openssl_test: openssl was not found on PATH; RFC 3161 interop tests not run"
    : `timestamp_openssl_test: using ${VERSION}`,
);

const CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_tsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_noeku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[tsa]
default_tsa = tsa_v2
[tsa_v2]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.9
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[tsa_v1]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha384
default_policy = 1.2.3.4.2
other_policies = 1.2.3.4.9
digests = sha256, sha384, sha512
ess_cert_id_alg = sha1
[tsa_sha512]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha512
default_policy = 1.2.3.4.3
other_policies = 1.2.3.4.9
digests = sha256, sha384, sha512
ess_cert_id_alg = sha256
[ca]
default_ca = ca_inter
[ca_inter]
database = ./index.txt
new_certs_dir = .
serial = ./caserial
default_md = sha256
policy = policy_any
unique_subject = no
[policy_any]
commonName = supplied
organizationName = optional
`;

interface Run {
  ok: boolean;
  stdout: Uint8Array;
  text: string;
}

class Pki {
  constructor(readonly dir: string) {}

  path(name: string): string {
    return `${this.dir}/${name}`;
  }

  async run(args: string[]): Promise<Run> {
    const out = await new Deno.Command("openssl", {
      args,
      cwd: this.dir,
      env: { OPENSSL_CONF: this.path("openssl.cnf") },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { ok: out.success, stdout: out.stdout, text };
  }

  async must(args: string[]): Promise<Run> {
    const result = await this.run(args);
    if (!result.ok) throw new Error(`openssl ${args.join(" ")} failed:\n${result.text}`);
    return result;
  }

  read(name: string): Uint8Array {
    return Deno.readFileSync(this.path(name));
  }

  certs(name: string): ReturnType<typeof parseCertificatesPem> {
    return parseCertificatesPem(Deno.readTextFileSync(this.path(name)), { name });
  }

  /** `openssl ts -query` over `data` with `hash`; returns the query file name. */
  async query(data: string, hash: string, extra: string[] = ["-no_nonce"]): Promise<string> {
    const out = `${data}.${hash}.${extra.join("")}.tsq`;
    await this.must(["ts", "-query", "-data", data, `-${hash}`, "-cert", ...extra, "-out", out]);
    return out;
  }

  /** `openssl ts -reply`; returns the response file name. */
  async reply(
    queryFile: string,
    signer: string,
    section = "tsa_v2",
    chain: string | undefined = "inter.pem",
  ): Promise<string> {
    const out = `${queryFile}.${signer}.${section}.tsr`;
    await this.must([
      "ts",
      "-reply",
      "-config",
      "openssl.cnf",
      "-section",
      section,
      "-queryfile",
      queryFile,
      "-inkey",
      `${signer}.key`,
      "-signer",
      `${signer}.pem`,
      ...(chain === undefined ? [] : ["-chain", chain]),
      "-out",
      out,
    ]);
    return out;
  }
}

async function makePki(): Promise<Pki> {
  const dir = await Deno.makeTempDir({ prefix: "stella-tsa-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  const pki = new Pki(dir);
  await Deno.writeTextFile(pki.path("openssl.cnf"), CONFIG);
  await Deno.writeTextFile(pki.path("tsaserial"), "01\n");
  await Deno.writeTextFile(pki.path("caserial"), "10\n");
  await Deno.writeTextFile(pki.path("index.txt"), "");
  await Deno.writeTextFile(pki.path("data.bin"), "DSSE signature bytes for the time-stamp test");
  await Deno.writeTextFile(pki.path("other.bin"), "some other signature bytes");
  const req = (key: string, keyArgs: string[], subject: string) =>
    pki.must([
      "req",
      "-new",
      ...keyArgs,
      "-nodes",
      "-keyout",
      `${key}.key`,
      "-subj",
      subject,
      "-config",
      "openssl.cnf",
      "-out",
      `${key}.csr`,
    ]);
  const issue = (key: string, ca: string, ext: string, serial: number, hash: string) =>
    pki.must([
      "x509",
      "-req",
      "-in",
      `${key}.csr`,
      "-CA",
      `${ca}.pem`,
      "-CAkey",
      `${ca}.key`,
      "-set_serial",
      String(serial),
      "-days",
      "365",
      "-extfile",
      "openssl.cnf",
      "-extensions",
      ext,
      `-${hash}`,
      "-out",
      `${key}.pem`,
    ]);
  const selfSigned = (key: string, keyArgs: string[], subject: string) =>
    pki.must([
      "req",
      "-x509",
      "-new",
      ...keyArgs,
      "-nodes",
      "-keyout",
      `${key}.key`,
      "-subj",
      subject,
      "-days",
      "3650",
      "-config",
      "openssl.cnf",
      "-extensions",
      "v3_root",
      "-out",
      `${key}.pem`,
    ]);
  const P256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
  const P384 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"];
  const RSA = ["-newkey", "rsa:2048"];
  await selfSigned("root", RSA, "/O=StellaOps Test/CN=Test Root CA");
  await req("inter", P384, "/O=StellaOps Test/CN=Test Intermediate CA");
  await issue("inter", "root", "v3_inter", 2, "sha256");
  await req("tsa", P256, "/O=StellaOps Test/CN=Test TSA");
  await issue("tsa", "inter", "v3_tsa", 3, "sha256"); // P-384 issuer with SHA-256
  await req("noeku", P256, "/O=StellaOps Test/CN=Test TSA without EKU");
  await issue("noeku", "inter", "v3_noeku", 4, "sha384");
  await selfSigned("other", P256, "/O=Elsewhere/CN=Other Root CA");
  await req("ottsa", RSA, "/O=Elsewhere/CN=Other TSA");
  await issue("ottsa", "other", "v3_tsa", 5, "sha256");
  await req("expired", P256, "/O=StellaOps Test/CN=Expired TSA");
  await pki.must([
    "ca",
    "-config",
    "openssl.cnf",
    "-name",
    "ca_inter",
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20210101000000Z",
    "-extfile",
    "openssl.cnf",
    "-extensions",
    "v3_tsa",
    "-in",
    "expired.csr",
    "-cert",
    "inter.pem",
    "-keyfile",
    "inter.key",
    "-batch",
    "-notext",
    "-out",
    "expired.pem",
  ]);
  return pki;
}

let pkiPromise: Promise<Pki> | undefined;
const getPki = (): Promise<Pki> => (pkiPromise ??= makePki());

function failed(result: TimestampVerification): [string, string | undefined][] {
  return result.checks.filter((c: Check) => !c.ok).map((c) => [c.id, c.code]);
}

async function verifyFile(
  pki: Pki,
  file: string,
  options: Partial<VerifyTimestampOptions> = {},
): Promise<TimestampVerification> {
  return await verifyTimestamp(pki.read(file), {
    data: pki.read("data.bin"),
    roots: pki.certs("root.pem"),
    name: file,
    ...options,
  });
}

function test(name: string, fn: () => Promise<void>): void {
  Deno.test({ name: name + suffix, ignore: SKIP, fn });
}

test("verifyTimestamp() accepts an `openssl ts -reply` response over the data", async () => {
  const pki = await getPki();
  const q = await pki.query("data.bin", "sha256");
  const before = Date.now();
  const tsr = await pki.reply(q, "tsa");
  const after = Date.now();
  const result = await verifyFile(pki, tsr, { at: after });
  assert.deepEqual(failed(result), []);
  assert.equal(result.verified, true);
  assert.deepEqual(result.checks.map((c) => c.id), [
    "timestamp.parse",
    "timestamp.imprint",
    "timestamp.signer",
    "timestamp.signature",
    "timestamp.chain",
    "timestamp.eku",
    "timestamp.time",
  ]);
  // genTime is OpenSSL's clock reading while it signed: within a second of the test's window.
  assert.ok(
    result.genTime! >= before - 1000 && result.genTime! <= after + 1000,
    `${result.genTime}`,
  );
  assert.equal(result.accuracyMs, 1501); // 1 s + 500 ms + 100 µs, rounded up
  const token = result.token!;
  assert.equal(token.status, "granted");
  assert.equal(token.tstInfo.policy, "1.2.3.4.1");
  assert.equal(token.tstInfo.ordering, true);
  assert.equal(token.tstInfo.nonce, undefined);
  assert.deepEqual(token.tstInfo.tsa, {
    type: "directoryName",
    value: "CN=Test TSA,O=StellaOps Test",
  });
  assert.equal(token.tstInfo.messageImprint.digestAlgorithm, "sha256");
  assert.equal(token.signer.signingCertificateV2?.length, 1);
  assert.equal(token.signer.signingCertificate, undefined);
  assert.ok("issuer" in token.signer.sid);
  assert.deepEqual(token.certificates.map((c) => c.subject.attributes[1]?.value), [
    "Test TSA",
    "Test Intermediate CA",
  ]);
  assert.deepEqual(result.chain?.map((c) => c.subject.text), [
    "CN=Test TSA,O=StellaOps Test",
    "CN=Test Intermediate CA,O=StellaOps Test",
    "CN=Test Root CA,O=StellaOps Test",
  ]);
  // Roots given as DER work the same; OpenSSL agrees.
  const der = await verifyFile(pki, tsr, { roots: pki.certs("root.pem").map((c) => c.der) });
  assert.equal(der.verified, true);
  const openssl = await pki.run([
    "ts",
    "-verify",
    "-data",
    "data.bin",
    "-in",
    tsr,
    "-CAfile",
    "root.pem",
    "-untrusted",
    "inter.pem",
  ]);
  assert.match(openssl.text, /Verification: OK/);
});

test("verifyTimestamp() reads genTime with milliseconds as OpenSSL prints it", async () => {
  const pki = await getPki();
  const q = await pki.query("data.bin", "sha256", []); // with a nonce
  const tsr = await pki.reply(q, "tsa");
  const token = parseTimestampResponse(pki.read(tsr));
  const text = (await pki.must(["ts", "-reply", "-in", tsr, "-text"])).text;
  // OpenSSL drops trailing zeros of the fraction (".1" for 100 ms) and the dot when it is zero.
  const stamp = /Time stamp: (\w+) +(\d+) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? (\d{4}) GMT/.exec(text);
  assert.ok(stamp, text);
  const months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const expected = Date.UTC(
    Number(stamp[7]),
    months.indexOf(stamp[1]!) / 3,
    Number(stamp[2]),
    Number(stamp[3]),
    Number(stamp[4]),
    Number(stamp[5]),
    Number((stamp[6] ?? "0").padEnd(3, "0").slice(0, 3)),
  );
  assert.equal(token.tstInfo.genTime, expected);
  const nonce = /Nonce: 0x([0-9A-F]+)/.exec(text);
  assert.ok(nonce, text);
  assert.equal(token.tstInfo.nonce, BigInt("0x" + nonce[1]));
  const serial = /Serial number: 0x([0-9A-F]+)/.exec(text);
  assert.equal(token.tstInfo.serialNumber, BigInt("0x" + serial![1]));
});

test("verifyTimestamp() accepts a bare TimeStampToken (`ts -reply -token_out`)", async () => {
  const pki = await getPki();
  const tsr = await pki.reply(await pki.query("data.bin", "sha256"), "tsa");
  await pki.must(["ts", "-reply", "-in", tsr, "-token_out", "-out", "bare.tst"]);
  const full = await verifyFile(pki, tsr);
  const bare = await verifyFile(pki, "bare.tst");
  assert.deepEqual(failed(bare), []);
  assert.equal(bare.genTime, full.genTime);
  assert.equal(bare.token?.status, undefined);
});

test("verifyTimestamp() accepts SHA-384 and SHA-512 imprints and ESSCertID (SHA-1) tokens", async () => {
  const pki = await getPki();
  for (const hash of ["sha384", "sha512"]) {
    for (const section of ["tsa_v2", "tsa_v1"]) {
      const tsr = await pki.reply(await pki.query("data.bin", hash), "tsa", section);
      const result = await verifyFile(pki, tsr);
      assert.deepEqual(failed(result), [], `${hash} ${section}`);
      assert.equal(result.token?.tstInfo.messageImprint.digestAlgorithm, hash);
      if (section === "tsa_v1") {
        // P-256 key signing with SHA-384, ESSCertID with a SHA-1 certificate hash.
        assert.equal(result.token?.signer.signingCertificate?.length, 1);
        assert.equal(result.token?.signer.digestAlgorithm.oid, "2.16.840.1.101.3.4.2.2");
        assert.equal(result.accuracyMs, undefined);
      }
    }
  }
});

test("verifyTimestamp() rejects a token over other data (TIMESTAMP_IMPRINT_MISMATCH)", async () => {
  const pki = await getPki();
  const tsr = await pki.reply(await pki.query("other.bin", "sha256"), "tsa");
  const result = await verifyFile(pki, tsr);
  assert.deepEqual(failed(result), [["timestamp.imprint", "TIMESTAMP_IMPRINT_MISMATCH"]]);
  assert.equal(result.verified, false);
  const openssl = await pki.run([
    "ts",
    "-verify",
    "-data",
    "data.bin",
    "-in",
    tsr,
    "-CAfile",
    "root.pem",
    "-untrusted",
    "inter.pem",
  ]);
  assert.equal(openssl.ok, false);
  // The same token verifies over the bytes it was made for.
  const own = await verifyFile(pki, tsr, { data: pki.read("other.bin") });
  assert.equal(own.verified, true);
});

test("verifyTimestamp() rejects a TSA that is not under the supplied root (TSA_UNTRUSTED)", async () => {
  const pki = await getPki();
  const tsr = await pki.reply(
    await pki.query("data.bin", "sha256"),
    "ottsa",
    "tsa_sha512",
    undefined,
  );
  const result = await verifyFile(pki, tsr);
  assert.deepEqual(failed(result), [["timestamp.chain", "TSA_UNTRUSTED"]]);
  // Its own root makes it verify: RSA PKCS#1 v1.5 with SHA-512 under an ECDSA root.
  const own = await verifyFile(pki, tsr, { roots: pki.certs("other.pem") });
  assert.deepEqual(failed(own), []);
  assert.equal(own.token?.signer.signatureAlgorithm.oid, "1.2.840.113549.1.1.1");
  // No roots at all.
  const none = await verifyFile(pki, tsr, { roots: [] });
  assert.deepEqual(failed(none), [["timestamp.chain", "TSA_UNTRUSTED"]]);
});

test("verifyTimestamp() rejects a TSA certificate without the timeStamping EKU (TSA_EKU_MISSING)", async () => {
  const pki = await getPki();
  const q = await pki.query("data.bin", "sha256");
  // OpenSSL itself refuses to time-stamp with such a certificate.
  const refused = await pki.run([
    "ts",
    "-reply",
    "-config",
    "openssl.cnf",
    "-queryfile",
    q,
    "-inkey",
    "noeku.key",
    "-signer",
    "noeku.pem",
    "-out",
    "noeku.tsr",
  ]);
  assert.equal(refused.ok, false);
  assert.match(refused.text, /invalid signer certificate purpose/);
  // So sign OpenSSL's own TSTInfo as id-ct-TSTInfo SignedData with `openssl cms -sign`.
  const tsr = await pki.reply(q, "tsa");
  await pki.must(["ts", "-reply", "-in", tsr, "-token_out", "-out", "good.tst"]);
  await extractTstInfo(pki, "good.tst", "tstinfo.der");
  await cmsSign(pki, "noeku", "noeku.tst");
  const result = await verifyFile(pki, "noeku.tst");
  assert.deepEqual(failed(result), [["timestamp.eku", "TSA_EKU_MISSING"]]);
  assert.match(result.checks.find((c) => !c.ok)?.message ?? "", /no extended key usage/);
});

/** Writes the encapsulated TSTInfo of a bare token, as `openssl asn1parse -strparse` reads it. */
async function extractTstInfo(pki: Pki, token: string, out: string): Promise<void> {
  const listing = (await pki.must(["asn1parse", "-inform", "DER", "-in", token])).text;
  const lines = listing.split("\n");
  const at = lines.findIndex((line) => line.includes(":id-smime-ct-TSTInfo"));
  const octets = lines.slice(at).find((line) => line.includes("OCTET STRING"));
  const offset = octets?.split(":")[0]?.trim();
  assert.ok(offset !== undefined && /^\d+$/.test(offset), listing);
  await pki.must([
    "asn1parse",
    "-inform",
    "DER",
    "-in",
    token,
    "-strparse",
    offset,
    "-noout",
    "-out",
    out,
  ]);
}

async function cmsSign(pki: Pki, signer: string, out: string, extra: string[] = []): Promise<void> {
  await pki.must([
    "cms",
    "-sign",
    "-binary",
    "-nodetach",
    "-in",
    "tstinfo.der",
    "-econtent_type",
    "id-smime-ct-TSTInfo",
    "-signer",
    `${signer}.pem`,
    "-inkey",
    `${signer}.key`,
    "-md",
    "sha256",
    "-nosmimecap",
    "-certfile",
    "inter.pem",
    ...extra,
    "-outform",
    "DER",
    "-out",
    out,
  ]);
}

test("verifyTimestamp() finds a signer named by subjectKeyIdentifier (`cms -sign -keyid`)", async () => {
  const pki = await getPki();
  const tsr = await pki.reply(await pki.query("data.bin", "sha256"), "tsa");
  await pki.must(["ts", "-reply", "-in", tsr, "-token_out", "-out", "good2.tst"]);
  await extractTstInfo(pki, "good2.tst", "tstinfo.der");
  await cmsSign(pki, "tsa", "keyid.tst", ["-keyid"]);
  const result = await verifyFile(pki, "keyid.tst");
  assert.deepEqual(failed(result), []);
  assert.ok("subjectKeyIdentifier" in result.token!.signer.sid);
  assert.equal(result.token?.signer.signingCertificateV2, undefined);
});

test("verifyTimestamp() rejects a TSA certificate expired at genTime (TSA_CERT_NOT_VALID_AT_TIME)", async () => {
  const pki = await getPki();
  const tsr = await pki.reply(await pki.query("data.bin", "sha256"), "expired");
  const result = await verifyFile(pki, tsr);
  assert.deepEqual(failed(result), [["timestamp.chain", "TSA_CERT_NOT_VALID_AT_TIME"]]);
  assert.match(
    result.checks.find((c) => !c.ok)?.message ?? "",
    /Expired TSA.*2021-01-01T00:00:00Z/,
  );
});

test("verifyTimestamp() flags a genTime after `at` + skew (SIGNED_IN_FUTURE)", async () => {
  const pki = await getPki();
  const tsr = await pki.reply(await pki.query("data.bin", "sha256"), "tsa");
  const genTime = parseTimestampResponse(pki.read(tsr)).tstInfo.genTime;
  const early = await verifyFile(pki, tsr, { at: genTime - 60_000 });
  assert.deepEqual(failed(early), [["timestamp.time", "SIGNED_IN_FUTURE"]]);
  const withSkew = await verifyFile(pki, tsr, { at: genTime - 60_000, skew: 60_000 });
  assert.deepEqual(failed(withSkew), []);
  // Accuracy (1.501 s) counts in the token's favour.
  const withinAccuracy = await verifyFile(pki, tsr, { at: genTime - 1501 });
  assert.deepEqual(failed(withinAccuracy), []);
});

test("verifyTimestamp() rejects tampered tokens (TIMESTAMP_SIGNATURE_INVALID / TIMESTAMP_MALFORMED)", async () => {
  const pki = await getPki();
  const tsr = await pki.reply(await pki.query("data.bin", "sha256"), "tsa");
  const bytes = pki.read(tsr);
  const data = pki.read("data.bin");
  const roots = pki.certs("root.pem");
  const verifyBytes = (b: Uint8Array) => verifyTimestamp(b, { data, roots });
  const token = parseTimestampResponse(bytes);

  // 1. Last byte: inside the ECDSA signature value.
  const sig = bytes.slice();
  sig[sig.length - 1]! ^= 0x01;
  assert.deepEqual(failed(await verifyBytes(sig)), [[
    "timestamp.signature",
    "TIMESTAMP_SIGNATURE_INVALID",
  ]]);

  // 2. A digit of genTime inside the signed TSTInfo: the message digest no longer matches.
  const tst = bytes.slice();
  const digits = new Date(token.tstInfo.genTime).toISOString().replace(/[-T:]/g, "").slice(0, 14);
  const at = indexOf(tst, new TextEncoder().encode(digits)) + 13; // the last digit of the seconds
  assert.ok(at > 13);
  tst[at] = tst[at] === 0x39 ? 0x38 : tst[at]! + 1;
  const tampered = await verifyBytes(tst);
  assert.deepEqual(failed(tampered), [["timestamp.signature", "TIMESTAMP_SIGNATURE_INVALID"]]);
  assert.match(tampered.checks.find((c) => !c.ok)?.message ?? "", /message-digest/);

  // 3. The first length octet: the DER no longer parses.
  const header = bytes.slice();
  header[1]! ^= 0x01;
  assert.deepEqual(failed(await verifyBytes(header)), [["timestamp.parse", "TIMESTAMP_MALFORMED"]]);

  // 4. Every single-byte flip: never verifies, except in the unsigned SignedData header
  //    (version and digestAlgorithms, which RFC 5652 does not protect) and the response status.
  const unsignedEnd = indexOf(bytes, TST_INFO_OID);
  assert.ok(unsignedEnd > 0);
  let verified = 0;
  const codes = new Map<string, number>();
  for (let i = 0; i < bytes.length; i++) {
    const flipped = bytes.slice();
    flipped[i]! ^= 0x01;
    const result = await verifyBytes(flipped);
    if (result.verified) {
      verified++;
      assert.ok(i < unsignedEnd, `a flip at offset ${i} still verified`);
      continue;
    }
    const code = result.checks.find((c) => !c.ok)!.code!;
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  // deno-lint-ignore no-console
  console.log(
    `timestamp_openssl_test: ${bytes.length} single-byte flips: ${verified} harmless (unsigned ` +
      `header), ${JSON.stringify(Object.fromEntries([...codes].sort()))}`,
  );
  assert.ok(verified < 40);
});

test("verifyTimestamp() rejects truncated tokens (TIMESTAMP_MALFORMED)", async () => {
  const pki = await getPki();
  const tsr = await pki.reply(await pki.query("data.bin", "sha256"), "tsa");
  const bytes = pki.read(tsr);
  for (const length of [0, 1, 2, 10, bytes.length >> 1, bytes.length - 1]) {
    const result = await verifyTimestamp(bytes.subarray(0, length), {
      data: pki.read("data.bin"),
      roots: pki.certs("root.pem"),
    });
    assert.deepEqual(failed(result), [["timestamp.parse", "TIMESTAMP_MALFORMED"]], `${length}`);
    assert.equal(result.genTime, undefined);
  }
});

test("verifyTimestamp() rejects a response whose status is rejection (TIMESTAMP_MALFORMED)", async () => {
  const pki = await getPki();
  // SHA-1 is not among the TSA's accepted digests: OpenSSL answers status rejection, badAlg.
  const tsr = await pki.reply(await pki.query("data.bin", "sha1"), "tsa");
  const result = await verifyFile(pki, tsr);
  assert.deepEqual(failed(result), [["timestamp.parse", "TIMESTAMP_MALFORMED"]]);
  assert.match(result.checks[0]?.message ?? "", /status rejection.*not supported/);
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** DER of the OID id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4), which opens encapContentInfo. */
const TST_INFO_OID = new Uint8Array([
  0x06,
  0x0b,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x09,
  0x10,
  0x01,
  0x04,
]);
