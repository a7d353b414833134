/**
 * Passwords of encrypted key files: from an environment variable (`--password-env NAME`), or,
 * when the variable is unset and standard input is a terminal, typed at a prompt without echo.
 * Never from argv. Without either, the command stops with a message naming the variable. The
 * prompt itself is `Io.promptPassword` (`promptTerminalPassword` in `_io.ts`).
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
