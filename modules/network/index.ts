export * from "./network";
export * from "./props";
