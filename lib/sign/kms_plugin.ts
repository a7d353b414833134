/**
 * The sigstore KMS CLI plugin protocol, version `"1"` (sigstore/sigstore
 * `pkg/signature/kms/cliplugin`): key references, request encoding and response decoding. Pure
 * codec; the process transport lives in `kms_plugin_process.ts`.
 *
 * Protocol, as defined by `cliplugin/README.md`, `common/interface.go`, `common/options.go` and
 * `signer.go` (our own implementation of that public definition):
 * - A key reference `<name>://<key resource id>` selects the executable `sigstore-kms-<name>`
 *   (found on `PATH`) and passes `<key resource id>` to it.
 * - The program is run once per method with two arguments: the protocol version (`"1"`) and the
 *   JSON `PluginArgs`: `{"initOptions": {"protocolVersion", "keyResourceID", "hashFunc",
 *   "ctxDeadline"?, "rpcOptions"?}, "methodName": <method>, <method>: <method args>}`.
 * - stdin carries the message for `signMessage` / `verifySignature` (empty when a digest is sent
 *   in `messageOptions.digest`); stdout carries the JSON `PluginResp`:
 *   `{"errorMessage"?, <method>: <method result>}`. The exit status is ignored; errors travel
 *   in `errorMessage`. The plugin's stderr is the caller's.
 * - Methods: `defaultAlgorithm`, `supportedAlgorithms`, `publicKey`, `createKey`, `signMessage`,
 *   `verifySignature`. Byte fields (`publicKeyPEM`, `signature`, `digest`) are standard padded
 *   base64 (Go `[]byte`); `hashFunc` is Go's `crypto.Hash` number (SHA-256 = 5, SHA-384 = 6,
 *   SHA-512 = 7, none = 0); times are RFC 3339.
 *
 * Decoding follows Go's `encoding/json` where plugins rely on it: member names match exactly or,
 * failing that, case-insensitively (older plugins write `PublicKeyPEM`), and unknown members are
 * ignored. It is stricter where Go would crash or guess: the response must be one JSON object
 * with the method's result object, and base64 must be canonical.
 *
 * Errors never include the request, stdin or environment; a plugin's own `errorMessage` is
 * quoted with control characters removed and its length capped.
 *
 * @module
 */

import { ParseError } from "../encoding/errors.ts";
import type { DigestAlgorithm } from "../digest/digest.ts";
import type { KmsPluginErrorCode } from "../encoding/error_codes.ts";
export { KMS_PLUGIN_ERROR_CODES } from "../encoding/error_codes.ts";
export type { KmsPluginErrorCode } from "../encoding/error_codes.ts";

/** Protocol version sent as the first argument (`common.ProtocolVersion`). */
export const KMS_PLUGIN_PROTOCOL_VERSION = "1";

/** Executable name prefix (`cliplugin.PluginBinaryPrefix`). */
export const KMS_PLUGIN_PREFIX = "sigstore-kms-";

/** Methods of protocol version 1 (`common.*MethodName`). */
export const KMS_PLUGIN_METHODS = [
  "defaultAlgorithm",
  "supportedAlgorithms",
  "publicKey",
  "createKey",
  "signMessage",
  "verifySignature",
] as const;

/** One of {@link KMS_PLUGIN_METHODS}. */
export type KmsPluginMethod = typeof KMS_PLUGIN_METHODS[number];

/** Go `crypto.Hash` numbers of the digests this toolkit uses. */
export const GO_CRYPTO_HASH: Readonly<Record<DigestAlgorithm, number>> = Object.freeze({
  sha256: 5,
  sha384: 6,
  sha512: 7,
});

