/**
 * What every command-line program of the kit (descent, export, start, setup, bench) shares, so a
 * user's mistake always ends the same way: one line on stderr naming the option and the value,
 * and exit code 2; never a Node stack trace or a hang.
 *
 *   const OPTIONS = { port: { type: "string" }, help: { type: "boolean", short: "h" } } as const;
 *   runProgram("start", async (argv) => {
 *     const { values } = parseOptions(argv, OPTIONS);
 *     const port = integerOption("port", values.port ?? "8888", 1, 65535);
 *     …
 *     return 0;
 *   });
 */
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A user's mistake: runProgram prints `<program>: <message>` as one line and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, " "));
    this.name = "UsageError";
  }
}

/**
 * A failure the program can explain in one line — a command it ran failed (its own output above
 * says why), a file it cannot write: exit code 1, no stack trace.
 */
export class ProgramError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, " "));
    this.name = "ProgramError";
  }
}

/** The file system's refusals (permission, read-only, full disk) are the user's to fix, not bugs. */
const FILE_SYSTEM_REFUSALS = new Set(["EACCES", "EPERM", "EROFS", "ENOSPC"]);

function describeFailure(error: unknown): string | undefined {
  if (error instanceof ProgramError) return error.message;
  const { code, path: file } = error as { code?: string; path?: string };
  if (typeof code === "string" && FILE_SYSTEM_REFUSALS.has(code)) {
    const where = typeof file === "string" ? ` ${path.relative(process.cwd(), file) || file}` : "";
    return `cannot write${where} (${code}): make it writable (or work in a writable copy of the kit) and run again`;
  }
  return undefined;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** What parseOptions returns: parseArgs's precisely typed values (and positionals). */
export type ParsedOptions<O extends Options, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: P; strict: true }>
>;

/**
 * node:util's parseArgs in strict mode, its errors (unknown option, missing value, a value given
 * to a flag, an unexpected argument) turned into one-line UsageErrors.
 */
export function parseOptions<const O extends Options, const P extends boolean = false>(
  argv: readonly string[],
  options: O,
  allowPositionals?: P,
): ParsedOptions<O, P> {
  try {
    return parseArgs({
      args: [...argv],
      options,
      allowPositionals: (allowPositionals ?? false) as P,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error, options));
  }
}

function describeParseError(error: unknown, options: Options): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted} (--help lists the options)`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${JSON.stringify(quoted)} (--help lists the options)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      // "-p, --port <value>": name the long form.
      const option = /--[\w-]+/.exec(quoted)?.[0] ?? /-\w/.exec(quoted)?.[0] ?? quoted;
      if (/does not take an argument/.test(message)) return `${option} takes no value, got one`;
      // parseArgs reads "-l=-5" as the value "=-5": only the long form takes "=" (--learning-rate=-5).
      const short = /^-(\w)$/.exec(option)?.[1];
      const long = Object.entries(options).find(
        ([, config]) => short !== undefined && config.short === short,
      )?.[0];
      const longForm = long === undefined ? option : `--${long}`;
      return `${option} needs a value (for a value starting with "-", write ${longForm}=<value>)`;
    }
    default:
      return message;
  }
}

/** A plain decimal number: digits with an optional sign, point and exponent ("-2", ".5", "1e-6"). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The finite number `text` spells as a plain decimal; hexadecimal ("0x10"), binary, "Infinity",
 * blanks (" 5", ""), a dangling exponent ("1e") and anything beyond ±1.8e308 are refused, naming
 * the option and the value.
 */
export function numberOption(option: string, text: string): number {
  const value = Number(text);
  if (!DECIMAL.test(text)) {
    throw new UsageError(
      `--${option} must be a number, got ${JSON.stringify(text)} (plain decimals: 2, -0.5, 1e-3)`,
    );
  }
  if (!Number.isFinite(value)) {
    throw new UsageError(`--${option} is beyond the largest number (±1.8e308), got ${text}`);
  }
  return value;
}

/** A whole number from `min` to `max` written as a plain decimal ("1000", "1e6"). */
export function integerOption(option: string, text: string, min: number, max: number): number {
  const value = numberOption(option, text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, got ${text}`);
  }
  return value;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "not permitted",
    EROFS: "read-only file system",
    ENOENT: "no such file or folder",
    ENOTDIR: "a part of the path is a file, not a folder",
    EISDIR: "it is a folder",
    ENOSPC: "no space left on the device",
    EEXIST: "it exists already",
  };
  return (code && known[code]) ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Makes `dir` (and missing parents) exist and be writable, one level at a time: Node's recursive
 * mkdir loops forever under /proc. A UsageError names the option and the path otherwise.
 */
