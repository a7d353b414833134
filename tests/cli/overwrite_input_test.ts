/**
 * No command writes its output over one of its own inputs: `--out` (or `--signature-out`) naming
 * an input file (or a file of an input directory) is exit 2, naming both, and the input is left
 * byte for byte as it was. An output written over the evidence it was made from would lose it.
 */
import assert from "node:assert/strict";
import { ROOT, runCli, withTempDir } from "./_io.ts";

const NEG = `${ROOT}/fixtures/negative`;
const KEY = `${NEG}/keys/test-only-ed25519-a.pem`;
const PUB = `${NEG}/keys/test-only-ed25519-a.pub.pem`;
const NOW = ["--now", "2026-03-01T00:00:00Z"];
const IMAGE = `registry.example/app:1.0@sha256:${"a".repeat(64)}`;

Deno.test("--out naming one of the command's inputs is exit 2 and leaves the input as it was", async () => {
  await withTempDir(async (dir) => {
    const copy = async (from: string, name: string) => {
      await Deno.copyFile(from, `${dir}/${name}`);
      return `${dir}/${name}`;
    };
    const statement = await copy(`${ROOT}/fixtures/statements/promotion.statement.json`, "s.json");
    const envelope = await copy(`${NEG}/valid.ed25519.dsse.json`, "e.dsse.json");
    const pub = await copy(PUB, "k.pub.pem");
    const sbom = await copy(`${ROOT}/fixtures/sample/sbom.cdx.json`, "sbom.json");
    const vex = await copy(`${ROOT}/fixtures/sample/vex.openvex.json`, "vex.json");
    const params = `${dir}/params.json`;
    await Deno.writeTextFile(params, '{"source":"git+https://example.com/app"}');
    const ring = `${dir}/ring.json`;
    await Deno.writeTextFile(ring, '{"keys":[]}');
    await Deno.mkdir(`${dir}/envelopes`);
    const inDir = await copy(`${NEG}/valid.ed25519.dsse.json`, "envelopes/a.dsse.json");
    const verify = (input: string, out: string) => [
      "forensic",
      "verify",
      input,
      "--key",
      pub,
      ...NOW,
      "--out",
      out,
    ];
    const append = (out: string) => [
      "timeline",
      "append",
      "--previous",
      envelope,
      "--out",
      out,
      "--type",
      "moved",
      "--event-actor",
      "a",
      "--key",
      KEY,
    ];
    const cases: [string, string[], string][] = [
      ["sign", [
        "sign",
        statement,
        "--payload-type",
        "application/vnd.in-toto+json",
        "--key",
        KEY,
        "--out",
        statement,
      ], statement],
      [
        "attest promotion",
        [
          "attest",
          "promotion",
          "--image",
          IMAGE,
          "--sbom",
          sbom,
          "--vex",
          vex,
          "--from",
          "qa",
          "--to",
          "prod",
          "--approver",
          "alice",
          "--key",
          KEY,
          "--promoted-at",
          "2026-01-01T00:00:00Z",
          "--out",
          sbom,
        ],
        sbom,
      ],
      ["forensic verify (envelope)", verify(envelope, envelope), envelope],
      ["forensic verify (trusted key)", verify(envelope, pub), pub],
      ["forensic verify (file of a directory)", verify(`${dir}/envelopes`, inDir), inDir],
      [
        "timeline append --signature-out",
        [...append(`${dir}/next.dsse.json`), "--signature-out", envelope],
        envelope,
      ],
      [
        "timestamp request",
        ["timestamp", "request", envelope, "--out", envelope, "--force"],
        envelope,
      ],
      ["merkle prove", ["merkle", "prove", sbom, vex, "--leaf", sbom, "--out", vex], vex],
      ["trust init", ["trust", "init", "--key", pub, "--out", pub, "--force"], pub],
      [
        "attest provenance",
        [
          "attest",
          "provenance",
          "--subject-file",
          sbom,
          "--build-type",
          "https://example.com/build/v1",
          "--builder-id",
          "https://example.com/builder",
          "--external-parameters",
          params,
          "--key",
          KEY,
          "--out",
          params,
        ],
        params,
      ],
      ["keys rotate", ["keys", "rotate", "--ring", ring, "--key", pub, "--out", pub], pub],
      [
        "forensic verify BUNDLE",
        ["forensic", "verify", envelope, "--trusted-root", params, "--key", pub, "--out", pub],
        pub,
      ],
      [
        "timeline append --out",
        append(envelope),
        envelope,
      ],
    ];
    for (const [name, args, input] of cases) {
      const before = await Deno.readFile(input);
      const result = await runCli(args);
      assert.equal(result.status, 2, `${name}: ${result.stderr}${result.stdout}`);
      assert.match(
        result.stderr,
        /^stella: Refusing to write --(signature-)?out ".+" over the input ".+": /,
        name,
      );
      assert.deepEqual(await Deno.readFile(input), before, name);
    }
    // A new file in an input directory is not an input: allowed.
    const fresh = await runCli(verify(`${dir}/envelopes`, `${dir}/envelopes/.report.json`));
    assert.equal(fresh.status, 0, fresh.stderr);
  });
});
