/**
 * JupyterLab 4.6.3 built from npm's @jupyterlab/* packages, for machines without the user's own
 * JupyterLab (Debian packages none; PyPI may be out of reach): `npm start` and the kit's JupyterLab
 * tests serve it with server.py on Debian's jupyter_server. Everything it installs and writes goes
 * to build/lab/ (gitignored); this folder holds only its sources.
 *
 *   npx tsx src/tools/jupyterlab/build.ts [--force]
 *
 * 1. `npm ci` in build/lab/ with this folder's package.json and lock (apart from the kit's
 *    dependencies: the 4.6.3 release set, third-party packages held by `overrides` at JupyterLab
 *    4.6.3's own lock);
 * 2. esbuild bundles app/index.js with every extension of package.json's "jupyterlab" field and their
 *    styles into build/lab/site/static/ (one script, one stylesheet), copies the settings schemas to
 *    site/schemas/, bundles each theme to site/themes/ and writes the page template
 *    site/templates/index.html and site/settings/page_config.json — the layout of
 *    jupyterlab_server's LabServerApp.
 * Each step is skipped when its inputs are unchanged since it last succeeded.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PROJECT_ROOT } from "../jupyter";

/** The sources: package.json, package-lock.json, app/ and this file. */
const LAB_DIR = __dirname;
/** Where npm installs the packages (with copies of package.json, the lock and app/). */
const LAB_INSTALL_DIR = path.join(PROJECT_ROOT, "build", "lab");
/** What server.py serves. */
export const LAB_BUILD_DIR = path.join(LAB_INSTALL_DIR, "site");
const NODE_MODULES = path.join(LAB_INSTALL_DIR, "node_modules");
const INSTALL_STAMP = path.join(NODE_MODULES, ".kit-installed");
const BUILD_STAMP = path.join(LAB_BUILD_DIR, ".kit-built");

interface LabPackageJson {
  dependencies: Record<string, string>;
  jupyterlab: { extensions: string[]; mimeExtensions: Record<string, string> };
}

/** What the build produced, for the caller to report. */
export interface LabBuild {
  installed: boolean;
  built: boolean;
  installSeconds: number;
  buildSeconds: number;
}

function hashOf(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest("hex");
}

function readStamp(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").trim() : "";
}

/** npm, as the running npm (npm start) or from PATH. */
function runNpm(args: string[]): void {
  const npmCli = process.env.npm_execpath;
  const [command, prefix] =
    npmCli && /npm-cli\.js$/.test(npmCli) ? [process.execPath, [npmCli]] : ["npm", [] as string[]];
  const result = spawnSync(command, [...prefix, ...args], { cwd: LAB_INSTALL_DIR, stdio: "inherit" });
  if (result.status !== 0) {
    throw new Error(
      `npm ${args.join(" ")} in ${LAB_INSTALL_DIR} failed (exit code ${result.status ?? result.signal})`,
    );
  }
}

