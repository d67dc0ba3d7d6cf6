/**
 * `stillheap build --target rp2040 [--sensors FILE] [--token T]`: the sensor declaration and the console's token
 * checked (sensors.ts), the firmware's modules bundled with both compiled in, compiled to XS bytecode and linked on
 * this machine (tools/xsc), this repository's bare-metal host and the XS engine (from @agoric/xsnap's sources)
 * cross-compiled for the Cortex-M0+, linked into build/rp2040/stillheap.elf, then .bin (boot2 CRC sealed) and .uf2,
 * with a size report.
 */
import { spawnSync } from "node:child_process";
import { buildSync } from "esbuild";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../cli/command.js";
import { buildDir, distDir, projectRoot } from "../cli/paths.js";
import { ensureXsSources } from "../cli/xs-engine.js";
import { sealBoot2, toUf2 } from "./image.js";
import { describeSensors, readSensorsFile, type SensorsDeclaration } from "./sensors.js";

export const DEFAULT_ENTRY = join(distDir, "hosts", "rp2040", "firmware.js");
export const FLASH_BYTES = 2 * 1024 * 1024;
/** The flash budget this project holds the image to. */
export const FLASH_TARGET_BYTES = 480 * 1024;
/**
 * The console's config token when none is given. The UART is the image's only way in and reaching it takes the
 * board's pins, so this token only keeps stray lines from changing settings: build with your own (`--token T`), or
 * with `--token ""` to turn the config commands off.
 */
export const CONSOLE_ONLY_TOKEN = "console-only";

export class FirmwareBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FirmwareBuildError";
  }
}

export interface FirmwareOptions {
  /** The compiled entry module (default: the gateway firmware). */
  readonly entry?: string;
  /** The sensor declaration file compiled in (default: DEFAULT_SENSORS); checked first: a UsageError if bad. */
  readonly sensors?: string;
  /** The console's config token (default CONSOLE_ONLY_TOKEN; "" turns config off); checked first: a UsageError if bad. */
  readonly token?: string;
  readonly outDir?: string;
  readonly progress?: (line: string) => void;
}

export interface SizeReport {
  readonly flashBytes: number;
  readonly flashTargetBytes: number;
  readonly ramDataBytes: number;
  readonly ramBssBytes: number;
  /** The malloc arena the XS machine lives in: SRAM minus .data, .bss and the C stack. */
  readonly heapArenaBytes: number;
  readonly cStackBytes: number;
  /** The dist/ modules bundled into the image, and their bytes of JavaScript. */
  readonly modules: number;
  readonly moduleSourceBytes: number;
  /** The bundle's linked bytecode, run in place from flash. */
  readonly moduleCodeBytes: number;
}

export interface Firmware {
  readonly elf: string;
  readonly bin: string;
  readonly uf2: string;
  readonly size: SizeReport;
  readonly sensors: SensorsDeclaration;
}

