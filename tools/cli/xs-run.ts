/** Runs a compiled module on the XS host: budget flags from boards/, a module map from package.json exports. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Board } from "../../boards/index.js";
import { ensureXsHost } from "./xs-engine.js";
import { distDir, projectRoot } from "./paths.js";

/** What the host writes with --report: the machine's counters at exit, and why it stopped if it aborted. */
export interface XsReport {
  readonly engine: "xs";
  /** The engine's version, "17.7.0". */
  readonly xsVersion: string;
  readonly board: string;
  readonly slotsUsed: number;
  readonly slotsPeak: number;
  readonly slotsReserved: number;
  readonly chunkBytesUsed: number;
  readonly chunkBytesPeak: number;
  readonly chunkBytesReserved: number;
  readonly gcCount: number;
  readonly stackPeak: number;
  readonly stackReserved: number;
  readonly budgetBytes: number;
  readonly budgetPeakBytes: number;
  readonly abort: string | null;
}

export interface XsRunOptions {
  readonly entry: string;
  /** A board from boards/: its creation sizes, growing within its budget as on the device. */
  readonly board?: string;
  /** Fixed sizes (no growth); used when no board is given. */
  readonly chunk?: number;
  readonly slots?: number;
  /** Stack slots: with a board, in place of the board's own (charged within its budget). */
  readonly stack?: number;
  readonly reportFile?: string;
  /** Extra bare specifiers → file paths (e.g. `timer` → a simulator module). */
  readonly maps?: Readonly<Record<string, string>>;
  /** Capture stdout/stderr instead of passing them through. */
  readonly capture?: boolean;
  /** Charge nothing until the entry calls xshost.preloaded(), as a device keeps preloaded modules in flash. */
  readonly preloaded?: boolean;
}

export interface XsRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: XsReport | undefined;
}

/** The host's exit statuses (hosts/xs/host.h). */
export const XsExit = Object.freeze({ ok: 0, uncaught: 1, usage: 2, load: 3, outOfMemory: 4, stackOverflow: 5, abort: 6 });

/** Sizes without a board: generous, fixed, for tests and tools (a machine of 64 MiB chunks and 1 Mi slots). */
export const DEFAULT_XS_SIZES = Object.freeze({ chunk: 64 * 1024 * 1024, slots: 1024 * 1024, stack: 16 * 1024 });

async function loadBoard(name: string): Promise<Board> {
  const boards = (await import(pathToFileURL(join(distDir, "boards", "index.js")).href)) as {
    boardNamed: (board: string) => Board;
  };
  return boards.boardNamed(name);
}

/** A board's sizes as the host's flags; `stack` (slots) in place of the board's when given. */
function budgetFlags(board: Board, stack?: number): string[] {
  const { creation } = board;
  return ["--board", board.name, "--budget", String(board.xsBudgetBytes),
    "--chunk", String(creation.chunk.initial), "--chunk-grow", String(creation.chunk.incremental),
    "--slots", String(creation.heap.initial), "--slots-grow", String(creation.heap.incremental),
    "--stack", String(stack ?? creation.stack)];
}

/** This package's exports (`stillheap/mem` → dist/src/mem/index.js) plus the caller's extra entries. */
export function moduleMap(extra: Readonly<Record<string, string>> = {}): string {
  const manifest = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, string>;
  };
  const lines = Object.entries(manifest.exports)
    .filter(([subpath, target]) => subpath !== "./package.json" && target.endsWith(".js"))
    .map(([subpath, target]) => `${manifest.name}/${subpath.slice(2)}\t${resolve(projectRoot, target)}`);
  for (const [specifier, path] of Object.entries(extra)) lines.push(`${specifier}\t${resolve(path)}`);
  return `${lines.join("\n")}\n`;
}

function readReport(file: string): XsReport | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as XsReport) : undefined;
}

export async function runXs(options: XsRunOptions): Promise<XsRunResult> {
  const binary = await ensureXsHost();
  const scratch = mkdtempSync(join(tmpdir(), "stillheap-xs-"));
  try {
    const mapFile = join(scratch, "modules.tsv");
    writeFileSync(mapFile, moduleMap(options.maps));
    const reportFile = options.reportFile ?? join(scratch, "report.json");
    const sizes = options.board !== undefined ? budgetFlags(await loadBoard(options.board), options.stack) : [
      "--chunk", String(options.chunk ?? DEFAULT_XS_SIZES.chunk),
      "--slots", String(options.slots ?? DEFAULT_XS_SIZES.slots),
      "--stack", String(options.stack ?? DEFAULT_XS_SIZES.stack)];
    const args = [...sizes, "--modules", mapFile, "--report", reportFile, ...(options.preloaded === true ? ["--preloaded"] : []),
      resolve(options.entry)];
    const { exitCode, stdout, stderr } = await spawnHost(binary, args, options.capture === true);
    return { exitCode, stdout, stderr, report: readReport(reportFile) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function spawnHost(binary: string, args: string[], capture: boolean): Promise<Omit<XsRunResult, "report">> {
  return new Promise((done, fail) => {
    const child = spawn(binary, args, { stdio: capture ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", fail);
    child.on("close", (code, signal) => done({ exitCode: code ?? (signal === null ? 1 : 128), stdout, stderr }));
  });
}
