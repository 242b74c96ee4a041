/**
 * The page's code, built once by `npm run setup` into build/page/, where the kernel and the export
 * read it (src/display/page-scripts.ts): the figure runtime, the live explorers' code and
 * plotly.js compressed. No kernel session runs esbuild or gzip.
 *
 * bundleForPage is the reusable step for any browser entry: one TypeScript file → one minified
 * script build/page/<name>.js with its manifest <name>.json, rebuilt only when the content of one
 * of its inputs (every file esbuild read) or the options changed. The kernel side then reads it
 * with pageScript(name) and sends it with pageScriptCall(name, method, args).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { encodeBase85 } from "../display/base85";
import { pageBuildFolder, type PageScriptManifest } from "../display/page-scripts";
import { PLOTLY_MANIFEST, PLOTLY_PAYLOAD, type PlotlyBundleManifest } from "../display/plotly-bundle";
import { FIGURES_SCRIPT } from "../display/runtime";
import { LIVE_SCRIPT } from "../display/html";
import { RUNNABLE_LOADER_SCRIPT, RUNNABLE_SCRIPT } from "./export/runnable";
import { PROJECT_ROOT } from "./jupyter";
import { runProgram } from "./program";

export interface PageBundleOptions {
  /** The script's name: build/page/<name>.js, read back with pageScript(name). */
  name: string;
  /** The TypeScript entry, relative to the project's folder (or absolute). */
  entry: string;
  /** The name its exports go by inside pageScriptCall's wrapper (default "pageScript"). */
  globalName?: string;
  /**
   * Packages replaced by a module of the kit (relative to the project) in this bundle only, e.g.
   * a library the page's code imports but never calls: esbuild cannot drop a CommonJS package.
   */
  replace?: Record<string, string>;
}

export interface BuiltPageBundle extends PageScriptManifest {
  /** The script's absolute path. */
  file: string;
  /** false when the script on disk was already built from the same inputs. */
  rebuilt: boolean;
}

interface BundleRecord extends PageScriptManifest {
  /** What the build depends on besides its inputs: esbuild's version and the options. */
  key: string;
  /** Each input (relative to the project) and the SHA-256 of its content. */
  inputs: Record<string, string>;
  /** Each input's bytes in the minified script (what each part of a page weighs). */
  bytesByInput?: Record<string, number>;
}

function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Writes through a temporary file, so that a kernel reading meanwhile never sees half a file. */
function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

function readRecord(file: string): BundleRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as BundleRecord;
  } catch {
    return undefined;
  }
}

function inputsUnchanged(record: BundleRecord): boolean {
  return Object.entries(record.inputs).every(([input, hash]) => {
    const file = path.join(PROJECT_ROOT, input);
    return existsSync(file) && sha256(readFileSync(file)) === hash;
  });
}

/** Bundles `entry` for the browser into build/page/<name>.js, unless its inputs are unchanged. */
export function bundleForPage(options: PageBundleOptions): BuiltPageBundle {
  const { name, globalName = "pageScript", replace = {} } = options;
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    throw new Error(`page bundle name must be lower-case words, got "${name}"`);
  const folder = pageBuildFolder();
  const file = path.join(folder, `${name}.js`);
  const recordFile = path.join(folder, `${name}.json`);
  const entry = path.resolve(PROJECT_ROOT, options.entry);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a devDependency, loaded by set-up only
  const esbuild = require("esbuild") as typeof import("esbuild");
  const key = sha256(
    JSON.stringify({
      esbuild: esbuild.version,
      entry: path.relative(PROJECT_ROOT, entry),
      globalName,
      replace,
    }),
  );
  const previous = readRecord(recordFile);
  if (
    previous?.key === key &&
    existsSync(file) &&
    sha256(readFileSync(file)).slice(0, 12) === previous.hash &&
    inputsUnchanged(previous)
  ) {
    return { globalName, hash: previous.hash, bytes: previous.bytes, file, rebuilt: false };
  }
  let result: import("esbuild").BuildResult & {
    outputFiles: import("esbuild").OutputFile[];
    metafile: import("esbuild").Metafile;
  };
  try {
    result = esbuild.buildSync({
      entryPoints: [entry],
      absWorkingDir: PROJECT_ROOT,
      bundle: true,
      minify: true,
      format: "iife",
      globalName,
      platform: "browser",
      target: "es2020",
      write: false,
      metafile: true,
      alias: Object.fromEntries(
        Object.entries(replace).map(([name, module]) => [name, path.resolve(PROJECT_ROOT, module)]),
      ),
      legalComments: "none",
      logLevel: "silent",
    });
  } catch (error) {
    const first = (error as { errors?: import("esbuild").Message[] }).errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : "";
    // eslint-disable-next-line preserve-caught-error -- one line is the point; lib ES2020 has no ErrorOptions
    throw new Error(`the page script "${name}" does not build: ${where}${first?.text ?? String(error)}`);
  }
  const code = result.outputFiles[0].text;
  // Files only: a module a package's "browser" field disables is an input "(disabled):…".
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .filter((input) => !input.startsWith("(disabled):"))
      .map((input) => [input, sha256(readFileSync(path.join(PROJECT_ROOT, input)))]),
  );
  const manifest: PageScriptManifest = {
    globalName,
    hash: sha256(code).slice(0, 12),
    bytes: Buffer.byteLength(code),
  };
  const bytesByInput = Object.fromEntries(
    Object.entries(Object.values(result.metafile.outputs)[0].inputs).map(([input, { bytesInOutput }]) => [
      input,
      bytesInOutput,
    ]),
  );
  mkdirSync(folder, { recursive: true });
  writeAtomically(file, code);
  writeAtomically(
    recordFile,
    `${JSON.stringify({ ...manifest, key, inputs, bytesByInput } satisfies BundleRecord, null, 1)}\n`,
  );
  return { ...manifest, file, rebuilt: true };
}

