// Issue 17 item 4: `stella attest promotion` parses --sbom and --vex, records the detected media
// type of each, and refuses an empty, random, non-JSON or unrecognised file (exit 2, naming the
// file and what was expected) unless --sbom-media-type / --vex-media-type names the type.
import assert from "node:assert/strict";
import { ROOT, runCli } from "./_io.ts";
import { parseEnvelope, parseJson, type PromotionPredicate, type Statement } from "../../mod.ts";
import { sha256 } from "../../lib/digest/mod.ts";
import { CSAF_VEX, CYCLONEDX, CYCLONEDX_VEX, OPENVEX, SPDX2, SPDX3 } from "../model/_documents.ts";

const KEY = `${ROOT}/fixtures/keys/test-only-ed25519.pem`;
const IMAGE = `registry.example/app:1.0@sha256:${"ab".repeat(32)}`;

function args(sbom: string[], vex: string[], extra: string[] = []): string[] {
  return [
    "attest",
    "promotion",
    "--image",
    IMAGE,
    ...sbom.flatMap((f) => ["--sbom", f]),
    ...vex.flatMap((f) => ["--vex", f]),
    "--from",
    "staging",
    "--to",
    "prod",
    "--approver",
    "alice",
    "--promoted-at",
    "2026-03-01T10:00:00Z",
    "--key",
    KEY,
    ...extra,
  ];
}

function materials(stdout: string): PromotionPredicate["materials"] {
  const statement = parseJson(parseEnvelope(stdout).payloadBytes) as unknown as Statement<
    PromotionPredicate
  >;
  return statement.predicate.materials;
}

async function withDocs(
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "stella-docs-" });
  try {
    const write = (name: string, value: unknown) =>
      Deno.writeTextFile(`${dir}/${name}`, JSON.stringify(value, null, 2));
    await write("bom.json", CYCLONEDX);
    await write("sbom.spdx2.json", SPDX2);
    await write("sbom.spdx3.json", SPDX3);
    await write("vex.json", OPENVEX);
    await write("csaf.json", CSAF_VEX);
    await write("cdx-vex.json", CYCLONEDX_VEX);
    await Deno.writeFile(`${dir}/empty.json`, new Uint8Array());
    const random = new Uint8Array(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    await Deno.writeFile(`${dir}/random.bin`, random);
    await Deno.writeTextFile(`${dir}/other.json`, '{"name":"app","version":"1.0"}');
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("stella attest promotion records the detected media type of every SBOM and VEX kind", async () => {
  await withDocs(async (dir) => {
    const result = await runCli(args(
      [`${dir}/bom.json`, `${dir}/sbom.spdx2.json`, `${dir}/sbom.spdx3.json`],
      [`${dir}/vex.json`, `${dir}/csaf.json`, `${dir}/cdx-vex.json`],
    ));
    assert.equal(result.status, 0, result.stderr);
    const expected = [
      ["bom.json", "application/vnd.cyclonedx+json", "sbom"],
      ["sbom.spdx2.json", "application/spdx+json", "sbom"],
      ["sbom.spdx3.json", "application/spdx+json", "sbom"],
      ["vex.json", "application/openvex+json", "vex"],
      ["csaf.json", "application/csaf+json", "vex"],
      ["cdx-vex.json", "application/vnd.cyclonedx+json", "vex"],
    ];
    const found = materials(result.stdout);
    assert.deepEqual(
      found.map((m) => [m.name, m.mediaType, m.annotations.role]),
      expected,
    );
    for (const m of found) {
      assert.equal(m.digest.sha256, sha256(await Deno.readFile(`${dir}/${m.name}`)).toHex());
    }
  });
});

Deno.test("stella attest promotion refuses an empty, random, non-JSON or unrecognised --sbom/--vex (exit 2, file named)", async () => {
  await withDocs(async (dir) => {
    const sbomExpected =
      "expected CycloneDX JSON or SPDX 2.x/3 JSON (or pass --sbom-media-type TYPE)";
    const vexExpected =
      "expected OpenVEX, CSAF VEX or CycloneDX VEX JSON (or pass --vex-media-type TYPE)";
    const cases: [string[], string[], string | RegExp][] = [
      [
        [`${dir}/empty.json`],
        [`${dir}/vex.json`],
        `stella: Cannot use SBOM "${dir}/empty.json": the file is empty; ${sbomExpected}\n`,
      ],
      [
        [`${dir}/bom.json`],
        [`${dir}/empty.json`],
        `stella: Cannot use VEX document "${dir}/empty.json": the file is empty; ${vexExpected}\n`,
      ],
      [
        [`${dir}/random.bin`],
        [`${dir}/vex.json`],
        new RegExp(
          `^stella: Cannot use SBOM "${dir}/random\\.bin": it is not (JSON|UTF-8 text) \\(.*\\); ${
            sbomExpected.replace(/[()/.]/g, "\\$&")
          }\\n$`,
        ),
      ],
      [
        [`${dir}/bom.json`],
        [`${dir}/random.bin`],
        /^stella: Cannot use VEX document ".*\/random\.bin": it is not (JSON|UTF-8 text) /,
      ],
      [
        [`${dir}/other.json`],
        [`${dir}/vex.json`],
        `stella: Cannot use SBOM "${dir}/other.json": it is JSON but none of these formats; ${sbomExpected}\n`,
      ],
      [
        [`${dir}/bom.json`],
        [`${dir}/other.json`],
        `stella: Cannot use VEX document "${dir}/other.json": it is JSON but none of these formats; ${vexExpected}\n`,
      ],
      [
        [`${dir}/vex.json`],
        [`${dir}/vex.json`],
        `stella: Cannot use SBOM "${dir}/vex.json": it is an OpenVEX document; ${sbomExpected}\n`,
      ],
      [
        [`${dir}/bom.json`],
        [`${dir}/bom.json`],
        `stella: Cannot use VEX document "${dir}/bom.json": it is a CycloneDX BOM without a vulnerabilities array; ${vexExpected}\n`,
      ],
    ];
    for (const [sbom, vex, stderr] of cases) {
      const result = await runCli(args(sbom, vex, ["--out", `${dir}/out.json`]));
      assert.equal(result.status, 2, `${sbom} ${vex}`);
      assert.equal(result.stdout, "");
      if (typeof stderr === "string") assert.equal(result.stderr, stderr);
      else assert.match(result.stderr, stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
    assert.equal(await Deno.stat(`${dir}/out.json`).catch(() => undefined), undefined);
  });
});

Deno.test("stella attest promotion --sbom-media-type / --vex-media-type record any file with the given type, unparsed", async () => {
  await withDocs(async (dir) => {
    const result = await runCli(args([`${dir}/random.bin`], [`${dir}/empty.json`], [
      "--sbom-media-type",
      "application/vnd.example.sbom",
      "--vex-media-type",
      "application/vnd.example.vex+json",
    ]));
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(materials(result.stdout).map((m) => [m.name, m.mediaType, m.digest.sha256]), [
      [
        "random.bin",
        "application/vnd.example.sbom",
        sha256(await Deno.readFile(`${dir}/random.bin`)).toHex(),
      ],
      ["empty.json", "application/vnd.example.vex+json", sha256(new Uint8Array()).toHex()],
    ]);
    assert.deepEqual(
      await runCli(
        args([`${dir}/bom.json`], [`${dir}/vex.json`], ["--sbom-media-type", "cyclonedx"]),
      ),
      {
        status: 2,
        stdout: "",
        stderr:
          'stella: Cannot parse --sbom-media-type "cyclonedx": use a media type such as application/vnd.cyclonedx+json\n',
      },
    );
  });
});
