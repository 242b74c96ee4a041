import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { encodeBase85 } from "./base85";

export interface PlotlyBundle {
  /** plotly.js version, from plotly.js-dist-min's package.json. */
  version: string;
  /** plotly.min.js compressed with gzip (level 9), then base85 (see base85.ts): 1.9 MB instead of 4.8 MB. */
  gzipBase85: string;
  /** Size of plotly.min.js itself, in bytes. */
  rawBytes: number;
}

let cached: PlotlyBundle | undefined;

/** The path of plotly.min.js in node_modules (plotly.js-dist-min, pinned in package.json). */
export function plotlyScriptPath(): string {
  return require.resolve("plotly.js-dist-min");
}

/** plotly.js from node_modules, compressed once per process and kept. */
export function plotlyBundle(): PlotlyBundle {
  if (cached) return cached;
  const script = readFileSync(plotlyScriptPath());
  const manifest = JSON.parse(readFileSync(require.resolve("plotly.js-dist-min/package.json"), "utf8")) as {
    version: string;
  };
  cached = {
    version: manifest.version,
    gzipBase85: encodeBase85(gzipSync(script, { level: 9 })),
    rawBytes: script.length,
  };
  return cached;
}
