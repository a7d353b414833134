/**
 * Optional native accelerator for batch ECDSA verification (internal, used by
 * `_batch_crypto.ts` only): OpenSSL's `EVP_DigestVerify` (ECDSA over P-256 / P-384 per FIPS
 * 186-5 §6.4.2, with SHA-256 / SHA-384) called through Deno FFI from the system's `libcrypto`
 * (OpenSSL 3), with the verification itself as a non-blocking FFI call so that many run in
 * parallel on Deno's thread pool.
 *
 * Used only when all of these hold, else the caller keeps its pure path (WebCrypto) with the same
 * verdicts: the runtime has `Deno.dlopen`, the `ffi` permission is already granted (queried, never
 * prompted), and `libcrypto.so.3` (or `libcrypto.3.dylib`) loads. This is the one place in `lib/`
 * that touches `Deno.*`, and only to find an optional library: no file, clock or environment access.
 *
 * Identical verdicts: the caller range-checks and normalises every signature (strict DER or
 * P1363 → `0 < r, s < n` → canonical DER) before OpenSSL sees it, exactly as the local verifier
 * does before `node:crypto`; `tests/verify/batch_crypto_test.ts` runs the Wycheproof ECDSA suites
 * through this path.
 *
 * @module
 */

const SYMBOLS = {
  d2i_PUBKEY: { parameters: ["pointer", "buffer", "i64"], result: "pointer" },
  EVP_PKEY_free: { parameters: ["pointer"], result: "void" },
  EVP_MD_CTX_new: { parameters: [], result: "pointer" },
  EVP_MD_CTX_free: { parameters: ["pointer"], result: "void" },
  EVP_sha256: { parameters: [], result: "pointer" },
  EVP_sha384: { parameters: [], result: "pointer" },
  EVP_DigestVerifyInit: {
    parameters: ["pointer", "pointer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  EVP_DigestVerify: {
    parameters: ["pointer", "buffer", "usize", "buffer", "usize"],
    result: "i32",
    nonblocking: true,
  },
} as const;

type Library = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

const LIBRARY_NAMES = ["libcrypto.so.3", "libcrypto.3.dylib"];
let library: Library | null | undefined;
/** Frees a key's OpenSSL object once its verifier is garbage. */
const KEYS = new FinalizationRegistry<Deno.PointerObject>((pkey) => library?.EVP_PKEY_free(pkey));

function load(): Library | null {
  if (library !== undefined) return library;
  library = null;
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  if (deno?.dlopen === undefined) return library;
  try {
    if (deno.permissions.querySync({ name: "ffi" }).state !== "granted") return library;
  } catch {
    return library;
  }
  for (const name of LIBRARY_NAMES) {
    try {
      library = deno.dlopen(name, SYMBOLS).symbols;
      break;
    } catch {
      // Not here; try the next name.
    }
  }
  return library;
}

/** Whether the native accelerator can run here (library present, `ffi` permission granted). */
export function nativeCryptoAvailable(): boolean {
  return load() !== null;
}

/**
 * Makes a native ECDSA verifier for an SPKI public key: `verify(data, derSignature)` resolves to
 * OpenSSL's verdict on a DER signature the caller has already checked and normalised. Returns
 * undefined when the accelerator is not available or OpenSSL refuses the key.
 */
export function createNativeEcdsaVerify(
  spki: Uint8Array,
  hash: "sha256" | "sha384",
): ((data: Uint8Array, der: Uint8Array) => Promise<boolean>) | undefined {
  const lib = load();
  if (lib === null) return undefined;
  const der = spki.slice();
  const cursor = new BigUint64Array([
    BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(der))),
  ]);
  const pkey = lib.d2i_PUBKEY(null, cursor, BigInt(der.length));
  if (pkey === null) return undefined;
  const md = hash === "sha256" ? lib.EVP_sha256() : lib.EVP_sha384();
  // The key lives as long as the verifier; OpenSSL keys are safe to share between threads.
  const keep = { pkey, der };
  const verify = async (data: Uint8Array, signature: Uint8Array): Promise<boolean> => {
    const ctx = lib.EVP_MD_CTX_new();
    if (ctx === null) throw new Error("Cannot allocate an OpenSSL digest context");
    try {
      if (lib.EVP_DigestVerifyInit(ctx, null, md, null, keep.pkey) !== 1) return false;
      const sig = signature.slice();
      const tbs = data.slice();
      return await lib.EVP_DigestVerify(ctx, sig, BigInt(sig.length), tbs, BigInt(tbs.length)) ===
        1;
    } finally {
      lib.EVP_MD_CTX_free(ctx);
    }
  };
  KEYS.register(verify, pkey);
  return verify;
}
