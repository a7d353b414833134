import assert from "node:assert/strict";
import { ParseError } from "../../mod.ts";
import {
  decodeDer,
  DerReader,
  encodeDerBitString,
  encodeDerBoolean,
  encodeDerContext,
  encodeDerInteger,
  encodeDerNull,
  encodeDerOctetString,
  encodeDerOid,
  encodeDerSequence,
  encodeDerSet,
  encodeDerTime,
  encodeDerTlv,
  encodeDerUtf8String,
} from "../../lib/encoding/der.ts";

const hex = (text: string): Uint8Array => Uint8Array.fromHex(text.replaceAll(" ", ""));
const reader = (text: string): DerReader => new DerReader(hex(text));
const invalid = (fn: () => unknown, offset?: number): void => {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof ParseError);
    assert.equal(error.code, "DER_INVALID");
    if (offset !== undefined) assert.equal(error.offset, offset);
    return true;
  });
};

Deno.test("DerReader reads short and long definite lengths (X.690 §8.1.3)", () => {
  const long = new Uint8Array(3 + 200);
  long.set([0x04, 0x81, 200]);
  assert.equal(new DerReader(long).readOctetString().length, 200);
  const longer = new Uint8Array(4 + 300);
  longer.set([0x04, 0x82, 0x01, 0x2c]);
  assert.equal(new DerReader(longer).readOctetString().length, 300);
  assert.deepEqual(encodeDerTlv(0x04, new Uint8Array(300)).subarray(0, 4), hex("04 82 01 2c"));
  assert.deepEqual(encodeDerTlv(0x04, new Uint8Array(127)).subarray(0, 2), hex("04 7f"));
  assert.deepEqual(encodeDerTlv(0x04, new Uint8Array(128)).subarray(0, 3), hex("04 81 80"));
});

Deno.test("DerReader rejects BER lengths: indefinite, non-minimal, leading zero, too large", () => {
  invalid(() => reader("30 80 00 00").readSequence(), 1);
  invalid(() => reader("04 81 05 0102030405").readOctetString(), 1);
  invalid(() => reader("04 82 00 81" + "00".repeat(0x81)).readOctetString(), 1);
  invalid(() => reader("04 85 0000000001 00").readOctetString(), 1);
  invalid(() => reader("04 ff").readOctetString(), 1);
});

Deno.test("DerReader rejects truncation and trailing bytes", () => {
  invalid(() => reader("").readNull(), 0);
  invalid(() => reader("05").readNull(), 1);
  invalid(() => reader("04 03 0102").readOctetString(), 1);
  invalid(() => reader("04 82 01").readOctetString(), 1);
  invalid(() => decodeDer(hex("05 00 00")), 2);
  const r = reader("30 03 05 00 00");
  const seq = r.readSequence();
  seq.readNull();
  invalid(() => seq.end(), 4);
});

Deno.test("DerReader checks tags and rejects high tag numbers and constructed strings", () => {
  invalid(() => reader("05 00").readInteger(), 0);
  invalid(() => reader("1f 22 00").readElement(), 0);
  invalid(() => reader("24 03 04 01 00").readOctetString(), 0);
  invalid(() => reader("23 03 03 01 00").readBitString(), 0);
  const element = reader("a3 02 05 00").readElement();
  assert.equal(element.tagClass, "context");
  assert.equal(element.constructed, true);
  assert.equal(element.tagNumber, 3);
  assert.deepEqual(element.raw, hex("a3 02 05 00"));
});

Deno.test("DerReader reads INTEGER values and rejects non-minimal encodings (X.690 §8.3.2)", () => {
  assert.equal(reader("02 01 00").readInteger(), 0n);
  assert.equal(reader("02 01 7f").readInteger(), 127n);
  assert.equal(reader("02 02 00 80").readInteger(), 128n);
  assert.equal(reader("02 01 80").readInteger(), -128n);
  assert.equal(reader("02 02 ff 7f").readInteger(), -129n);
  assert.equal(reader("02 09 00 ffffffffffffffff").readInteger(), 0xffffffffffffffffn);
  invalid(() => reader("02 00").readInteger(), 0);
  invalid(() => reader("02 02 00 7f").readInteger(), 0);
  invalid(() => reader("02 02 ff 80").readInteger(), 0);
  assert.equal(reader("02 01 05").readSmallInteger(), 5);
  invalid(() => reader("02 08 7fffffffffffffff").readSmallInteger(), 0);
  assert.deepEqual(reader("02 01 00").readUnsignedIntegerBytes(), hex("00"));
  assert.deepEqual(reader("02 03 00 ff 01").readUnsignedIntegerBytes(), hex("ff 01"));
  invalid(() => reader("02 01 ff").readUnsignedIntegerBytes(), 0);
});

