export * from "./props";
export * from "./runtime";
