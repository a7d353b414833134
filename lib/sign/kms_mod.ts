/**
 * KMS signing of `@stellaops/provenance`: the KMS signer and the cosign-compatible KMS plugin
 * protocol.
 *
 * @module
 */

export { createKmsSigner, KmsSigner } from "./kms.ts";
export type { CreateKmsSignerOptions, KeyManagementService } from "./kms.ts";
export { decodeKmsPluginResponse, encodeKmsPluginRequest } from "./kms_plugin_codec.ts";
export {
  GO_CRYPTO_HASH,
  KMS_PLUGIN_ERROR_CODES,
  KMS_PLUGIN_METHODS,
  KMS_PLUGIN_PREFIX,
  KMS_PLUGIN_PROTOCOL_VERSION,
  KmsPluginError,
  parseKmsPluginKeyRef,
} from "./kms_plugin.ts";
export type {
  KmsPluginCall,
  KmsPluginErrorCode,
  KmsPluginInit,
  KmsPluginInvocation,
  KmsPluginKeyRef,
  KmsPluginMethod,
  KmsPluginResults,
  KmsPluginRpcOptions,
} from "./kms_plugin.ts";
export { findKmsPlugin, invokeKmsPlugin, KmsPluginService } from "./kms_plugin_process.ts";
export type { KmsPluginProcessOptions } from "./kms_plugin_process.ts";
export type { DigestAlgorithm } from "../digest/digest.ts";
export type { PublicKey } from "../keys/key.ts";
export type { SignatureAlgorithm } from "../keys/key.ts";
export type { Signer } from "../crypto/signer.ts";
export type { AsymmetricKeyType } from "../keys/key.ts";
export { DIGEST_ALGORITHMS } from "../digest/digest.ts";
export { SIGNATURE_ALGORITHMS } from "../keys/key.ts";
export type { KeyType } from "../keys/key.ts";
export { KEY_TYPES } from "../keys/key.ts";
