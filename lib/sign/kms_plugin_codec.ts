/**
 * The messages of the sigstore KMS CLI plugin protocol (`kms_plugin.ts` describes it): request
 * encoding ({@link encodeKmsPluginRequest}) and response decoding ({@link decodeKmsPluginResponse}).
 * Pure codec; the process transport lives in `kms_plugin_process.ts`.
 *
 * @module
 */

import { decodeBase64, decodeUtf8, encodeBase64 } from "../encoding/bytes.ts";
import { canonicalize } from "../encoding/canonical_json.ts";
import { ParseError } from "../encoding/errors.ts";
import { isObject, type JsonObject, type JsonValue } from "../encoding/json_value.ts";
import { parseJson } from "../encoding/strict_json.ts";
import { formatRfc3339, parseRfc3339 } from "../encoding/time.ts";
import type { DigestAlgorithm } from "../digest/digest.ts";
import {
  GO_CRYPTO_HASH,
  KMS_PLUGIN_METHODS,
  KMS_PLUGIN_PROTOCOL_VERSION,
  type KmsPluginCall,
  KmsPluginError,
  type KmsPluginInit,
  type KmsPluginInvocation,
  type KmsPluginMethod,
  type KmsPluginResults,
  type KmsPluginRpcOptions,
} from "./kms_plugin.ts";

const MAX_PLUGIN_MESSAGE = 500;

function hashFunc(algorithm: DigestAlgorithm | null | undefined, fallback: number): number {
  if (algorithm === undefined) return fallback;
  if (algorithm === null) return 0;
  const n = GO_CRYPTO_HASH[algorithm];
  if (n === undefined) {
    throw new TypeError(`Pass a hash algorithm of sha256, sha384, sha512 or null`);
  }
  return n;
}

function time(text: string, name: string): string {
  try {
    return formatRfc3339(parseRfc3339(text, name));
  } catch (error) {
    throw new TypeError(`Pass ${name} as RFC 3339: ${(error as Error).message}`);
  }
}

function rpc(options: KmsPluginRpcOptions | undefined): JsonObject {
  // Like sigstore's PackRPCOptions: keyVersion and remoteVerification are always present.
  const out: JsonObject = {
    keyVersion: options?.keyVersion ?? "",
    remoteVerification: options?.remoteVerification ?? false,
  };
  if (typeof out.keyVersion !== "string") {
    throw new TypeError("Pass rpcOptions.keyVersion as a string");
  }
  if (typeof out.remoteVerification !== "boolean") {
    throw new TypeError("Pass rpcOptions.remoteVerification as a boolean");
  }
  if (options?.ctxDeadline !== undefined) {
    out.ctxDeadline = time(options.ctxDeadline, "ctxDeadline");
  }
  return out;
}

function messageOptions(
  digest: Uint8Array | undefined,
  algorithm: DigestAlgorithm | null | undefined,
): JsonObject {
  const out: JsonObject = {};
  if (digest !== undefined) {
    if (!(digest instanceof Uint8Array)) throw new TypeError("Pass digest as a Uint8Array");
    out.digest = encodeBase64(digest);
  }
  if (algorithm !== undefined) out.hashFunc = hashFunc(algorithm, 0);
  return out;
}

/**
 * Encodes one call as the plugin's arguments and stdin (deterministic: the JSON is RFC 8785
 * canonical).
 *
 * @param init Initialisation options (key resource id, hash, deadline, RPC options).
 * @param call The method and its arguments.
 * @returns `args` (`["1", json]`) and the `stdin` bytes.
 * @throws {TypeError} When an argument has the wrong type or a time is not RFC 3339.
 *
 * @example Usage
 * ```ts
 * import { encodeKmsPluginRequest } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const { args, stdin } = encodeKmsPluginRequest({ keyResourceId: "slot-1" }, { method: "defaultAlgorithm" });
 * assert.equal(args[0], "1");
 * assert.equal(
 *   args[1],
 *   '{"defaultAlgorithm":{},"initOptions":{"hashFunc":5,"keyResourceID":"slot-1","protocolVersion":"1",' +
 *     '"rpcOptions":{"keyVersion":"","remoteVerification":false}},"methodName":"defaultAlgorithm"}',
 * );
 * assert.equal(stdin.length, 0);
 * ```
 */
