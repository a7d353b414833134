// Node.js (OpenSSL) reference for bench/sign_bench.ts: the same sign and verify operations, keys
// and message size, through node:crypto. Run with Node.js 20+:
//
//   node bench/sign_node_reference.mjs            # JSON on stdout
//
// Each operation is warmed up for 200 ms, then timed one call at a time for about 1 s; the output
// gives the mean and the 75th percentile per call (as `deno bench --json` does). Note: OpenSSL
// signs ECDSA with random nonces, while our signer is deterministic (RFC 6979).
import crypto from "node:crypto";

const MESSAGE_BYTES = 1024;
const message = Buffer.alloc(MESSAGE_BYTES);
for (let i = 0; i < MESSAGE_BYTES; i++) message[i] = (i * 31 + 7) & 0xff;

function measure(fn) {
  const warmupEnd = performance.now() + 200;
  while (performance.now() < warmupEnd) fn();
  const times = [];
  const end = performance.now() + 1000;
  while (performance.now() < end) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start));
  }
  times.sort((a, b) => a - b);
  const avg = times.reduce((a, b) => a + b, 0) / times.length;
  return { n: times.length, avg, p75: times[Math.floor(times.length * 0.75)], min: times[0] };
}

const PSS = { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
const cases = [];
{
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
  const sig = crypto.sign(null, message, privateKey);
  cases.push([
    "ed25519",
    () => crypto.sign(null, message, privateKey),
    () => crypto.verify(null, message, publicKey, sig),
  ]);
}
for (
  const [name, curve, hash] of [["ecdsa-p256", "P-256", "sha256"], [
    "ecdsa-p384",
    "P-384",
    "sha384",
  ]]
) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: curve });
  const sig = crypto.sign(hash, message, privateKey);
  cases.push([
    name,
    () => crypto.sign(hash, message, privateKey),
    () => crypto.verify(hash, message, publicKey, sig),
  ]);
}
{
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pss = crypto.sign("sha256", message, { key: privateKey, ...PSS });
  cases.push([
    "rsa-pss",
    () => crypto.sign("sha256", message, { key: privateKey, ...PSS }),
    () => crypto.verify("sha256", message, { key: publicKey, ...PSS }, pss),
  ]);
  const pkcs1 = crypto.sign("sha256", message, privateKey);
  cases.push([
    "rsa-pkcs1",
    () => crypto.sign("sha256", message, privateKey),
    () => crypto.verify("sha256", message, publicKey, pkcs1),
  ]);
}
{
  const secret = crypto.randomBytes(32);
  const tag = crypto.createHmac("sha256", secret).update(message).digest();
  cases.push([
    "hmac",
    () => crypto.createHmac("sha256", secret).update(message).digest(),
    () => crypto.timingSafeEqual(crypto.createHmac("sha256", secret).update(message).digest(), tag),
  ]);
}

const results = [];
for (const [name, sign, verify] of cases) {
  results.push({ group: `${name} sign`, ...measure(sign) });
  results.push({ group: `${name} verify`, ...measure(verify) });
}
process.stdout.write(
  JSON.stringify(
    {
      runtime: `node ${process.version} (OpenSSL ${process.versions.openssl})`,
      messageBytes: MESSAGE_BYTES,
      results,
    },
    null,
    2,
  ) + "\n",
);