/**
 * A plugin call that did not produce a result: the plugin reported an error
 * (`KMS_PLUGIN_ERROR`), could not be found (`KMS_PLUGIN_NOT_FOUND`), could not run or was killed
 * (`KMS_PLUGIN_FAILED`), or ran out of time (`KMS_PLUGIN_TIMEOUT`). A response that is not valid
 * protocol output is a `ParseError` with code `KMS_PLUGIN_RESPONSE_INVALID` instead.
 *
 * @example Usage
 * ```ts
 * import { encodeUtf8 } from "@stellaops/provenance/encoding";
 * import { decodeKmsPluginResponse, KmsPluginError } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const stdout = encodeUtf8('{"errorMessage":"key not found"}');
 * assert.throws(() => decodeKmsPluginResponse("signMessage", stdout, "sigstore-kms-hsm"), (error) => {
 *   assert.ok(error instanceof KmsPluginError);
 *   assert.deepEqual([error.code, error.plugin], ["KMS_PLUGIN_ERROR", "sigstore-kms-hsm"]);
 *   assert.equal(error.message, 'KMS plugin "sigstore-kms-hsm" returned an error: key not found');
 *   return true;
 * });
 * ```
 */
export class KmsPluginError extends Error {
  /** Stable code. */
  readonly code: KmsPluginErrorCode;
  /** Executable name (or path) of the plugin. */
  readonly plugin: string;

  /**
   * Creates the error.
   *
   * @param code Stable code.
   * @param plugin Executable name (or path) of the plugin.
   * @param message Message naming the plugin; never request data or secrets.
   * @param options Standard error options (`cause`).
   */
  constructor(code: KmsPluginErrorCode, plugin: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KmsPluginError";
    this.code = code;
    this.plugin = plugin;
  }
}

/**
 * A parsed key reference.
 *
 * @example Usage
 * ```ts
 * import { type KmsPluginKeyRef } from "@stellaops/provenance/kms";
 * import { parseKmsPluginKeyRef } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const ref: KmsPluginKeyRef = parseKmsPluginKeyRef("hsm://slot-1");
 * assert.deepEqual(ref, { pluginName: "hsm", executable: "sigstore-kms-hsm", keyResourceId: "slot-1" });
 * assert.throws(() => parseKmsPluginKeyRef("hsm://"), { code: "KMS_KEY_REF_INVALID" });
 * ```
 */
export interface KmsPluginKeyRef {
  /** Plugin name (`hsm` in `hsm://slot-1`). */
  pluginName: string;
  /** Executable name (`sigstore-kms-hsm`). */
  executable: string;
  /** Key resource id passed to the plugin (`slot-1`). */
  keyResourceId: string;
}

/**
 * RPC options (`common.RPCOptions`).
 *
 * @example Usage
 * ```ts
 * import { type KmsPluginRpcOptions } from "@stellaops/provenance/kms";
 * import { encodeKmsPluginRequest } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const rpcOptions: KmsPluginRpcOptions = { keyVersion: "3" };
 * const { args } = encodeKmsPluginRequest({ keyResourceId: "slot-1" }, { method: "publicKey", rpcOptions });
 * assert.deepEqual(JSON.parse(args[1]).publicKey, {
 *   publicKeyOptions: { rpcOptions: { keyVersion: "3", remoteVerification: false } },
 * });
 * ```
 */
export interface KmsPluginRpcOptions {
  /** Deadline (RFC 3339) the plugin should respect. */
  ctxDeadline?: string | undefined;
  /** KMS key version (default `""`, as sigstore sends it). */
  keyVersion?: string | undefined;
  /** Ask the KMS to verify remotely (default `false`). */
  remoteVerification?: boolean | undefined;
}

/**
 * Initialisation options sent with every call (`common.InitOptions`).
 *
 * @example Usage
 * ```ts
 * import { type KmsPluginInit } from "@stellaops/provenance/kms";
 * import { encodeKmsPluginRequest } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const init: KmsPluginInit = {
 *   keyResourceId: "slot-1",
 *   hashAlgorithm: null, // Ed25519: no pre-hash
 *   ctxDeadline: "2025-01-01T01:00:30+01:00",
 *   rpcOptions: { remoteVerification: true },
 * };
 * const { args } = encodeKmsPluginRequest(init, { method: "defaultAlgorithm" });
 * assert.deepEqual(JSON.parse(args[1]).initOptions, {
 *   ctxDeadline: "2025-01-01T00:00:30Z",
 *   hashFunc: 0,
 *   keyResourceID: "slot-1",
 *   protocolVersion: "1",
 *   rpcOptions: { keyVersion: "", remoteVerification: true },
 * });
 * ```
 */
