/**
 * Node only: Debian's chromium for the browser tests, driven by playwright-core (which downloads no browser). As root
 * the set-up installs it with apt-get, as CI does; otherwise a missing browser is a reason to skip, said plainly.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
const INSTALL_DEADLINE_MS = 15 * 60_000;

function installed(): string | undefined {
  return CANDIDATES.find((path) => existsSync(path));
}

function aptGet(args: readonly string[]): void {
  const result = spawnSync("apt-get", args, { encoding: "utf8", timeout: INSTALL_DEADLINE_MS,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (result.status !== 0) {
    throw new Error(`apt-get ${args.join(" ")} failed (${result.error?.message ?? `status ${String(result.status)}`}):\n${result.stderr}`);
  }
}

/** The browser's path, or why there is none. Installs Debian's chromium when missing and running as root. */
export function systemChromium(): { path: string } | { reason: string } {
  const found = installed();
  if (found !== undefined) return { path: found };
  if (process.getuid?.() !== 0) {
    return { reason: "Debian's chromium is not installed and installing it needs root (apt-get install chromium)" };
  }
  process.stderr.write("panel tests: installing chromium (apt-get)\n");
  aptGet(["update", "-qq"]);
  aptGet(["install", "-y", "-qq", "chromium"]);
  const now = installed();
  if (now === undefined) throw new Error(`apt-get installed chromium, but none of ${CANDIDATES.join(", ")} exists`);
  return { path: now };
}
