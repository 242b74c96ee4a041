import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const SRC = path.join(__dirname, "..", "..", "src");

/** The local modules a file imports (type-only imports included: they are a dependency too). */
function localImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)].map((m) => m[1]);
  return specifiers.map((specifier) => {
    const resolved = path.resolve(path.dirname(file), specifier);
    return resolved.endsWith(".ts") ? resolved : `${resolved}.ts`;
  });
}

function moduleGraph(folder: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const name of readdirSync(folder).filter((n) => n.endsWith(".ts") && n !== "index.ts")) {
    const file = path.join(folder, name);
    graph.set(
      file,
      localImports(file).filter((target) => path.dirname(target) === folder),
    );
  }
  return graph;
}

/** Every cycle's modules, found by depth-first search. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
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
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const FOLDERS = [
  "descent",
  "text",
  "problems/bowl",
  "problems/cubic-fit",
  "analysis",
  "checks",
  "figures",
  "live",
  "display",
  "lessons",
];

describe("the layers import only downward", () => {
  for (const folder of FOLDERS) {
    it(`src/${folder} has no import cycle`, () => {
      const cycle = findCycle(moduleGraph(path.join(SRC, folder)));
      assert.equal(cycle, undefined, `cycle: ${cycle?.map((f) => path.basename(f)).join(" → ")}`);
    });
  }

  it("the numerics import no figures, live, display, lessons or tools; figures no display or tools", () => {
    const numericsAbove = ["figures", "live", "display", "lessons", "tools"];
    const above: Record<string, string[]> = {
      descent: numericsAbove,
      problems: numericsAbove,
      analysis: numericsAbove,
      checks: numericsAbove,
      figures: ["display", "tools"],
    };
    for (const [folder, forbidden] of Object.entries(above)) {
      for (const sub of FOLDERS.filter((f) => f.split("/")[0] === folder)) {
        for (const file of moduleGraph(path.join(SRC, sub)).keys()) {
          for (const target of localImports(file)) {
            const layer = path.relative(SRC, target).split(path.sep)[0];
            assert.ok(!forbidden.includes(layer), `${path.relative(SRC, file)} imports ${layer}`);
          }
        }
      }
    }
  });

  it("the polynomial problem and the input checks sit at the bottom of the numerics", () => {
    const imports = (file: string): string[] =>
      localImports(path.join(SRC, file)).map((f) => path.relative(SRC, f));
    assert.deepEqual(imports("descent/validate.ts"), []);
    assert.deepEqual(imports("problems/cubic-fit/polynomial.ts").sort(), [
      "descent/random.ts",
      "descent/validate.ts",
    ]);
    for (const lower of [
      "polynomial.ts",
      "bases.ts",
      "losses.ts",
      "least-squares.ts",
      "sufficient-statistics.ts",
    ]) {
      for (const upper of [
        "problems/cubic-fit/fit.ts",
        "checks/gradient-check.ts",
        "lessons/fit-report.ts",
      ]) {
        assert.ok(!imports(`problems/cubic-fit/${lower}`).includes(upper), `${lower} imports ${upper}`);
      }
    }
  });
});
