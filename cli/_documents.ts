/**
 * SBOM and VEX inputs of `stella attest promotion`: each file is read (at most 256 MiB), its kind
 * and media type detected with {@link detectDocumentType}, and recorded by base name with that
 * media type. An empty, non-JSON or unrecognised file, or one of the other role, stops the command
 * (exit 2) naming the file and what was expected, unless `--sbom-media-type` / `--vex-media-type`
 * names the type: then the files are streamed as they are, unparsed, with that media type.
 *
 * @module
 */

import { ParseError } from "../lib/encoding/errors.ts";
import { detectDocumentType, type DocumentRole } from "../lib/model/document_type.ts";
import type { AttestDocument } from "../lib/sign/attest.ts";
import { openDocuments } from "./_attest.ts";
import { CliError, type Io } from "./_io.ts";

/** Largest SBOM or VEX file that is parsed to detect its type. */
const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** A media type `type/subtype` (RFC 6838 §4.2 restricted names, optional `+suffix`). */
const MEDIA_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/**
 * Opens the `--sbom` or `--vex` files as attest documents with their detected media type, or
 * with `mediaType` (the flag's value) when given.
 */
export async function loadDocuments(
  io: Io,
  paths: readonly string[],
  role: DocumentRole,
  mediaType: string | undefined,
): Promise<AttestDocument[]> {
  const flag = `--${role}-media-type`;
  if (mediaType !== undefined) {
    if (!MEDIA_TYPE.test(mediaType)) {
      throw new CliError(
        `Cannot parse ${flag} "${mediaType}": use a media type such as application/vnd.cyclonedx+json`,
      );
    }
    return openDocuments(io, paths).map((document) => ({ ...document, mediaType }));
  }
  const documents: AttestDocument[] = [];
  for (const path of paths) {
    const bytes = await io.readFile(path, { maxBytes: MAX_DOCUMENT_BYTES });
    try {
      const found = detectDocumentType(bytes, { name: path, role, maxBytes: MAX_DOCUMENT_BYTES });
      documents.push({
        ...openDocuments(io, [path])[0]!,
        content: bytes,
        mediaType: found.mediaType,
      });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      throw new CliError(`${error.message} (or pass ${flag} TYPE)`);
    }
  }
  return documents;
}
