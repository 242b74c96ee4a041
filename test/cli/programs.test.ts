/**
 * Every program's answer to a user's mistake, as one table: exit code 2 and exactly one line on
 * stderr, starting with the program's name and naming the mistake; nothing on stdout, no stack
 * trace, no hang (each run is stopped after 60 s). Add a row for every new option or program.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { runTool } from "../support/tools";

const PROGRAMS = {
  descent: "src/tools/descent.ts",
  export: "src/tools/export.ts",
  start: "src/tools/start.ts",
  setup: "src/tools/setup.ts",
  bench: "test/bench/run.ts",
} as const;

const scratch = mkdtempSync(path.join(os.tmpdir(), "gd-programs-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const folderNamedHtml = path.join(scratch, "figure.html");
mkdirSync(folderNamedHtml);
const notANotebook = path.join(scratch, "broken.ipynb");
writeFileSync(notANotebook, "{ this is not JSON");
const pythonNotebook = path.join(scratch, "python.ipynb");
writeFileSync(
  pythonNotebook,
  JSON.stringify({
    cells: [],
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  }),
);
const aFile = path.join(scratch, "a-file.txt");
writeFileSync(aFile, "");

interface Row {
  program: keyof typeof PROGRAMS;
  args: string[];
  message: RegExp;
  env?: NodeJS.ProcessEnv;
  /** For rows whose program another branch fixes: reported, not failed, until it lands. */
  todo?: string;
}

const NO_DISPLAY = { DISPLAY: "", WAYLAND_DISPLAY: "" };