/** `npm ci` unless node_modules holds exactly what package-lock.json says. */
function install(force: boolean, log: (line: string) => void): boolean {
  const manifests = ["package.json", "package-lock.json"];
  mkdirSync(LAB_INSTALL_DIR, { recursive: true });
  for (const file of manifests) cpSync(path.join(LAB_DIR, file), path.join(LAB_INSTALL_DIR, file));
  const stamp = hashOf(manifests.map((file) => path.join(LAB_DIR, file)));
  if (!force && readStamp(INSTALL_STAMP) === stamp) return false;
  log(
    `1/2 installing JupyterLab 4.6.3's npm packages into ${path.relative(process.cwd(), LAB_INSTALL_DIR)}/ ` +
      "(first time only: about 400 MB, a minute or two)",
  );
  runNpm(["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
  writeFileSync(INSTALL_STAMP, stamp + "\n");
  return true;
}

// The parts of esbuild's API used here (esbuild is installed by step 1, after this file is type-checked).
interface EsbuildResolveArgs {
  path: string;
  kind: string;
  importer: string;
  resolveDir: string;
  pluginData?: unknown;
}
interface EsbuildPluginBuild {
  onResolve(
    options: { filter: RegExp; namespace?: string },
    callback: (args: EsbuildResolveArgs) => Promise<object | undefined> | object | undefined,
  ): void;
  onLoad(options: { filter: RegExp; namespace?: string }, callback: (args: { path: string }) => object): void;
  resolve(
    path: string,
    options: { kind: string; importer: string; resolveDir: string; pluginData?: unknown },
  ): Promise<{ path: string; errors: { text: string }[] }>;
}
interface EsbuildPlugin {
  name: string;
  setup(build: EsbuildPluginBuild): void;
}
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{
    metafile: { outputs: Record<string, { entryPoint?: string; bytes: number }> };
    warnings: unknown[];
  }>;
}

const RESOLVING = Symbol("resolving");

/**
 * What webpack's loaders do in JupyterLab's own build: CSS `@import "~package/…"`; SVG as text
 * when imported from JavaScript (LabIcon) and as a data URL from CSS; `*.raw.css` as text; and the
 * generated module listing the extensions.
 */
function labPlugins(pkg: LabPackageJson): EsbuildPlugin[] {
  // esbuild's own resolution of a path, marked so that these plugins let it pass.
  const resolveAsUsual = (build: EsbuildPluginBuild, args: EsbuildResolveArgs, specifier = args.path) =>
    build.resolve(specifier, {
      kind: args.kind,
      importer: args.importer,
      resolveDir: args.resolveDir,
      pluginData: RESOLVING,
    });
  const tilde: EsbuildPlugin = {
    name: "css-tilde-imports",
    setup(build) {
      build.onResolve({ filter: /^~/ }, async (args) => {
        const resolved = await resolveAsUsual(build, args, args.path.slice(1));
        const svgInCss = args.kind === "url-token" && resolved.path.endsWith(".svg");
        return { ...resolved, namespace: svgInCss ? "svg-data-url" : "file" };
      });
    },
  };
  const assets: EsbuildPlugin = {
    name: "svg-and-raw-css",
    setup(build) {
      build.onResolve({ filter: /\.svg$/ }, async (args) => {
        // From JavaScript: the text loader. From CSS: a data URL.
        if (args.pluginData === RESOLVING || args.kind !== "url-token") return undefined;
        const resolved = await resolveAsUsual(build, args);
        return { path: resolved.path, namespace: "svg-data-url", errors: resolved.errors };
      });
      build.onLoad({ filter: /.*/, namespace: "svg-data-url" }, (args) => ({
        contents: readFileSync(args.path),
        loader: "dataurl",
      }));
      build.onResolve({ filter: /\.raw\.css$/ }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        const resolved = await resolveAsUsual(build, args);
        return { path: resolved.path, namespace: "raw-css", errors: resolved.errors };
      });
      build.onLoad({ filter: /.*/, namespace: "raw-css" }, (args) => ({
        contents: readFileSync(args.path, "utf8"),
        loader: "text",
      }));
    },
  };
  const extensionList: EsbuildPlugin = {
    name: "extension-list",
    setup(build) {
      build.onResolve({ filter: /^kit:extensions$/ }, () => ({ path: "extensions", namespace: "kit" }));
      build.onLoad({ filter: /.*/, namespace: "kit" }, () => ({
        contents: extensionsModule(pkg),
        resolveDir: LAB_INSTALL_DIR,
        loader: "js",
      }));
    },
  };
  return [tilde, assets, extensionList];
}

/** The module app/index.js imports: every extension's style, then [name, module] pairs. */
function extensionsModule(pkg: LabPackageJson): string {
  const { extensions, mimeExtensions } = pkg.jupyterlab;
  const names = [...new Set([...extensions, ...Object.keys(mimeExtensions)])].sort();
  const lines: string[] = [];
  for (const name of names) {
    const data = readPackageJson(name);
    const style = typeof data.styleModule === "string" ? data.styleModule : data.style;
    if (typeof style === "string") lines.push(`import ${JSON.stringify(`${name}/${style}`)};`);
  }
  const pairs = (entries: [string, string][], prefix: string) =>
    entries.map(([name, file], index) => {
      lines.push(`import * as ${prefix}${index} from ${JSON.stringify(file ? `${name}/${file}` : name)};`);
      return `[${JSON.stringify(name)}, ${prefix}${index}]`;
    });
  const mime = pairs(Object.entries(mimeExtensions), "mime");
  const plain = pairs(
    extensions.map((name) => [name, ""]),
    "extension",
  );
  lines.push(`export const mimeExtensions = [${mime.join(", ")}];`);
  lines.push(`export const extensions = [${plain.join(", ")}];`);
  return lines.join("\n") + "\n";
}

function readPackageJson(name: string): Record<string, unknown> & {
  version: string;
  jupyterlab?: { schemaDir?: string; themePath?: string };
} {
  return JSON.parse(readFileSync(path.join(NODE_MODULES, name, "package.json"), "utf8"));
}

