/**
 * Test-only Sigstore bundles and trusted roots made from scratch: a Fulcio-like certificate
 * authority and an RFC 3161 TSA (each with as many trusted-root entries as a test needs, e.g. a
 * retired entry and a current one sharing a root), a message-signature bundle v0.3 signed by a
 * leaf certificate with Fulcio identity extensions, and timestamps over its signature. The shape
 * follows GitHub's Sigstore instance: no transparency log, no CT log, RFC 3161 timestamps.
 */
import { sign } from "node:crypto";
import { sha256 } from "../../lib/digest/mod.ts";
import { encodeDerUtf8String } from "../../lib/encoding/der.ts";
import { encodeBase64, formatRfc3339 } from "../../lib/encoding/mod.ts";
import { KEY_PURPOSES } from "../../lib/keys/mod.ts";
import { buildCert, DAY, makeKey, type TestKey } from "../keys/_x509_builder.ts";
import { buildToken } from "./_tsa_builder.ts";

export { DAY };

/** Fulcio extension OIDs a test certificate may carry. */
export const FULCIO_EXT = {
  issuer: "1.3.6.1.4.1.57264.1.8",
  sourceRepositoryUri: "1.3.6.1.4.1.57264.1.12",
  sourceRepositoryOwnerUri: "1.3.6.1.4.1.57264.1.16",
} as const;

/** A CA or TSA certificate with its key. */
export interface Issued {
  der: Uint8Array;
  key: TestKey;
  name: string;
}

/** A self-signed root. */
export function makeRoot(name: string, notBefore: number): Issued {
  const key = makeKey("p256");
  return {
    der: buildCert({ subject: name, key, ca: true, notBefore, notAfter: notBefore + 3650 * DAY }),
    key,
    name,
  };
}

/**
 * An intermediate CA under `issuer` (the same `name` may be reused with a new key); `pathLength`
 * CA certificates may follow it (default 0).
 */
export function makeIntermediate(
  issuer: Issued,
  name: string,
  serial: bigint,
  pathLength = 0,
): Issued {
  const key = makeKey("p256");
  const notBefore = T_START;
  return {
    der: buildCert({
      subject: name,
      issuer: issuer.name,
      key,
      issuerKey: issuer.key,
      serial,
      ca: true,
      pathLength,
      notBefore,
      notAfter: notBefore + 3650 * DAY,
    }),
    key,
    name,
  };
}

/** A TSA signing certificate under `issuer` (critical EKU timeStamping). */
export function makeTsaLeaf(issuer: Issued, name: string, serial: bigint): Issued {
  const key = makeKey("p256");
  const notBefore = T_START;
  return {
    der: buildCert({
      subject: name,
      issuer: issuer.name,
      key,
      issuerKey: issuer.key,
      serial,
      eku: [KEY_PURPOSES.timeStamping],
      notBefore,
      notAfter: notBefore + 3650 * DAY,
    }),
    key,
    name,
  };
}

/** Start of every test PKI. */
export const T_START = Date.UTC(2025, 0, 1);

/** Identity extensions of a leaf certificate. */
export interface LeafIdentity {
  /** URI SAN. */
  san: string;
  /** OIDC issuer (extension .1.8); omitted when undefined. */
  issuer?: string | undefined;
  /** Source repository URI (.1.12). */
  sourceRepositoryUri?: string | undefined;
  /** Source repository owner URI (.1.16). */
  sourceRepositoryOwnerUri?: string | undefined;
}

/** A Fulcio-like leaf: 10 minutes valid from `notBefore`, EKU codeSigning, URI SAN. */
export function makeLeaf(
  issuer: Issued,
  notBefore: number,
  identity: LeafIdentity,
  serial = 7n,
): Issued {
  const key = makeKey("p256");
  const extra: { oid: string; value: Uint8Array; critical?: boolean }[] = [
    { oid: "2.5.29.17", critical: true, value: sanUri(identity.san) },
  ];
  for (const [field, oid] of Object.entries(FULCIO_EXT)) {
    const value = identity[field as keyof typeof FULCIO_EXT];
    if (value !== undefined) extra.push({ oid, value: encodeDerUtf8String(value) });
  }
  return {
    der: buildCert({
      subject: new Uint8Array([0x30, 0x00]),
      issuer: issuer.name,
      key,
      issuerKey: issuer.key,
      serial,
      eku: [KEY_PURPOSES.codeSigning],
      ekuCritical: false,
      notBefore,
      notAfter: notBefore + 10 * 60_000,
      extra,
    }),
    key,
    name: identity.san,
  };
}

function sanUri(uri: string): Uint8Array {
  const bytes = new TextEncoder().encode(uri);
  // SEQUENCE { [6] IA5String uri } (short lengths only: test URIs are < 128 bytes).
  return new Uint8Array([0x30, bytes.length + 2, 0x86, bytes.length, ...bytes]);
}

/** One trusted-root authority entry. */
export interface AuthorityEntry {
  chain: Uint8Array[];
  start: number;
  end?: number | undefined;
}

/** A trusted root JSON with the given CA and TSA entries and no logs. */
export function trustedRootJson(
  cas: AuthorityEntry[],
  tsas: AuthorityEntry[],
): string {
  const entry = (e: AuthorityEntry, uri: string) => ({
    subject: { organization: "StellaOps Test", commonName: uri },
    uri: `https://${uri}.example`,
    certChain: { certificates: e.chain.map((der) => ({ rawBytes: encodeBase64(der) })) },
    validFor: {
      start: formatRfc3339(e.start),
      ...(e.end === undefined ? {} : { end: formatRfc3339(e.end) }),
    },
  });
  return JSON.stringify({
    mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    tlogs: [],
    certificateAuthorities: cas.map((e) => entry(e, "fulcio")),
    ctlogs: [],
    timestampAuthorities: tsas.map((e) => entry(e, "tsa")),
  });
}

/** The artifact every test bundle signs. */
export const ARTIFACT: Uint8Array = new TextEncoder().encode("stellaops synthetic artifact\n");

/** A timestamp to add: signed by `tsa` at `genTime`, embedding `embedded` (default: `tsa`). */
export interface TimestampSpec {
  tsa: Issued;
  genTime: number;
  embedded?: Uint8Array[] | undefined;
}

/** A v0.3 message-signature bundle signed by `leaf` over {@link ARTIFACT}. */
export function bundleJson(leaf: Issued, timestamps: TimestampSpec[]): string {
  const signature = new Uint8Array(sign("sha256", ARTIFACT, leaf.key.privateKey));
  const tokens = timestamps.map((t) =>
    buildToken({
      key: t.tsa.key,
      cert: t.tsa.der,
      data: signature,
      certificates: t.embedded ?? [t.tsa.der],
      genTime: generalizedTime(t.genTime),
    })
  );
  return JSON.stringify({
    mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
    verificationMaterial: {
      certificate: { rawBytes: encodeBase64(leaf.der) },
      tlogEntries: [],
      timestampVerificationData: {
        rfc3161Timestamps: tokens.map((t) => ({ signedTimestamp: encodeBase64(t) })),
      },
    },
    messageSignature: {
      messageDigest: { algorithm: "SHA2_256", digest: encodeBase64(sha256(ARTIFACT)) },
      signature: encodeBase64(signature),
    },
  });
}

function generalizedTime(ms: number): string {
  return formatRfc3339(ms).replace(/[-:T]/g, "").replace(/\.\d+/, "");
}
