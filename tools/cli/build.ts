/** `stillheap build`: compile the TypeScript, then what each target needs (the XS host, the RP2040 image). */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { ExitCode, UsageError, type Command } from "./command.js";
import { projectRoot } from "./paths.js";

const TARGETS = ["xs"] as const;
type Target = (typeof TARGETS)[number];

interface BuildOptions {
  readonly targets: Target[];
}

function parse(args: readonly string[]): BuildOptions {
  const targets: Target[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg !== "--target") throw new UsageError(`unexpected argument "${arg ?? ""}"`);
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    const target = TARGETS.find((t) => t === value);
    if (target === undefined) throw new UsageError(`unknown target "${value}": choose ${TARGETS.join(", ")}`);
    targets.push(target);
  }
  return { targets };
}

function compileTypeScript(): boolean {
  process.stderr.write("build: compiling TypeScript (tsc -b)\n");
  const tsc = resolve(projectRoot, "node_modules", "typescript", "bin", "tsc");
  return spawnSync(process.execPath, [tsc, "-b", "--pretty"], { cwd: projectRoot, stdio: "inherit" }).status === 0;
}

async function buildTarget(target: Target): Promise<void> {
  const { ensureXsHost } = await import("./xs-engine.js");
  process.stderr.write(`build: ${target} host ready at ${await ensureXsHost()}\n`);
}

export const command: Command = {
  summary: "compile TypeScript and the XS host",
  usage: `usage: stillheap build [--target xs]

Compiles the TypeScript into dist/ and builds each target:
  xs       the XS engine host for Linux (build/xs/stillheap-xs), from @agoric/xsnap's engine sources
Without --target, builds the TypeScript and the XS host. (Firmware images for boards are built with the
Moddable SDK's mcconfig; see the README.)
Exit status: 0 built, 1 a build failed, 2 usage error.`,
  async run(args) {
    const options = parse(args);
    if (!compileTypeScript()) return ExitCode.failed;
    const targets = options.targets.length > 0 ? options.targets : (["xs"] as Target[]);
    for (const target of targets) await buildTarget(target);
    return ExitCode.ok;
  },
};
