/** The kit's public entry: notebooks import "../src" (see src/package.json). */
export * from "./numerics";
export * from "./figures";
export * from "./display";
export * from "./lessons";
