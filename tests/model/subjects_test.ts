import assert from "node:assert/strict";
import { canonicalize, exportSubject, jobSubject, orchestratorSubject } from "../../mod.ts";
import { merkleRootOfDigests, sha256 } from "../../lib/digest/mod.ts";
import { encodeHex, encodeUtf8 } from "../../lib/encoding/mod.ts";
import {
  MERKLE_DIGEST_ALGORITHM,
  SUBJECT_NAME_PREFIX,
  validateResourceDescriptor,
} from "../../lib/model/mod.ts";

const hex = (bytes: Uint8Array): string => encodeHex(sha256(bytes));

Deno.test("every subject helper names under SUBJECT_NAME_PREFIX; exports key their root MERKLE_DIGEST_ALGORITHM", () => {
  const subjects = [
    orchestratorSubject({ cluster: "c", runId: "r", record: {} }),
    jobSubject({ pipeline: "p", jobId: "j", record: {} }),
    exportSubject({ exportId: "e", archive: new Uint8Array(), fileDigests: [] }),
  ];
  for (const subject of subjects) {
    assert.ok(subject.name!.startsWith(SUBJECT_NAME_PREFIX), subject.name);
  }
  assert.deepEqual(
    subjects.map((subject) => Object.keys(subject.digest!).sort()),
    [["sha256"], ["sha256"], [MERKLE_DIGEST_ALGORITHM, "sha256"].sort()],
  );
  // A consumer that reads digest[MERKLE_DIGEST_ALGORITHM] gets the RFC 9162 root of the files.
  const file = hex(encodeUtf8("f"));
  const subject = exportSubject({ exportId: "e", archive: new Uint8Array(), fileDigests: [file] });
  assert.equal(
    `sha256:${subject.digest![MERKLE_DIGEST_ALGORITHM]}`,
    merkleRootOfDigests([`sha256:${file}`]),
  );
});

Deno.test("orchestratorSubject() names the run and hashes the canonical run record", () => {
  const record = { runId: "r-42", cluster: "eu-1", steps: [{ n: 1.5e21 }, "é"] };
  const subject = orchestratorSubject({ cluster: "eu-1", runId: "r-42", record });
  assert.deepEqual(subject, {
    name: "stella://orchestrator/eu-1/runs/r-42",
    digest: { sha256: hex(encodeUtf8(canonicalize(record))) },
  });
  assert.equal(
    subject.digest?.sha256,
    hex(encodeUtf8('{"cluster":"eu-1","runId":"r-42","steps":[{"n":1.5e+21},"é"]}')),
  );
  assert.deepEqual(validateResourceDescriptor(subject), []);
});

Deno.test("jobSubject() names the job and hashes the canonical job record", () => {
  const subject = jobSubject({ pipeline: "release", jobId: "build-7", record: { exitCode: 0 } });
  assert.deepEqual(subject, {
    name: "stella://jobs/release/build-7",
    digest: { sha256: hex(encodeUtf8('{"exitCode":0}')) },
  });
  assert.equal(
    jobSubject({ pipeline: "p", jobId: "j", record: null }).digest?.sha256,
    "74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b", // sha256("null")
  );
});

Deno.test("subject names percent-encode each segment", () => {
  assert.equal(
    jobSubject({ pipeline: "team/app", jobId: "a b?#%", record: {} }).name,
    "stella://jobs/team%2Fapp/a%20b%3F%23%25",
  );
  assert.equal(
    orchestratorSubject({ cluster: "é", runId: "x.y_z~1", record: {} }).name,
    "stella://orchestrator/%C3%A9/runs/x.y_z~1",
  );
});

Deno.test("subject helpers reject misuse", () => {
  for (const bad of ["", ".", ".."]) {
    assert.throws(() => jobSubject({ pipeline: bad, jobId: "j", record: {} }), RangeError);
    assert.throws(
      () => exportSubject({ exportId: bad, archive: new Uint8Array(), fileDigests: [] }),
      RangeError,
    );
  }
  assert.throws(() => jobSubject({ pipeline: "p", jobId: "\ud800", record: {} }), RangeError);
  assert.throws(
    () => orchestratorSubject({ cluster: 1, runId: "r", record: {} } as never),
    TypeError,
  );
  assert.throws(() => orchestratorSubject(null as never), TypeError);
  assert.throws(() => jobSubject({ pipeline: "p", jobId: "j" } as never), TypeError);
  assert.throws(() => jobSubject({ pipeline: "p", jobId: "j", record: { f: () => 1 } } as never));
});

Deno.test("exportSubject() carries the archive sha256 and the Merkle root of its file digests", () => {
  const fileDigests = ["b/2.json", "a.txt", "b/10.json"].map((path) =>
    hex(encodeUtf8(`content of ${path}`))
  );
  const archive = encodeUtf8("tar bytes");
  const subject = exportSubject({ exportId: "exp-2025-01", archive, fileDigests });
  const root = merkleRootOfDigests(fileDigests.map((d) => `sha256:${d}`));
  assert.deepEqual(subject, {
    name: "stella://exports/exp-2025-01",
    digest: { merkleSha256: root.slice("sha256:".length), sha256: hex(archive) },
  });
  assert.deepEqual(validateResourceDescriptor(subject), []);
  // Order and duplicates do not matter: the root commits to the set of file contents.
  assert.deepEqual(
    exportSubject({
      exportId: "exp-2025-01",
      archive,
      fileDigests: [...fileDigests].reverse().concat(fileDigests[0]!),
    }),
    subject,
  );
});

Deno.test("exportSubject() Merkle root follows RFC 9162 for one and zero files", () => {
  const one = hex(encodeUtf8("x"));
  // One leaf: the root is the leaf hash SHA-256(0x00 || "sha256:<hex>").
  const leaf = hex(new Uint8Array([0, ...encodeUtf8(`sha256:${one}`)]));
  assert.equal(
    exportSubject({ exportId: "e", archive: new Uint8Array(), fileDigests: [one] }).digest
      ?.merkleSha256,
    leaf,
  );
  assert.equal(
    exportSubject({ exportId: "e", archive: new Uint8Array(), fileDigests: [] }).digest
      ?.merkleSha256,
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

Deno.test("exportSubject() rejects bad file digests", () => {
  const sha = "00".repeat(32);
  const call = (fileDigests: unknown) => () =>
    exportSubject({ exportId: "e", archive: new Uint8Array(), fileDigests: fileDigests as never });
  assert.throws(call([sha.replace("0", "A")]), TypeError);
  assert.throws(call(["00"]), TypeError);
  assert.throws(call([`sha256:${sha}`]), TypeError);
  assert.throws(call([null]), TypeError);
  assert.throws(call("x"), TypeError);
  assert.throws(
    () => exportSubject({ exportId: "e", archive: [1] as never, fileDigests: [] }),
    TypeError,
  );
});
