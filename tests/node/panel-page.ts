// Node only: what both panel tests (the simulator's and the RP2040 emulator's) check of a page once a fault ends.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { screenshotDir } from "../../tools/cli/paths.js";

/** What the in-page function below uses of the DOM; this project is type-checked without the DOM library. */
interface Tagged {
  readonly dataset: Record<string, string | undefined>;
}
declare const document: { getElementById(id: string): Tagged | null };

/**
 * Waits until the SHT3x row is ok again and has delivered past `deliveredAtDrop`, then writes a screenshot of the whole
 * page to `name` in the screenshot folder (build/screenshots, or STILLHEAP_SCREENSHOTS).
 */
export async function screenshotAfterRecovery(page: Page, deliveredAtDrop: number, name: string, timeoutMs: number): Promise<void> {
  await page.waitForFunction((was) => {
    const sht = document.getElementById("sensor-sht3x");
    return sht?.dataset["state"] === "ok" && Number(sht.dataset["delivered"]) > was;
  }, deliveredAtDrop, { timeout: timeoutMs });
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true, timeout: timeoutMs });
}
