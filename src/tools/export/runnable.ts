/**
 * The runnable export's part (npm run export -- --runnable): the page code of src/runnable, bundled
 * with the kit's own src/ at set-up (src/tools/page-bundles.ts, into build/page/runnable.js),
 * compressed, and put into the exported page with the code cells' sources. In the bundle, the kit's kernel-only modules (display/show.ts and html.ts, which
 * write files and talk to tslab, checks/tensorflow.ts, which loads Node's TensorFlow.js) are
 * replaced by their page versions in src/runnable: src/package.json's "browser" field maps them,
 * which esbuild follows for the browser (and Node and tsc ignore).
 */
import { gzipSync } from "node:zlib";
import { encodeBase85 } from "../../display/base85";
import { plotlyBundleElement } from "../../display/html";
import { pageScript, readPageBuild } from "../../display/page-scripts";
import { plotlyBundle } from "../../display/plotly-bundle";
import { joinText, type Notebook } from "../notebooks";

/** Which part of the page's code a bundled file belongs to, for the size report. */
function partOf(file: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (!match) return "the kit (src/)";
  const name = match[1];
  if (name.startsWith("@tensorflow/")) return "TensorFlow.js (core + CPU backend)";
  if (["sucrase", "acorn", "lines-and-columns", "ts-interface-checker"].includes(name))
    return "the transpiler (sucrase + acorn)";
  if (
    /^(@codemirror|@lezer)\//.test(name) ||
    ["style-mod", "w3c-keyname", "crelt", "@marijn/find-cluster-break"].includes(name)
  ) {
    return "the editor (CodeMirror 6)";
  }
  if (["katex", "markdown-it", "markdown-it-texmath"].includes(name)) return "markdown and KaTeX";
  if (["ml-matrix", "ml-array-rescale", "ml-array-max", "ml-array-min", "is-any-array"].includes(name))
    return "the kit (src/)";
  return "the markdown sanitizer (sanitize-html)";
}

/** What the export writes into the page for this script (src/runnable/page.ts reads it). */
export interface RunnableCells {
  /** The code cells' sources, in the page's order. */
  sources: string[];
  notebook: string;
}

/** The page scripts (build/page/, built at set-up by src/tools/page-bundles.ts). */
export const RUNNABLE_SCRIPT = "runnable";
export const RUNNABLE_LOADER_SCRIPT = "runnable-loader";

/** The page's code as it travels: gzip (level 9) and base85, a quarter of its size; once per process. */
let compressed: { source: string; text: string } | undefined;

function compressedPageCode(): string {
  const { code } = pageScript(RUNNABLE_SCRIPT);
  if (compressed?.source !== code) {
    compressed = { source: code, text: encodeBase85(gzipSync(code, { level: 9 })) };
  }
  return compressed.text;
}

const STYLE = `
.gd-run-toolbar{position:sticky;top:0;z-index:10;background:#f5f7fa;border-bottom:1px solid #ccd;padding:6px 12px;font:14px system-ui,sans-serif}
.gd-run-toolbar button,.gd-run-cell-bar button{font:13px system-ui,sans-serif;margin-right:6px;padding:2px 10px;cursor:pointer}
.gd-run-status{margin-left:8px;color:#345}
.gd-run-notice{margin:4px 0 0;color:#555;font-size:12px}
.gd-run-cell-bar{margin:2px 0}
.gd-run-outputs pre{margin:4px 0;white-space:pre-wrap;font:13px ui-monospace,monospace}
.gd-out-stderr{background:#fdd}
.gd-out-error{color:#b71c1c;background:#fdecea;padding:4px 8px}
[data-gd-run=running]{box-shadow:-4px 0 0 #1976d2}
[data-gd-run=error]{box-shadow:-4px 0 0 #b71c1c}
[data-gd-run=skipped] .gd-run-outputs{opacity:.5}
[data-gd-run=skipped] .gd-run-outputs::before{content:"not run: a cell above failed";color:#555;font:12px system-ui,sans-serif}
.cm-editor{border:1px solid #dde;background:#fafbfc;font-size:13px}
`.trim();

const PLOTLY_ELEMENT =
  /<script type="application\/octet-stream" data-gd-plotly-bundle="[^"]*"[^>]*>[^<]*<\/script>/g;

/**
 * The exported page made runnable: plotly.js once at the end of the page (not in the first
 * cell's output, which a run replaces), the code cells' sources, the page's code and its style.
 * `notebook` is the notebook the page was converted from (its code cells, in order).
 */
export function runnablePage(html: string, notebook: Notebook, name: string): string {
  const cells: RunnableCells = {
    notebook: name,
    sources: notebook.cells.filter((cell) => cell.cell_type === "code").map((cell) => joinText(cell.source)),
  };
  const tail = [
    plotlyBundleElement(),
    `<script type="application/json" id="gd-runnable-cells">${JSON.stringify(cells).replace(/</g, "\\u003c")}</script>`,
    `<script type="application/octet-stream" data-gd-runnable-bundle>${compressedPageCode()}</script>`,
    `<script>${pageScript(RUNNABLE_LOADER_SCRIPT).code}</script>`,
  ].join("\n");
  const withoutPlotly = html.replace(PLOTLY_ELEMENT, "");
  return withoutPlotly
    .replace("</head>", `<style>${STYLE}</style>\n</head>`)
    .replace(/<\/body>(?![\s\S]*<\/body>)/, `${tail}\n</body>`);
}

/** What a runnable page weighs, by part: minified bytes and, as they travel, compressed. */
export function runnableSizes(): { part: string; minified: number; inPage: number }[] {
  const plotly = plotlyBundle();
  const rows = [{ part: "plotly.js", minified: plotly.rawBytes, inPage: plotly.gzipBase85.length }];
  const record = JSON.parse(readPageBuild(`${RUNNABLE_SCRIPT}.json`)) as {
    bytes: number;
    bytesByInput?: Record<string, number>;
  };
  const parts: Record<string, number> = {};
  for (const [file, bytes] of Object.entries(record.bytesByInput ?? {})) {
    parts[partOf(file)] = (parts[partOf(file)] ?? 0) + bytes;
  }
  const inPage = compressedPageCode().length;
  for (const [part, bytes] of Object.entries(parts).sort((a, b) => b[1] - a[1])) {
    rows.push({ part, minified: bytes, inPage: Math.round((inPage * bytes) / record.bytes) });
  }
  return rows;
}
