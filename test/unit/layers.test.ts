/**
 * The layers, enforced: every module of src/ is read and its imports (import, export … from,
 * require, import()) are checked against the rules of the developers' guide.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, it } from "node:test";

const SRC = path.join(__dirname, "..", "..", "src");

/**
 * The layers from the bottom up: a module may import its own layer and those below it, never one
 * above. The pure numerics (descent, text, problems, analysis) come first.
 */
const LAYERS = [
  "descent",
  "text",
  "problems",
  "analysis",
  "checks",
  "figures",
  "live",
  "display",
  "lessons",
  "tools",
  // The runnable export's page: the whole kit and the export's markdown rendering, in the browser.
  "runnable",
] as const;
const PURE = ["descent", "text", "problems", "analysis"];
/** The packages the pure numerics may use: plain JavaScript that runs in a browser too. */
const PURE_PACKAGES = ["ml-matrix"];
/** The live explorers' code that esbuild bundles for the page (src/tools/page-bundles.ts). */
const PAGE_ENTRY = path.join(SRC, "live", "page.ts");

interface Import {
  specifier: string;
  /** The .ts file a local import names; undefined for a package. */
  file?: string;
  /** `import type …`: erased by the compiler, no code in a bundle. */
  typeOnly: boolean;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) return name === "jupyterlab" ? [] : sourceFiles(file);
    return name.endsWith(".ts") ? [file] : [];
  });
}

function resolveLocal(from: string, specifier: string): string {
  const resolved = path.resolve(path.dirname(from), specifier);
  for (const candidate of [resolved, `${resolved}.ts`, path.join(resolved, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(`${path.relative(SRC, from)} imports ${specifier}, which is no file`);
}

/** Every import of `file`, type-only ones marked. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const found: Import[] = [];
  for (const m of text.matchAll(/^(import|export)(\s+type)?\b[^;]*?\bfrom\s+"([^"]+)"/gms)) {
    found.push({ specifier: m[3], typeOnly: m[2] !== undefined });
  }
  for (const m of text.matchAll(/\b(?:require|import)\(\s*"([^"]+)"\s*\)/g)) {
    // `typeof import("x")` is a type; a call to require or import() loads code.
    const at = m.index ?? 0;
    const typeOnly = /typeof\s+$/.test(text.slice(Math.max(0, at - 10), at));
    found.push({ specifier: m[1], typeOnly });
  }
  return found.map((entry) =>
    entry.specifier.startsWith(".") ? { ...entry, file: resolveLocal(file, entry.specifier) } : entry,
  );
}

const layerOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0];
const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0]);
const packageOf = (specifier: string): string =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const name = (file: string): string => path.relative(SRC, file);

const files = sourceFiles(SRC).filter((file) => file !== path.join(SRC, "index.ts"));

describe("the layers of src/ import only downward", () => {
  it("every module sits in a layer", () => {
    for (const file of files) {
      assert.ok(
        LAYERS.includes(layerOf(file) as never),
        `${name(file)} is in no layer of ${LAYERS.join(", ")}`,
      );
    }
  });

  it("no folder imports a folder above it", () => {
    const rank = (file: string) => LAYERS.indexOf(layerOf(file) as (typeof LAYERS)[number]);
    const upward = files.flatMap((file) =>
      importsOf(file)
        .filter((entry) => entry.file !== undefined && rank(entry.file) > rank(file))
        .map((entry) => `${name(file)} imports ${name(entry.file!)}`),
    );
    assert.deepEqual(upward, []);
  });

  it("descent, text, problems and analysis load no TensorFlow.js, no Node.js built-in, no other package", () => {
    const impure = files
      .filter((file) => PURE.includes(layerOf(file)))
      .flatMap((file) =>
        importsOf(file)
          .filter((entry) => entry.file === undefined && !entry.typeOnly)
          .filter((entry) => !PURE_PACKAGES.includes(packageOf(entry.specifier)))
          .map((entry) => `${name(file)} imports ${entry.specifier}`),
      );
    assert.deepEqual(impure, []);
  });

  it("only checks/ loads TensorFlow.js", () => {
    const loaders = files
      .filter((file) => layerOf(file) !== "checks")
      .flatMap((file) =>
        importsOf(file)
          .filter((entry) => !entry.typeOnly && entry.specifier.startsWith("@tensorflow/"))
          .map((entry) => `${name(file)} loads ${entry.specifier}`),
      );
    assert.deepEqual(loaders, []);
  });

  it("the live explorers' page code imports only browser-safe modules", () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const entry of importsOf(file)) {
        if (entry.typeOnly) continue;
        if (entry.file === undefined) {
          if (isBuiltin(entry.specifier) || !PURE_PACKAGES.includes(packageOf(entry.specifier)))
            problems.push(`${name(file)} imports ${entry.specifier}`);
          continue;
        }
        const layer = layerOf(entry.file);
        if (![...PURE, "live"].includes(layer)) problems.push(`${name(file)} imports ${name(entry.file)}`);
        else visit(entry.file);
      }
    };
    visit(PAGE_ENTRY);
    assert.ok(seen.size > 3, "the page's modules were found");
    assert.deepEqual(problems, []);
  });

  it("no module imports itself in a circle", () => {
    const graph = new Map(
      files.map((file) => [file, importsOf(file).flatMap((entry) => (entry.file ? [entry.file] : []))]),
    );
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (node: string): string[] | undefined => {
      if (state.get(node) === "done") return undefined;
      if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node];
      state.set(node, "open");
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
      stack.pop();
      state.set(node, "done");
      return undefined;
    };
    for (const file of files) {
      const cycle = visit(file);
      assert.equal(cycle, undefined, `cycle: ${cycle?.map(name).join(" → ")}`);
    }
  });
});
