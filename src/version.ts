declare const __LEXI_VERSION__: string;

/** lexi's version, injected from package.json at build time (and by vitest for tests). */
export const LEXI_VERSION: string = typeof __LEXI_VERSION__ === "string" ? __LEXI_VERSION__ : "0.0.0-dev";
