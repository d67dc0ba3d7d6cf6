/**
 * Node only: Debian's prometheus package — promtool, which parses Prometheus text and lints it against Prometheus's
 * naming conventions (base units, `_total` on counters only, HELP on every family), and the server itself, which
 * scrapes with its own parser.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** undefined when promtool runs; otherwise why the tests that need it must skip. */
export function promtoolMissing(): string | undefined {
  const probe = spawnSync("promtool", ["--version"], { encoding: "utf8", timeout: 10_000 });
  if (probe.error !== undefined) return `promtool is missing (${probe.error.message}): install the Debian package prometheus`;
  return probe.status === 0 ? undefined : `promtool --version exited ${String(probe.status)}: ${probe.stderr}`;
}

/** What `promtool check metrics` finds in `text`: "" when clean, else its findings and exit status. */
export function promtoolFindings(text: string): string {
  const run = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8", timeout: 30_000 });
  if (run.error !== undefined) throw run.error;
  const said = `${run.stdout}${run.stderr}`.trim();
  return run.status === 0 && said === "" ? "" : `promtool check metrics exited ${String(run.status)}: ${said}`;
}

/** The body of a raw HTTP response. */
export function bodyOf(response: string): string {
  const at = response.indexOf("\r\n\r\n");
  if (at < 0) throw new Error(`no end of headers in ${JSON.stringify(response.slice(0, 200))}`);
  return response.slice(at + 4);
}

/** A Prometheus server on loopback scraping its targets (host:port) every second, its data in a temporary directory. */
export class PrometheusServer {
  readonly #dir = mkdtempSync(join(tmpdir(), "stillheap-prometheus-"));
  readonly #child: ChildProcess;
  #log = "";

  constructor(readonly port: number, targets: readonly string[]) {
    const config = join(this.#dir, "prometheus.yml");
    writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: stillheap\n    static_configs:\n` +
      `      - targets: ${JSON.stringify(targets)}\n`);
    this.#child = spawn("prometheus", [`--config.file=${config}`, `--storage.tsdb.path=${join(this.#dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], { stdio: ["ignore", "ignore", "pipe"] });
    this.#child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.#log += chunk));
  }

  get log(): string {
    return this.#log;
  }

  /** GET on the server's HTTP API (deadline 5 s), parsed. */
  async api<T>(path: string): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${this.port}${path}`, { signal: AbortSignal.timeout(5000) });
    return (await response.json()) as T;
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      const exited = new Promise((done) => this.#child.once("close", done));
      this.#child.kill("SIGTERM");
      const killer = setTimeout(() => this.#child.kill("SIGKILL"), 10_000); // a clean stop takes well under a second
      await exited;
      clearTimeout(killer);
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
