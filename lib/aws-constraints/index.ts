export * from "./check";
export * from "./table";
export * from "./types";