const ROWS: Row[] = [
  // descent: options
  { program: "descent", args: ["--speed", "3"], message: /unknown option --speed/ },
  { program: "descent", args: ["-q"], message: /unknown option -q/ },
  { program: "descent", args: ["north"], message: /unexpected argument "north"/ },
  { program: "descent", args: ["--iterations"], message: /--iterations needs a value/ },
  { program: "descent", args: ["-l"], message: /--learning-rate needs a value/ },
  // The hint must be a form the parser accepts: "-l=-5" would read the value "=-5".
  { program: "descent", args: ["-l", "-5"], message: /-l needs a value .*write --learning-rate=<value>/ },
  { program: "descent", args: ["--x", "--y", "2"], message: /--x needs a value .*--x=<value>/ },
  { program: "descent", args: ["--show=yes"], message: /--show takes no value/ },
  // descent: numbers are plain decimals
  {
    program: "descent",
    args: ["-i", "0x10"],
    message: /--iterations must be a number, got "0x10" \(plain decimals/,
  },
  {
    program: "descent",
    args: ["-i", "0b11"],
    message: /--iterations must be a number, got "0b11" \(plain decimals/,
  },
  {
    program: "descent",
    args: ["-l", ""],
    message: /--learning-rate must be a number, got "" \(plain decimals/,
  },
  {
    program: "descent",
    args: ["-l", "1e"],
    message: /--learning-rate must be a number, got "1e" \(plain decimals/,
  },
  { program: "descent", args: ["-x", " 5"], message: /--x must be a number, got " 5" \(plain decimals/ },
  { program: "descent", args: ["-x", "5 "], message: /--x must be a number, got "5 " \(plain decimals/ },
  {
    program: "descent",
    args: ["-y", "Infinity"],
    message: /--y must be a number, got "Infinity" \(plain decimals/,
  },
  { program: "descent", args: ["-y", "NaN"], message: /--y must be a number, got "NaN" \(plain decimals/ },
  {
    program: "descent",
    args: ["--x", "north"],
    message: /--x must be a number, got "north" \(plain decimals/,
  },
  { program: "descent", args: ["--x=1_000"], message: /--x must be a number, got "1_000" \(plain decimals/ },
  { program: "descent", args: ["-x", "1e400"], message: /--x is beyond the largest number .*1e400/ },
  {
    program: "descent",
    args: ["--learning-rate", "abc"],
    message: /--learning-rate must be a number, got "abc"/,
  },
  {
    program: "descent",
    args: ["--learning-rate=-1"],
    message: /--learning-rate must be a finite positive number, got -1/,
  },
  {
    program: "descent",
    args: ["--learning-rate", "0"],
    message: /--learning-rate must be a finite positive number, got 0/,
  },
  {
    program: "descent",
    args: ["-i", "2.5"],
    message: /--iterations must be a whole number from 0 to 1000000, got 2.5/,
  },
  {
    program: "descent",
    args: ["--iterations=-1"],
    message: /--iterations must be a whole number from 0 to 1000000, got -1/,
  },
  {
    program: "descent",
    args: ["-i", "5000000"],
    message: /--iterations must be a whole number .*got 5000000/,
  },
  { program: "descent", args: ["-i", "1e7"], message: /--iterations must be a whole number .*got 1e7/ },
  // descent: step rules
  {
    program: "descent",
    args: ["-m", "lbfgs"],
    message: /--method must be one of plain, momentum, .*got "lbfgs"/,
  },
  { program: "descent", args: ["-m"], message: /--method needs a value/ },
  {
    program: "descent",
    args: ["-m", "adam", "--beta1", "0x1"],
    message: /--beta1 must be a number, got "0x1"/,
  },
  { program: "descent", args: ["--momentum", "0.5"], message: /--momentum applies to momentum and nesterov/ },
  // descent: outputs
  {
    program: "descent",
    args: ["--out", "figure.png"],
    message: /--out must name a \.html file, got "figure\.png"/,
  },
  { program: "descent", args: ["--out", folderNamedHtml], message: /--out ".*figure\.html" is a folder/ },
  {
    program: "descent",
    args: ["--out", "/proc/gd/figure.html"],
    message: /--out "\/proc\/gd\/figure\.html": cannot/,
  },
  {
    program: "descent",
    args: ["--out", "/proc/figure.html"],
    message: /--out "\/proc\/figure\.html": cannot/,
  },
  { program: "descent", args: ["--out", `${aFile}/x.html`], message: /a-file\.txt is a file, not a folder/ },
  {
    program: "descent",
    args: ["--show"],
    env: NO_DISPLAY,
    message: /--show needs a display.*--out figure\.html/,
  },
  // export
  { program: "export", args: ["--foo"], message: /unknown option --foo/ },
  { program: "export", args: ["--out-dir"], message: /--out-dir needs a value/ },
  { program: "export", args: ["--help=1"], message: /--help takes no value/ },
  { program: "export", args: ["missing.ipynb"], message: /no such notebook: missing\.ipynb/ },
  {
    program: "export",
    args: ["notebooks/missing.ipynb"],
    message: /no such notebook: notebooks\/missing\.ipynb/,
  },
  { program: "export", args: ["package.json"], message: /package\.json is not a notebook/ },
  { program: "export", args: ["notebooks"], message: /notebooks is a folder/ },
  { program: "export", args: [notANotebook], message: /broken\.ipynb is not a readable notebook/ },
  {
    program: "export",
    args: [pythonNotebook],
    message: /python\.ipynb is a python notebook: the kit exports TypeScript/,
  },
  {
    program: "export",
    args: ["--out-dir", "/proc/gd-export"],
    message: /--out-dir "\/proc\/gd-export": cannot/,
  },
  { program: "export", args: ["--out-dir", ""], message: /--out-dir must name a folder, got ""/ },
  { program: "export", args: ["--out-dir", aFile], message: /a-file\.txt is a file, not a folder/ },
  { program: "setup", args: ["--bogus"], message: /unknown option --bogus/ },
  { program: "setup", args: ["now"], message: /unexpected argument "now"/ },
  { program: "bench", args: ["--bogus"], message: /unknown option --bogus/ },
  { program: "bench", args: ["--rounds", "3"], message: /unknown option --rounds/ },
  { program: "start", args: ["--bogus"], message: /unknown option --bogus/ },
  { program: "start", args: ["--port"], message: /--port needs a value/ },
  { program: "start", args: ["--port", "0x10"], message: /--port must be a number, got "0x10"/ },
  { program: "start", args: ["--port", "70000"], message: /--port must be a whole number from 1 to 65535/ },
  { program: "start", args: ["--lab", "--classic"], message: /--lab and --classic exclude each other/ },
  { program: "start", args: ["--ip", ""], message: /--ip needs an address/ },
];

function run(row: Row) {
  return runTool(PROGRAMS[row.program], row.args, { env: row.env, timeout: 60_000 });
}

describe("a mistake on the command line: exit code 2 and one line naming it", () => {
  for (const row of ROWS) {
    const title = `${row.program} ${row.args.map((arg) => JSON.stringify(arg)).join(" ")}`;
    it(title, { todo: row.todo }, () => {
      const result = run(row);
      assert.equal(result.signal, null, `${title} hung (stopped after 60 s)`);
      assert.equal(result.status, 2, `exit code of ${title}\n${result.stderr}`);
      assert.equal(result.stdout, "", "nothing on stdout");
      const lines = result.stderr.replace(/\n$/, "").split("\n");
      assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
      assert.ok(lines[0].startsWith(`${row.program}: `), lines[0]);
      assert.match(lines[0], row.message);
    });
  }
});
