/** Where things are, from the compiled CLI's point of view (dist/tools/cli/ → the project root). */
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

export const projectRoot = resolve(fileURLToPath(new URL("../../../", import.meta.url)));
export const distDir = resolve(projectRoot, "dist");
export const buildDir = resolve(projectRoot, "build");
/** The CLI's entry, for spawning `stillheap` commands as a user runs them. */
export const cliPath = resolve(projectRoot, "bin", "stillheap.js");
