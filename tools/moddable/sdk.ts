/**
 * The Moddable SDK as a user's machine has it: found through MODDABLE, its `mcconfig` run on this project as a user
 * runs it, with the build output kept under build/moddable so the SDK's own tree is not written to.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, delimiter, join } from "node:path";
import { buildDir, projectRoot } from "../cli/paths.js";

export const OUTPUT_DIR = join(buildDir, "moddable");

export interface Sdk {
  readonly moddable: string;
  /** The environment mcconfig runs in: MODDABLE, its tools and a TypeScript ≥ 6 on PATH. */
  readonly env: NodeJS.ProcessEnv;
}

export type Found<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** The SDK named by MODDABLE with its Linux tools built, or why it cannot be used. */
export function findSdk(env: NodeJS.ProcessEnv = process.env): Found<Sdk> {
  const moddable = env["MODDABLE"];
  if (moddable === undefined || moddable === "") {
    return { ok: false, reason: "MODDABLE is not set (install the Moddable SDK 8.2.3 and export MODDABLE)" };
  }
  const tools = join(moddable, "build", "bin", "lin", "release");
  for (const tool of ["mcconfig", "mcsim", "xsl"]) {
    if (!existsSync(join(tools, tool))) return { ok: false, reason: `${join(tools, tool)} is missing: build the SDK's tools` };
  }
  const path = [tools, join(projectRoot, "node_modules", ".bin"), env["PATH"] ?? ""].join(delimiter);
  return { ok: true, value: { moddable, env: { ...env, MODDABLE: moddable, PATH: path } } };
}

/** The pico-sdk and pico-extras mcconfig -p pico needs, from the environment, or why they are not usable. */
export function findPicoSdk(env: NodeJS.ProcessEnv = process.env): Found<NodeJS.ProcessEnv> {
  for (const name of ["PICO_SDK_DIR", "PICO_EXTRAS_DIR"]) {
    const dir = env[name];
    if (dir === undefined || !existsSync(dir)) return { ok: false, reason: `${name} does not name a directory (install pico-sdk 2.2.0)` };
  }
  if (spawnSync("arm-none-eabi-gcc", ["--version"]).status !== 0) return { ok: false, reason: "arm-none-eabi-gcc is not on PATH" };
  // The SDK's pico makefile uses bash syntax; the arm toolchain is Debian's, under /usr.
  return { ok: true, value: { PICO_SDK_DIR: env["PICO_SDK_DIR"], PICO_EXTRAS_DIR: env["PICO_EXTRAS_DIR"],
    PICO_GCC_ROOT: env["PICO_GCC_ROOT"] ?? "/usr", MAKEFLAGS: env["MAKEFLAGS"] ?? "SHELL=/bin/bash" } };
}

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs a command to completion with a deadline, keeping its output (stdout and stderr interleaved). */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string,
  timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const deadline = setTimeout(() => {
      output += `\n${command}: no result after ${timeoutMs} ms, stopped\n`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      output += `\n${command}: ${error.message}\n`;
    });
    child.on("close", (status) => {
      clearTimeout(deadline);
      resolve({ status, output });
    });
  });
}

/**
 * `mcconfig ARGS` in `cwd` (the project by default), building into build/moddable. The build's mc.xs.c is removed
 * first, so xsl links again and prints its preload warnings even when every module is up to date.
 */
export function mcconfig(sdk: Sdk, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv;
  timeoutMs?: number } = {}): Promise<RunResult> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const env = { ...sdk.env, ...options.env };
  const platform = args[args.indexOf("-p") + 1];
  if (args.includes("-p") && platform !== undefined) {
    const variant = args.includes("-d") ? "debug" : args.includes("-i") ? "instrument" : "release";
    rmSync(join(buildPath("tmp", platform, variant, basename(options.cwd ?? projectRoot)), "mc.xs.c"), { force: true });
  }
  return run("mcconfig", ["-o", OUTPUT_DIR, ...args], env, options.cwd ?? projectRoot, options.timeoutMs ?? 600_000);
}

/** xsl's warnings about stillheap's own modules (aliases a preloaded module would need, or module state it cannot freeze). */
export function preloadWarnings(output: string): string[] {
  return output.split("\n").filter((line) => line.startsWith("### warning: stillheap/"));
}

/** Where mcconfig puts a build: build/moddable/{bin,tmp}/<platform>/<variant>/<app>. */
export function buildPath(kind: "bin" | "tmp", platform: string, variant: "release" | "debug" | "instrument",
  app: string = basename(projectRoot)): string {
  const [family, board] = platform.split("/");
  const parts = family === "lin" ? [OUTPUT_DIR, kind, "lin", "mc", variant, app] :
    [OUTPUT_DIR, kind, family ?? platform, ...(board === undefined ? [] : [board]), variant, app];
  return join(...parts);
}

/** The `mc/config` module a build generated (tmp/…/mc.config.js, the source xsc compiles), evaluated by Node. */
export async function generatedConfig(platform: string, variant: "release" | "debug" | "instrument",
  app?: string): Promise<Readonly<Record<string, unknown>>> {
  const source = readFileSync(join(buildPath("tmp", platform, variant, app), "mc.config.js"), "utf8");
  // `Object.freeze(config, true)` is XS's deep freeze; Node ignores the second argument.
  const module = await import(`data:text/javascript,${encodeURIComponent(source)}`) as { default: Record<string, unknown> };
  return module.default;
}

/** What manifestCopy lets a test edit: the top-level and per-platform config blocks. */
export interface EditableManifest {
  config?: Record<string, unknown>;
  platforms: Record<string, { config?: Record<string, unknown> }>;
}

/**
 * This project's manifest.json as a user's fork of it, in build/moddable-apps/<name> with its paths through
 * $(STILLHEAP) (build with `STILLHEAP` set to the project), after `edit`. mcconfig names the build after the folder.
 */
export function manifestCopy(name: string, edit: (manifest: EditableManifest) => void): string {
  const text = readFileSync(join(projectRoot, "manifest.json"), "utf8").replaceAll("\"./", "\"$(STILLHEAP)/");
  const manifest = JSON.parse(text) as EditableManifest;
  edit(manifest);
  const dir = join(buildDir, "moddable-apps", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

/** The ESP-IDF version the SDK's esp32 build expects (build/devices/esp32/manifest.json). */
export function expectedIdfVersion(sdk: Sdk): string {
  const manifest = JSON.parse(readFileSync(join(sdk.moddable, "build", "devices", "esp32", "manifest.json"), "utf8")) as {
    build?: { EXPECTED_ESP_IDF?: string };
  };
  return manifest.build?.EXPECTED_ESP_IDF ?? "v6.0";
}

/**
 * A stand-in IDF_PATH: an empty git repository tagged with the expected version, enough for the esp32 makefile to
 * run its JavaScript half (xsc, then xsl into mc.xs.c) without ESP-IDF, which only the C half needs.
 */
export function standInIdf(version: string): string {
  const dir = join(OUTPUT_DIR, `idf-stand-in-${version}`);
  if (existsSync(join(dir, ".git"))) return dir;
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]): void => {
    const result = spawnSync("git", ["-C", dir, "-c", "user.name=stillheap", "-c", "user.email=stillheap@localhost", ...args]);
    if (result.status !== 0) throw new Error(`git ${args.join(" ")} in ${dir} failed: ${result.stderr.toString()}`);
  };
  git("init", "-q");
  git("commit", "-q", "--allow-empty", "-m", version);
  git("tag", version);
  return dir;
}
