export * from "./environment-stack.ts";
export * from "./environment-stacks.ts";
