/**
 * What tslab compiles, cell by cell, in one session: declarations kept across cells and redeclared
 * on rerun, type errors reported (in the cell and in an imported local .ts file), local .ts
 * imports, module cells (a JSDoc @module tag), top-level await. Guards the kernel's faster compile (one program update
 * per cell, the abstract builder, dependencies walked by resolved imports) against changes in
 * what a student sees.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../src/tools/jupyter";
import { driveKernel, noPythonModule, type CellReport, type KernelMessage } from "./drive";

type ErrorMessage = Extract<KernelMessage, { type: "error" }>;

/** [cell, expected stdout or the expected error's evalue as a RegExp] */
const CELLS: [string, string | RegExp][] = [
  ["const a: number = 1;", ""],
  ['const a = "redeclared";\na', "redeclared\n"],
  ["let wrong: string = 2;", /^1:5 - Type 'number' is not assignable to type 'string'\.$/],
  ["interface Point { x: number }\nfunction norm(p: Point) { return Math.abs(p.x); }", ""],
  ["norm({ x: -4 })", "4\n"],
  ["const p: Point = { x: 1, y: 2 };", /Object literal may only specify known properties/],
  ["class Counter { count = 3 }\nenum Colour { Red, Green }\ntype Named = { name: string };", ""],
  [
    'const named: Named = { name: "n" };\n[new Counter().count, Colour.Green, named.name].join(" ")',
    "3 1 n\n",
  ],
  ["const { first, second } = { first: 1, second: 2 };\nfirst + second", "3\n"],
  ['import { twice } from "./helper";\ntwice(21)', "42\n"],
  [
    'import { broken } from "./broken";',
    /^broken\.ts 1:14 - Type 'string' is not assignable to type 'number'\.$/,
  ],
  ['import * as path from "path";\npath.basename("/a/b.ts")', "b.ts\n"],
  ["/** @module tiny */\nexport const fromModule = 7;", ""],
  ['import { fromModule } from "./tiny";\nfromModule * 6', "42\n"],
  ['await new Promise((resolve) => setTimeout(resolve, 5));\n"awaited"', "awaited\n"],
  ["namespace Space { export const value = 5; }\nSpace.value + a.length", "15\n"],
  ["Space.value + twice(fromModule) + norm({ x: 1 })", "20\n"],
];

describe("the kit's declarations for the kernel (build/src/**/*.d.ts)", () => {
  it("import no TensorFlow.js types: tslab would type-check every cell against ~600 more files", () => {
    const buildDir = path.join(PROJECT_ROOT, "build", "src");
    const importing = (readdirSync(buildDir, { recursive: true }) as string[])
      .filter((file) => file.endsWith(".d.ts"))
      .filter((file) =>
        /(from |import\()"@tensorflow\//.test(readFileSync(path.join(buildDir, file), "utf8")),
      );
    assert.deepEqual(
      importing,
      [],
      "mark TensorFlow.js-typed exports @internal (see src/checks/tensorflow.ts)",
    );
  });
});

describe("cells compiled in one kernel session", { skip: noPythonModule("jupyter_client") }, () => {
  const dir = mkdtempSync(path.join(PROJECT_ROOT, "build", "kernel-compile-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "helper.ts"),
    "export function twice(x: number): number {\n  return 2 * x;\n}\n",
  );
  writeFileSync(path.join(dir, "broken.ts"), 'export const broken: number = "not a number";\n');
  const reports = driveKernel(
    CELLS.map(([source]) => source),
    60,
    dir,
  );

  CELLS.forEach(([source, expected], i) => {
    it(`${JSON.stringify(source.split("\n")[0])} → ${expected instanceof RegExp ? "an error" : JSON.stringify(expected)}`, () => {
      const report: CellReport | undefined = reports[i];
      assert.ok(report?.idle, "the cell's idle status arrived");
      assert.equal(report.stderr, "");
      if (expected instanceof RegExp) {
        assert.equal(report.status, "error");
        const error = report.messages.find((message): message is ErrorMessage => message.type === "error");
        assert.ok(error, "an error message");
        assert.equal(error.ename, "TSError");
        assert.match(error.evalue, expected);
      } else {
        assert.equal(report.status, "ok", JSON.stringify(report.messages));
        assert.equal(report.stdout, expected);
      }
    });
  });
});
