/**
 * What the page's bundle puts where the kit has kernel-only modules (src/display/html.ts,
 * plotly-bundle.ts, page-scripts.ts, runtime.ts: files and scripts for the kernel's outputs): only the function a notebook
 * may call, which says where it runs.
 */
export function writeFigureHtml(): never {
  throw new Error(
    "writeFigureHtml runs only in the kernel (it writes a file); in this page, use show(figure)",
  );
}