export function encodeKmsPluginRequest(
  init: KmsPluginInit,
  call: KmsPluginCall,
): KmsPluginInvocation {
  if (typeof init?.keyResourceId !== "string") {
    throw new TypeError("Pass init.keyResourceId as a string");
  }
  const initOptions: JsonObject = {
    protocolVersion: KMS_PLUGIN_PROTOCOL_VERSION,
    keyResourceID: init.keyResourceId,
    hashFunc: hashFunc(init.hashAlgorithm, GO_CRYPTO_HASH.sha256),
    rpcOptions: rpc(init.rpcOptions),
  };
  if (init.ctxDeadline !== undefined) {
    initOptions.ctxDeadline = time(init.ctxDeadline, "ctxDeadline");
  }
  let args: JsonValue;
  let stdin: Uint8Array<ArrayBuffer> = new Uint8Array();
  const message = (m: Uint8Array | undefined) => {
    if (m === undefined) return;
    if (!(m instanceof Uint8Array)) throw new TypeError("Pass message as a Uint8Array");
    stdin = m.slice();
  };
  switch (call?.method) {
    case "defaultAlgorithm":
    case "supportedAlgorithms":
      args = {};
      break;
    case "publicKey":
      args = { publicKeyOptions: { rpcOptions: rpc(call.rpcOptions) } };
      break;
    case "createKey": {
      if (typeof call.algorithm !== "string") {
        throw new TypeError("Pass createKey algorithm as a string");
      }
      const createKey: JsonObject = { algorithm: call.algorithm };
      if (call.ctxDeadline !== undefined) {
        createKey.ctxDeadline = time(call.ctxDeadline, "ctxDeadline");
      }
      args = createKey;
      break;
    }
    case "signMessage":
      message(call.message);
      args = {
        signOptions: {
          rpcOptions: rpc(call.rpcOptions),
          messageOptions: messageOptions(call.digest, call.hashAlgorithm),
        },
      };
      break;
    case "verifySignature":
      if (!(call.signature instanceof Uint8Array)) {
        throw new TypeError("Pass signature as a Uint8Array");
      }
      message(call.message);
      args = {
        signature: encodeBase64(call.signature),
        verifyOptions: {
          rpcOptions: rpc(call.rpcOptions),
          messageOptions: messageOptions(call.digest, call.hashAlgorithm),
        },
      };
      break;
    default:
      throw new TypeError(`Pass a method of ${KMS_PLUGIN_METHODS.join(", ")}`);
  }
  const pluginArgs: JsonObject = { initOptions, methodName: call.method, [call.method]: args };
  return { args: [KMS_PLUGIN_PROTOCOL_VERSION, canonicalize(pluginArgs)], stdin };
}

/** Go encoding/json member lookup: exact name first, then a case-insensitive match. */
function member(object: JsonObject, name: string): JsonValue | undefined {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === lower) return object[key];
  }
  return undefined;
}

/**
 * Makes a plugin-supplied message safe to show: control characters become spaces and the text
 * is capped.
 */
function sanitize(text: string): string {
  // deno-lint-ignore no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
  return clean.length > MAX_PLUGIN_MESSAGE ? `${clean.slice(0, MAX_PLUGIN_MESSAGE)}...` : clean;
}

