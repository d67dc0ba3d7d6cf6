/**
 * Node only: Debian's promtool (package prometheus), which parses Prometheus text as the server does and lints it
 * against Prometheus's naming conventions (base units, `_total` on counters only, HELP on every family).
 */
import { spawnSync } from "node:child_process";

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
