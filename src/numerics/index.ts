export * from "./validate";
export * from "./descent";
export * from "./quadratic";
export * from "./random";
export * from "./polyfit";
export * from "./tensorflow";
export * from "./gradient-check";