export function writableFolder(option: string, dir: string, given = dir): string {
  if (dir.trim() === "") throw new UsageError(`--${option} must name a folder, got ${JSON.stringify(dir)}`);
  const resolved = path.resolve(dir);
  const missing: string[] = [];
  let existing = resolved;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  let where = resolved;
  let action = "cannot create";
  try {
    if (!statSync(existing).isDirectory()) {
      throw new UsageError(`--${option} ${JSON.stringify(given)}: ${existing} is a file, not a folder`);
    }
    for (const folder of missing) {
      where = folder;
      mkdirSync(folder);
    }
    where = resolved;
    action = "cannot write to";
    accessSync(resolved, constants.W_OK);
    // access() says yes to root everywhere, /proc included: try an actual file.
    const probe = path.join(resolved, `.write-test-${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--${option} ${JSON.stringify(given)}: ${action} ${where}: ${reason(error)}`);
  }
  return resolved;
}

/**
 * The absolute path of an output file named by `--option`, ending in `extension`, whose folder
 * exists (created if needed) and is writable; not a folder itself.
 */
export function outputFile(option: string, file: string, extension: string): string {
  if (!file.toLowerCase().endsWith(extension)) {
    throw new UsageError(`--${option} must name a ${extension} file, got ${JSON.stringify(file)}`);
  }
  const resolved = path.resolve(file);
  if (existsSync(resolved) && statSync(resolved).isDirectory()) {
    throw new UsageError(`--${option} ${JSON.stringify(file)} is a folder; name a file in it instead`);
  }
  writableFolder(option, path.dirname(resolved), file);
  return resolved;
}

/** Writes a file named by `--option`, a failure (disk full, permissions) as a UsageError naming it. */
export function writeOutput(option: string, write: () => string): string {
  try {
    return write();
  } catch (error) {
    if (!(error as NodeJS.ErrnoException).code) throw error;
    throw new UsageError(`--${option}: cannot write the file: ${reason(error)}`);
  }
}

/** Whether a browser window can open here: macOS and Windows always, elsewhere an X11 or Wayland display. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    process.platform === "darwin" ||
    process.platform === "win32" ||
    Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
  );
}

/**
 * Output read by a reader that went away (`npm run descent | head`) is dropped, the work goes on:
 * without this, the next write kills the program with an EPIPE stack trace.
 */
export function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
      throw error;
    });
  }
}

const INTERRUPTS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * On Ctrl+C (SIGINT), SIGTERM or SIGHUP: awaits `stop` once (later signals are ignored meanwhile;
 * tsx relays the terminal's SIGINT a second time), then exits with 128 + the signal's number.
 */
export function onInterrupt(stop: (signal: NodeJS.Signals) => Promise<void> | void): void {
  let stopping = false;
  for (const signal of INTERRUPTS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      Promise.resolve()
        .then(() => stop(signal))
        .catch((error: unknown) => console.error(error instanceof Error ? error.message : error))
        .finally(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
}

/**
 * Runs a program's main: its exit code becomes the process's; a UsageError is printed as
 * `<name>: <message>` (one line) with exit code 2; anything else is a bug, printed whole, exit 1.
 */
export function runProgram(name: string, main: (argv: string[]) => number | Promise<number>): void {
  ignoreClosedOutput();
  const fail = (error: unknown): void => {
    const failure = describeFailure(error);
    if (error instanceof UsageError) {
      console.error(`${name}: ${error.message}`);
      process.exitCode = 2;
    } else if (failure !== undefined) {
      console.error(`${name}: ${failure}`);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  };
  try {
    Promise.resolve(main(process.argv.slice(2))).then((code) => (process.exitCode = code), fail);
  } catch (error) {
    fail(error);
  }
}