export interface KmsPluginInit {
  /** Key resource id (the part after `://`). */
  keyResourceId: string;
  /** Hash the signer uses (`hashFunc`); `null` for none (Ed25519). Default `sha256`. */
  hashAlgorithm?: DigestAlgorithm | null | undefined;
  /** Deadline of the whole session (RFC 3339). */
  ctxDeadline?: string | undefined;
  /** RPC options of the session. */
  rpcOptions?: KmsPluginRpcOptions | undefined;
}

/**
 * One method call.
 *
 * @example Usage
 * ```ts
 * import { type KmsPluginCall } from "@stellaops/provenance/kms";
 * import { encodeKmsPluginRequest } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const call: KmsPluginCall = { method: "signMessage", digest: new Uint8Array(32), hashAlgorithm: "sha256" };
 * const { args, stdin } = encodeKmsPluginRequest({ keyResourceId: "slot-1" }, call);
 * assert.deepEqual(JSON.parse(args[1]).signMessage.signOptions.messageOptions, {
 *   digest: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
 *   hashFunc: 5,
 * });
 * assert.equal(stdin.length, 0);
 * const whole: KmsPluginCall = { method: "signMessage", message: new TextEncoder().encode("hi") };
 * assert.deepEqual(encodeKmsPluginRequest({ keyResourceId: "slot-1" }, whole).stdin, new Uint8Array([104, 105]));
 * ```
 */
export type KmsPluginCall =
  | { method: "defaultAlgorithm" }
  | { method: "supportedAlgorithms" }
  | { method: "publicKey"; rpcOptions?: KmsPluginRpcOptions | undefined }
  | { method: "createKey"; algorithm: string; ctxDeadline?: string | undefined }
  | {
    method: "signMessage";
    /** Message sent on stdin (omit when signing a digest). */
    message?: Uint8Array | undefined;
    /** Precomputed digest (`messageOptions.digest`). */
    digest?: Uint8Array | undefined;
    /** Hash of the digest or to apply to the message; `null` for none. */
    hashAlgorithm?: DigestAlgorithm | null | undefined;
    rpcOptions?: KmsPluginRpcOptions | undefined;
  }
  | {
    method: "verifySignature";
    signature: Uint8Array;
    message?: Uint8Array | undefined;
    digest?: Uint8Array | undefined;
    hashAlgorithm?: DigestAlgorithm | null | undefined;
    rpcOptions?: KmsPluginRpcOptions | undefined;
  };

/**
 * The process arguments and stdin of one call.
 *
 * @example Usage
 * ```ts
 * import { type KmsPluginInvocation } from "@stellaops/provenance/kms";
 * import { encodeKmsPluginRequest } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const invocation: KmsPluginInvocation = encodeKmsPluginRequest(
 *   { keyResourceId: "slot-1" },
 *   { method: "supportedAlgorithms" },
 * );
 * assert.deepEqual(invocation, {
 *   args: [
 *     "1",
 *     '{"initOptions":{"hashFunc":5,"keyResourceID":"slot-1","protocolVersion":"1",' +
 *     '"rpcOptions":{"keyVersion":"","remoteVerification":false}},' +
 *     '"methodName":"supportedAlgorithms","supportedAlgorithms":{}}',
 *   ],
 *   stdin: new Uint8Array(),
 * });
 * ```
 */
export interface KmsPluginInvocation {
  /** `[protocolVersion, pluginArgsJson]`. */
  args: [string, string];
  /** Bytes for the plugin's stdin (empty unless a message is sent). */
  stdin: Uint8Array<ArrayBuffer>;
}