/**
 * Decodes a plugin's stdout for one method.
 *
 * @param method The method that was called.
 * @param stdout The plugin's stdout bytes.
 * @param plugin Name of the plugin for messages (e.g. `sigstore-kms-hsm`).
 * @param detail Extra context for messages about invalid output, e.g. `exit status 3`.
 * @returns The method's result.
 * @throws {KmsPluginError} `KMS_PLUGIN_ERROR` when the plugin set `errorMessage`.
 * @throws {ParseError} `KMS_PLUGIN_RESPONSE_INVALID` when stdout is not a protocol response for
 *   `method` (not JSON, not an object, result missing or mistyped, bad base64).
 *
 * @example Usage
 * ```ts
 * import { decodeKmsPluginResponse } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const out = new TextEncoder().encode('{"signMessage":{"signature":"AQID"}}');
 * assert.deepEqual(decodeKmsPluginResponse("signMessage", out, "sigstore-kms-x").signature, new Uint8Array([1, 2, 3]));
 * const failed = new TextEncoder().encode('{"errorMessage":"key not found"}');
 * assert.throws(() => decodeKmsPluginResponse("signMessage", failed, "sigstore-kms-x"), {
 *   code: "KMS_PLUGIN_ERROR",
 *   message: 'KMS plugin "sigstore-kms-x" returned an error: key not found',
 * });
 * ```
 */
export function decodeKmsPluginResponse<M extends KmsPluginMethod>(
  method: M,
  stdout: Uint8Array,
  plugin: string,
  detail?: string,
): KmsPluginResults[M] {
  if (!(KMS_PLUGIN_METHODS as readonly string[]).includes(method)) {
    throw new TypeError(`Pass a method of ${KMS_PLUGIN_METHODS.join(", ")}`);
  }
  const context = detail === undefined ? "" : ` (${detail})`;
  const invalid = (why: string): never => {
    throw new ParseError(
      "KMS_PLUGIN_RESPONSE_INVALID",
      `Cannot read the response of KMS plugin "${plugin}" to ${method}${context}: ${why}`,
    );
  };
  if (stdout.length === 0) return invalid("no output");
  let response: JsonValue;
  try {
    response = parseJson(stdout, { name: "plugin response", maxBytes: 16 * 1024 * 1024 });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return invalid(`not JSON (${error.code})`);
  }
  if (!isObject(response)) return invalid("not a JSON object");
  const errorMessage = member(response, "errorMessage");
  if (errorMessage !== undefined && errorMessage !== null) {
    if (typeof errorMessage !== "string") return invalid(`"errorMessage" is not a string`);
    if (errorMessage !== "") {
      throw new KmsPluginError(
        "KMS_PLUGIN_ERROR",
        plugin,
        `KMS plugin "${plugin}" returned an error: ${sanitize(errorMessage)}`,
      );
    }
  }
  const result = member(response, method);
  if (!isObject(result)) return invalid(`no "${method}" result object`);
  const bytes = (name: string): Uint8Array<ArrayBuffer> => {
    const value = member(result, name);
    if (typeof value !== "string" || value === "") {
      return invalid(`"${method}.${name}" is missing or empty`);
    }
    try {
      return decodeBase64(value);
    } catch {
      return invalid(`"${method}.${name}" is not standard base64`);
    }
  };
  switch (method) {
    case "defaultAlgorithm": {
      const value = member(result, "defaultAlgorithm");
      if (typeof value !== "string") {
        return invalid(`"defaultAlgorithm.defaultAlgorithm" is not a string`);
      }
      return { defaultAlgorithm: value } as KmsPluginResults[M];
    }
    case "supportedAlgorithms": {
      const value = member(result, "supportedAlgorithms");
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
        return invalid(`"supportedAlgorithms.supportedAlgorithms" is not an array of strings`);
      }
      return { supportedAlgorithms: value as string[] } as KmsPluginResults[M];
    }
    case "publicKey":
    case "createKey": {
      const pem = bytes("publicKeyPEM");
      let text: string;
      try {
        text = decodeUtf8(pem);
      } catch {
        return invalid(`"${method}.publicKeyPEM" is not UTF-8 text`);
      }
      return { publicKeyPem: text } as KmsPluginResults[M];
    }
    case "signMessage":
      return { signature: bytes("signature") } as KmsPluginResults[M];
    default:
      return { verified: true } as KmsPluginResults[M];
  }
}
