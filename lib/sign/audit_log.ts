/**
 * Hash-chained, append-only signing audit log (JSON Lines), gathered in one import: the record
 * format and codec (`audit_record.ts`), append planning with torn-tail repair (`audit_append.ts`),
 * verification (`audit_verify.ts`), an in-memory log and the {@link AuditedSigner} wrapper
 * (`audited_signer.ts`). File I/O lives in `audit_log_file.ts`.
 *
 * Format: one record per line, each line the RFC 8785 canonical JSON of the record followed by
 * `"\n"` (UTF-8). A record is
 * `{ seq, time, keyid, algorithm, payloadType, payloadSha256, subjects, actor, prev }` plus
 * `repairedTornTail: true` when the append that wrote it first removed an incomplete last line.
 * `seq` counts from 1 and equals the record's 1-based line index; `prev` is the lowercase hex
 * SHA-256 of the previous record's exact line bytes (without its newline), `null` for the first.
 * `time` is normalised to UTC (`formatRfc3339`); `subjects` are `alg:hex` digest strings, subject
 * order kept, algorithms sorted within a subject.
 *
 * Verification ({@link verifyAuditLog}) reports the first problem with a stable code and the
 * 1-based index of the record it blames:
 *
 * | code | meaning | index |
 * | --- | --- | --- |
 * | `AUDIT_RECORD_MALFORMED` | a complete line is not a canonical, well-typed record | that line |
 * | `AUDIT_CHAIN_BROKEN` | a `prev` digest does not match: edit, deletion or reordering | see below |
 * | `AUDIT_SEQUENCE_GAP` | the chain holds but `seq` is not previous + 1 | that record |
 * | `AUDIT_TRUNCATED` | the trusted head digest is not among the records | record count + 1 |
 * | `AUDIT_TORN_TAIL` | the last line has no newline (a crashed append); the complete records verify | the torn line |
 *
 * For `AUDIT_CHAIN_BROKEN` the blamed record is worked out from the first broken link between
 * records i-1 and i: if `seq` continues (i = i-1 + 1) and the link after record i holds, record
 * i-1 was edited (index i-1); if the link after record i is broken too, record i itself was
 * edited (index i); if `seq` jumps, records were deleted or reordered before record i (index i).
 * An edit of the very last record is only detectable against a trusted head. A torn tail alone
 * leaves `ok: true` (the complete prefix verifies) but is still reported.
 *
 * @module
 */

export { AUDIT_LOG_CODES } from "../encoding/error_codes.ts";
export type { AuditLogCode } from "../encoding/error_codes.ts";
export type { AuditEntry, AuditRecord } from "./audit_record.ts";
export { planAuditAppend } from "./audit_append.ts";
export type { AuditAppendPlan, PlanAuditAppendOptions } from "./audit_append.ts";
export { verifyAuditLog } from "./audit_verify.ts";
export type { AuditLogReport, VerifyAuditLogOptions } from "./audit_verify.ts";
export { AuditedSigner, describeSignedData, MemoryAuditLog } from "./audited_signer.ts";
export type { AuditedSignerOptions, AuditSink } from "./audited_signer.ts";
