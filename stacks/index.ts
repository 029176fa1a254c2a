export * from "./environment-stack";
export * from "./environment-stacks";
