/** `stillheap <command> [options]`: dispatches to one module per command, loaded only when used. */
import { ExitCode, UsageError, type Command, type TakeSignals } from "./command.js";

const commands: Readonly<Record<string, { summary: string; module: string }>> = {
  build: { summary: "compile TypeScript, the XS host and the RP2040 firmware image", module: "build" },
  test: { summary: "type-check, lint and run the test suite on every engine", module: "test" },
  xs: { summary: "run a compiled module on the XS engine with a board's memory budget", module: "xs" },
  sim: { summary: "run the sensor gateway in the simulator (npm start)", module: "sim" },
  fleet: { summary: "N simulated boards publishing to an MQTT broker", module: "fleet" },
  emu: { summary: "run an RP2040 image in the emulator with simulated sensors", module: "emu" },
  bench: { summary: "run benchmarks on the XS engine and write bench/results/", module: "bench" },
  lint: { summary: "check layer direction and the firmware rules", module: "lint" },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: stillheap <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
    "Run `stillheap <command> --help` for a command's options.\n";
}

async function loadCommand(name: string): Promise<Command | undefined> {
  const entry = commands[name];
  if (entry === undefined) return undefined;
  try {
    const loaded = (await import(new URL(`./${entry.module}.js`, import.meta.url).href)) as { command: Command };
    return loaded.command;
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND") {
      process.stderr.write(`stillheap: command "${name}" is not part of this build yet\n`);
      return undefined;
    }
    throw error;
  }
}

/** Re-raises signals that arrived while loading, for a command that does not handle them: their default applies. */
function releaseSignals(takeSignals: TakeSignals | undefined): void {
  for (const signal of takeSignals?.() ?? []) process.kill(process.pid, signal);
}

export async function main(argv: readonly string[], takeSignals?: TakeSignals): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(help());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const command = await loadCommand(name);
  if (command?.handlesSignals !== true) releaseSignals(takeSignals);
  if (command === undefined) {
    if (commands[name] === undefined) process.stderr.write(`stillheap: unknown command "${name}"\n\n${help()}`);
    return ExitCode.usage;
  }
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${command.usage.trimEnd()}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(args, takeSignals);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      process.stderr.write(`stillheap ${name}: ${error.message}\n\n${command.usage.trimEnd()}\n`);
      return ExitCode.usage;
    }
    process.stderr.write(`stillheap ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.failed;
  }
}
