/** Figure builders: numbers in, nodeplotlib (plotly.js) traces and layout out. No tslab, no I/O. */
export * from "./loss-slices";
