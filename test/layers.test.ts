import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const SRC = path.join(__dirname, "..", "src");

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

describe("the layers import only downward", () => {
  for (const folder of ["numerics", "figures", "display"]) {
    it(`src/${folder} has no import cycle`, () => {
      const cycle = findCycle(moduleGraph(path.join(SRC, folder)));
      assert.equal(cycle, undefined, `cycle: ${cycle?.map((f) => path.basename(f)).join(" → ")}`);
    });
  }

  it("numerics imports no figures, display or tools; figures no display or tools", () => {
    const above: Record<string, string[]> = {
      numerics: ["figures", "display", "tools"],
      figures: ["display", "tools"],
    };
    for (const [folder, forbidden] of Object.entries(above)) {
      for (const file of moduleGraph(path.join(SRC, folder)).keys()) {
        for (const target of localImports(file)) {
          const layer = path.relative(SRC, target).split(path.sep)[0];
          assert.ok(!forbidden.includes(layer), `${path.relative(SRC, file)} imports ${layer}`);
        }
      }
    }
  });

  it("the polynomial problem and the input checks sit at the bottom of the numerics", () => {
    const graph = moduleGraph(path.join(SRC, "numerics"));
    const names = (file: string): string[] =>
      (graph.get(path.join(SRC, "numerics", file)) ?? []).map((f) => path.basename(f));
    assert.deepEqual(names("validate.ts"), []);
    assert.deepEqual(names("polynomial.ts").sort(), ["random.ts", "validate.ts"]);
    for (const lower of [
      "polynomial.ts",
      "bases.ts",
      "losses.ts",
      "least-squares.ts",
      "sufficient-statistics.ts",
    ]) {
      for (const upper of ["polyfit.ts", "gradient-check.ts", "fit-report.ts"]) {
        assert.ok(!names(lower).includes(upper), `${lower} imports ${upper}`);
      }
    }
  });
});
