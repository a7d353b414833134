/**
 * Passwords of encrypted key files: from an environment variable (`--password-env NAME`), or,
 * when the variable is unset and standard input is a terminal, typed at a prompt without echo.
 * Never from argv. Without either, the command stops with a message naming the variable.
 *
 * @module
 */

import { CliError, type Io } from "./_io.ts";

/** Where a password comes from, and what it is for (used in messages and the prompt). */
export interface PasswordSource {
  /** Environment variable to read first. */
  variable: string;
  /** The key file the password is for. */
  path: string;
  /** `decrypt` an existing key, or `encrypt` a new one (asks twice, refuses an empty one). */
  purpose: "decrypt" | "encrypt";
}

/**
 * Reads the password of `source.path`: `$variable` when set, else a no-echo prompt on a
 * terminal, else a {@link CliError} naming the variable.
 */
export async function readPassword(io: Io, source: PasswordSource): Promise<string> {
  const { variable, path, purpose } = source;
  const fromEnv = io.env(variable);
  let password: string;
  if (fromEnv !== undefined) {
    password = fromEnv;
  } else if (io.promptPassword !== undefined) {
    password = await io.promptPassword(
      purpose === "decrypt" ? `Password for "${path}": ` : `Password for the new key "${path}": `,
    );
    if (purpose === "encrypt") {
      const again = await io.promptPassword("Repeat the password: ");
      if (again !== password) {
        throw new CliError(`Cannot encrypt "${path}": the two passwords differ`);
      }
    }
  } else {
    throw new CliError(
      `Cannot ${purpose} "${path}": set the password in $${variable}`,
    );
  }
  if (purpose === "encrypt" && password === "") {
    throw new CliError(`Cannot encrypt "${path}": the password is empty`);
  }
  return password;
}

/**
 * Reads a line from a terminal without echo (`Deno.stdin.setRaw`), writing `prompt` to standard
 * error. Backspace erases; Ctrl-C or Ctrl-D on an empty line cancels (exit 2).
 */
export async function promptTerminalPassword(prompt: string): Promise<string> {
  const encoder = new TextEncoder();
  Deno.stderr.writeSync(encoder.encode(prompt));
  const bytes: number[] = [];
  const buffer = new Uint8Array(64);
  Deno.stdin.setRaw(true);
  try {
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        if (byte === 0x0d || byte === 0x0a) return new TextDecoder().decode(new Uint8Array(bytes));
        if (byte === 0x03 || (byte === 0x04 && bytes.length === 0)) {
          throw new CliError("Cancelled at the password prompt");
        }
        if (byte === 0x7f || byte === 0x08) bytes.pop();
        else if (byte >= 0x20 || byte === 0x09) bytes.push(byte);
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  } finally {
    buffer.fill(0);
    bytes.fill(0);
    Deno.stdin.setRaw(false);
    Deno.stderr.writeSync(encoder.encode("\n"));
  }
}