/** plotly.min.js from node_modules, gzip level 9 then base85, unless the same plotly.js is already there. */
export function compressPlotly(): PlotlyBundleManifest & { rebuilt: boolean } {
  const folder = pageBuildFolder();
  const script = readFileSync(require.resolve("plotly.js-dist-min"));
  const { version } = JSON.parse(
    readFileSync(require.resolve("plotly.js-dist-min/package.json"), "utf8"),
  ) as {
    version: string;
  };
  const manifest: PlotlyBundleManifest = { version, rawBytes: script.length, sha256: sha256(script) };
  const manifestFile = path.join(folder, PLOTLY_MANIFEST);
  const payloadFile = path.join(folder, PLOTLY_PAYLOAD);
  const previous = existsSync(manifestFile) ? readFileSync(manifestFile, "utf8") : "";
  const text = `${JSON.stringify(manifest, null, 1)}\n`;
  if (previous === text && existsSync(payloadFile)) return { ...manifest, rebuilt: false };
  mkdirSync(folder, { recursive: true });
  writeAtomically(payloadFile, encodeBase85(gzipSync(script, { level: 9 })));
  writeAtomically(manifestFile, text);
  return { ...manifest, rebuilt: true };
}

/** The kit's page scripts: the figure runtime, the live explorers' code, the runnable page and its loader. */
export const PAGE_BUNDLES: PageBundleOptions[] = [
  { name: FIGURES_SCRIPT, entry: "src/display/page/figures.ts", globalName: "figures" },
  {
    name: LIVE_SCRIPT,
    entry: "src/live/page.ts",
    globalName: "live",
    // The one registry of step rules (src/descent/step-rules.ts) imports ml-matrix for Newton's rule.
    replace: { "ml-matrix": "src/live/no-linear-algebra.ts" },
  },
  { name: RUNNABLE_SCRIPT, entry: "src/runnable/page.ts", globalName: "runnable" },
  { name: RUNNABLE_LOADER_SCRIPT, entry: "src/runnable/loader.ts", globalName: "runnableLoader" },
];

/** Everything build/page/ holds; a one-line summary for setup's output. */
export function buildPageAssets(): string {
  const bundles = PAGE_BUNDLES.map(bundleForPage);
  const plotly = compressPlotly();
  const built = [...bundles, plotly].filter((item) => item.rebuilt).length;
  const sizes = bundles.map(
    (bundle, index) => `${PAGE_BUNDLES[index].name} ${(bundle.bytes / 1000).toFixed(1)} kB`,
  );
  return `page scripts (${sizes.join(", ")}) and plotly.js ${plotly.version} in build/page/ (${built === 0 ? "up to date" : `${built} rebuilt`})`;
}

// `npx tsx src/tools/page-bundles.ts`: build/page/ alone (npm run test:unit runs it; npm run setup does more).
if (require.main === module) {
  runProgram("page-bundles", () => {
    console.log(`page-bundles: ${buildPageAssets()}`);
    return 0;
  });
}
