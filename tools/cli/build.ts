/** `stillheap build`: compile the TypeScript, then what each target needs (the XS host, the RP2040 image). */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { ExitCode, UsageError, type Command } from "./command.js";
import { projectRoot } from "./paths.js";

const TARGETS = ["xs", "rp2040"] as const;
type Target = (typeof TARGETS)[number];

interface BuildOptions {
  readonly targets: Target[];
  /** The RP2040 image's sensor declaration file (--sensors), or undefined for DEFAULT_SENSORS. */
  readonly sensors: string | undefined;
  /** The RP2040 console's config token (--token; "" for none), or undefined for CONSOLE_ONLY_TOKEN. */
  readonly token: string | undefined;
}

function parse(args: readonly string[]): BuildOptions {
  const targets: Target[] = [];
  let sensors: string | undefined;
  let token: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg !== "--target" && arg !== "--sensors" && arg !== "--token") throw new UsageError(`unexpected argument "${arg ?? ""}"`);
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    if (arg === "--sensors") {
      sensors = value;
      continue;
    }
    if (arg === "--token") {
      token = value;
      continue;
    }
    const target = TARGETS.find((t) => t === value);
    if (target === undefined) throw new UsageError(`unknown target "${value}": choose ${TARGETS.join(", ")}`);
    targets.push(target);
  }
  if (sensors !== undefined && !targets.includes("rp2040")) throw new UsageError("--sensors is the RP2040 image's declaration: add --target rp2040");
  if (token !== undefined && !targets.includes("rp2040")) throw new UsageError("--token is the RP2040 console's config token: add --target rp2040");
  return { targets, sensors, token };
}

function compileTypeScript(): boolean {
  process.stderr.write("build: compiling TypeScript (tsc -b)\n");
  const tsc = resolve(projectRoot, "node_modules", "typescript", "bin", "tsc");
  return spawnSync(process.execPath, [tsc, "-b", "--pretty"], { cwd: projectRoot, stdio: "inherit" }).status === 0;
}

async function buildTarget(target: Target, options: BuildOptions): Promise<void> {
  if (target === "rp2040") {
    const { buildFirmware, sizeTable } = await import("../rp2040/build.js");
    const firmware = buildFirmware({ ...(options.sensors === undefined ? {} : { sensors: options.sensors }),
      ...(options.token === undefined ? {} : { token: options.token }) });
    process.stdout.write(`${sizeTable(firmware.size)}\nbuild: ${firmware.elf}\nbuild: ${firmware.bin}\nbuild: ${firmware.uf2} (drag onto a Pico in BOOTSEL mode)\n`);
    return;
  }
  const { ensureXsHost } = await import("./xs-engine.js");
  process.stderr.write(`build: ${target} host ready at ${await ensureXsHost()}\n`);
}

export const command: Command = {
  summary: "compile TypeScript, the XS host and the RP2040 firmware image",
  usage: `usage: stillheap build [--target xs|rp2040]… [--sensors FILE] [--token T]

Compiles the TypeScript into dist/ and builds each target:
  xs       the XS engine host for Linux (build/xs/stillheap-xs), from @agoric/xsnap's engine sources
  rp2040   the bare-metal Pico image: the firmware bundled into one module, compiled to XS bytecode and linked by
           build/xsc/stillheap-xsc (tools/xsc), then build/rp2040/stillheap.{elf,bin,uf2} and a size report (needs the
           Debian packages gcc-arm-none-eabi, binutils-arm-none-eabi, picolibc-arm-none-eabi; installed when run as root)
  --sensors FILE  the RP2040 image's sensor declaration, compiled in (default: DEFAULT_SENSORS, the Pico's four): a
           JSON array of sensors, or an object with a "sensors" array (a scenario file); checked before anything is
           compiled against the board facts the image offers (I2C0 "default" on GP4/GP5; GP0/GP1 are the console)
  --token T  the bearer token of the RP2040 console's config commands (\`config Bearer T {…}\`, \`config reset
           Bearer T\`): 8 to 64 printable ASCII characters without spaces, or "" to turn them off (default
           "console-only", which only keeps stray lines from changing settings)
Without --target, builds the TypeScript and the XS host. (Moddable firmware for ESP32 and Pico is built with the
Moddable SDK's mcconfig; see the README.)
Exit status: 0 built, 1 a build failed, 2 usage error (a declaration refused, with its file and JSON path; a bad token).`,
  async run(args) {
    const options = parse(args);
    if (options.sensors !== undefined) { // refused before anything is compiled (a UsageError: exit 2)
      const { readSensorsFile } = await import("../rp2040/sensors.js");
      readSensorsFile(options.sensors);
    }
    if (options.token !== undefined) (await import("../rp2040/build.js")).checkToken(options.token);
    if (!compileTypeScript()) return ExitCode.failed;
    const targets = options.targets.length > 0 ? options.targets : (["xs"] as Target[]);
    try {
      for (const target of targets) await buildTarget(target, options);
    } catch (error: unknown) {
      if (!(error instanceof Error) || error.name !== "FirmwareBuildError") throw error;
      process.stderr.write(`build: ${error.message}\n`);
      return ExitCode.failed;
    }
    return ExitCode.ok;
  },
};
