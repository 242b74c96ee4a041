import { readPageBuild } from "./page-scripts";

/** plotly.js as setup compresses it (src/tools/page-bundles.ts): build/page/plotly.json and plotly.gzip.b85. */
export interface PlotlyBundle {
  /** plotly.js version, from plotly.js-dist-min's package.json. */
  version: string;
  /** plotly.min.js compressed with gzip (level 9), then base85 (see base85.ts): 1.9 MB instead of 4.8 MB. */
  gzipBase85: string;
  /** Size of plotly.min.js itself, in bytes. */
  rawBytes: number;
}

/** The manifest (build/page/plotly.json) without the text. */
export type PlotlyBundleManifest = Omit<PlotlyBundle, "gzipBase85"> & { sha256: string };

export const PLOTLY_MANIFEST = "plotly.json";
export const PLOTLY_PAYLOAD = "plotly.gzip.b85";

let cached: PlotlyBundle | undefined;

/** plotly.js, compressed at set-up, read once per process. */
export function plotlyBundle(): PlotlyBundle {
  if (cached) return cached;
  const manifest = JSON.parse(readPageBuild(PLOTLY_MANIFEST)) as PlotlyBundleManifest;
  cached = {
    version: manifest.version,
    rawBytes: manifest.rawBytes,
    gzipBase85: readPageBuild(PLOTLY_PAYLOAD),
  };
  return cached;
}