function run(command: string, args: string[], what: string): string {
  const result = spawnSync(command, args, { cwd: projectRoot, encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.error !== undefined) throw new FirmwareBuildError(`${what}: cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) throw new FirmwareBuildError(`${what} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Installs the Debian cross toolchain when it is missing and this is root (CI); otherwise says what to install. */
export function ensureArmToolchain(progress: (line: string) => void): void {
  if (spawnSync("arm-none-eabi-gcc", ["--version"]).status === 0) return;
  const packages = ["gcc-arm-none-eabi", "binutils-arm-none-eabi", "picolibc-arm-none-eabi"];
  if (process.getuid?.() !== 0) {
    throw new FirmwareBuildError(`arm-none-eabi-gcc is missing: install the Debian packages ${packages.join(" ")}`);
  }
  progress(`build: installing ${packages.join(" ")} (apt-get)`);
  run("apt-get", ["update", "-qq"], "apt-get update");
  const install = spawnSync("apt-get", ["install", "-y", "-qq", ...packages], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, encoding: "utf8" });
  if (install.status !== 0) throw new FirmwareBuildError(`apt-get install ${packages.join(" ")} failed:\n${install.stderr}`);
}

function symbol(elf: string, name: string): number {
  const line = run("arm-none-eabi-nm", [elf], "nm").split("\n").find((l) => l.endsWith(` ${name}`));
  if (line === undefined) throw new FirmwareBuildError(`${elf} has no symbol ${name}`);
  return parseInt(line.split(" ")[0] ?? "0", 16);
}

/** A console token: empty (config off) or 8 to 64 printable ASCII characters without spaces (it ends at a space). */
export function checkToken(token: string): string {
  if (token === "") return token;
  if (!/^[\x21-\x7e]{8,64}$/.test(token)) {
    throw new UsageError(`--token: the console token must be 8 to 64 printable ASCII characters without spaces, or "" for none`);
  }
  return token;
}

interface Bundle {
  readonly file: string;
  /** The dist/ modules bundled, and their bytes of JavaScript. */
  readonly modules: number;
  readonly sourceBytes: number;
}

/**
 * The entry and what it imports as one module, unused exports dropped: on the device every module record, binding
 * and namespace costs slots in RAM (≈80 a module, measured), which the Pico cannot spare for the gateway's ~40.
 * The bundle keeps the entry's path under `root`, so module paths and messages stay those of dist/.
 */
function bundle(entry: string, root: string, sensors: SensorsDeclaration, token: string): Bundle {
  const file = join(root, relative(distDir, resolve(entry)));
  // The gateway firmware's entry is generated: it hands startFirmware the declared types only (the catalogue's
  // every type and driver, loaded, cost more RAM than the Pico has). Other entries are bundled as they are.
  const source = resolve(entry) === DEFAULT_ENTRY
    ? { stdin: { contents: firmwareEntry(sensors), resolveDir: dirname(DEFAULT_ENTRY), sourcefile: "firmware-entry.js" } }
    : { entryPoints: [entry] };
  try {
    const result = buildSync({ ...source, outfile: file, bundle: true, format: "esm", target: "es2022", treeShaking: true,
      legalComments: "none", logLevel: "silent", metafile: true,
      define: { STILLHEAP_SENSORS: sensors.json, STILLHEAP_CONSOLE_TOKEN: JSON.stringify(token) } });
    const inputs = Object.values(result.metafile.inputs);
    return { file, modules: inputs.length, sourceBytes: inputs.reduce((total, input) => total + input.bytes, 0) };
  } catch (error: unknown) {
    throw new FirmwareBuildError(`bundling ${entry} failed (run \`stillheap build\` first if dist/ is missing): ` +
      `${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The gateway image's entry: each declared type from its module (src/app/gateway/types/<type>.js exports
 * <TYPE>_TYPE), then startFirmware with them.
 */
function firmwareEntry(sensors: SensorsDeclaration): string {
  const types = [...new Set(sensors.sensors.map((sensor) => sensor.type.type))];
  const lines = types.map((type, i) => {
    const module = join(distDir, "src", "app", "gateway", "types", `${type}.js`);
    const name = `${type.toUpperCase()}_TYPE`;
    if (!existsSync(module) || !readFileSync(module, "utf8").includes(`export const ${name} `)) {
      throw new FirmwareBuildError(`sensor type "${type}": no ${name} in ${module} (run \`stillheap build\` first if dist/ is missing)`);
    }
    return `import { ${name} as type${i} } from ${JSON.stringify(module)};`;
  });
  const list = types.map((_, i) => `type${i}`).join(", ");
  return [...lines, `import { startFirmware } from "./firmware.js";`, `startFirmware(Object.freeze([${list}]));`, ""].join("\n");
}

interface LinkReport {
  readonly modules: number;
  readonly codeBytes: number;
  readonly names: number;
  readonly keyBase: number;
}

/** Builds stillheap-xsc (the engine with the device's features, for this machine) when it is missing or stale. */
function ensureCompiler(xsDir: string): string {
  const out = join(buildDir, "xsc");
  const make = spawnSync("make", ["-C", join(projectRoot, "tools", "xsc"), "-j2", `XS_DIR=${xsDir}`, `OUT=${out}`],
    { encoding: "utf8", maxBuffer: 64 << 20 });
  if (make.status !== 0) throw new FirmwareBuildError(`building the bytecode compiler failed:\n${make.stderr.slice(-4000)}`);
  return join(out, "stillheap-xsc");
}

/** Compiles and links the bundle into build/…/modules.c; a syntax error names the module and line. */
function linkModules(compiler: string, root: string, entry: string, out: string): LinkReport {
  const path = `/${relative(root, entry).split(sep).join("/")}`;
  const args = [out, path, `${path}=${entry}`];
  const report: unknown = JSON.parse(run(compiler, args, "compiling the modules to bytecode"));
  return report as LinkReport;
}

export function buildFirmware(options: FirmwareOptions = {}): Firmware {
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const entry = options.entry ?? DEFAULT_ENTRY;
  const out = resolve(options.outDir ?? join(buildDir, "rp2040")); // make runs in hosts/rp2040
  const sensors = readSensorsFile(options.sensors);
  const token = checkToken(options.token ?? CONSOLE_ONLY_TOKEN);
  progress(`build: ${describeSensors(sensors)}; console config ${token === "" ? "off (no token)" : "under a token"}`);
  mkdirSync(out, { recursive: true });
  ensureArmToolchain(progress);
  const xsDir = ensureXsSources();
  const bundleRoot = join(out, "bundle");
  const bundled = bundle(entry, bundleRoot, sensors, token);
  const modulesC = join(out, "modules.c");
  progress(`build: rp2040 image — ${bundled.modules} modules, ${bundled.sourceBytes} bytes of JavaScript bundled into ${statSync(bundled.file).size}, to bytecode…`);
  const link = linkModules(ensureCompiler(xsDir), bundleRoot, bundled.file, modulesC);
  progress(`build: ${link.codeBytes} bytes of bytecode, ${link.names} names; compiling the image (the engine takes ~1 min the first time)…`);
  const make = spawnSync("make", ["-C", join(projectRoot, "hosts", "rp2040"), "-j2", `XS_DIR=${xsDir}`, `OUT=${out}`,
    `MODULES_C=${modulesC}`], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (make.status !== 0) throw new FirmwareBuildError(`compiling the rp2040 image failed:\n${make.stderr.slice(-4000)}`);
  const elf = join(out, "stillheap.elf");
  const bin = join(out, "stillheap.bin");
  const uf2 = join(out, "stillheap.uf2");
  run("arm-none-eabi-objcopy", ["-O", "binary", elf, bin], "objcopy");
  const image = new Uint8Array(readFileSync(bin));
  sealBoot2(image);
  writeFileSync(bin, image);
  writeFileSync(uf2, toUf2(image));
  const dataStart = symbol(elf, "__data_start");
  const size: SizeReport = {
    flashBytes: image.length,
    flashTargetBytes: FLASH_TARGET_BYTES,
    ramDataBytes: symbol(elf, "__bss_start") - dataStart,
    ramBssBytes: symbol(elf, "__bss_end") - symbol(elf, "__bss_start"),
    heapArenaBytes: symbol(elf, "__heap_end") - symbol(elf, "__heap_start"),
    cStackBytes: symbol(elf, "__stack_top") - symbol(elf, "__stack_bottom"),
    modules: bundled.modules,
    moduleSourceBytes: bundled.sourceBytes,
    moduleCodeBytes: link.codeBytes,
  };
  return { elf, bin, uf2, size, sensors };
}

export function sizeTable(size: SizeReport): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    `flash  ${kb(size.flashBytes)} of 2048 KB (target ≤ ${kb(size.flashTargetBytes)}${size.flashBytes > size.flashTargetBytes ? ": OVER" : ""}); ` +
      `${size.modules} modules, ${kb(size.moduleSourceBytes)} of JavaScript bundled, ${kb(size.moduleCodeBytes)} of bytecode`,
    `RAM    .data ${kb(size.ramDataBytes)}, .bss ${kb(size.ramBssBytes)}, C stack ${kb(size.cStackBytes)}`,
    `XS     heap arena ${kb(size.heapArenaBytes)} (the machine and the app; the boot line reports what is left after creation)`,
  ].join("\n");
}