/**
 * Decoded results by method.
 *
 * @example Usage
 * ```ts
 * import { type KmsPluginResults } from "@stellaops/provenance/kms";
 * import { decodeKmsPluginResponse } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const stdout = new TextEncoder().encode('{"defaultAlgorithm":{"defaultAlgorithm":"ecdsa-p256-sha256"}}');
 * const result: KmsPluginResults["defaultAlgorithm"] =
 *   decodeKmsPluginResponse("defaultAlgorithm", stdout, "sigstore-kms-hsm");
 * assert.deepEqual(result, { defaultAlgorithm: "ecdsa-p256-sha256" });
 * const mistyped = new TextEncoder().encode('{"defaultAlgorithm":{"defaultAlgorithm":1}}');
 * assert.throws(() => decodeKmsPluginResponse("defaultAlgorithm", mistyped, "sigstore-kms-hsm"), {
 *   code: "KMS_PLUGIN_RESPONSE_INVALID",
 *   message: 'Cannot read the response of KMS plugin "sigstore-kms-hsm" to defaultAlgorithm: ' +
 *     '"defaultAlgorithm.defaultAlgorithm" is not a string',
 * });
 * ```
 */
export interface KmsPluginResults {
  /** `defaultAlgorithm`. */
  defaultAlgorithm: { defaultAlgorithm: string };
  /** `supportedAlgorithms`. */
  supportedAlgorithms: { supportedAlgorithms: string[] };
  /** `publicKey`: the PEM text the plugin returned. */
  publicKey: { publicKeyPem: string };
  /** `createKey`: the new key's PEM text. */
  createKey: { publicKeyPem: string };
  /** `signMessage`: the signature bytes. */
  signMessage: { signature: Uint8Array<ArrayBuffer> };
  /** `verifySignature`: success carries no data. */
  verifySignature: { verified: true };
}

const PLUGIN_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Splits a `<name>://<key resource id>` reference.
 *
 * @param ref The key reference, e.g. `hsm://slot-1` or `localkms:///keys/signing.pem`.
 * @returns Plugin name, executable name and key resource id.
 * @throws {ParseError} `KMS_KEY_REF_INVALID` when `://` is missing, the name is empty or has
 *   characters other than letters, digits, `.`, `_`, `-` (or starts with `.`/`-`), or the key
 *   resource id is empty.
 *
 * @example Usage
 * ```ts
 * import { parseKmsPluginKeyRef } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseKmsPluginKeyRef("localkms:///keys/a.pem"), {
 *   pluginName: "localkms",
 *   executable: "sigstore-kms-localkms",
 *   keyResourceId: "/keys/a.pem",
 * });
 * assert.throws(() => parseKmsPluginKeyRef("../x://k"), { code: "KMS_KEY_REF_INVALID" });
 * ```
 */
export function parseKmsPluginKeyRef(ref: string): KmsPluginKeyRef {
  if (typeof ref !== "string") throw new TypeError("Pass the key reference as a string");
  const at = ref.indexOf("://");
  if (at < 0) {
    throw new ParseError(
      "KMS_KEY_REF_INVALID",
      "Cannot parse KMS key reference: expected <plugin name>://<key resource id>",
    );
  }
  const pluginName = ref.slice(0, at);
  const keyResourceId = ref.slice(at + 3);
  if (!PLUGIN_NAME_RE.test(pluginName)) {
    throw new ParseError(
      "KMS_KEY_REF_INVALID",
      `Cannot parse KMS key reference: plugin name "${pluginName}" must be letters, digits, ".", "_" or "-"`,
      0,
    );
  }
  if (keyResourceId === "") {
    throw new ParseError(
      "KMS_KEY_REF_INVALID",
      `Cannot parse KMS key reference: key resource id after "${pluginName}://" is empty`,
      at + 3,
    );
  }
  return { pluginName, executable: KMS_PLUGIN_PREFIX + pluginName, keyResourceId };
}
