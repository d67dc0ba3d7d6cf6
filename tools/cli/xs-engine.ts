/**
 * The XS engine for the Linux host: its sources come from the npm package @agoric/xsnap (fetched with `npm pack`,
 * no install scripts, checked against a pinned sha512, cached in build/cache), compiled with hosts/xs/Makefile.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDir, projectRoot } from "./paths.js";

export const XS_PACKAGE = "@agoric/xsnap@0.15.0";
const TARBALL = "agoric-xsnap-0.15.0.tgz";
const INTEGRITY = "sha512-ZBm4DZxbtfacxMHVVdJjZi0Y8zOxN77vpu1WwI5RWfPkaRh0aHkz/dVdTGKXalDNzWfz183lljKxlxl3/h0n+A==";

export class EngineBuildError extends Error {
  override name = "EngineBuildError";
}

export interface EngineOptions {
  readonly quiet?: boolean;
}

const cacheDir = join(buildDir, "cache");
const engineDir = join(buildDir, "engine", "xsnap-0.15.0");
/** The engine's moddable/xs folder (sources, includes, platforms), shared with the RP2040 build. */
export const xsSourceDir = join(engineDir, "package", "moddable", "xs");
export const xsHostBinary = join(buildDir, "xs", "stillheap-xs");

function say(options: EngineOptions, text: string): void {
  if (options.quiet !== true) process.stderr.write(`xs: ${text}\n`);
}

function run(command: string, args: readonly string[], cwd: string, what: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.error !== undefined) throw new EngineBuildError(`${what}: cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new EngineBuildError(`${what} failed (exit ${result.status ?? "signal"}):\n${result.stderr}${result.stdout}`);
  }
}

function integrityOf(file: string): string {
  return `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
}

function fetchTarball(options: EngineOptions): string {
  const tarball = join(cacheDir, TARBALL);
  if (!existsSync(tarball)) {
    say(options, `fetching the XS engine sources (${XS_PACKAGE}, ≈0.7 MB) with npm pack…`);
    mkdirSync(cacheDir, { recursive: true });
    run("npm", ["pack", XS_PACKAGE, "--pack-destination", cacheDir, "--silent"], projectRoot, "npm pack");
  }
  const actual = integrityOf(tarball);
  if (actual !== INTEGRITY) {
    throw new EngineBuildError(`${tarball} does not match the pinned integrity of ${XS_PACKAGE}` +
      ` (expected ${INTEGRITY}, got ${actual}); delete it and run again`);
  }
  return tarball;
}

/** Fetches and unpacks the engine sources if needed; returns the moddable/xs folder. */
export function ensureXsSources(options: EngineOptions = {}): string {
  if (existsSync(join(xsSourceDir, "sources", "xsAll.c"))) return xsSourceDir;
  const tarball = fetchTarball(options);
  mkdirSync(engineDir, { recursive: true });
  run("tar", ["xzf", tarball, "-C", engineDir, "package/moddable/xs", "package/LICENSE"], projectRoot, "unpacking");
  return xsSourceDir;
}

/** Builds the XS host if it is missing or its sources changed (make decides); returns the binary's path. */
export async function ensureXsHost(options: EngineOptions = {}): Promise<string> {
  const sources = ensureXsSources(options);
  const outDir = join(buildDir, "xs");
  const upToDate = spawnSync("make", ["-q", "-C", join(projectRoot, "hosts", "xs"), `XS_DIR=${sources}`,
    `OUT=${outDir}`], { stdio: "ignore" }).status === 0;
  if (upToDate) return xsHostBinary;
  say(options, "compiling the XS host (≈20 s on two cores)…");
  run("make", ["-s", "-j2", "-C", join(projectRoot, "hosts", "xs"), `XS_DIR=${sources}`, `OUT=${outDir}`],
    projectRoot, "compiling the XS host");
  say(options, `built ${xsHostBinary}`);
  return xsHostBinary;
}
