/**
 * Key handling of `@stellaops/provenance`: key ids, PKCS#8/SPKI DER and PEM, JWK, HMAC secrets,
 * cosign and encrypted PKCS#8 keys, X.509 certificates.
 *
 * @module
 */

export { isSignatureAlgorithm, KEY_ALGORITHMS, KEY_TYPES } from "./key.ts";
export type {
  AsymmetricKeyType,
  ImportKeyOptions,
  Key,
  KeyAlgorithm,
  KeyType,
  PrivateKey,
  PublicKey,
  SecretKey,
} from "./key.ts";
export { exportPkcs8, exportSpki, importPkcs8, importSpki } from "./key_der.ts";
export { KEY_PEM_LABELS, PRIVATE_KEY_PEM_FORMATS } from "./key_pem.ts";
export type { PrivateKeyPemFormat } from "./key_pem.ts";
export { exportJwk, importJwk } from "./jwk.ts";
export type { Jwk } from "./jwk.ts";
export { exportHmacSecret, importHmacSecret } from "./hmac_secret.ts";
export {
  COSIGN_LEGACY_PRIVATE_KEY_LABEL,
  COSIGN_PRIVATE_KEY_LABEL,
  decryptCosignKey,
  encryptCosignKey,
} from "./cosign_key.ts";
export type { EncryptCosignKeyOptions } from "./cosign_key.ts";
export {
  decryptPkcs8,
  ENCRYPTED_PRIVATE_KEY_LABEL,
  encryptPkcs8,
  encryptPkcs8Der,
  isEncryptedPkcs8,
  PKCS8_CIPHERS,
} from "./pkcs8_encrypted.ts";
export type { EncryptPkcs8Options, Pkcs8Cipher } from "./pkcs8_encrypted.ts";
export { KEY_FORMATS } from "./import_key.ts";
export type { ImportAnyKeyOptions, KeyFormat } from "./import_key.ts";
export type { GenerateKeyPairOptions } from "./generate.ts";
export { EXTENSION_OIDS, KEY_USAGES } from "./x509_extensions.ts";
export {
  GENERAL_NAME_TYPES,
  KEY_PURPOSES,
  parseCertificate,
  parseCertificatesPem,
} from "./x509.ts";
export type {
  AlgorithmIdentifier,
  Certificate,
  DistinguishedName,
  GeneralName,
  GeneralNameType,
  NameAttribute,
  ParseCertificateOptions,
} from "./x509.ts";
export type { CertificateExtension, CertificateExtensions, KeyUsage } from "./x509_extensions.ts";
export { SIGNATURE_ALGORITHMS } from "./key.ts";
export type { SignatureAlgorithm } from "./key.ts";
