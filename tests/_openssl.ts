/**
 * The `openssl` binary in tests: whether it is installed (tests that need it are ignored, with the
 * reason in their name, where it is not: `OPENSSL`, `OPENSSL_IGNORED`), running it in a
 * directory, and a throw-away offline RFC 3161 TSA (a P-256 root and the time-stamping certificate
 * it issues: `root.pem`, `tsa.pem`, `tsa.key`).
 */

/** Whether the `openssl` binary runs. */
export const OPENSSL: boolean = await new Deno.Command("openssl", {
  args: ["version"],
  stdout: "null",
}).output().then((o) => o.success, () => false);

/** Suffix for test names: empty, or why the test is ignored. */
export const OPENSSL_IGNORED: string = OPENSSL ? "" : " (ignored: openssl not found on PATH)";

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
[v3_tsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = ./serial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_chain = no
`;

/** Runs `openssl ARGS` in `dir`; returns its standard output; throws with its stderr on failure. */
export async function openssl(dir: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

/** A test-only TSA in `dir`: root.pem (trust anchor), tsa.pem / tsa.key (the stamping key). */
export async function makeTsa(dir: string): Promise<void> {
  await Deno.writeTextFile(`${dir}/openssl.cnf`, CONFIG);
  await Deno.writeTextFile(`${dir}/serial`, "01\n");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await openssl(dir, [
    "req",
    "-x509",
    "-new",
    ...ec,
    "-keyout",
    "root.key",
    "-subj",
    "/CN=Test Root",
    "-days",
    "30",
    "-config",
    "openssl.cnf",
    "-extensions",
    "v3_root",
    "-out",
    "root.pem",
  ]);
  await openssl(dir, [
    "req",
    "-new",
    ...ec,
    "-keyout",
    "tsa.key",
    "-subj",
    "/CN=Test TSA",
    "-config",
    "openssl.cnf",
    "-out",
    "tsa.csr",
  ]);
  await openssl(dir, [
    "x509",
    "-req",
    "-in",
    "tsa.csr",
    "-CA",
    "root.pem",
    "-CAkey",
    "root.key",
    "-set_serial",
    "2",
    "-days",
    "30",
    "-extfile",
    "openssl.cnf",
    "-extensions",
    "v3_tsa",
    "-out",
    "tsa.pem",
  ]);
}

/**
 * Has the TSA of {@link makeTsa} in `dir` answer the time-stamp query file `query` with a token
 * written to `out` (both relative to `dir`, as `openssl ts -reply` takes them).
 */
export async function replyToQuery(dir: string, query: string, out: string): Promise<void> {
  await openssl(dir, [
    ...["ts", "-reply", "-config", "openssl.cnf", "-queryfile", query],
    ...["-inkey", "tsa.key", "-signer", "tsa.pem", "-out", out],
  ]);
}
