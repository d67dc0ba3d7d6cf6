/**
 * Moddable's own sensor drivers, taken unmodified from a Moddable SDK at test time — never copied into this
 * repository (they are LGPL-3.0-or-later, part of the SDK's runtime). Where from, in order: the SDK folder `$MODDABLE`,
 * else the SDK tarball `../shared/moddable/moddable-*.tar.gz` beside the project. The files land in
 * build/moddable-drivers/, with the two modules they import that are native on a device (`timer`, `crc`) resolved to
 * the simulator's: for Node as node_modules packages there, for the XS host as module-map entries.
 * (build/moddable is the SDK build's output: this stays out of it.)
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildDir, distDir, projectRoot } from "../cli/paths.js";

/**
 * The drivers used, by their SDK path and the `embedded:sensor` specifier their manifests give them. Not the BMP280's:
 * it computes in native code (bmp280.c, `#calculate() @ "xs_bmp280_calculate"`), which only an SDK build links.
 */
export const MODDABLE_DRIVERS = Object.freeze({
  sht3x: { path: "modules/drivers/sensors/sht3x/sht3x.js", specifier: "embedded:sensor/Humidity-Temperature/SHT3x" },
  tmp117: { path: "modules/drivers/sensors/tmp117/tmp117.js", specifier: "embedded:sensor/Temperature/TMP117" },
  lis3dh: { path: "modules/drivers/sensors/lis3dh/lis3dh.js", specifier: "embedded:sensor/Accelerometer/LIS3DH" },
  /** The AHT10's driver, for the AHT20: they share the trigger and the conversions (src/drivers/aht20/aht20.ts). */
  aht10: { path: "modules/drivers/sensors/aht10/aht10.js", specifier: "embedded:sensor/Humidity-Temperature/AHT10" },
  shtc3: { path: "modules/drivers/sensors/shtc3/shtc3.js", specifier: "embedded:sensor/Humidity-Temperature/SHTC3" },
  mpu6050: { path: "modules/drivers/sensors/mpu6050/mpu6050.js", specifier: "embedded:sensor/Accelerometer-Gyroscope/MPU6050" },
  tmp102: { path: "modules/drivers/sensors/tmp102/tmp102.js", specifier: "embedded:sensor/Temperature/TMP102" },
});
export type ModdableDriverName = keyof typeof MODDABLE_DRIVERS;

/** What the simulator provides for the modules Moddable implements natively. */
export const SIMULATOR_MODULES = Object.freeze({
  timer: join(distDir, "simulator", "timer.js"),
  crc: join(distDir, "simulator", "crc.js"),
});

export interface ExtractedDrivers {
  /** Driver name → the extracted file. */
  readonly files: Readonly<Record<ModdableDriverName, string>>;
  /** Where they came from (a folder or a tarball), for messages. */
  readonly source: string;
  /** Bare specifiers → files, for the XS host's module map. */
  readonly maps: Readonly<Record<string, string>>;
}

const outDir = join(buildDir, "moddable-drivers");

function findTarball(): string | undefined {
  const shared = resolve(projectRoot, "..", "shared", "moddable");
  if (!existsSync(shared)) return undefined;
  const name = readdirSync(shared).filter((file) => /^moddable-[\d.]+\.tar\.gz$/.test(file)).sort().pop();
  return name === undefined ? undefined : join(shared, name);
}

/** Where a driver lands: build/moddable-drivers/<its file name>. */
function extracted(name: ModdableDriverName): string {
  return join(outDir, MODDABLE_DRIVERS[name].path.split("/").pop() ?? name);
}

function fromFolder(sdk: string): void {
  for (const name of Object.keys(MODDABLE_DRIVERS) as ModdableDriverName[]) copyFileSync(join(sdk, MODDABLE_DRIVERS[name].path), extracted(name));
}

function fromTarball(tarball: string): void {
  const members = Object.values(MODDABLE_DRIVERS).map((driver) => `moddable/${driver.path}`);
  // --strip-components: moddable/modules/drivers/sensors/<chip>/<file> → <file>
  const run = spawnSync("tar", ["-xzf", tarball, "-C", outDir, "--strip-components=5", ...members], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`tar could not extract Moddable's drivers from ${tarball}: ${run.stderr.trim()}`);
}

/** node_modules/<name> re-exporting a simulator module, so Node resolves the drivers' bare imports to it. */
function nodeShim(name: string, target: string): void {
  const dir = join(outDir, "node_modules", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name, type: "module", main: "index.js" })}\n`);
  const url = JSON.stringify(target);
  writeFileSync(join(dir, "index.js"), `export * from ${url};\nexport { default } from ${url};\n`);
}

/** Extracts the drivers; returns why not when no Moddable SDK is at hand. */
export function extractModdableDrivers(): ExtractedDrivers | string {
  const sdk = process.env.MODDABLE;
  const folder = sdk !== undefined && existsSync(join(sdk, MODDABLE_DRIVERS.sht3x.path)) ? sdk : undefined;
  const tarball = folder === undefined ? findTarball() : undefined;
  if (folder === undefined && tarball === undefined) {
    return "no Moddable SDK: set MODDABLE to an SDK folder, or put the SDK tarball in ../shared/moddable/";
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  if (folder !== undefined) fromFolder(folder);
  else if (tarball !== undefined) fromTarball(tarball);
  for (const [name, target] of Object.entries(SIMULATOR_MODULES)) nodeShim(name, target);
  const files = Object.fromEntries(Object.keys(MODDABLE_DRIVERS).map((name) => [name, extracted(name as ModdableDriverName)])) as
    Record<ModdableDriverName, string>;
  const maps: Record<string, string> = { ...SIMULATOR_MODULES };
  for (const [name, driver] of Object.entries(MODDABLE_DRIVERS)) maps[driver.specifier] = files[name as ModdableDriverName];
  return { files, source: folder ?? tarball ?? "", maps };
}
