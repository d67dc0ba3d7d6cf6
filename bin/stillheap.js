#!/usr/bin/env node
// Entry point of the `stillheap` command: runs the compiled CLI, compiling the TypeScript first if it is missing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// Until a command installs its own handlers, SIGINT and SIGTERM are remembered rather than fatal, so a Ctrl-C while
// the command is still loading reaches it (sim then shuts down gracefully); main() hands them over or re-raises them.
const early = [];
const remember = (signal) => early.push(signal);
process.on("SIGINT", remember).on("SIGTERM", remember);
const earlySignals = () => {
  process.off("SIGINT", remember).off("SIGTERM", remember);
  return early.splice(0);
};

const main = fileURLToPath(new URL("../dist/tools/cli/main.js", import.meta.url));
if (!existsSync(main)) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    process.stderr.write("stillheap: TypeScript is not installed; run `npm install` first\n");
    process.exit(2);
  }
  process.stderr.write("stillheap: compiling the TypeScript (tsc -b)…\n");
  const root = fileURLToPath(new URL("..", import.meta.url));
  const built = spawnSync(process.execPath, [tsc, "-b"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0 || !existsSync(main)) process.exit(1);
}
const { main: run } = await import(main);
process.exitCode = await run(process.argv.slice(2), earlySignals);
