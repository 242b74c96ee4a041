/**
 * The set-up's bundling step (src/tools/page-bundles.ts): an entry becomes one minified script in
 * build/page/, rebuilt only when an input's content changes, and the kernel side sends it with a
 * call that leaves no global behind.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import vm from "node:vm";
import { pageBuildFolder, pageScript, pageScriptCall } from "../../src/display/page-scripts";
import { PROJECT_ROOT } from "../../src/tools/jupyter";
import { buildPageAssets, bundleForPage } from "../../src/tools/page-bundles";

const FOLDER = path.join(PROJECT_ROOT, "test-results", "page-bundles");
const NAME = `unit-test-${process.pid}`;

function writeEntry(file: string, text: string): string {
  mkdirSync(FOLDER, { recursive: true });
  writeFileSync(path.join(FOLDER, file), text);
  return path.relative(PROJECT_ROOT, path.join(FOLDER, file));
}

describe("bundleForPage", () => {
  after(() => {
    rmSync(FOLDER, { recursive: true, force: true });
    for (const suffix of [".js", ".json"])
      rmSync(path.join(pageBuildFolder(), `${NAME}${suffix}`), { force: true });
  });

  it("bundles an entry and what it imports into build/page/<name>.js, rebuilding only when an input changes", () => {
    writeEntry("helper.ts", "export const greeting = (name: string): string => `hello ${name}`;\n");
    const entry = writeEntry(
      "entry.ts",
      'import { greeting } from "./helper";\nexport function store(value: unknown): void {\n' +
        '  (globalThis as { stored?: unknown }).stored = [greeting("page"), value];\n}\n',
    );
    const first = bundleForPage({ name: NAME, entry, globalName: "unitTest" });
    assert.equal(first.rebuilt, true);
    const code = readFileSync(first.file, "utf8");
    assert.equal(first.hash, createHash("sha256").update(code).digest("hex").slice(0, 12));
    assert.equal(first.bytes, Buffer.byteLength(code));
    assert.equal(
      bundleForPage({ name: NAME, entry, globalName: "unitTest" }).rebuilt,
      false,
      "inputs unchanged",
    );
    // A change in an imported file, not the entry, rebuilds it.
    writeEntry("helper.ts", "export const greeting = (name: string): string => `hi ${name}`;\n");
    const changed = bundleForPage({ name: NAME, entry, globalName: "unitTest" });
    assert.equal(changed.rebuilt, true);
    assert.notEqual(changed.hash, first.hash);

    const script = pageScriptCall(NAME, "store", [{ text: "</script><b>" }]);
    assert.doesNotMatch(script, /<\/script/i, "nothing in it closes its element");
    const context: Record<string, unknown> = {};
    vm.runInNewContext(script, context);
    // The other realm's arrays and objects compare through JSON.
    assert.equal(JSON.stringify(context.stored), JSON.stringify(["hi page", { text: "</script><b>" }]));
    assert.deepEqual(Object.keys(context), ["stored"], "no global but what the entry itself set");
    assert.equal(pageScript(NAME).hash, changed.hash);
  });

  it("says in one line which file does not build", () => {
    const entry = writeEntry("broken.ts", "export const x = ;\n");
    assert.throws(
      () => bundleForPage({ name: `${NAME}-broken`, entry }),
      (error: Error) =>
        /^the page script "unit-test-\d+-broken" does not build: test-results\/page-bundles\/broken\.ts:1: /.test(
          error.message,
        ) && !error.message.includes("\n"),
    );
  });

  it("builds the kit's page scripts from browser code only: no Node.js built-in, TensorFlow.js or ml-matrix", () => {
    buildPageAssets();
    for (const name of ["figures", "live"]) {
      const record = JSON.parse(readFileSync(path.join(pageBuildFolder(), `${name}.json`), "utf8")) as {
        inputs: Record<string, string>;
      };
      const inputs = Object.keys(record.inputs);
      assert.ok(inputs.length > 0);
      for (const input of inputs) {
        assert.match(input, /^src\/(descent|problems|live|display)\//, `${name}: ${input}`);
      }
    }
  });
});
