export * from "./bundle.js";
export * from "./csv.js";
export * from "./enums.js";
export * from "./lifecycle.js";
export * from "./palette.js";
export * from "./partial-date.js";
export * from "./policy.js";
export * from "./schemas.js";
