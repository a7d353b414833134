/**
 * Progress and interruption for long CLI runs (`stella forensic verify DIR|FILE.jsonl`):
 *
 * - {@link createProgress}: one self-overwriting line on stderr with counts, rate and ETA,
 *   redrawn at most every 100 ms, only when stderr is a terminal and the command does not print
 *   `--json`; nothing at all otherwise (pipes and logs stay clean and deterministic).
 * - {@link trapInterrupt}: the Ctrl-C contract. The first SIGINT aborts the returned
 *   `AbortSignal` (the command finishes the envelopes in flight, prints a partial summary and
 *   exits {@link INTERRUPTED_EXIT}); a second SIGINT exits 130 at once.
 *
 * @module
 */

import type { Io } from "./_io.ts";

/** Exit status after an interrupt (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT = 130;

/** Default minimum time between two redraws, ms. */
export const PROGRESS_INTERVAL_MS = 100;

/** A progress line; every method is a no-op when progress is disabled. */
export interface Progress {
  /** Whether anything is drawn (stderr is a terminal and not `--json`). */
  readonly enabled: boolean;
  /** Reports `done` items so far (of `total` when known; `failed` of them not verified). */
  update(done: number, total?: number | undefined, failed?: number | undefined): void;
  /** Erases the line (call before printing the summary). */
  finish(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** `--json` was given: draw nothing. */
  json?: boolean | undefined;
  /** Noun for the items (default `envelopes`). */
  label?: string | undefined;
  /** Minimum time between redraws, ms (default {@link PROGRESS_INTERVAL_MS}). */
  intervalMs?: number | undefined;
  /** Monotonic clock in ms (default `performance.now`); tests pass their own. */
  clock?: (() => number) | undefined;
}

/** Formats an integer with thin grouping commas, without Intl (output must not depend on locale). */
export function formatCount(n: number): string {
  const digits = String(Math.max(0, Math.round(n)));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}

/** Formats seconds as `45s`, `12m05s` or `3h07m`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** The text of one progress line (without the carriage return and erase sequence). */
export function formatProgress(
  done: number,
  total: number | undefined,
  failed: number | undefined,
  elapsedMs: number,
  label = "envelopes",
): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  let line = total === undefined
    ? `${formatCount(done)} ${label}`
    : `${formatCount(done)}/${formatCount(total)} ${label} (${
      total > 0 ? Math.floor((done * 100) / total) : 100
    }%)`;
  if (failed !== undefined && failed > 0) line += `, ${formatCount(failed)} failed`;
  line += ` · ${formatCount(rate)}/s`;
  if (total !== undefined && rate > 0 && done < total) {
    line += ` · ETA ${formatEta((total - done) / rate)}`;
  }
  return line;
}

/**
 * Creates the progress line for a command.
 *
 * @param io The command's Io (stderr and whether it is a terminal).
 * @param options `json`, label, redraw interval, clock.
 * @returns The progress line; disabled (draws nothing) on a pipe or with `--json`.
 */
export function createProgress(io: Io, options: ProgressOptions = {}): Progress {
  const enabled = io.stderrIsTerminal && options.json !== true;
  const clock = options.clock ?? (() => performance.now());
  const interval = options.intervalMs ?? PROGRESS_INTERVAL_MS;
  const start = clock();
  let last = -Infinity;
  let drawn = false;
  return {
    enabled,
    update(done, total, failed) {
      if (!enabled) return;
      const now = clock();
      if (now - last < interval && done !== total) return;
      last = now;
      drawn = true;
      io.stderr(`\r\x1b[K${formatProgress(done, total, failed, now - start, options.label)}`);
    },
    finish() {
      if (enabled && drawn) io.stderr("\r\x1b[K");
      drawn = false;
    },
  };
}

/** What {@link trapInterrupt} returns; dispose it (`using`) when the command ends. */
export interface Interrupt extends Disposable {
  /** Aborted by the first SIGINT. */
  readonly signal: AbortSignal;
  /** True once SIGINT arrived. */
  readonly interrupted: boolean;
}

/** Options of {@link trapInterrupt}; tests replace the process hooks. */
export interface TrapInterruptOptions {
  /** How to exit on the second SIGINT (default `Deno.exit`). */
  exit?: ((code: number) => void) | undefined;
  /** Installs a SIGINT handler and returns its remover (default `Deno.addSignalListener`). */
  listen?: ((handler: () => void) => () => void) | undefined;
}

function listenSigint(handler: () => void): () => void {
  try {
    Deno.addSignalListener("SIGINT", handler);
  } catch {
    return () => {}; // No signal support here: Ctrl-C keeps its default behaviour.
  }
  return () => Deno.removeSignalListener("SIGINT", handler);
}

/**
 * Traps Ctrl-C for the duration of a command: the first SIGINT aborts `signal` (the command then
 * stops cleanly, prints a partial summary and returns {@link INTERRUPTED_EXIT}); a second SIGINT
 * exits with status 130 immediately.
 *
 * @param options Process hooks (tests only).
 * @returns The signal, whether SIGINT arrived, and a disposer that removes the handler.
 */
export function trapInterrupt(options: TrapInterruptOptions = {}): Interrupt {
  const exit = options.exit ?? ((code: number) => Deno.exit(code));
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) exit(INTERRUPTED_EXIT);
    else controller.abort(new DOMException("Interrupted", "AbortError"));
  };
  let remove: (() => void) | undefined = (options.listen ?? listenSigint)(handler);
  return {
    signal: controller.signal,
    get interrupted() {
      return controller.signal.aborted;
    },
    [Symbol.dispose]() {
      remove?.();
      remove = undefined;
    },
  };
}
