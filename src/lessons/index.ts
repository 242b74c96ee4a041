export * from "./answers";
export * from "./lesson-one";
export * from "./lesson-two";
export * from "./lesson-four";
