/** Figure builders: numbers in, nodeplotlib (plotly.js) traces and layout out. No tslab, no I/O. */
export * from "./loss-slices";
export * from "./figure";
export * from "./surface";
export * from "./curves";
export * from "./training";
export * from "./explorer";
export * from "./article-figures";
export * from "./optimizers";
export * from "./live-explorer";
