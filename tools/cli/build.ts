/** `stillheap build`: compile the TypeScript, then what each target needs (the XS host, the RP2040 image). */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { ExitCode, UsageError, type Command } from "./command.js";
import { projectRoot } from "./paths.js";

const TARGETS = ["xs", "rp2040"] as const;
type Target = (typeof TARGETS)[number];

interface BuildOptions {
  readonly targets: Target[];
  readonly board: string | undefined;
}

function parse(args: readonly string[]): BuildOptions {
  const targets: Target[] = [];
  let board: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg !== "--target" && arg !== "--board") throw new UsageError(`unexpected argument "${arg ?? ""}"`);
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    if (arg === "--board") {
      board = value;
      continue;
    }
    const target = TARGETS.find((t) => t === value);
    if (target === undefined) throw new UsageError(`unknown target "${value}": choose ${TARGETS.join(", ")}`);
    targets.push(target);
  }
  return { targets, board };
}

function compileTypeScript(): boolean {
  process.stderr.write("build: compiling TypeScript (tsc -b)\n");
  const tsc = resolve(projectRoot, "node_modules", "typescript", "bin", "tsc");
  return spawnSync(process.execPath, [tsc, "-b", "--pretty"], { cwd: projectRoot, stdio: "inherit" }).status === 0;
}

async function buildTarget(target: Target, board: string | undefined): Promise<void> {
  if (target === "xs") {
    const { ensureXsHost } = await import("./xs-engine.js");
    process.stderr.write(`build: XS host ready at ${await ensureXsHost()}\n`);
    return;
  }
  const { buildRp2040 } = (await import(new URL("./rp2040-build.js", import.meta.url).href)) as {
    buildRp2040: (options: { board: string }) => Promise<void>;
  };
  await buildRp2040({ board: board ?? "pico" });
}

export const command: Command = {
  summary: "compile TypeScript and the XS host (and firmware images with --target)",
  usage: `usage: stillheap build [--target xs|rp2040]... [--board pico|esp32]

Compiles the TypeScript into dist/ and builds each target:
  xs       the XS engine host for Linux (build/xs/stillheap-xs), from @agoric/xsnap's engine sources
  rp2040   the bare-metal firmware image build/rp2040/stillheap.{elf,bin,uf2} (board pico)
Without --target, builds the TypeScript and the XS host.
Exit status: 0 built, 1 a build failed, 2 usage error.`,
  async run(args) {
    const options = parse(args);
    if (!compileTypeScript()) return ExitCode.failed;
    const targets = options.targets.length > 0 ? options.targets : (["xs"] as Target[]);
    for (const target of targets) await buildTarget(target, options.board);
    return ExitCode.ok;
  },
};
