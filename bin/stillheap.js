#!/usr/bin/env node
// Entry point of the `stillheap` command: runs the compiled CLI, or says how to build it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../dist/tools/cli/main.js", import.meta.url));
if (!existsSync(main)) {
  process.stderr.write("stillheap: the CLI is not compiled yet; run `npm install` (or `npx tsc -b`) first\n");
  process.exit(2);
}
const { main: run } = await import(main);
process.exitCode = await run(process.argv.slice(2));
