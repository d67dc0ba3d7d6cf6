/**
 * `stillheap lint`: the rules the type checker cannot enforce — layer direction, what firmware code may touch, no
 * `any`, no empty `catch`. Plain text scanning over comment-stripped sources; fast enough to run on every test.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ExitCode, UsageError, type Command } from "./command.js";
import { projectRoot } from "./paths.js";

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

/** Rank of each firmware layer: a file may import its own rank or lower, never higher. */
const LAYER_RANK: Readonly<Record<string, number>> = {
  engine: 0, mem: 1, io: 2, drivers: 3, services: 4, net: 5, app: 6,
};
const FIRMWARE_ROOTS = ["src", "boards", "simulator", "hosts/xs", "hosts/moddable", "hosts/rp2040", "tests", "bench", "firmware"];
const NODE_ONLY = ["tests/node", "tests/rp2040", "tests/moddable", "bench/node"];
const SCANNED_ROOTS = ["src", "boards", "simulator", "hosts", "tests", "bench", "tools", "firmware"];

function under(file: string, root: string): boolean {
  return file === root || file.startsWith(`${root}/`);
}

function isFirmware(file: string): boolean {
  return FIRMWARE_ROOTS.some((root) => under(file, root)) && !NODE_ONLY.some((root) => under(file, root));
}

/** Blanks out comments and string contents but keeps line breaks, so positions still map to lines. */
export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|`(?:\\[\s\S]|[^\\`])*`|"(?:\\.|[^\\"\n])*"|'(?:\\.|[^\\'\n])*'/g,
    (match) => {
      if (match.startsWith("/")) return match.replace(/[^\n]/g, " ");
      const quote = match[0] ?? "";
      return quote + match.slice(1, -1).replace(/[^\n]/g, " ") + quote;
    });
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const IMPORT_PATTERN = /(?:\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"'\n]+)\1/g;

export function importsOf(source: string): Array<{ specifier: string; line: number }> {
  const code = stripComments(source);
  const found: Array<{ specifier: string; line: number }> = [];
  for (const match of source.matchAll(IMPORT_PATTERN)) {
    const index = match.index ?? 0;
    if (code[index] === " ") continue; // inside a comment
    found.push({ specifier: match[2] ?? "", line: lineOf(source, index) });
  }
  return found;
}

function layerOf(file: string): string | undefined {
  const match = /^src\/([^/]+)\//.exec(file);
  return match?.[1];
}

function checkImport(file: string, specifier: string, report: (rule: string, message: string) => void): void {
  const firmware = isFirmware(file);
  // Moddable has modules named "http" and "net" of its own: hosts/moddable may import those.
  const moddableModule = file.startsWith("hosts/moddable/") && (specifier === "http" || specifier === "net");
  if (specifier.startsWith("node:") || (!moddableModule && ["fs", "path", "http", "net", "os", "child_process"].includes(specifier))) {
    if (firmware) report("firmware-node-api", `firmware code imports "${specifier}", which XS does not have`);
    return;
  }
  if (!specifier.startsWith(".")) return;
  const target = relative(projectRoot, resolve(projectRoot, dirname(file), specifier)).split(sep).join("/");
  const from = layerOf(file);
  if (from === undefined) return;
  const layer = layerOf(target);
  if (layer === undefined) {
    if (!(under(target, "boards") && from === "app")) {
      report("layer-direction", `src/${from} imports ${target}: src/ may import only src/ (and src/app also boards/)`);
    }
    return;
  }
  const fromRank = LAYER_RANK[from];
  const toRank = LAYER_RANK[layer];
  if (fromRank === undefined || toRank === undefined) {
    report("layer-direction", `unknown layer src/${fromRank === undefined ? from : layer}: add it to LAYER_RANK`);
  } else if (toRank > fromRank) {
    report("layer-direction", `src/${from} imports src/${layer} (${target}): lower layers never import higher ones`);
  }
}

const FIRMWARE_GLOBALS = /\b(console\.|setTimeout\s*\(|setInterval\s*\(|setImmediate\s*\(|process\.|require\s*\(|Buffer\.|queueMicrotask\s*\(|structuredClone\s*\()/g;
const ANY_TYPE = /(?::|\bas|<|\|)\s*any\b(?!\w)|\bany\[\]/g;
const EMPTY_CATCH = /\bcatch\s*(?:\([^)]*\))?\s*\{\s*\}/g;

export function lintSource(file: string, source: string): Finding[] {
  const findings: Finding[] = [];
  const code = stripComments(source);
  const add = (line: number) => (rule: string, message: string) => findings.push({ file, line, rule, message });
  for (const { specifier, line } of importsOf(source)) checkImport(file, specifier, add(line));
  const scan = (pattern: RegExp, rule: string, message: (m: string) => string): void => {
    for (const match of code.matchAll(pattern)) add(lineOf(code, match.index ?? 0))(rule, message(match[0]));
  };
  if (isFirmware(file) && !file.endsWith(".d.ts")) {
    scan(FIRMWARE_GLOBALS, "firmware-node-api", (m) => `firmware code uses ${m.trim()} which XS does not have; go through the engine or host layer`);
  }
  scan(ANY_TYPE, "no-any", () => "`any` type: name the type, or use `unknown` and narrow it");
  scan(EMPTY_CATCH, "no-empty-catch", () => "empty catch: handle, count or rethrow the error");
  return findings;
}

function sourceFiles(dir: string, out: string[]): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === "ENOENT") return out;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (entry.endsWith(".ts")) out.push(path);
  }
  return out;
}

export function lintProject(): Finding[] {
  const files = SCANNED_ROOTS.flatMap((root) => sourceFiles(join(projectRoot, root), []));
  return files.flatMap((path) => {
    const file = relative(projectRoot, path).split(sep).join("/");
    return lintSource(file, readFileSync(path, "utf8"));
  });
}

export const command: Command = {
  summary: "check layer direction and the firmware rules",
  usage: `usage: stillheap lint

Checks every TypeScript source for:
  layer-direction     src/engine <- mem <- io <- drivers <- services <- net <- app; src/ imports only src/
  firmware-node-api   firmware code (src, simulator, boards, tests, bench, hosts/xs) uses only what XS offers
  no-any              no \`any\` type
  no-empty-catch      no empty catch block
Exit status: 0 clean, 1 findings, 2 usage error.`,
  async run(args) {
    if (args.length > 0) throw new UsageError(`unexpected argument "${args[0] ?? ""}"`);
    const findings = lintProject();
    for (const f of findings) process.stderr.write(`${f.file}:${f.line}: ${f.rule}: ${f.message}\n`);
    process.stdout.write(`lint: ${findings.length === 0 ? "clean" : `${findings.length} finding(s)`}\n`);
    return findings.length === 0 ? ExitCode.ok : ExitCode.failed;
  },
};