Deno.test("encodeDerInteger writes minimal two's complement for every edge", () => {
  const cases: [bigint | number | Uint8Array, string][] = [
    [0, "020100"],
    [127, "02017f"],
    [128, "02020080"],
    [255n, "020200ff"],
    [256n, "02020100"],
    [-1n, "0201ff"],
    [-128n, "020180"],
    [-129n, "0202ff7f"],
    [new Uint8Array([]), "020100"],
    [new Uint8Array([0, 0, 0]), "020100"],
    [new Uint8Array([0, 0x7f]), "02017f"],
    [new Uint8Array([0x80]), "02020080"],
  ];
  for (const [value, expected] of cases) {
    const der = encodeDerInteger(value);
    assert.equal(der.toHex(), expected, String(value));
    if (!(value instanceof Uint8Array)) {
      assert.equal(new DerReader(der).readInteger(), BigInt(value));
    }
  }
  assert.throws(() => encodeDerInteger(1.5), RangeError);
  for (let i = -70000n; i <= 70000n; i += 977n) {
    assert.equal(new DerReader(encodeDerInteger(i)).readInteger(), i);
  }
});

Deno.test("OBJECT IDENTIFIER round trips, including large arcs (X.690 §8.19)", () => {
  const oids = [
    "1.2.840.113549.1.1.1",
    "1.2.840.10045.3.1.7",
    "1.3.132.0.34",
    "1.3.101.112",
    "2.5.4.3",
    "0.9.2342.19200300.100.1.25",
    "2.999.3",
    "2.25.329800735698586629295641978511506172918",
  ];
  for (const oid of oids) assert.equal(new DerReader(encodeDerOid(oid)).readOid(), oid);
  assert.deepEqual(encodeDerOid("1.2.840.10045.2.1"), hex("06 07 2a8648ce3d0201"));
  assert.deepEqual(encodeDerOid("2.999.3"), hex("06 03 883703"));
  invalid(() => reader("06 00").readOid(), 0);
  invalid(() => reader("06 02 2a 86").readOid(), 0);
  invalid(() => reader("06 03 2a 80 01").readOid(), 0);
  invalid(() => reader("06 02 80 01").readOid(), 0);
  for (const bad of ["1", "3.1", "1.40", "1.2.03", "1..2", "a.b"]) {
    assert.throws(() => encodeDerOid(bad), RangeError, bad);
  }
});

Deno.test("BOOLEAN, NULL, OCTET STRING and BIT STRING follow DER (X.690 §11.1, §11.2)", () => {
  assert.equal(reader("01 01 ff").readBoolean(), true);
  assert.equal(reader("01 01 00").readBoolean(), false);
  invalid(() => reader("01 01 01").readBoolean(), 0);
  invalid(() => reader("01 02 0000").readBoolean(), 0);
  assert.deepEqual(encodeDerBoolean(false), hex("01 01 00"));
  reader("05 00").readNull();
  invalid(() => reader("05 01 00").readNull(), 0);
  assert.deepEqual(encodeDerNull(), hex("05 00"));
  assert.deepEqual(reader("04 00").readOctetString(), new Uint8Array());
  assert.deepEqual(encodeDerOctetString(hex("0102")), hex("04 02 0102"));
  assert.deepEqual(reader("03 01 00").readBitString(), { bytes: new Uint8Array(), unusedBits: 0 });
  assert.deepEqual(reader("03 02 04 f0").readBitString().unusedBits, 4);
  invalid(() => reader("03 00").readBitString(), 0);
  invalid(() => reader("03 01 01").readBitString(), 0);
  invalid(() => reader("03 02 08 00").readBitString(), 0);
  invalid(() => reader("03 02 04 f1").readBitString(), 0);
  invalid(() => reader("03 02 01 fe").readBitStringBytes(), 0);
  assert.deepEqual(encodeDerBitString(hex("ff"), 4), hex("03 02 04 f0"));
  assert.throws(() => encodeDerBitString(new Uint8Array(), 1), RangeError);
  assert.throws(() => encodeDerBitString(hex("00"), 8), RangeError);
});

Deno.test("SEQUENCE, SET and context tags nest with correct offsets", () => {
  const der = encodeDerSequence([
    encodeDerContext(0, encodeDerInteger(2)),
    encodeDerSet([encodeDerOid("2.5.4.3"), encodeDerNull()]),
    encodeDerUtf8String("x"),
  ]);
  const outer = new DerReader(der);
  const seq = outer.readSequence();
  outer.end();
  assert.equal(seq.readOptionalContext(1), undefined);
  assert.equal(seq.readContext(0).readSmallInteger(), 2);
  const set = seq.readSet();
  // SET OF is sorted by encoding: NULL (05) before OID (06).
  set.readNull();
  assert.equal(set.readOid(), "2.5.4.3");
  set.end();
  assert.equal(seq.readString(), "x");
  seq.end();
  // Errors deep inside report offsets into the outer input.
  const bad = hex("30 06 30 04 02 02 00 01");
  invalid(() => new DerReader(bad).readSequence().readSequence().readInteger(), 4);
  assert.throws(() => encodeDerContext(31, new Uint8Array()), RangeError);
  invalid(() => DerReader.over(reader("04 00").readElement()), 0);
});

