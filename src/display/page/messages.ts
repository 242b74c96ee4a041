/** What a figure output says in the page, written by the kernel (html.ts) or by the page's runtime. */

export const MISSING_PLOTLY_MESSAGE =
  "plotly.js is not in this page: it travels in the output of setUpFigures() or of the first figure of a kernel " +
  "session, and that output is gone. " +
  "Rerun the notebook (Restart kernel and run all), or run resetPlotlyDelivery() and then this cell again.";

export const UNTRUSTED_MESSAGE =
  "Interactive figure: run this cell (or trust the notebook) to draw it; it needs JavaScript.";
