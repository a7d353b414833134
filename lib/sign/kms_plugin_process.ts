/**
 * Process transport for the sigstore KMS CLI plugin protocol (codec in `kms_plugin.ts`): finds
 * `sigstore-kms-<name>` on a search path the caller passes, runs it once per call with
 * `Deno.Command`, and decodes its stdout. {@link KmsPluginService} makes any such plugin a
 * {@link KeyManagementService}, so `createKmsSigner(new KmsPluginService(...), "hsm://slot-1")`
 * signs with existing cosign/sigstore plugins.
 *
 * Process rules:
 * - Nothing is read from this process's environment: the caller passes the search path (`path`)
 *   and the plugin's environment (`env`, default empty; the plugin gets exactly that).
 * - The plugin's stderr goes to ours (as sigstore does) unless `stderr: "null"`.
 * - stdin is written while stdout is read (no pipe deadlock); a plugin that exits without reading
 *   stdin is fine. stdout is capped (`maxOutputBytes`, default 1 MiB).
 * - The exit status is ignored when stdout holds a response (protocol rule); a plugin killed by a
 *   signal, or one that runs past `timeoutMs` (default 60 s, then SIGKILL), fails the call.
 * - Error messages name the plugin and the method, never the request JSON, stdin or environment.
 *
 * @module
 */

import type { DigestAlgorithm } from "../digest/digest.ts";
import { ParseError } from "../encoding/errors.ts";
import type { KeyManagementService } from "./kms.ts";
import { decodeKmsPluginResponse, encodeKmsPluginRequest } from "./kms_plugin_codec.ts";
import {
  type KmsPluginCall,
  KmsPluginError,
  type KmsPluginInit,
  type KmsPluginMethod,
  type KmsPluginResults,
  type KmsPluginRpcOptions,
  parseKmsPluginKeyRef,
} from "./kms_plugin.ts";
import { concatBytes } from "../encoding/bytes.ts";

/**
 * How plugin processes are found and run.
 *
 * @example Usage
 * ```ts
 * import { type KmsPluginProcessOptions } from "@stellaops/provenance/kms";
 * import { invokeKmsPlugin } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const script = `#!/bin/sh\nprintf '{"defaultAlgorithm":{"defaultAlgorithm":"%s"}}' "$KMS_ALGORITHM"\n`;
 * await Deno.writeTextFile(`${dir}/sigstore-kms-env`, script, { mode: 0o755 });
 * const options: KmsPluginProcessOptions = {
 *   env: { KMS_ALGORITHM: "ed25519" }, // the plugin's whole environment
 *   timeoutMs: 30_000,
 *   stderr: "null",
 * };
 * const call = { method: "defaultAlgorithm" } as const;
 * const result = await invokeKmsPlugin(`${dir}/sigstore-kms-env`, { keyResourceId: "k" }, call, options);
 * assert.deepEqual(result, { defaultAlgorithm: "ed25519" });
 * const bare = { ...options, env: {} }; // nothing is inherited from this process
 * assert.deepEqual(
 *   await invokeKmsPlugin(`${dir}/sigstore-kms-env`, { keyResourceId: "k" }, call, bare),
 *   { defaultAlgorithm: "" },
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface KmsPluginProcessOptions {
  /** Run this program instead of searching for `sigstore-kms-<name>` (a path). */
  executable?: string | undefined;
  /** Directories to search, `PATH`-style (`:`-separated; `;` on Windows). */
  path?: string | undefined;
  /** The plugin's complete environment (default: empty). Credentials for the KMS go here. */
  env?: Readonly<Record<string, string>> | undefined;
  /** Kill the plugin (SIGKILL) and fail after this many milliseconds (default 60000). */
  timeoutMs?: number | undefined;
  /** Largest accepted stdout in bytes (default 1 MiB). */
  maxOutputBytes?: number | undefined;
  /** Where the plugin's stderr goes: ours (`"inherit"`, default) or nowhere (`"null"`). */
  stderr?: "inherit" | "null" | undefined;
  /** RPC options sent with every call (e.g. `keyVersion`). */
  rpcOptions?: KmsPluginRpcOptions | undefined;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 1024 * 1024;

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return false;
    return Deno.build.os === "windows" || info.mode === null || (info.mode & 0o111) !== 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw error;
  }
}