async function build(force: boolean, log: (line: string) => void): Promise<boolean> {
  const inputs = [
    "package.json",
    "package-lock.json",
    "build.ts",
    "app/index.js",
    "app/process.js",
    "app/index.html",
  ].map((file) => path.join(LAB_DIR, file));
  const stamp = hashOf(inputs);
  if (!force && readStamp(BUILD_STAMP) === stamp) return false;
  log("2/2 building JupyterLab with esbuild (first time only: about 20 s)");
  const pkg = JSON.parse(readFileSync(path.join(LAB_DIR, "package.json"), "utf8")) as LabPackageJson;
  const esbuild = createRequire(path.join(LAB_INSTALL_DIR, "package.json"))("esbuild") as Esbuild;
  rmSync(LAB_BUILD_DIR, { recursive: true, force: true });
  // The entry point beside node_modules, so that esbuild resolves its imports there.
  const app = path.join(LAB_INSTALL_DIR, "app");
  cpSync(path.join(LAB_DIR, "app"), app, { recursive: true });
  const staticDir = path.join(LAB_BUILD_DIR, "static");
  const common = {
    absWorkingDir: LAB_INSTALL_DIR,
    bundle: true,
    minify: true,
    logLevel: "error",
    legalComments: "none",
    loader: {
      ".svg": "text",
      ".md": "text",
      ".txt": "text",
      ".woff": "file",
      ".woff2": "file",
      ".ttf": "file",
      ".eot": "file",
      ".png": "file",
      ".gif": "file",
      ".jpg": "file",
    },
    assetNames: "assets/[name]-[hash]",
  };
  const result = await esbuild.build({
    ...common,
    entryPoints: { lab: path.join(app, "index.js") },
    outdir: staticDir,
    entryNames: "[name]-[hash]",
    format: "iife",
    platform: "browser",
    target: "es2022",
    splitting: false, // one script: JupyterLab's lazy imports are bundled in
    metafile: true,
    alias: { path: "path-browserify" },
    define: {
      "process.env.NODE_ENV": '"production"',
      __dirname: '"/"', // MathJax's loader reads it
      global: "globalThis",
    },
    inject: [path.join(app, "process.js")],
    plugins: labPlugins(pkg),
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const script = outputs.find((file) => /^lab-.*\.js$/.test(file));
  const stylesheet = outputs.find((file) => /^lab-.*\.css$/.test(file));
  if (!script || !stylesheet)
    throw new Error(`esbuild wrote no lab script or stylesheet: ${outputs.join(", ")}`);

  const templates = path.join(LAB_BUILD_DIR, "templates");
  mkdirSync(templates, { recursive: true });
  const page = readFileSync(path.join(LAB_DIR, "app", "index.html"), "utf8")
    .replace("__JS__", script)
    .replace("__CSS__", stylesheet);
  writeFileSync(path.join(templates, "index.html"), page);
  // The news and update check asks /lab/api/news, which only the jupyterlab Python package serves.
  const settings = path.join(LAB_BUILD_DIR, "settings");
  mkdirSync(settings, { recursive: true });
  writeFileSync(
    path.join(settings, "page_config.json"),
    JSON.stringify({ disabledExtensions: ["@jupyterlab/apputils-extension:announcements"] }, null, 2) + "\n",
  );

  // Settings schemas and themes, where jupyterlab_server looks for them (as @jupyter/builder lays them out).
  const names = [...new Set([...pkg.jupyterlab.extensions, ...Object.keys(pkg.jupyterlab.mimeExtensions)])];
  for (const name of names) {
    const data = readPackageJson(name);
    const packageDir = path.join(NODE_MODULES, name);
    const schemaDir = data.jupyterlab?.schemaDir;
    if (schemaDir) {
      const destination = path.join(LAB_BUILD_DIR, "schemas", name);
      mkdirSync(destination, { recursive: true });
      for (const file of readdirSync(path.join(packageDir, schemaDir))) {
        cpSync(path.join(packageDir, schemaDir, file), path.join(destination, file));
      }
      cpSync(path.join(packageDir, "package.json"), path.join(destination, "package.json.orig"));
    }
    const themePath = data.jupyterlab?.themePath;
    if (themePath) {
      await esbuild.build({
        ...common,
        entryPoints: { index: path.join(packageDir, themePath) },
        outdir: path.join(LAB_BUILD_DIR, "themes", name),
        plugins: labPlugins(pkg),
      });
    }
  }
  writeFileSync(BUILD_STAMP, stamp + "\n");
  return true;
}

/**
 * Installs and builds JupyterLab where needed (`force` redoes both), with a line of progress
 * before and after each stage it runs; when both are current it only checks their stamps.
 */
export async function ensureJupyterLab(
  force = false,
  log: (line: string) => void = (line) => console.log(`jupyterlab: ${line}`),
): Promise<LabBuild> {
  let started = Date.now();
  const installed = install(force, log);
  const installSeconds = (Date.now() - started) / 1000;
  if (installed) log(`    installed in ${installSeconds.toFixed(0)} s`);
  started = Date.now();
  const built = await build(force || installed, log);
  const buildSeconds = (Date.now() - started) / 1000;
  if (built) log(`    built in ${buildSeconds.toFixed(1)} s`);
  return { installed, built, installSeconds, buildSeconds };
}

/** Total size in bytes of the files below a folder. */
function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    total += entry.isDirectory() ? folderBytes(file) : statSync(file).size;
  }
  return total;
}

if (require.main === module) {
  ensureJupyterLab(process.argv.includes("--force")).then(
    (result) => {
      const size = (folderBytes(path.join(LAB_BUILD_DIR, "static")) / 1e6).toFixed(1);
      console.log(
        `jupyterlab: ${result.installed ? `installed in ${result.installSeconds.toFixed(0)} s, ` : ""}` +
          (result.built ? `built in ${result.buildSeconds.toFixed(1)} s` : "build up to date") +
          ` (${path.relative(process.cwd(), LAB_BUILD_DIR)}, static files ${size} MB)`,
      );
    },
    (error: Error) => {
      console.error(`jupyterlab: ${error.message}`);
      process.exit(1);
    },
  );
}
