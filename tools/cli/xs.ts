/** `stillheap xs`: run a compiled module on the real XS engine with a board's memory budget. */
import { existsSync } from "node:fs";
import { ExitCode, UsageError, type Command } from "./command.js";
import { runXs, type XsRunOptions } from "./xs-run.js";

interface Parsed {
  entry?: string;
  board?: string;
  chunk?: number;
  slots?: number;
  stack?: number;
  reportFile?: string;
  maps: Record<string, string>;
  preloaded?: boolean;
}

function count(flag: string, value: string | undefined): number {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number <= 0) {
    throw new UsageError(`${flag} needs a positive whole number, got "${value ?? ""}"`);
  }
  return number;
}

function parse(args: readonly string[]): Parsed {
  const parsed: Parsed = { maps: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const value = args[i + 1];
    if (!arg.startsWith("--")) {
      if (parsed.entry !== undefined) throw new UsageError(`one entry module only, got "${parsed.entry}" and "${arg}"`);
      parsed.entry = arg;
      continue;
    }
    if (arg === "--preloaded") {
      parsed.preloaded = true;
      continue;
    }
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    i++;
    if (arg === "--board") parsed.board = value;
    else if (arg === "--chunk") parsed.chunk = count(arg, value);
    else if (arg === "--slots") parsed.slots = count(arg, value);
    else if (arg === "--stack") parsed.stack = count(arg, value);
    else if (arg === "--report") parsed.reportFile = value;
    else if (arg === "--map") {
      const equals = value.indexOf("=");
      if (equals <= 0) throw new UsageError(`--map needs SPECIFIER=PATH, got "${value}"`);
      parsed.maps[value.slice(0, equals)] = value.slice(equals + 1);
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return parsed;
}

function options(parsed: Parsed): XsRunOptions {
  const entry = parsed.entry;
  if (entry === undefined) throw new UsageError("name the compiled module to run (e.g. dist/src/app/main.js)");
  if (!existsSync(entry)) throw new UsageError(`cannot find ${entry} (run \`npm run build\` to compile TypeScript)`);
  const explicit = parsed.chunk !== undefined || parsed.slots !== undefined || parsed.stack !== undefined;
  if (explicit && parsed.board !== undefined) throw new UsageError("give either --board or --chunk/--slots/--stack");
  const base = { entry, maps: parsed.maps, capture: false, preloaded: parsed.preloaded === true };
  const report = parsed.reportFile !== undefined ? { reportFile: parsed.reportFile } : {};
  if (explicit) {
    if (parsed.chunk === undefined || parsed.slots === undefined || parsed.stack === undefined) {
      throw new UsageError("fixed sizes need all three of --chunk, --slots and --stack");
    }
    return { ...base, ...report, chunk: parsed.chunk, slots: parsed.slots, stack: parsed.stack };
  }
  return { ...base, ...report, board: parsed.board ?? "pico" };
}

export const command: Command = {
  summary: "run a compiled module on the XS engine with a board's memory budget",
  usage: `usage: stillheap xs <entry.js> [--board pico|esp32] [--chunk BYTES --slots N --stack N]
                    [--report FILE] [--map SPECIFIER=PATH]... [--preloaded]

Runs an ES module on the Moddable XS engine (built from @agoric/xsnap's sources on first use).
  --board B         the board's creation sizes, growing in its increments until chunks + slots × 16 + stack × 16
                    reach its budget, as on the device (default: pico, 131072 bytes)
  --chunk/--slots/--stack   fixed heaps instead: chunk bytes, slot count, stack slots (no growth)
  --preloaded       charge nothing until the entry calls xshost.preloaded() after its imports, as a device keeps the
                    objects its preloaded modules create in flash
  --report FILE     write {"engine","board","slotsUsed","slotsPeak","chunkBytesUsed","chunkBytesPeak","gcCount",
                    "stackPeak","abort",…} as JSON at exit, also after an abort
  --map S=PATH      resolve the bare specifier S to PATH (this package's exports, stillheap/*, are mapped already)
Scripts see a global \`xshost\` (hosts/xs/xshost.d.ts); import hosts/xs/host.js for the typed engine.
Exit status: 0 ok, 1 uncaught error or unhandled rejection, 2 usage error, 3 syntax error or unresolved import,
             4 out of memory, 5 stack overflow, 6 other engine abort.`,
  async run(args) {
    const result = await runXs(options(parse(args)));
    return result.exitCode === ExitCode.ok ? ExitCode.ok : result.exitCode;
  },
};
