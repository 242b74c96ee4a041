/**
 * What the page loads, built once by `npm run setup` (src/tools/page-bundles.ts) into build/page/:
 * the kit's browser code as minified scripts and plotly.js compressed. The kernel only reads the
 * files (once per process): no esbuild and no compression in a kernel session.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The folder holding package.json and tsconfig.json, found from src/display (tsx) or build/src/display (the kernel). */
function projectRoot(): string {
  for (let folder = __dirname; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, "package.json")) && existsSync(path.join(folder, "tsconfig.json"))) {
      return folder;
    }
    if (path.dirname(folder) === folder) throw new Error(`the kit's folder was not found above ${__dirname}`);
  }
}

/** build/page/ in the kit's folder. */
export function pageBuildFolder(): string {
  return path.join(projectRoot(), "build", "page");
}

/** What setup writes beside each script, in <name>.json. */
export interface PageScriptManifest {
  /** The name the script's exports go by (esbuild's globalName), local to the script's wrapper. */
  globalName: string;
  /** First 12 hex digits of the script's SHA-256. */
  hash: string;
  /** Size of the minified script, in bytes. */
  bytes: number;
}

export interface PageScript extends PageScriptManifest {
  /** The minified script (an IIFE assigning `var <globalName>`), safe inside a <script> element. */
  code: string;
}

/** A file of build/page/, or a one-line error saying how to make it. */
export function readPageBuild(file: string): string {
  const absolute = path.join(pageBuildFolder(), file);
  if (!existsSync(absolute)) {
    throw new Error(`build/page/${file} is missing: run npm run setup, which builds the page's scripts`);
  }
  return readFileSync(absolute, "utf8");
}

const scripts = new Map<string, PageScript>();

/** build/page/<name>.js and its manifest, read once per process. */
export function pageScript(name: string): PageScript {
  let script = scripts.get(name);
  if (!script) {
    const manifest = JSON.parse(readPageBuild(`${name}.json`)) as PageScriptManifest;
    const code = readPageBuild(`${name}.js`).replace(/<\/(script)/gi, "<\\/$1");
    script = { globalName: manifest.globalName, hash: manifest.hash, bytes: manifest.bytes, code };
    scripts.set(name, script);
  }
  return script;
}

/** JSON that is safe inside a <script> element (no "<" can close it early), numbers rounded to `significantDigits`. */
export function scriptSafeJson(value: unknown, significantDigits = 17): string {
  const round =
    significantDigits >= 17
      ? undefined
      : (_key: string, entry: unknown) =>
          typeof entry === "number" && Number.isFinite(entry)
            ? Number(entry.toPrecision(significantDigits))
            : entry;
  return JSON.stringify(value, round)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The text of a <script> that runs page script `name` and calls one of its exports with `args`
 * (JSON). The script's `var <globalName>` stays inside a function: the page gains no global.
 */
export function pageScriptCall(name: string, method: string, args: unknown[]): string {
  const { code, globalName } = pageScript(name);
  return `(function(){${code}\n${globalName}.${method}(${args.map((arg) => scriptSafeJson(arg)).join(",")});})();`;
}
