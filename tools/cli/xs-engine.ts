/**
 * The XS engine for the Linux host, compiled with hosts/xs/Makefile from one of two sources:
 * - the Moddable SDK's own XS (17.x, the engine users run) when MODDABLE names an SDK;
 * - otherwise the npm package @agoric/xsnap (XS 13.3; fetched with `npm pack`, no install scripts, checked against
 *   a pinned sha512, cached in build/cache).
 * STILLHEAP_XS_ENGINE=xsnap or =moddable chooses one explicitly.
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

/** Where one engine's sources are and where its host is built. */
export interface XsEngine {
  /** For messages: where the sources come from. */
  readonly origin: string;
  /** The engine's xs folder (sources, includes, platforms). */
  readonly sources: string;
  readonly outDir: string;
  readonly binary: string;
}

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

function moddableXs(): string | undefined {
  const sdk = process.env["MODDABLE"];
  if (sdk === undefined || sdk === "") return undefined;
  const sources = join(sdk, "xs");
  return existsSync(join(sources, "sources", "xsAll.c")) ? sources : undefined;
}

/** The engine the XS host is built from (see the module comment). */
export function xsEngine(options: EngineOptions = {}): XsEngine {
  const chosen = process.env["STILLHEAP_XS_ENGINE"] ?? "";
  if (chosen !== "" && chosen !== "moddable" && chosen !== "xsnap") {
    throw new EngineBuildError(`STILLHEAP_XS_ENGINE="${chosen}": choose moddable (the SDK's XS, needs MODDABLE) or xsnap`);
  }
  const sdk = chosen === "xsnap" ? undefined : moddableXs();
  if (chosen === "moddable" && sdk === undefined) {
    throw new EngineBuildError("STILLHEAP_XS_ENGINE=moddable needs MODDABLE to name a Moddable SDK with xs/sources");
  }
  if (sdk !== undefined) {
    const outDir = join(buildDir, "xs", "moddable");
    return { origin: `the Moddable SDK's XS (${sdk})`, sources: sdk, outDir, binary: join(outDir, "stillheap-xs") };
  }
  const outDir = join(buildDir, "xs");
  return { origin: XS_PACKAGE, sources: ensureXsSources(options), outDir, binary: join(outDir, "stillheap-xs") };
}

/** "XS 17.3.0": what the built host reports of its engine. */
export function xsVersion(binary: string): string {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (result.status !== 0) throw new EngineBuildError(`${binary} --version failed (exit ${result.status ?? "signal"})`);
  return result.stdout.trim();
}

/** Builds the XS host if it is missing or its sources changed (make decides); returns the binary's path. */
export async function ensureXsHost(options: EngineOptions = {}): Promise<string> {
  const engine = xsEngine(options);
  const make = ["-C", join(projectRoot, "hosts", "xs"), `XS_DIR=${engine.sources}`, `OUT=${engine.outDir}`];
  const upToDate = spawnSync("make", ["-q", ...make], { stdio: "ignore" }).status === 0;
  if (upToDate) return engine.binary;
  say(options, `compiling the XS host from ${engine.origin} (≈20 s on two cores)…`);
  run("make", ["-s", "-j2", ...make], projectRoot, "compiling the XS host");
  say(options, `built ${engine.binary} (${xsVersion(engine.binary)})`);
  return engine.binary;
}