Deno.test("readString decodes each string type and checks its alphabet", () => {
  const tlv = (tag: number, bytes: Uint8Array): DerReader =>
    new DerReader(encodeDerTlv(tag, bytes));
  const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
  assert.equal(tlv(0x0c, ascii("héllo")).readString(), "héllo");
  assert.equal(tlv(0x13, ascii("Acme Ltd.")).readString(), "Acme Ltd.");
  invalid(() => tlv(0x13, ascii("a@b")).readString(), 0);
  assert.equal(tlv(0x16, ascii("a@b.example")).readString(), "a@b.example");
  invalid(() => tlv(0x16, hex("c3a9")).readString(), 0);
  assert.equal(tlv(0x1e, hex("00480069")).readString(), "Hi");
  invalid(() => tlv(0x1e, hex("004800")).readString(), 0);
  assert.equal(tlv(0x1c, hex("0001f600")).readString(), "😀");
  invalid(() => tlv(0x0c, hex("c3")).readString(), 0);
  invalid(() => tlv(0x04, hex("00")).readString(), 0);
});

Deno.test("readTime accepts only DER UTCTime and GeneralizedTime (X.690 §11.7, §11.8)", () => {
  const time = (tag: number, text: string): DerReader =>
    new DerReader(encodeDerTlv(tag, new TextEncoder().encode(text)));
  assert.equal(time(0x17, "491231235959Z").readTime().toISOString(), "2049-12-31T23:59:59.000Z");
  assert.equal(time(0x17, "500101000000Z").readTime().toISOString(), "1950-01-01T00:00:00.000Z");
  assert.equal(time(0x18, "20240229120000Z").readTime().toISOString(), "2024-02-29T12:00:00.000Z");
  assert.equal(
    time(0x18, "20250228191811.1234Z").readTime().toISOString(),
    "2025-02-28T19:18:11.123Z",
  );
  assert.equal(time(0x18, "00010101000000Z").readTime().toISOString(), "0001-01-01T00:00:00.000Z");
  for (
    const [tag, text] of [
      [0x17, "4912312359Z"], // no seconds
      [0x17, "491231235959+0100"], // offset
      [0x17, "491231235959"], // no Z
      [0x18, "20250228191811.10Z"], // trailing zero in fraction
      [0x18, "20250228191811.Z"], // empty fraction
      [0x18, "20250228191811,5Z"], // comma
      [0x18, "20230229000000Z"], // not a leap year
      [0x18, "20251301000000Z"], // month 13
      [0x18, "20250101240000Z"], // hour 24
      [0x18, "20250101000060Z"], // leap second
      [0x04, "20250101000000Z"], // wrong tag
    ] as const
  ) invalid(() => time(tag, text).readTime(), 0);
});

Deno.test("encodeDerTime picks UTCTime for 1950-2049 and GeneralizedTime otherwise", () => {
  const text = (der: Uint8Array): string =>
    `${der[0]} ${new TextDecoder().decode(der.subarray(2))}`;
  assert.equal(text(encodeDerTime(new Date("1950-01-01T00:00:00Z"))), "23 500101000000Z");
  assert.equal(text(encodeDerTime(new Date("2049-12-31T23:59:59Z"))), "23 491231235959Z");
  assert.equal(text(encodeDerTime(new Date("2050-01-01T00:00:00Z"))), "24 20500101000000Z");
  assert.equal(text(encodeDerTime(new Date("1949-12-31T23:59:59Z"))), "24 19491231235959Z");
  assert.equal(text(encodeDerTime(new Date("2030-01-01T00:00:00.5Z"))), "24 20300101000000.5Z");
  assert.equal(
    text(encodeDerTime(new Date("2030-01-01T00:00:00Z"), { form: "generalized" })),
    "24 20300101000000Z",
  );
  assert.throws(() => encodeDerTime(new Date("2060-01-01T00:00:00Z"), { form: "utc" }), RangeError);
  assert.throws(() => encodeDerTime(new Date(Number.NaN)), RangeError);
  for (const iso of ["1999-03-04T05:06:07Z", "2101-01-01T00:00:00.25Z"]) {
    const date = new Date(iso);
    assert.deepEqual(new DerReader(encodeDerTime(date)).readTime(), date);
  }
});

Deno.test("a real SubjectPublicKeyInfo parses element by element", () => {
  // Ed25519 SPKI from RFC 8410 §10.1.
  const der = Uint8Array.fromBase64("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
  const spki = new DerReader(der).readSequence();
  const algorithm = spki.readSequence();
  assert.equal(algorithm.readOid(), "1.3.101.112");
  algorithm.end();
  assert.equal(
    spki.readBitStringBytes().toHex(),
    "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1",
  );
  spki.end();
  // Every truncation is an error, never a partial result.
  for (let n = 0; n < der.length; n++) {
    invalid(() => {
      const r = new DerReader(der.subarray(0, n)).readSequence();
      r.readSequence().readOid();
      r.readBitStringBytes();
      r.end();
    });
  }
});