/**
 * Finds a plugin executable on a search path.
 *
 * @param executable The executable name, e.g. `sigstore-kms-hsm`.
 * @param path `PATH`-style directory list (empty entries are skipped, not taken as `.`).
 * @returns The full path of the first executable regular file found.
 * @throws {KmsPluginError} `KMS_PLUGIN_NOT_FOUND` when no directory holds it.
 *
 * @example Usage
 * ```ts
 * import { findKmsPlugin } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/sigstore-kms-demo`, "#!/bin/sh\n", { mode: 0o755 });
 * assert.equal(await findKmsPlugin("sigstore-kms-demo", `/nonexistent:${dir}`), `${dir}/sigstore-kms-demo`);
 * await assert.rejects(findKmsPlugin("sigstore-kms-none", dir), { code: "KMS_PLUGIN_NOT_FOUND" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function findKmsPlugin(executable: string, path: string): Promise<string> {
  if (typeof executable !== "string" || executable === "" || /[\\/]/.test(executable)) {
    throw new TypeError("Pass the plugin executable as a bare file name");
  }
  if (typeof path !== "string") throw new TypeError("Pass the search path as a string");
  const windows = Deno.build.os === "windows";
  const suffixes = windows ? ["", ".exe", ".cmd", ".bat"] : [""];
  for (const dir of path.split(windows ? ";" : ":")) {
    if (dir === "") continue;
    for (const suffix of suffixes) {
      const candidate = `${dir.replace(/[\\/]+$/, "")}${
        windows ? "\\" : "/"
      }${executable}${suffix}`;
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  throw new KmsPluginError(
    "KMS_PLUGIN_NOT_FOUND",
    executable,
    `Cannot find KMS plugin "${executable}": install it in a directory of the search path`,
  );
}

async function readCapped(
  stream: ReadableStream<Uint8Array>,
  max: number,
): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return concatBytes(...chunks);
}

async function writeStdin(stream: WritableStream<Uint8Array>, bytes: Uint8Array): Promise<void> {
  const writer = stream.getWriter();
  try {
    if (bytes.length > 0) await writer.write(bytes);
    await writer.close();
  } catch {
    // The plugin may exit without reading stdin (e.g. publicKey); that is not an error.
  } finally {
    writer.releaseLock();
  }
}

/**
 * Runs one plugin call: spawns the program with the protocol arguments, feeds stdin, decodes
 * stdout.
 *
 * @param executable Path (or name resolvable by the OS) of the plugin program.
 * @param init Initialisation options (key resource id, hash, deadline).
 * @param call The method call.
 * @param options Environment, timeout, output cap, stderr handling.
 * @returns The method's decoded result.
 * @throws {KmsPluginError} `KMS_PLUGIN_ERROR` (the plugin reported an error),
 *   `KMS_PLUGIN_FAILED` (could not start, or killed by a signal), `KMS_PLUGIN_TIMEOUT`.
 * @throws {ParseError} `KMS_PLUGIN_RESPONSE_INVALID` when stdout is not a valid response.
 *
 * @example Usage
 * ```ts
 * import { invokeKmsPlugin } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const plugin = `${dir}/sigstore-kms-echo`;
 * await Deno.writeTextFile(plugin, `#!/bin/sh\nprintf '{"defaultAlgorithm":{"defaultAlgorithm":"ecdsa-p256"}}'\n`, { mode: 0o755 });
 * const result = await invokeKmsPlugin(plugin, { keyResourceId: "k" }, { method: "defaultAlgorithm" });
 * assert.equal(result.defaultAlgorithm, "ecdsa-p256");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function invokeKmsPlugin<M extends KmsPluginMethod>(
  executable: string,
  init: KmsPluginInit,
  call: KmsPluginCall & { method: M },
  options: KmsPluginProcessOptions = {},
): Promise<KmsPluginResults[M]> {
  const name = executable.replace(/^.*[\\/]/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError("Pass timeoutMs as a positive integer");
  }
  if (!Number.isSafeInteger(maxOutput) || maxOutput <= 0) {
    throw new RangeError("Pass maxOutputBytes as a positive integer");
  }
  const { args, stdin } = encodeKmsPluginRequest(init, call);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(executable, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: options.stderr === "null" ? "null" : "inherit",
      env: { ...(options.env ?? {}) },
      clearEnv: true,
    }).spawn();
  } catch (error) {
    throw new KmsPluginError(
      "KMS_PLUGIN_FAILED",
      name,
      `Cannot run KMS plugin "${name}": ${error instanceof Error ? error.name : "spawn failed"}`,
      { cause: error },
    );
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
  }, timeoutMs);
  let stdout: Uint8Array | null;
  let status: Deno.CommandStatus;
  try {
    [stdout] = await Promise.all([
      readCapped(child.stdout, maxOutput),
      writeStdin(child.stdin, stdin),
    ]);
    if (stdout === null) {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
    }
    status = await child.status;
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) {
    throw new KmsPluginError(
      "KMS_PLUGIN_TIMEOUT",
      name,
      `KMS plugin "${name}" did not answer ${call.method} within ${timeoutMs} ms and was killed`,
    );
  }
  if (stdout === null) {
    throw new ParseError(
      "KMS_PLUGIN_RESPONSE_INVALID",
      `Cannot read the response of KMS plugin "${name}" to ${call.method}: output exceeds ${maxOutput} bytes`,
    );
  }
  if (status.signal !== null) {
    throw new KmsPluginError(
      "KMS_PLUGIN_FAILED",
      name,
      `KMS plugin "${name}" was terminated by ${status.signal} during ${call.method}`,
    );
  }
  return decodeKmsPluginResponse(
    call.method,
    stdout,
    name,
    status.code === 0 ? undefined : `exit status ${status.code}`,
  );
}

/**
 * A {@link KeyManagementService} backed by sigstore KMS CLI plugins: key references
 * `<name>://<key resource id>` run `sigstore-kms-<name>`.
 *
 * @example Usage
 * ```ts
 * import { KmsPluginService } from "@stellaops/provenance/kms";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/sigstore-kms-demo`, `#!/bin/sh\nprintf '{"errorMessage":"no such key"}'\n`, { mode: 0o755 });
 * const kms = new KmsPluginService({ path: dir });
 * await assert.rejects(kms.getPublicKey("demo://missing"), {
 *   code: "KMS_PLUGIN_ERROR",
 *   message: 'KMS plugin "sigstore-kms-demo" returned an error: no such key',
 * });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class KmsPluginService implements KeyManagementService {
  readonly #options: KmsPluginProcessOptions;
  readonly #resolved = new Map<string, string>();

  /**
   * Creates the service; nothing runs until the first call.
   *
   * @param options Search path or executable, environment, timeout, stderr handling.
   * @throws {TypeError} When neither `path` nor `executable` is given.
   */
  constructor(options: KmsPluginProcessOptions) {
    if (typeof options?.path !== "string" && typeof options?.executable !== "string") {
      throw new TypeError("Pass options.path (the plugin search path) or options.executable");
    }
    this.#options = { ...options };
  }

  async #executable(executable: string): Promise<string> {
    if (this.#options.executable !== undefined) return this.#options.executable;
    const known = this.#resolved.get(executable);
    if (known !== undefined) return known;
    const found = await findKmsPlugin(executable, this.#options.path ?? "");
    this.#resolved.set(executable, found);
    return found;
  }

  /**
   * Calls one protocol method for a key reference.
   *
   * @param keyRef `<name>://<key resource id>`.
   * @param call The method call.
   * @param hashAlgorithm `hashFunc` of the session (default `sha256`; `null` for none).
   * @returns The decoded result.
   */
  async call<M extends KmsPluginMethod>(
    keyRef: string,
    call: KmsPluginCall & { method: M },
    hashAlgorithm: DigestAlgorithm | null = "sha256",
  ): Promise<KmsPluginResults[M]> {
    const ref = parseKmsPluginKeyRef(keyRef);
    const executable = await this.#executable(ref.executable);
    const init: KmsPluginInit = {
      keyResourceId: ref.keyResourceId,
      hashAlgorithm,
      rpcOptions: this.#options.rpcOptions,
    };
    return await invokeKmsPlugin<M>(executable, init, call, this.#options);
  }

  /**
   * Fetches the public key (`publicKey` method).
   *
   * @param keyRef `<name>://<key resource id>`.
   * @returns PEM text.
   */
  async getPublicKey(keyRef: string): Promise<string> {
    const result = await this.call(keyRef, {
      method: "publicKey",
      rpcOptions: this.#options.rpcOptions,
    });
    return result.publicKeyPem;
  }

  /**
   * Signs a digest (`signMessage` with `messageOptions.digest` and an empty stdin, as sigstore's
   * `CryptoSigner` does).
   *
   * @param keyRef `<name>://<key resource id>`.
   * @param digest The digest.
   * @param hashAlgorithm Its hash.
   * @returns The signature bytes.
   */
  async signDigest(
    keyRef: string,
    digest: Uint8Array,
    hashAlgorithm: DigestAlgorithm,
  ): Promise<Uint8Array> {
    const result = await this.call(keyRef, {
      method: "signMessage",
      digest,
      hashAlgorithm,
      rpcOptions: this.#options.rpcOptions,
    }, hashAlgorithm);
    return result.signature;
  }

  /**
   * Signs a whole message sent on stdin (`signMessage` with `hashFunc` 0), for Ed25519 keys.
   *
   * @param keyRef `<name>://<key resource id>`.
   * @param message The message.
   * @returns The signature bytes.
   */
  async signMessage(keyRef: string, message: Uint8Array): Promise<Uint8Array> {
    const result = await this.call(keyRef, {
      method: "signMessage",
      message,
      hashAlgorithm: null,
      rpcOptions: this.#options.rpcOptions,
    }, null);
    return result.signature;
  }
}
