/** Where things are, from the compiled CLI's point of view (dist/tools/cli/ → the project root). */
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";

export const projectRoot = resolve(fileURLToPath(new URL("../../../", import.meta.url)));
export const distDir = resolve(projectRoot, "dist");
export const buildDir = resolve(projectRoot, "build");
/** The CLI's entry, for spawning `stillheap` commands as a user runs them. */
export const cliPath = resolve(projectRoot, "bin", "stillheap.js");
/**
 * Where the panel tests put their screenshots: build/screenshots, or STILLHEAP_SCREENSHOTS (the README's images in
 * bench/results were made with STILLHEAP_SCREENSHOTS=bench/results), so a test run leaves the tree clean.
 */
export const screenshotDir = resolve(projectRoot, process.env.STILLHEAP_SCREENSHOTS ?? join("build", "screenshots"));
/** The scenario the commands load unless given another: the board `npm start` shows. */
export const DEFAULT_SCENARIO = join(projectRoot, "simulator", "scenarios", "default.json");
