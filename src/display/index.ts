/** Showing figures: inline in tslab, as standalone HTML files, or in nodeplotlib's window. */
export * from "./plotly-bundle";
export * from "./runtime";
export * from "./html";
export * from "./show";
export * from "./base85";
export * from "./page-scripts";
