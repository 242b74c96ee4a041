// Layers, each importing only from those above it in this list (test/layers.test.ts checks it):
// input checks; the problems (the article's function, the polynomial data) and bases; descent;
// losses and solvers; the fit; then checks, tables and reports on top.
export * from "./validate";
export * from "./random";
export * from "./quadratic";
export * from "./polynomial";
export * from "./bases";
export * from "./descent";
export * from "./tables";
export * from "./thinning";
export * from "./losses";
export * from "./least-squares";
export * from "./sufficient-statistics";
export * from "./hessian";
export * from "./polyfit";
export * from "./explorer";
export * from "./tensorflow";
export * from "./gradient-check";
export * from "./fit-report";
export * from "./article-descent";
export * from "./step-rules";
export * from "./rates";
export * from "./framework";
export * from "./minibatch";
