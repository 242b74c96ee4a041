/** The kit's public entry: notebooks import "../src" (see src/package.json). */
export * from "./numerics";
export * from "./figures";
export * from "./display";
export * from "./lessons";
// Notebook 04's rules and analysis (src/descent, src/analysis, src/problems: the regrouped layout).
export * from "./descent/schedules";
export * from "./descent/line-search";
export * from "./descent/range-test";
export * from "./descent/adaptive";
export * from "./descent/preconditioned";
export * from "./analysis/preconditioning";
export * from "./problems/not-quadratic";
